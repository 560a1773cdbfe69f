//! The parts of a service spec, each as the CLI converts it.

use super::super::read::{At, Res};
use super::super::short;
use super::{Ctx, flat, set};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `env_file` lines first, then `environment`; a name without a value is read from
/// the environment, and stays a bare name if unset there. Sorted, as the CLI sends it.
pub fn environment(ctx: &Ctx, svc: &At) -> Res<Vec<String>> {
    let mut env: BTreeMap<String, Option<String>> = BTreeMap::new();
    if let Some(files) = svc.key("env_file") {
        for f in files.strings()? {
            let path = ctx.loaded.dir.join(&f);
            let lines = super::super::env_file::read(&path).map_err(|e| files.err(e))?;
            env.extend(lines);
        }
    }
    if let Some(e) = svc.key("environment") {
        env.extend(e.dict('=')?);
    }
    Ok(env
        .into_iter()
        .map(|(k, v)| match v.or_else(|| std::env::var(&k).ok()) {
            Some(v) => format!("{k}={v}"),
            None => k,
        })
        .collect())
}

/// `host:ip` (or a map) as Swarm's `ip host`, in the order written.
pub fn hosts(h: &At) -> Res<Vec<String>> {
    let pairs: Vec<(String, String)> = if h.is_map() {
        flat(h.dict(':')?).into_iter().collect()
    } else {
        h.strings()?
            .into_iter()
            .map(|e| {
                e.split_once([':', '='])
                    .map(|(host, ip)| (host.to_string(), ip.to_string()))
                    .ok_or_else(|| h.err(format!("{e:?} is not host:ip")))
            })
            .collect::<Res<_>>()?
    };
    Ok(pairs
        .into_iter()
        .map(|(host, ip)| format!("{ip} {host}"))
        .collect())
}

pub fn dns(svc: &At) -> Res<Option<Value>> {
    let list = |k: &str| svc.key(k).map(|v| v.strings()).transpose();
    let (servers, search, options) = (list("dns")?, list("dns_search")?, list("dns_opt")?);
    if servers.is_none() && search.is_none() && options.is_none() {
        return Ok(None);
    }
    let mut d = json!({});
    set(&mut d, "Nameservers", json!(servers));
    set(&mut d, "Search", json!(search));
    set(&mut d, "Options", json!(options));
    Ok(Some(d))
}

pub fn healthcheck(h: &At) -> Res<Value> {
    let test = match h.key("test") {
        Some(t) if matches!(t.node.value, super::super::tree::Value::Seq(_)) => t.strings()?,
        Some(t) => vec!["CMD-SHELL".to_string(), t.text()?],
        None => Vec::new(),
    };
    if h.key("disable").map(|d| d.bool()).transpose()? == Some(true) {
        if !test.is_empty() {
            return Err(h.err("test and disable cannot both be set"));
        }
        return Ok(json!({"Test": ["NONE"]}));
    }
    let mut out = json!({});
    set(&mut out, "Test", json!(test));
    for (key, field) in [
        ("interval", "Interval"),
        ("timeout", "Timeout"),
        ("start_period", "StartPeriod"),
        ("start_interval", "StartInterval"),
    ] {
        if let Some(d) = h.key(key) {
            set(&mut out, field, json!(d.duration_ns()?));
        }
    }
    if let Some(r) = h.key("retries") {
        set(&mut out, "Retries", json!(r.u64()?));
    }
    Ok(out)
}

/// Docker's capability names: upper case with `CAP_`, `ALL` alone.
pub fn capabilities(svc: &At) -> Res<(Vec<String>, Vec<String>)> {
    let norm = |k: &str| -> Res<Vec<String>> {
        let Some(v) = svc.key(k) else {
            return Ok(Vec::new());
        };
        let mut out: Vec<String> = v
            .strings()?
            .into_iter()
            .map(|c| {
                let c = c.to_ascii_uppercase();
                if c == "ALL" || c.starts_with("CAP_") {
                    c
                } else {
                    format!("CAP_{c}")
                }
            })
            .collect();
        out.sort();
        out.dedup();
        if out.iter().any(|c| c == "ALL") {
            out = vec!["ALL".to_string()];
        }
        Ok(out)
    };
    Ok((norm("cap_add")?, norm("cap_drop")?))
}

