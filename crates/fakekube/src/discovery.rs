//! The discovery documents: `/version`, `/api`, `/api/v1`, `/apis` and each
//! `/apis/{group}/{version}`. Aggregated discovery (apidiscovery.k8s.io/v2) is
//! not served: like an older server, `/api` and `/apis` answer the legacy
//! documents whatever the Accept header asks for.

use serde_json::{Value, json};

use crate::resources::{self, Crd};

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "33",
        "emulationMajor": "1",
        "emulationMinor": "33",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "32",
        "gitVersion": "v1.33.1",
        "gitCommit": "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
        "gitTreeState": "clean",
        "buildDate": "2025-05-15T08:19:08Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

pub fn core_versions(server_addr: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_addr}]
    })
}

/// Groups in the order the API server lists them, with versions newest first.
fn groups(crds: &[Crd]) -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for d in resources::all()
        .iter()
        .filter(|d| !d.group.is_empty() && resources::served(d, crds))
    {
        match out.iter_mut().find(|(g, _)| *g == d.group) {
            Some((_, vs)) if !vs.contains(&d.version) => vs.push(d.version),
            Some(_) => {}
            None => out.push((d.group, vec![d.version])),
        }
    }
    out
}

pub fn group_list(crds: &[Crd]) -> Value {
    let groups: Vec<Value> = groups(crds)
        .into_iter()
        .map(|(g, vs)| group_doc(g, &vs))
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn group_doc(g: &str, vs: &[&str]) -> Value {
    let versions: Vec<Value> = vs
        .iter()
        .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
        .collect();
    json!({
        "name": g,
        "versions": versions,
        "preferredVersion": {"groupVersion": format!("{g}/{}", vs[0]), "version": vs[0]}
    })
}

/// `/apis/{group}`: the APIGroup document.
pub fn group(group: &str, crds: &[Crd]) -> Option<Value> {
    groups(crds)
        .into_iter()
        .find(|(g, _)| *g == group)
        .map(|(g, vs)| {
            let mut doc = group_doc(g, &vs);
            doc["kind"] = json!("APIGroup");
            doc["apiVersion"] = json!("v1");
            doc
        })
}

/// `/api/v1` or `/apis/{group}/{version}`: the APIResourceList, None when
/// that group/version is not served.
pub fn resource_list(group: &str, version: &str, crds: &[Crd]) -> Option<Value> {
    let defs: Vec<_> = resources::all()
        .iter()
        .filter(|d| d.group == group && d.version == version && resources::served(d, crds))
        .collect();
    if defs.is_empty() {
        return None;
    }
    let mut list = Vec::new();
    for d in defs {
        let mut r = json!({
            "name": d.plural,
            "singularName": d.singular,
            "namespaced": d.namespaced,
            "kind": d.kind,
            "verbs": d.verbs,
        });
        if !d.short_names.is_empty() {
            r["shortNames"] = json!(d.short_names);
        }
        if d.plural == "pods" || d.plural == "deployments" || d.plural == "services" {
            r["categories"] = json!(["all"]);
        }
        list.push(r);
        for s in d.subresources {
            let mut r = json!({
                "name": format!("{}/{}", d.plural, s.name),
                "singularName": "",
                "namespaced": d.namespaced,
                "kind": s.kind,
                "verbs": s.verbs,
            });
            if let (Some(g), Some(v)) = (s.group, s.version) {
                r["group"] = json!(g);
                r["version"] = json!(v);
            }
            list.push(r);
        }
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": list}),
    )
}
