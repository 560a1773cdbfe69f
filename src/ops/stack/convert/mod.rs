//! A loaded compose tree to what the Engine will be asked for, as `docker stack
//! deploy` converts it. Where the CLI has a behaviour, this matches it; the oracle
//! test (`tests/stack_oracle.rs`) compares the two on a live engine.

mod parts;
mod service;

use super::desired::{Desired, NAMESPACE, NetworkDef, ObjectDef};
use super::load::Loaded;
use super::read::{At, Res};
use crate::backend::swarm::create::Hidden;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What the services see of the stack's named things.
pub(super) struct Ctx<'a> {
    pub stack: &'a str,
    pub loaded: &'a Loaded,
    pub root: At<'a>,
}

impl Ctx<'_> {
    /// `<stack>_<name>`.
    pub fn scope(&self, name: &str) -> String {
        format!("{}_{name}", self.stack)
    }

    /// A top-level definition (`networks`, `volumes`, `secrets`, `configs`).
    pub fn def(&self, section: &str, name: &str) -> Option<At<'_>> {
        let s = self.root.key(section)?;
        let node = s.node.get(name)?;
        Some(s.child(node, name))
    }

    /// The Engine's name for a top-level definition, and whether it is external.
    pub fn engine_name(&self, section: &str, name: &str) -> Res<(String, bool)> {
        let Some(def) = self.def(section, name) else {
            return Ok((self.scope(name), false));
        };
        let external = match def.key("external") {
            Some(e) if e.is_map() => true,
            Some(e) => e.bool()?,
            None => false,
        };
        let given = def.key("name").map(|n| n.text()).transpose()?;
        Ok(match (given, external) {
            (Some(n), ext) => (n, ext),
            (None, true) => (name.to_string(), true),
            (None, false) => (self.scope(name), false),
        })
    }
}

/// `labels` plus the stack's own.
pub(super) fn stack_labels(labels: Option<At>, stack: &str) -> Res<BTreeMap<String, String>> {
    let mut out: BTreeMap<String, String> = match labels {
        Some(l) => l
            .dict('=')?
            .into_iter()
            .map(|(k, v)| (k, v.unwrap_or_default()))
            .collect(),
        None => BTreeMap::new(),
    };
    out.insert(NAMESPACE.to_string(), stack.to_string());
    Ok(out)
}

/// Convert the stack `stack`. Every problem is said, each at its line.
pub fn convert(stack: &str, loaded: &Loaded) -> Result<Desired, Vec<String>> {
    let root = At {
        node: &loaded.root,
        file: &loaded.file,
        path: String::new(),
    };
    let ctx = Ctx {
        stack,
        loaded,
        root,
    };
    let mut errors = Vec::new();
    let mut d = Desired {
        stack: stack.to_string(),
        networks: Vec::new(),
        external_networks: Vec::new(),
        secrets: Vec::new(),
        configs: Vec::new(),
        external_secrets: Vec::new(),
        external_configs: Vec::new(),
        services: Vec::new(),
        warnings: loaded.warnings.clone(),
    };
    let services = ctx
        .root
        .key("services")
        .map(|s| s.entries())
        .unwrap_or_default();
    if services.is_empty() {
        errors.push(format!("{}: the stack has no services", loaded.file));
    }
    let mut used_networks: Vec<String> = Vec::new();
    for (name, svc) in &services {
        match service::convert(&ctx, name, svc) {
            Ok((def, nets)) => {
                for n in nets {
                    if !used_networks.contains(&n) {
                        used_networks.push(n);
                    }
                }
                d.services.push(def);
            }
            Err(e) => errors.push(e),
        }
    }
    used_networks.sort();
    for n in &used_networks {
        match network(&ctx, n) {
            Ok(Ok(def)) => d.networks.push(def),
            Ok(Err(external)) => d.external_networks.push(external),
            Err(e) => errors.push(e),
        }
    }
    for (section, made, external) in [
        ("secrets", &mut d.secrets, &mut d.external_secrets),
        ("configs", &mut d.configs, &mut d.external_configs),
    ] {
        let defs = ctx
            .root
            .key(section)
            .map(|s| s.entries())
            .unwrap_or_default();
        for (name, def) in defs {
            match object(&ctx, section, name, &def) {
                Ok(Some(o)) => made.push(o),
                Ok(None) => external.push(
                    ctx.engine_name(section, name)
                        .map(|n| n.0)
                        .unwrap_or_default(),
                ),
                Err(e) => errors.push(e),
            }
        }
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

/// A network the services use: its create body, or `Err(name)` for an external one.
fn network(ctx: &Ctx, name: &str) -> Res<Result<NetworkDef, String>> {
    let (engine_name, external) = ctx.engine_name("networks", name)?;
    if external {
        return Ok(Err(engine_name));
    }
    let def = ctx.def("networks", name);
    let get = |k: &str| def.as_ref().and_then(|d| d.key(k));
    let mut body = json!({
        "Name": engine_name,
        "Driver": get("driver").map(|d| d.text()).transpose()?.unwrap_or_else(|| "overlay".into()),
        "Labels": stack_labels(get("labels"), ctx.stack)?,
    });
    if let Some(o) = get("driver_opts") {
        body["Options"] = json!(flat(o.dict('=')?));
    }
    for (key, field) in [("internal", "Internal"), ("attachable", "Attachable")] {
        if let Some(b) = get(key) {
            body[field] = json!(b.bool()?);
        }
    }
    if let Some(ipam) = get("ipam") {
        let mut i = json!({});
        if let Some(driver) = ipam.key("driver") {
            i["Driver"] = json!(driver.text()?);
        }
        if let Some(config) = ipam.key("config") {
            let mut list = Vec::new();
            for c in config.items() {
                let subnet = c.key("subnet").map(|s| s.text()).transpose()?;
                list.push(json!({"Subnet": subnet.unwrap_or_default()}));
            }
            i["Config"] = json!(list);
        }
        body["IPAM"] = i;
    }
    Ok(Ok(NetworkDef {
        name: engine_name,
        body,
    }))
}

/// A secret or config to make from its file; `None` for an external one.
fn object(ctx: &Ctx, section: &str, name: &str, def: &At) -> Res<Option<ObjectDef>> {
    let (engine_name, external) = ctx.engine_name(section, name)?;
    if external {
        return Ok(None);
    }
    let file = def
        .key("file")
        .ok_or_else(|| def.err("needs a file (or external: true)"))?;
    let path = ctx.loaded.dir.join(file.text()?);
    let data = std::fs::read(&path)
        .map_err(|e| file.err(format!("cannot read {}: {e}", path.display())))?;
    Ok(Some(ObjectDef {
        name: engine_name,
        data: Hidden(data),
        labels: stack_labels(def.key("labels"), ctx.stack)?,
    }))
}

/// A map whose values are all given (`None` as empty).
pub(super) fn flat(m: BTreeMap<String, Option<String>>) -> BTreeMap<String, String> {
    m.into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect()
}

/// Leave out what is empty, as Go's `omitempty` does, so a spec says only what is set.
pub(super) fn set(v: &mut Value, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
    };
    if !empty {
        v[key] = value;
    }
}
