//! Does a running service already have the spec a deploy would send? The engine
//! fills defaults into what it stores (`Isolation`, a restart policy, update
//! configs...) and resolves names to IDs, so both sides are brought to the same
//! words first; then what differs is named by its path.

use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The paths where `live` differs from `desired` (empty: nothing to do). `networks`
/// maps the engine's network IDs to names.
pub fn differences(
    desired: &Value,
    live: &Value,
    networks: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut want = desired.clone();
    fill_defaults(&mut want);
    let mut have = live.clone();
    fill_defaults(&mut have);
    unpin_image(&want, &mut have);
    words_of_the_file(&mut have, networks);
    words_of_the_file(&mut want, networks);
    let mut out = Vec::new();
    diff(&want, &have, "", &mut out);
    out
}

/// `docker stack deploy` pins the image it resolved (`nginx:1@sha256:…`); the file
/// says `nginx:1`. The same image, not a change.
fn unpin_image(want: &Value, have: &mut Value) {
    let path = "/TaskTemplate/ContainerSpec/Image";
    let Some(w) = want.pointer(path).and_then(Value::as_str) else {
        return;
    };
    if let Some(h) = have.pointer_mut(path)
        && let Some((image, _digest)) = h.as_str().and_then(|s| s.split_once("@sha256:"))
        && image == w
    {
        *h = json!(w);
    }
}

/// What the engine fills in when a spec leaves it out.
fn fill_defaults(spec: &mut Value) {
    let task = &mut spec["TaskTemplate"];
    let c = &mut task["ContainerSpec"];
    default(c, "Isolation", json!("default"));
    default(c, "StopGracePeriod", json!(10_000_000_000i64));
    if let Some(p) = c.get_mut("Privileges")
        && p.as_object().is_some_and(|o| o.values().all(empty))
    {
        c.as_object_mut().map(|o| o.remove("Privileges"));
    }
    default(task, "Runtime", json!("container"));
    task.as_object_mut().map(|o| o.remove("ForceUpdate"));
    let restart = &mut task["RestartPolicy"];
    default(restart, "Condition", json!("any"));
    default(restart, "Delay", json!(5_000_000_000i64));
    default(restart, "MaxAttempts", json!(0));
    for key in ["UpdateConfig", "RollbackConfig"] {
        let u = &mut spec[key];
        default(u, "Parallelism", json!(1));
        default(u, "FailureAction", json!("pause"));
        default(u, "Monitor", json!(5_000_000_000i64));
        default(u, "MaxFailureRatio", json!(0));
        default(u, "Order", json!("stop-first"));
    }
    default(&mut spec["EndpointSpec"], "Mode", json!("vip"));
    if let Some(r) = spec.pointer_mut("/Mode/Replicated") {
        default(r, "Replicas", json!(1));
    }
}

/// Network IDs as names, and no secret or config IDs (their names say the same).
fn words_of_the_file(spec: &mut Value, networks: &BTreeMap<String, String>) {
    let by_id: BTreeMap<&str, &str> = networks
        .iter()
        .map(|(n, id)| (id.as_str(), n.as_str()))
        .collect();
    if let Some(list) = spec
        .pointer_mut("/TaskTemplate/Networks")
        .and_then(Value::as_array_mut)
    {
        for n in list.iter_mut() {
            if let Some(name) = n["Target"].as_str().and_then(|t| by_id.get(t)) {
                n["Target"] = json!(name);
            }
        }
        list.sort_by(|a, b| a["Target"].as_str().cmp(&b["Target"].as_str()));
    }
    for (field, id) in [("Secrets", "SecretID"), ("Configs", "ConfigID")] {
        if let Some(list) = spec
            .pointer_mut(&format!("/TaskTemplate/ContainerSpec/{field}"))
            .and_then(Value::as_array_mut)
        {
            for r in list {
                r.as_object_mut().map(|o| o.remove(id));
            }
        }
    }
}

fn default(v: &mut Value, key: &str, value: Value) {
    if v.is_null() {
        *v = json!({});
    }
    if let Some(o) = v.as_object_mut()
        && o.get(key).is_none_or(Value::is_null)
    {
        o.insert(key.to_string(), value);
    }
}

