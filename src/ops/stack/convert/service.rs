//! One compose service to the Engine's service spec, field by field as the CLI
//! converts it.

use super::super::desired::{IMAGE, ServiceDef};
use super::super::read::{At, Res};
use super::{Ctx, flat, parts, set, stack_labels};
use serde_json::json;

/// The spec, and the compose names of the networks it joins.
pub(super) fn convert(ctx: &Ctx, name: &str, svc: &At) -> Res<(ServiceDef, Vec<String>)> {
    let text = |k: &str| svc.key(k).map(|v| v.text()).transpose();
    let image = text("image")?.ok_or_else(|| svc.err("a service in a stack needs an image"))?;
    let deploy = svc.key("deploy");
    let dkey = |k: &str| deploy.as_ref().and_then(|d| d.key(k));

    let mut c = json!({
        "Image": image,
        "Labels": stack_labels(svc.key("labels"), ctx.stack)?,
        "Privileges": {},
    });
    if let Some(e) = svc.key("entrypoint") {
        set(&mut c, "Command", json!(e.command()?));
    }
    if let Some(a) = svc.key("command") {
        set(&mut c, "Args", json!(a.command()?));
    }
    for (key, field) in [
        ("hostname", "Hostname"),
        ("working_dir", "Dir"),
        ("user", "User"),
        ("stop_signal", "StopSignal"),
    ] {
        set(&mut c, field, json!(text(key)?));
    }
    set(&mut c, "Env", json!(parts::environment(ctx, svc)?));
    if let Some(h) = svc.key("extra_hosts") {
        set(&mut c, "Hosts", json!(parts::hosts(&h)?));
    }
    if let Some(dns) = parts::dns(svc)? {
        c["DNSConfig"] = dns;
    }
    if let Some(h) = svc.key("healthcheck") {
        c["Healthcheck"] = parts::healthcheck(&h)?;
    }
    if let Some(g) = svc.key("stop_grace_period") {
        c["StopGracePeriod"] = json!(g.duration_ns()?);
    }
    for (key, field) in [
        ("tty", "TTY"),
        ("stdin_open", "OpenStdin"),
        ("read_only", "ReadOnly"),
    ] {
        if let Some(b) = svc.key(key) {
            set(&mut c, field, json!(b.bool()?));
        }
    }
    if let Some(i) = svc.key("init") {
        c["Init"] = json!(i.bool()?);
    }
    if let Some(s) = svc.key("sysctls") {
        set(&mut c, "Sysctls", json!(flat(s.dict('=')?)));
    }
    let (add, drop) = parts::capabilities(svc)?;
    set(&mut c, "CapabilityAdd", json!(add));
    set(&mut c, "CapabilityDrop", json!(drop));
    if let Some(u) = svc.key("ulimits") {
        set(&mut c, "Ulimits", json!(parts::ulimits(&u)?));
    }
    if let Some(v) = svc.key("volumes") {
        set(&mut c, "Mounts", json!(parts::mounts(ctx, &v)?));
    }
    for (key, field, section) in [
        ("secrets", "Secrets", "secrets"),
        ("configs", "Configs", "configs"),
    ] {
        if let Some(refs) = svc.key(key) {
            set(&mut c, field, json!(parts::file_refs(ctx, &refs, section)?));
        }
    }

    let mut task = json!({
        "ContainerSpec": c,
        "Resources": parts::resources(dkey("resources"))?,
        "Placement": parts::placement(dkey("placement"))?,
    });
    if let Some(r) = parts::restart_policy(dkey("restart_policy"), svc.key("restart"))? {
        task["RestartPolicy"] = r;
    }
    if let Some(l) = svc.key("logging") {
        task["LogDriver"] = parts::log_driver(&l)?;
    }
    let (networks, joined) = parts::networks(ctx, name, svc)?;
    task["Networks"] = json!(networks);

    let mut labels = stack_labels(dkey("labels"), ctx.stack)?;
    labels.insert(
        IMAGE.to_string(),
        svc.key("image")
            .map(|i| i.text())
            .transpose()?
            .unwrap_or_default(),
    );
    let mut spec = json!({
        "Name": ctx.scope(name),
        "Labels": labels,
        "TaskTemplate": task,
        "Mode": parts::mode(dkey("mode"), dkey("replicas"))?,
        "EndpointSpec": parts::endpoint(dkey("endpoint_mode"), svc.key("ports"))?,
    });
    for (key, field) in [
        ("update_config", "UpdateConfig"),
        ("rollback_config", "RollbackConfig"),
    ] {
        if let Some(u) = dkey(key) {
            spec[field] = parts::update_config(&u)?;
        }
    }
    let depends_on = match svc.key("depends_on") {
        Some(d) if d.is_map() => d
            .entries()
            .into_iter()
            .map(|(k, _)| k.to_string())
            .collect(),
        Some(d) => d.strings()?,
        None => Vec::new(),
    };
    Ok((
        ServiceDef {
            name: ctx.scope(name),
            short: name.to_string(),
            spec,
            depends_on,
        },
        joined,
    ))
}
