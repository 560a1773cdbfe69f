//! KEY / VALUE rows for one service, task or node: every field labdeck knows, labels
//! included (names and labels are cleaned text like everything else).

use super::view::Described;
use crate::app::describe::{gone, labels, own, row, text};
use crate::app::table::{Cell, Row, Tone};
use crate::backend::swarm::model::{ServiceMode, SwarmSnapshot};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

pub fn rows(kind: Described, id: &str, s: &SwarmSnapshot, _now: Timestamp) -> Vec<Row> {
    let mut out = Vec::new();
    match kind {
        Described::Service => {
            let Some(svc) = s.service(id) else {
                return gone(id);
            };
            let r = s.replicas(svc);
            out.push(text("name", &svc.name));
            out.push(own("id", svc.id.clone()));
            out.push(text(
                "stack",
                &svc.stack.clone().unwrap_or_else(|| SafeText::trusted("-")),
            ));
            out.push(own(
                "mode",
                match svc.mode {
                    ServiceMode::Replicated(n) => format!("replicated ({n})"),
                    ServiceMode::Global => "global".into(),
                    ServiceMode::ReplicatedJob { total } => {
                        format!("replicated job ({total} completions)")
                    }
                    ServiceMode::GlobalJob => "global job".into(),
                },
            ));
            let tone = if r.is_short() { Tone::Err } else { Tone::Ok };
            out.push(row(
                "replicas",
                Cell::own(format!("{}/{}", r.running, r.desired), tone),
            ));
            out.push(text("image", &svc.image));
            for p in &svc.ports {
                out.push(Row {
                    key: format!("port:{}", p.published),
                    cells: vec![
                        Cell::own("port", Tone::Dim),
                        Cell::own(
                            format!("{}:{}/{} ({})", p.published, p.target, p.protocol, p.mode),
                            Tone::Normal,
                        ),
                    ],
                });
            }
            if let Some(u) = &svc.update_state {
                out.push(text("update", u));
            }
            if let Some(m) = &svc.update_message {
                out.push(text("update msg", m));
            }
            for (what, ids, list) in [
                ("secret", &svc.secret_ids, &s.secrets),
                ("config", &svc.config_ids, &s.configs),
            ] {
                for sid in ids {
                    let name = list
                        .iter()
                        .find(|o| &o.id == sid)
                        .map(|o| o.name.clone())
                        .unwrap_or_else(|| SafeText::new(sid));
                    out.push(Row {
                        key: format!("{what}:{sid}"),
                        cells: vec![Cell::own(what, Tone::Dim), Cell::new(name)],
                    });
                }
            }
            out.push(row("created", Cell::age(svc.created, Tone::Normal)));
            out.push(row("updated", Cell::age(svc.updated, Tone::Normal)));
            labels(&mut out, &svc.labels);
        }
        Described::Task => {
            let Some(t) = s.tasks.iter().find(|t| t.id == id) else {
                return gone(id);
            };
            out.push(own("id", t.id.clone()));
            let service = s
                .service(&t.service_id)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            out.push(text("service", &service));
            out.push(own("slot", t.slot.map_or("-".into(), |n| n.to_string())));
            out.push(text("node", &s.node_name(t.node_id.as_deref())));
            out.push(text("desired", &t.desired_state));
            out.push(text("state", &t.state));
            out.push(text("message", &t.message));
            if let Some(e) = &t.error {
                out.push(row("error", Cell::toned(e.clone(), Tone::Err)));
            }
            if let Some(c) = t.exit_code {
                out.push(own("exit code", c.to_string()));
            }
            out.push(own(
                "container",
                t.container_id.clone().unwrap_or_else(|| "-".into()),
            ));
            out.push(row("since", Cell::age(t.timestamp, Tone::Normal)));
        }
        Described::Node => {
            let Some(n) = s.node(id) else { return gone(id) };
            out.push(text("hostname", &n.hostname));
            out.push(own("id", n.id.clone()));
            out.push(text("role", &n.role));
            out.push(text("availability", &n.availability));
            out.push(row(
                "status",
                Cell::toned(
                    n.state.clone(),
                    if n.is_down() { Tone::Err } else { Tone::Ok },
                ),
            ));
            out.push(text("address", &n.addr));
            out.push(own("leader", if n.leader { "yes" } else { "no" }));
            if let Some(r) = &n.reachability {
                out.push(text("reachability", r));
            }
            out.push(text("engine", &n.engine_version));
            labels(&mut out, &n.labels);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::{NOW, lab};

    fn find<'a>(rows: &'a [Row], key: &str) -> &'a str {
        rows.iter()
            .find(|r| r.key == key)
            .map(|r| r.cells[1].text.as_str())
            .unwrap_or_else(|| panic!("no {key}"))
    }

    #[test]
    fn a_service_shows_its_fields_secrets_and_labels() {
        let mut s = lab();
        s.services[0].labels = vec![(
            SafeText::new("traefik.enable"),
            SafeText::new("true\u{1b}]0;x\u{7}"),
        )];
        let r = rows(Described::Service, "svc-sonarr", &s, NOW);
        assert_eq!(find(&r, "replicas"), "0/1");
        assert_eq!(find(&r, "mode"), "replicated (1)");
        assert_eq!(find(&r, "secret:sec-api"), "sonarr_api_key");
        assert_eq!(find(&r, "port:8989"), "8989:8989/tcp (ingress)");
        assert_eq!(find(&r, "label:traefik.enable"), "traefik.enable=true␛");
    }

    #[test]
    fn a_task_shows_its_error_and_exit_code() {
        let s = lab();
        let r = rows(Described::Task, "t-sonarr-1a", &s, NOW);
        assert_eq!(find(&r, "error"), "task: non-zero exit (1)");
        assert_eq!(find(&r, "exit code"), "1");
        assert_eq!(find(&r, "node"), "nas");
    }

    #[test]
    fn a_node_shows_role_and_labels_and_a_gone_object_says_so() {
        let s = lab();
        let r = rows(Described::Node, "node1", &s, NOW);
        assert_eq!(find(&r, "leader"), "yes");
        assert_eq!(find(&r, "label:zfs"), "zfs=tank");
        assert_eq!(rows(Described::Node, "nope", &s, NOW)[0].key, "gone");
    }
}