/// Sorted by name; a single number is both limits.
pub fn ulimits(u: &At) -> Res<Vec<Value>> {
    let mut out = Vec::new();
    let mut entries = u.entries();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (name, v) in entries {
        let (soft, hard) = if v.is_map() {
            let get = |k: &str| v.key(k).map(|x| x.i64()).transpose();
            (get("soft")?.unwrap_or(0), get("hard")?.unwrap_or(0))
        } else {
            let n = v.i64()?;
            (n, n)
        };
        out.push(json!({"Name": name, "Soft": soft, "Hard": hard}));
    }
    Ok(out)
}

pub fn mounts(ctx: &Ctx, v: &At) -> Res<Vec<Value>> {
    let mut out = Vec::new();
    for item in v.items() {
        let long = if item.is_map() {
            let mut j = item.node.to_json();
            if j["type"] == "bind"
                && let Some(s) = j["source"].as_str()
            {
                j["source"] = json!(short::bind_source(s, &ctx.loaded.dir));
            }
            j
        } else {
            short::volume(&item.text()?, &ctx.loaded.dir).map_err(|e| item.err(e))?
        };
        out.push(mount(ctx, &item, &long)?);
    }
    Ok(out)
}

/// One mount from its long form (as JSON, already interpolated).
fn mount(ctx: &Ctx, at: &At, v: &Value) -> Res<Value> {
    let kind = v["type"].as_str().unwrap_or("volume");
    let target = v["target"]
        .as_str()
        .ok_or_else(|| at.err("a mount needs a target"))?;
    let source = v["source"].as_str().unwrap_or_default();
    let mut m = json!({"Type": kind, "Target": target});
    set(&mut m, "ReadOnly", json!(truthy(&v["read_only"])));
    set(&mut m, "Consistency", v["consistency"].clone());
    match kind {
        "bind" => {
            set(&mut m, "Source", json!(source));
            if let Some(p) = v["bind"]["propagation"].as_str() {
                m["BindOptions"] = json!({"Propagation": p});
            }
        }
        "volume" if source.is_empty() => {}
        "volume" => {
            let (name, external) = ctx.engine_name("volumes", source).map_err(|e| at.err(e))?;
            if ctx.def("volumes", source).is_none() {
                return Err(at.err(format!("undefined volume {source:?}")));
            }
            m["Source"] = json!(name);
            let mut o = json!({});
            set(&mut o, "NoCopy", json!(truthy(&v["volume"]["nocopy"])));
            if !external {
                let def = ctx.def("volumes", source);
                let get = |k: &str| def.as_ref().and_then(|d| d.key(k));
                o["Labels"] = json!(super::stack_labels(get("labels"), ctx.stack)?);
                let driver = get("driver").map(|d| d.text()).transpose()?;
                let opts = get("driver_opts").map(|d| d.dict('=')).transpose()?;
                if driver.is_some() || opts.is_some() {
                    let mut dc = json!({});
                    set(&mut dc, "Name", json!(driver));
                    set(&mut dc, "Options", json!(opts.map(flat)));
                    o["DriverConfig"] = dc;
                }
            }
            m["VolumeOptions"] = o;
        }
        "tmpfs" => {
            if !source.is_empty() {
                return Err(at.err("a tmpfs mount has no source"));
            }
            let t = &v["tmpfs"];
            if t.is_object() {
                let mut o = json!({});
                if let Some(size) = scalar_text(&t["size"]) {
                    let bytes = super::super::read::ram_in_bytes(&size)
                        .ok_or_else(|| at.err(format!("{size:?} is not a size")))?;
                    set(&mut o, "SizeBytes", json!(bytes));
                }
                set(&mut o, "Mode", t["mode"].clone());
                m["TmpfsOptions"] = o;
            }
        }
        other => return Err(at.err(format!("mount type {other:?} is not supported"))),
    }
    Ok(m)
}

