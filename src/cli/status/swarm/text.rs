//! The plain-text form of the status report.

use super::report::StatusReport;
use std::fmt::Write;

pub fn render(r: &StatusReport) -> String {
    let mut out = String::new();
    for s in &r.sources {
        if let Some(e) = &s.error {
            let _ = writeln!(out, "{}: UNREACHABLE: {e}", s.name);
        }
    }
    if let Some(sw) = &r.swarm {
        let _ = writeln!(
            out,
            "swarm: engine {} (API {}){}",
            sw.engine_version,
            sw.api_version,
            if sw.swarm_active {
                ""
            } else {
                ", not a swarm manager"
            }
        );
        for n in sw.nodes.iter().filter(|n| n.down) {
            let _ = writeln!(
                out,
                "  node {} is {} ({})",
                n.hostname, n.state, n.availability
            );
        }
        for st in &sw.stacks {
            let name = st.name.as_ref().map_or("(no stack)", |n| n.as_str());
            let _ = writeln!(out, "{name}");
            for s in &st.services {
                let flag = if s.under_replicated {
                    "  UNDER-REPLICATED"
                } else {
                    ""
                };
                let jobs = match (s.completed, s.completions) {
                    (Some(done), Some(total)) => format!(" ({done}/{total} completed)"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "  {:<32} {:>3}/{:<3} {}{jobs}{flag}",
                    s.name.as_str(),
                    s.running,
                    s.desired,
                    s.mode
                );
                for t in &s.failing_tasks {
                    let slot = t.slot.map(|s| format!(".{s}")).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "    task {}{slot} on {}: {}: {}",
                        s.name, t.node, t.state, t.error
                    );
                }
            }
        }
    }
    // The overall verdict is the combined report's (one line, whatever the parts).
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::{NOW, lab};
    use crate::cli::status::swarm::report::build;

    #[test]
    fn text_lists_stacks_services_and_failures() {
        let mut s = lab();
        s.tasks[0].timestamp = Some(NOW);
        let t = render(&build(Ok(&s)));
        assert!(t.contains("media\n"), "{t}");
        assert!(t.contains("media_sonarr"), "{t}");
        assert!(t.contains("0/1"), "{t}");
        assert!(t.contains("UNDER-REPLICATED"), "{t}");
        assert!(
            t.contains("task media_sonarr.1 on nas: failed: task: non-zero exit (1)"),
            "{t}"
        );
        assert!(
            !t.contains("status: "),
            "the verdict is the combined report's: {t}"
        );
        let why = crate::cli::status::swarm::report::reasons(&build(Ok(&s)));
        assert_eq!(
            why,
            ["swarm: service media_sonarr 0/1: task.1 on nas failed: task: non-zero exit (1)"],
        );
    }

    #[test]
    fn unreachable_text_says_why() {
        let t = render(&build(Err("cannot reach engine: refused")));
        assert!(t.contains("swarm: UNREACHABLE: cannot reach engine: refused"));
        assert!(t.ends_with('\n'));
    }
}
