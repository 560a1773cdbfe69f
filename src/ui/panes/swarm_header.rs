//! The Swarm pane's header, as k9s has one: per engine, its Docker version, the swarm
//! leader, the node count and the nodes' total CPU and memory.

use crate::app::swarm::SwarmPane;
use crate::app::swarm::pane::Engine;
use crate::core::stats::bytes;
use crate::core::text::SafeText;
use crate::ui::theme::{Slot, Theme};
use ratatui::text::{Line, Span};

/// Engines shown, at most: more would take the table's rows (the rest are counted).
const MAX: usize = 3;

pub fn lines(pane: &SwarmPane, theme: &Theme) -> Vec<Line<'static>> {
    let name_width = pane
        .engines
        .iter()
        .map(|e| label(pane, e).chars().count())
        .max()
        .unwrap_or(0);
    let mut out: Vec<Line> = pane
        .engines
        .iter()
        .take(MAX)
        .map(|e| {
            let name = format!("{:<name_width$}  ", label(pane, e));
            Line::from(vec![
                Span::styled(name, theme.style(Slot::Title)),
                Span::styled(facts(e), theme.style(Slot::TextDim)),
            ])
        })
        .collect();
    if pane.engines.len() > MAX {
        out.push(Line::from(Span::styled(
            format!("… and {} more engines", pane.engines.len() - MAX),
            theme.style(Slot::TextDim),
        )));
    }
    out
}

/// The engine's name in config, or with one engine its host's name.
fn label(pane: &SwarmPane, e: &Engine) -> String {
    match (&e.snapshot, pane.multi()) {
        (Some(s), false) if !s.engine.hostname.is_empty() => s.engine.hostname.to_string(),
        _ => SafeText::new(&e.endpoint.name).to_string(),
    }
}

/// `Docker 27.5.1 · leader nas · 3 nodes (2 ready) · 12 CPU · 47.0 GiB`.
pub fn facts(e: &Engine) -> String {
    let Some(s) = &e.snapshot else {
        return "not read yet".into();
    };
    let mut parts = vec![format!("Docker {}", s.engine.version)];
    if s.engine.swarm_manager {
        let leader = s
            .nodes
            .iter()
            .find(|n| n.leader)
            .map_or("none".to_string(), |n| n.hostname.to_string());
        parts.push(format!("leader {leader}"));
        let ready = s.nodes.iter().filter(|n| !n.is_down()).count();
        let n = s.nodes.len();
        let plural = if n == 1 { "" } else { "s" };
        parts.push(if ready == n {
            format!("{n} node{plural}")
        } else {
            format!("{n} node{plural} ({ready} ready)")
        });
        let cpus: u64 = s.nodes.iter().map(|n| n.cpus).sum();
        let memory: u64 = s.nodes.iter().map(|n| n.memory).sum();
        parts.push(format!("{cpus} CPU"));
        parts.push(bytes(memory));
    } else {
        parts.push(match s.engine.swarm_state.as_str() {
            "active" => "swarm worker".to_string(),
            _ => "no swarm".to_string(),
        });
        parts.push(format!("{} CPU", s.engine.cpus));
        parts.push(bytes(s.engine.memory));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::connect::Endpoint;
    use crate::backend::swarm::sample::{lab, node};
    use std::sync::Arc;

    fn engine(snap: Option<crate::backend::swarm::SwarmSnapshot>) -> Engine {
        let mut p = SwarmPane::new(Endpoint::from_value(None));
        p.engines[0].snapshot = snap.map(Arc::new);
        p.engines.remove(0)
    }

    #[test]
    fn a_manager_sums_its_nodes_and_names_the_leader() {
        let mut s = lab();
        let mut down = node("node2", "pi", false);
        down.state = SafeText::new("down");
        down.cpus = 2;
        down.memory = 4 * 1024 * 1024 * 1024;
        s.nodes.push(down);
        assert_eq!(
            facts(&engine(Some(s))),
            "Docker 27.5.1 · leader nas · 2 nodes (1 ready) · 6 CPU · 20.0 GiB"
        );
    }

    #[test]
    fn several_engines_get_a_line_each_under_their_config_names() {
        let mut nas = Endpoint::from_value(None);
        nas.name = "nas".into();
        let mut plain = Endpoint::from_value(None);
        plain.name = "plain-box".into();
        let mut p = SwarmPane::with_engines(vec![nas, plain]);
        p.engines[0].snapshot = Some(Arc::new(lab()));
        let text: Vec<String> = lines(&p, &Theme::default())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
            .collect();
        assert_eq!(
            text,
            [
                "nas        Docker 27.5.1 · leader nas · 1 node · 4 CPU · 16.0 GiB",
                "plain-box  not read yet"
            ]
        );
    }

    #[test]
    fn a_plain_engine_gives_its_own_host() {
        let mut s = lab();
        s.engine.swarm_manager = false;
        s.engine.swarm_state = SafeText::new("inactive");
        s.engine.cpus = 2;
        s.engine.memory = 1024 * 1024 * 1024;
        assert_eq!(
            facts(&engine(Some(s))),
            "Docker 27.5.1 · no swarm · 2 CPU · 1.0 GiB"
        );
        assert_eq!(facts(&engine(None)), "not read yet");
    }
}