fn truthy(v: &Value) -> bool {
    matches!(v, Value::Bool(true)) || v.as_str() == Some("true")
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Secrets or configs: the file each becomes in the container (`target`, else the
/// source's name), owned by root, mode 0444 unless said; sorted by name.
pub fn file_refs(ctx: &Ctx, refs: &At, section: &str) -> Res<Vec<Value>> {
    let mut out = Vec::new();
    for item in refs.items() {
        let (source, target, uid, gid, mode) = if item.is_map() {
            let t = |k: &str| item.key(k).map(|v| v.text()).transpose();
            let source = t("source")?.ok_or_else(|| item.err("needs a source"))?;
            let mode = item.key("mode").map(|m| m.u64()).transpose()?;
            (source, t("target")?, t("uid")?, t("gid")?, mode)
        } else {
            (item.text()?, None, None, None, None)
        };
        if ctx.def(section, &source).is_none() {
            return Err(item.err(format!(
                "undefined {} {source:?}",
                &section[..section.len() - 1]
            )));
        }
        let (name, _) = ctx.engine_name(section, &source).map_err(|e| item.err(e))?;
        let file = json!({
            "Name": target.unwrap_or_else(|| source.clone()),
            "UID": uid.unwrap_or_else(|| "0".into()),
            "GID": gid.unwrap_or_else(|| "0".into()),
            "Mode": mode.unwrap_or(0o444),
        });
        let name_field = if section == "secrets" {
            "SecretName"
        } else {
            "ConfigName"
        };
        out.push(json!({"File": file, name_field: name}));
    }
    let key = if section == "secrets" {
        "SecretName"
    } else {
        "ConfigName"
    };
    out.sort_by(|a, b| a[key].as_str().cmp(&b[key].as_str()));
    Ok(out)
}

/// Always present, as the CLI sends it; limits and reservations when given.
pub fn resources(r: Option<At>) -> Res<Value> {
    let mut out = json!({});
    let Some(r) = r else {
        return Ok(out);
    };
    for (key, field) in [("limits", "Limits"), ("reservations", "Reservations")] {
        let Some(l) = r.key(key) else { continue };
        let mut o = json!({});
        if let Some(c) = l.key("cpus") {
            let cpus = c.f64()?;
            set(&mut o, "NanoCPUs", json!((cpus * 1e9).round() as i64));
        }
        if let Some(m) = l.key("memory") {
            set(&mut o, "MemoryBytes", json!(m.bytes()?));
        }
        if let Some(p) = l.key("pids") {
            set(&mut o, "Pids", json!(p.i64()?));
        }
        out[field] = o;
    }
    Ok(out)
}

/// Always present, as the CLI sends it.
pub fn placement(p: Option<At>) -> Res<Value> {
    let mut out = json!({});
    let Some(p) = p else {
        return Ok(out);
    };
    if let Some(c) = p.key("constraints") {
        set(&mut out, "Constraints", json!(c.strings()?));
    }
    if let Some(prefs) = p.key("preferences") {
        let mut list = Vec::new();
        for item in prefs.items() {
            let spread = item
                .key("spread")
                .ok_or_else(|| item.err("a placement preference needs spread"))?;
            list.push(json!({"Spread": {"SpreadDescriptor": spread.text()?}}));
        }
        set(&mut out, "Preferences", json!(list));
    }
    if let Some(m) = p.key("max_replicas_per_node") {
        set(&mut out, "MaxReplicas", json!(m.u64()?));
    }
    Ok(out)
}

/// `deploy.restart_policy`, else the service's `restart` read as Swarm can.
pub fn restart_policy(policy: Option<At>, restart: Option<At>) -> Res<Option<Value>> {
    if let Some(p) = policy {
        let mut out = json!({});
        set(
            &mut out,
            "Condition",
            json!(p.key("condition").map(|c| c.text()).transpose()?),
        );
        for (key, field) in [("delay", "Delay"), ("window", "Window")] {
            if let Some(d) = p.key(key) {
                out[field] = json!(d.duration_ns()?);
            }
        }
        if let Some(m) = p.key("max_attempts") {
            out["MaxAttempts"] = json!(m.u64()?);
        }
        return Ok(Some(out));
    }
    let Some(r) = restart else {
        return Ok(None);
    };
    let text = r.text()?;
    let (name, count) = text.split_once(':').unwrap_or((&text, ""));
    Ok(match name {
        "" | "no" => None,
        "always" | "unless-stopped" => Some(json!({"Condition": "any"})),
        "on-failure" => {
            let attempts: u64 = match count {
                "" => 0,
                n => n
                    .parse()
                    .map_err(|_| r.err(format!("{n:?} is not a count")))?,
            };
            Some(json!({"Condition": "on-failure", "MaxAttempts": attempts}))
        }
        other => return Err(r.err(format!("unknown restart policy {other:?}"))),
    })
}

pub fn log_driver(l: &At) -> Res<Value> {
    let mut out = json!({});
    set(
        &mut out,
        "Name",
        json!(l.key("driver").map(|d| d.text()).transpose()?),
    );
    if let Some(o) = l.key("options") {
        set(&mut out, "Options", json!(flat(o.dict('=')?)));
    }
    Ok(out)
}

/// The service's networks, sorted by target, each with the service's name as an
/// alias; the stack's default network when it names none.
pub fn networks(ctx: &Ctx, name: &str, svc: &At) -> Res<(Vec<Value>, Vec<String>)> {
    let mut joined: Vec<(String, Option<At>)> = Vec::new();
    match svc.key("networks") {
        Some(n) if n.is_map() => {
            for (k, v) in n.entries() {
                let v = (v.node.value != super::super::tree::Value::Null).then_some(v);
                joined.push((k.to_string(), v));
            }
        }
        Some(n) => joined.extend(n.strings()?.into_iter().map(|k| (k, None))),
        None => joined.push(("default".to_string(), None)),
    }
    let mut out = Vec::new();
    for (net, cfg) in &joined {
        if net != "default" && ctx.def("networks", net).is_none() {
            let at = svc.key("networks").unwrap_or_else(|| svc.clone());
            return Err(at.err(format!("undefined network {net:?}")));
        }
        let (target, _) = ctx.engine_name("networks", net)?;
        let mut aliases = match cfg.as_ref().and_then(|c| c.key("aliases")) {
            Some(a) => a.strings()?,
            None => Vec::new(),
        };
        aliases.push(name.to_string());
        let mut n = json!({"Target": target, "Aliases": aliases});
        if let Some(o) = cfg.as_ref().and_then(|c| c.key("driver_opts")) {
            set(&mut n, "DriverOpts", json!(flat(o.dict('=')?)));
        }
        out.push(n);
    }
    out.sort_by(|a, b| a["Target"].as_str().cmp(&b["Target"].as_str()));
    Ok((out, joined.into_iter().map(|(n, _)| n).collect()))
}

pub fn mode(mode: Option<At>, replicas: Option<At>) -> Res<Value> {
    let replicas = replicas.map(|r| r.u64()).transpose()?;
    let text = mode.as_ref().map(|m| m.text()).transpose()?;
    Ok(match text.as_deref().unwrap_or("replicated") {
        "global" => json!({"Global": {}}),
        "replicated" => match replicas {
            Some(n) => json!({"Replicated": {"Replicas": n}}),
            None => json!({"Replicated": {}}),
        },
        "replicated-job" => {
            let mut j = json!({});
            set(&mut j, "MaxConcurrent", json!(replicas));
            set(&mut j, "TotalCompletions", json!(replicas));
            json!({"ReplicatedJob": j})
        }
        "global-job" => json!({"GlobalJob": {}}),
        other => {
            let at = mode.expect("a mode was read");
            return Err(at.err(format!("unknown mode {other:?}")));
        }
    })
}

/// The endpoint: its mode as written (lower case), ports sorted by published port.
pub fn endpoint(mode: Option<At>, ports: Option<At>) -> Res<Value> {
    let mut list: Vec<Value> = Vec::new();
    if let Some(p) = ports {
        for item in p.items() {
            if item.is_map() {
                let t = |k: &str| item.key(k).map(|v| v.text()).transpose();
                let target = item
                    .key("target")
                    .ok_or_else(|| item.err("a port needs a target"))?
                    .u64()?;
                let mut port = json!({
                    "Protocol": t("protocol")?.unwrap_or_else(|| "tcp".into()),
                    "TargetPort": target,
                    "PublishMode": t("mode")?.unwrap_or_else(|| "ingress".into()),
                });
                if let Some(published) = item.key("published") {
                    port["PublishedPort"] = json!(published.u64()?);
                }
                list.push(port);
            } else {
                list.extend(short::port(&item.text()?).map_err(|e| item.err(e))?);
            }
        }
    }
    list.sort_by_key(|p| p["PublishedPort"].as_u64().unwrap_or(0));
    let mut out = json!({});
    set(
        &mut out,
        "Mode",
        json!(
            mode.map(|m| m.text())
                .transpose()?
                .map(|m| m.to_lowercase())
        ),
    );
    set(&mut out, "Ports", json!(list));
    Ok(out)
}

pub fn update_config(u: &At) -> Res<Value> {
    let parallelism = u
        .key("parallelism")
        .map(|p| p.u64())
        .transpose()?
        .unwrap_or(1);
    let mut out = json!({"Parallelism": parallelism});
    for (key, field) in [("delay", "Delay"), ("monitor", "Monitor")] {
        if let Some(d) = u.key(key) {
            set(&mut out, field, json!(d.duration_ns()?));
        }
    }
    for (key, field) in [("failure_action", "FailureAction"), ("order", "Order")] {
        set(
            &mut out,
            field,
            json!(u.key(key).map(|v| v.text()).transpose()?),
        );
    }
    if let Some(r) = u.key("max_failure_ratio") {
        set(&mut out, "MaxFailureRatio", json!(r.f64()?));
    }
    Ok(out)
}
