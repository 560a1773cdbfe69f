//! Describe's spec fields, from the object as the engine has it (read once when the
//! describe view opens): command, env (secret-looking values already hidden by the
//! backend), mounts, networks, healthcheck, restart, update and rollback policies,
//! placement, resources and container labels. What is not listed here is in the YAML
//! view (`y`).

use super::view::Described;
use crate::app::describe::row;
use crate::app::table::{Cell, Row, Tone};
use crate::backend::swarm::model::SwarmSnapshot;
use crate::backend::swarm::stats::bytes;
use crate::core::text::SafeText;
use serde_json::Value;

/// The spec rows of `raw` (a service, task or node as JSON).
pub fn rows(kind: Described, raw: &Value, s: &SwarmSnapshot) -> Vec<Row> {
    let mut out = Out::default();
    match kind {
        Described::Service => {
            let spec = &raw["Spec"];
            task_template(&mut out, &spec["TaskTemplate"], s);
            policy(&mut out, "update", &spec["UpdateConfig"]);
            policy(&mut out, "rollback", &spec["RollbackConfig"]);
            out.text("endpoint", &spec["EndpointSpec"]["Mode"]);
        }
        Described::Task => task_template(&mut out, &raw["Spec"], s),
        Described::Node => {
            let d = &raw["Description"];
            let platform = format!(
                "{}/{}",
                d["Platform"]["OS"].as_str().unwrap_or("?"),
                d["Platform"]["Architecture"].as_str().unwrap_or("?")
            );
            out.own("platform", platform);
            resources(&mut out, "resources", &d["Resources"]);
            out.text("manager addr", &raw["ManagerStatus"]["Addr"]);
            for p in d["Engine"]["Plugins"].as_array().into_iter().flatten() {
                let what = format!(
                    "{} {}",
                    p["Type"].as_str().unwrap_or(""),
                    p["Name"].as_str().unwrap_or("")
                );
                out.push("plugin", Cell::new(SafeText::new(&what)));
            }
        }
    }
    out.rows
}

/// Rows keyed by their field and position, so the selection survives a re-read.
#[derive(Default)]
struct Out {
    rows: Vec<Row>,
}

impl Out {
    fn push(&mut self, field: &str, value: Cell) {
        let mut r = row(field, value);
        r.key = format!("spec:{field}:{}", self.rows.len());
        self.rows.push(r);
    }

    fn own(&mut self, field: &str, value: String) {
        self.push(field, Cell::new(SafeText::new(&value)));
    }

    /// A string field, if it is there.
    fn text(&mut self, field: &str, v: &Value) {
        if let Some(t) = v.as_str().filter(|t| !t.is_empty()) {
            self.push(field, Cell::new(SafeText::new(t)));
        }
    }
}

fn task_template(out: &mut Out, tt: &Value, s: &SwarmSnapshot) {
    let c = &tt["ContainerSpec"];
    if let Some(cmd) = argv(&c["Command"]) {
        out.own("command", cmd);
    }
    if let Some(args) = argv(&c["Args"]) {
        out.own("args", args);
    }
    out.text("user", &c["User"]);
    out.text("workdir", &c["Dir"]);
    for e in strings(&c["Env"]) {
        out.own("env", e);
    }
    for m in c["Mounts"].as_array().into_iter().flatten() {
        let ro = if m["ReadOnly"].as_bool().unwrap_or(false) {
            " (ro)"
        } else {
            ""
        };
        let what = format!(
            "{} {} → {}{ro}",
            m["Type"].as_str().unwrap_or("?"),
            m["Source"].as_str().unwrap_or("-"),
            m["Target"].as_str().unwrap_or("?"),
        );
        out.own("mount", what);
    }
    for n in tt["Networks"].as_array().into_iter().flatten() {
        let id = n["Target"].as_str().unwrap_or("");
        let name = s
            .networks
            .iter()
            .find(|x| x.id == id || x.name.as_str() == id)
            .map_or_else(|| id.to_string(), |x| x.name.to_string());
        let aliases = strings(&n["Aliases"]);
        let what = if aliases.is_empty() {
            name
        } else {
            format!("{name} (aliases {})", aliases.join(", "))
        };
        out.own("network", what);
    }
    let h = &c["Healthcheck"];
    if let Some(test) = argv(&h["Test"]) {
        let mut what = vec![test];
        for (k, label) in [
            ("Interval", "every"),
            ("Timeout", "timeout"),
            ("StartPeriod", "start period"),
        ] {
            if let Some(ns) = h[k].as_u64().filter(|n| *n > 0) {
                what.push(format!("{label} {}", duration(ns)));
            }
        }
        if let Some(r) = h["Retries"].as_u64() {
            what.push(format!("retries {r}"));
        }
        out.own("healthcheck", what.join(" · "));
    }
    let r = &tt["RestartPolicy"];
    if r.is_object() {
        let mut what = vec![r["Condition"].as_str().unwrap_or("any").to_string()];
        if let Some(ns) = r["Delay"].as_u64() {
            what.push(format!("delay {}", duration(ns)));
        }
        if let Some(n) = r["MaxAttempts"].as_u64().filter(|n| *n > 0) {
            what.push(format!("max {n} attempts"));
        }
        if let Some(ns) = r["Window"].as_u64().filter(|n| *n > 0) {
            what.push(format!("window {}", duration(ns)));
        }
        out.own("restart", what.join(" · "));
    }
    let p = &tt["Placement"];
    for c in strings(&p["Constraints"]) {
        out.own("constraint", c);
    }
    for pref in p["Preferences"].as_array().into_iter().flatten() {
        if let Some(d) = pref["Spread"]["SpreadDescriptor"].as_str() {
            out.own("preference", format!("spread {d}"));
        }
    }
    if let Some(n) = p["MaxReplicas"].as_u64().filter(|n| *n > 0) {
        out.own("max per node", n.to_string());
    }
    resources(out, "limits", &tt["Resources"]["Limits"]);
    resources(out, "reserved", &tt["Resources"]["Reservations"]);
    if let Some(labels) = c["Labels"].as_object() {
        for (k, v) in labels {
            out.own(
                "container label",
                format!("{k}={}", v.as_str().unwrap_or("")),
            );
        }
    }
}