/// Absent, null, false, zero, "" and empty lists and maps are all "not set".
fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(empty),
    }
}

fn diff(want: &Value, have: &Value, path: &str, out: &mut Vec<String>) {
    let here = |k: &str| match path {
        "" => k.to_string(),
        p => format!("{p}.{k}"),
    };
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => {
            let keys: std::collections::BTreeSet<&String> = w.keys().chain(h.keys()).collect();
            for k in keys {
                let null = Value::Null;
                diff(
                    w.get(k).unwrap_or(&null),
                    h.get(k).unwrap_or(&null),
                    &here(k),
                    out,
                );
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            if (a - b).abs() > 1e-6 * a.abs().max(1.0) {
                out.push(short(path));
            }
        }
        (w, h) if empty(w) && empty(h) => {}
        (w, h) if w != h => out.push(short(path)),
        _ => {}
    }
}

/// `TaskTemplate.ContainerSpec.Env` as `Env`: the part a person knows.
fn short(path: &str) -> String {
    path.trim_start_matches("TaskTemplate.")
        .trim_start_matches("ContainerSpec.")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_engine_fills_in_is_no_difference_and_a_change_is_named() {
        let nets = BTreeMap::from([("app_default".to_string(), "n1d".to_string())]);
        let desired = json!({
            "Name": "app_web",
            "TaskTemplate": {
                "ContainerSpec": {"Image": "a:1", "Privileges": {}, "Env": ["A=1"],
                    "Secrets": [{"SecretName": "s", "File": {"Name": "s"}}]},
                "Resources": {}, "Placement": {},
                "Networks": [{"Target": "app_default", "Aliases": ["web"]}]
            },
            "Mode": {"Replicated": {}},
            "EndpointSpec": {}
        });
        let live = json!({
            "Name": "app_web",
            "TaskTemplate": {
                "ContainerSpec": {"Image": "a:1", "Env": ["A=1"], "Isolation": "default",
                    "Privileges": {"CredentialSpec": null, "SELinuxContext": null, "NoNewPrivileges": false},
                    "StopGracePeriod": 10000000000u64,
                    "Secrets": [{"SecretName": "s", "SecretID": "x1", "File": {"Name": "s"}}]},
                "Resources": {"Limits": {}, "Reservations": {}}, "Placement": {},
                "RestartPolicy": {"Condition": "any", "Delay": 5000000000u64, "MaxAttempts": 0},
                "Networks": [{"Target": "n1d", "Aliases": ["web"]}],
                "ForceUpdate": 3, "Runtime": "container"
            },
            "Mode": {"Replicated": {"Replicas": 1}},
            "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5000000000u64,
                "MaxFailureRatio": 0, "Order": "stop-first"},
            "RollbackConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5000000000u64,
                "MaxFailureRatio": 0, "Order": "stop-first"},
            "EndpointSpec": {"Mode": "vip"}
        });
        assert_eq!(differences(&desired, &live, &nets), Vec::<String>::new());
        let mut changed = desired.clone();
        changed["TaskTemplate"]["ContainerSpec"]["Env"] = json!(["A=2"]);
        changed["Mode"]["Replicated"]["Replicas"] = json!(3);
        assert_eq!(
            differences(&changed, &live, &nets),
            ["Mode.Replicated.Replicas", "Env"]
        );
        let mut pinned = live.clone();
        pinned["TaskTemplate"]["ContainerSpec"]["Image"] = json!("a:1@sha256:0123abcd");
        assert!(
            differences(&desired, &pinned, &nets).is_empty(),
            "the CLI's pin"
        );
        pinned["TaskTemplate"]["ContainerSpec"]["Image"] = json!("a:2@sha256:0123abcd");
        assert_eq!(differences(&desired, &pinned, &nets), ["Image"]);
        let mut healthless = live.clone();
        healthless["TaskTemplate"]["ContainerSpec"]["Healthcheck"] = json!({"Test": ["NONE"]});
        assert_eq!(
            differences(&desired, &healthless, &nets),
            ["Healthcheck"],
            "what the file no longer says is a difference too"
        );
    }
}
