//! `labdeck status`: one look at every source, for people and for monitoring. Each
//! pane with sources brings its part through the registry; this combines them.
//!
//! Exit codes: 0 healthy, 1 degraded (a service under-replicated, a node down, a pool
//! not ONLINE or over 80 % full, a device with errors, a dataset over 90 % of its
//! quota), 2 a source unreachable.

pub mod kube;
pub mod nodes;
pub mod reads;
pub mod swarm;
pub mod vlans;
pub mod zfs;

use crate::core::text::SafeText;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Healthy,
    Degraded,
    Unreachable,
}

impl Health {
    pub fn exit_code(self) -> i32 {
        match self {
            Health::Healthy => 0,
            Health::Degraded => 1,
            Health::Unreachable => 2,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub reachable: bool,
    pub error: Option<SafeText>,
}

/// One pane's part: its health, its sources, its details as JSON and as text.
#[derive(Debug, Clone)]
pub struct Part {
    /// The key of its details in the JSON report (the pane's id, or `id:source`).
    pub key: String,
    pub health: Health,
    pub sources: Vec<SourceReport>,
    pub json: serde_json::Value,
    pub text: String,
    /// Why it is not healthy, one line each (unreachable sources say theirs).
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub health: Health,
    /// Why it is not healthy: each device, pool, service and quota, and each source
    /// that did not answer.
    pub reasons: Vec<String>,
    pub sources: Vec<SourceReport>,
    #[serde(flatten)]
    pub parts: serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    pub text: String,
}

/// The worst health wins; sources and details side by side.
pub fn combine(parts: Vec<Part>) -> StatusReport {
    let mut r = StatusReport {
        health: Health::Healthy,
        reasons: Vec::new(),
        sources: Vec::new(),
        parts: serde_json::Map::new(),
        text: String::new(),
    };
    for p in parts {
        r.health = r.health.max(p.health);
        for s in &p.sources {
            if let Some(e) = &s.error {
                r.reasons.push(format!("{}: {e}", s.name));
            }
        }
        r.reasons.extend(p.reasons);
        r.sources.extend(p.sources);
        r.parts.insert(p.key, p.json);
        r.text.push_str(&p.text);
    }
    // One verdict for everything, last, whatever the number of parts.
    let verdict = match r.health {
        Health::Healthy => "healthy",
        Health::Degraded => "DEGRADED",
        Health::Unreachable => "UNREACHABLE",
    };
    // Said with it: why, so a monitoring check's one line names the device, the
    // service or the quota.
    if r.health == Health::Healthy || r.reasons.is_empty() {
        r.text.push_str(&format!("status: {verdict}\n"));
    } else {
        r.text
            .push_str(&format!("status: {verdict}: {}\n", r.reasons.join("; ")));
    }
    r
}

/// Reads one pane's sources once: one part per source.
pub type Collect = fn(
    &crate::config::settings::Settings,
    &reads::Reads,
) -> futures::future::BoxFuture<'static, Vec<Part>>;

/// Every part of the report, by pane, in report order (the panes' tab order).
pub const PARTS: &[(&str, Collect)] = &[
    ("nodes", nodes::collect),
    ("vlans", vlans::collect),
    ("zfs", zfs::collect),
    ("swarm", swarm::collect),
    ("kube", kube::collect),
];

/// Read every pane's sources once (all at the same time) and build the report.
pub async fn collect(settings: &crate::config::settings::Settings) -> StatusReport {
    let reads = reads::Reads::default();
    let parts = PARTS.iter().map(|(_, collect)| collect(settings, &reads));
    combine(
        futures::future::join_all(parts)
            .await
            .into_iter()
            .flatten()
            .collect(),
    )
}

/// Print the report; returns the process exit code.
pub fn print(report: &StatusReport, json: bool) -> i32 {
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("labdeck: cannot encode the report: {e}"),
        }
    } else {
        print!("{}", report.text);
    }
    report.health.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(key: &'static str, health: Health) -> Part {
        Part {
            key: key.into(),
            health,
            sources: vec![SourceReport {
                name: key.into(),
                reachable: health != Health::Unreachable,
                error: None,
            }],
            json: serde_json::json!({"k": key}),
            text: format!("{key}\n"),
            reasons: Vec::new(),
        }
    }

    #[test]
    fn the_worst_part_decides_and_every_part_is_kept() {
        let r = combine(vec![
            part("a", Health::Degraded),
            part("b", Health::Unreachable),
        ]);
        assert_eq!(r.health.exit_code(), 2);
        assert_eq!(r.sources.len(), 2);
        assert_eq!(r.text, "a\nb\nstatus: UNREACHABLE\n", "one verdict, last");
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["b"]["k"], "b");
        assert_eq!(j["health"], "unreachable");
        let r = combine(vec![
            part("a", Health::Healthy),
            part("b", Health::Degraded),
        ]);
        assert_eq!(r.health.exit_code(), 1);
        let mut down = part("c", Health::Unreachable);
        down.sources[0].error = Some(SafeText::new("cannot reach engine: refused"));
        let mut sick = part("d", Health::Degraded);
        sick.reasons = vec!["zfs nas: pool tank is DEGRADED (sdd OFFLINE)".into()];
        let why = combine(vec![down, sick]);
        assert_eq!(
            why.text,
            "c\nd\nstatus: UNREACHABLE: c: cannot reach engine: refused; zfs nas: pool tank is DEGRADED (sdd OFFLINE)\n",
            "the verdict says why"
        );
        assert_eq!(
            serde_json::to_value(&why).unwrap()["reasons"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }
}