/// `2 CPU · 512.0 MiB · 100 pids`, if any is set.
fn resources(out: &mut Out, field: &str, r: &Value) {
    let mut what = Vec::new();
    if let Some(n) = r["NanoCPUs"].as_u64().filter(|n| *n > 0) {
        what.push(format!("{} CPU", n as f64 / 1e9));
    }
    if let Some(n) = r["MemoryBytes"].as_u64().filter(|n| *n > 0) {
        what.push(bytes(n));
    }
    if let Some(n) = r["Pids"].as_u64().filter(|n| *n > 0) {
        what.push(format!("{n} pids"));
    }
    if !what.is_empty() {
        out.own(field, what.join(" · "));
    }
}

/// An update or rollback policy on one line.
fn policy(out: &mut Out, field: &str, p: &Value) {
    if !p.is_object() {
        return;
    }
    let mut what = vec![format!(
        "{} at a time",
        p["Parallelism"].as_u64().unwrap_or(1)
    )];
    if let Some(ns) = p["Delay"].as_u64().filter(|n| *n > 0) {
        what.push(format!("delay {}", duration(ns)));
    }
    if let Some(a) = p["FailureAction"].as_str() {
        what.push(format!("on failure {a}"));
    }
    if let Some(ns) = p["Monitor"].as_u64().filter(|n| *n > 0) {
        what.push(format!("monitor {}", duration(ns)));
    }
    if let Some(r) = p["MaxFailureRatio"].as_f64().filter(|r| *r > 0.0) {
        what.push(format!("max failure ratio {r}"));
    }
    if let Some(o) = p["Order"].as_str() {
        what.push(o.to_string());
    }
    out.push(
        field,
        Cell::toned(SafeText::new(&what.join(" · ")), Tone::Normal),
    );
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// An argument vector as one line; an argument with a space is quoted, so where one
/// ends reads unambiguously.
fn argv(v: &Value) -> Option<String> {
    let items = strings(v);
    if items.is_empty() {
        return None;
    }
    let shown: Vec<String> = items
        .iter()
        .map(|a| {
            if a.is_empty() || a.contains(' ') {
                format!("{a:?}")
            } else {
                a.clone()
            }
        })
        .collect();
    Some(shown.join(" "))
}

/// Nanoseconds as `30s`, `1m30s`, `250ms`, as Docker writes durations.
/// Hand-written: four lines of arithmetic, where a crate would bring a dependency.
fn duration(ns: u64) -> String {
    let ms = ns / 1_000_000;
    if ms < 1000 && ms * 1_000_000 == ns {
        return format!("{ms}ms");
    }
    let s = ns / 1_000_000_000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::lab;
    use serde_json::json;

    fn field(rows: &[Row], f: &str) -> Vec<String> {
        rows.iter()
            .filter(|r| r.cells[0].text.as_str() == f)
            .map(|r| r.cells[1].text.to_string())
            .collect()
    }

    #[test]
    fn a_service_spec_reads_as_its_fields() {
        let raw = json!({"Spec": {
            "TaskTemplate": {
                "ContainerSpec": {
                    "Image": "plex",
                    "Command": ["/init"], "Args": ["--port", "32400", "a b"],
                    "Env": ["TZ=UTC", "PLEX_CLAIM_TOKEN=(hidden)"],
                    "Mounts": [{"Type": "bind", "Source": "/mnt/tank/media", "Target": "/media", "ReadOnly": true}],
                    "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost:32400"], "Interval": 30_000_000_000u64, "Timeout": 5_000_000_000u64, "Retries": 3},
                    "Labels": {"backup": "nightly"}
                },
                "Networks": [{"Target": "net-proxy", "Aliases": ["plex"]}],
                "RestartPolicy": {"Condition": "on-failure", "Delay": 5_000_000_000u64, "MaxAttempts": 3},
                "Placement": {"Constraints": ["node.labels.zfs==tank"], "MaxReplicas": 1},
                "Resources": {"Limits": {"NanoCPUs": 2_000_000_000u64, "MemoryBytes": 4_294_967_296u64}}
            },
            "UpdateConfig": {"Parallelism": 1, "Delay": 10_000_000_000u64, "FailureAction": "rollback", "Monitor": 30_000_000_000u64, "Order": "start-first"},
            "EndpointSpec": {"Mode": "vip"}
        }});
        let r = rows(Described::Service, &raw, &lab());
        assert_eq!(field(&r, "command"), ["/init"]);
        assert_eq!(field(&r, "args"), ["--port 32400 \"a b\""]);
        assert_eq!(field(&r, "env"), ["TZ=UTC", "PLEX_CLAIM_TOKEN=(hidden)"]);
        assert_eq!(field(&r, "mount"), ["bind /mnt/tank/media → /media (ro)"]);
        assert_eq!(field(&r, "network"), ["proxy (aliases plex)"]);
        assert_eq!(
            field(&r, "healthcheck"),
            ["CMD-SHELL \"curl -f localhost:32400\" · every 30s · timeout 5s · retries 3"]
        );
        assert_eq!(
            field(&r, "restart"),
            ["on-failure · delay 5s · max 3 attempts"]
        );
        assert_eq!(field(&r, "constraint"), ["node.labels.zfs==tank"]);
        assert_eq!(field(&r, "max per node"), ["1"]);
        assert_eq!(field(&r, "limits"), ["2 CPU · 4.0 GiB"]);
        assert_eq!(
            field(&r, "update"),
            ["1 at a time · delay 10s · on failure rollback · monitor 30s · start-first"]
        );
        assert_eq!(field(&r, "container label"), ["backup=nightly"]);
        assert_eq!(field(&r, "endpoint"), ["vip"]);
        assert!(field(&r, "rollback").is_empty(), "no rollback policy set");
    }

    #[test]
    fn odd_json_gives_fewer_rows_never_a_panic() {
        // Nothing readable: no rows, whatever the shape.
        for raw in [json!(null), json!([]), json!({"Spec": 3})] {
            for kind in [Described::Service, Described::Task] {
                let r = rows(kind, &raw, &lab());
                assert!(r.is_empty(), "{kind:?} of {raw}: {:?}", field(&r, "env"));
            }
        }
        // What is odd is left out; what is good beside it stays.
        let raw = json!({"Spec": {"TaskTemplate": {"ContainerSpec": {
            "Command": ["/init"], "Env": ["TZ=UTC", 1, null]
        }}}});
        let r = rows(Described::Service, &raw, &lab());
        assert_eq!(field(&r, "env"), ["TZ=UTC"]);
        assert_eq!(field(&r, "command"), ["/init"]);
        let r = rows(
            Described::Service,
            &json!({"Spec": {"TaskTemplate": {"ContainerSpec": {"Env": [1, null]}}}}),
            &lab(),
        );
        assert!(field(&r, "env").is_empty());
    }

    #[test]
    fn durations_read_as_docker_writes_them() {
        assert_eq!(duration(30_000_000_000), "30s");
        assert_eq!(duration(90_000_000_000), "1m30s");
        assert_eq!(duration(250_000_000), "250ms");
        assert_eq!(duration(0), "0ms");
        assert_eq!(duration(3_600_000_000_000), "1h");
    }
}
