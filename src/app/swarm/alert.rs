//! What the Swarm pane says loudly in the tab bar, whichever pane is shown: a node that
//! is down, and a service short of replicas because its tasks fail. A service that is
//! short while it scales or updates, with nothing failing, is on its way and says
//! nothing.

use crate::backend::swarm::SwarmSnapshot;
use crate::core::text::SafeText;

/// The alert over every engine's snapshot, or `None` when nothing is wrong. Short, so it
/// fits beside the tabs at 80 columns: `1 svc failing`, `node n2 down` (or `2 nodes
/// down`); the pane itself says which.
pub fn alert<'a>(snapshots: impl Iterator<Item = &'a SwarmSnapshot>) -> Option<SafeText> {
    // Two managers of one swarm see the same nodes and services: each is counted once.
    let mut down = std::collections::BTreeMap::new();
    let mut failing = std::collections::BTreeSet::new();
    for s in snapshots {
        for n in s.nodes.iter().filter(|n| n.is_down()) {
            down.insert(n.id.as_str(), &n.hostname);
        }
        failing.extend(
            s.services
                .iter()
                // Failing slots, not the count: a crash loop's attempts each run for a
                // moment, and the alarm must not blink off for each.
                .filter(|svc| !s.failing_tasks(&svc.id).is_empty())
                .map(|svc| svc.id.as_str()),
        );
    }
    let down: Vec<_> = down.into_values().collect();
    let failing = failing.len();
    let mut parts = Vec::new();
    match down.as_slice() {
        [] => {}
        [one] => parts.push(format!("node {one} down")),
        many => parts.push(format!("{} nodes down", many.len())),
    }
    if failing > 0 {
        parts.push(format!("{failing} svc failing"));
    }
    // A node's name is SafeText already; the joined text is made one again whole.
    (!parts.is_empty()).then(|| SafeText::new(&parts.join(" · ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::{lab, node, task};

    #[test]
    fn a_crash_looping_service_and_a_down_node_are_said() {
        let mut s = lab();
        // sonarr's only slot failed and is starting again: short, and failing.
        assert_eq!(alert([&s].into_iter()).unwrap().as_str(), "1 svc failing");
        let mut down = node("node2", "n2", false);
        down.state = SafeText::new("down");
        s.nodes.push(down);
        assert_eq!(
            alert([&s].into_iter()).unwrap().as_str(),
            "node n2 down · 1 svc failing"
        );
        // A second manager of the same swarm: the same node and service, said once.
        assert_eq!(
            alert([&s, &s.clone()].into_iter()).unwrap().as_str(),
            "node n2 down · 1 svc failing"
        );
        // Another swarm's failing service is another one.
        let mut other = lab();
        for svc in &mut other.services {
            svc.id = format!("other-{}", svc.id);
        }
        for t in &mut other.tasks {
            t.service_id = format!("other-{}", t.service_id);
        }
        assert_eq!(
            alert([&s, &other].into_iter()).unwrap().as_str(),
            "node n2 down · 2 svc failing"
        );
        let mut n3 = node("node3", "n3", false);
        n3.state = SafeText::new("down");
        s.nodes.push(n3);
        assert_eq!(
            alert([&s].into_iter()).unwrap().as_str(),
            "2 nodes down · 1 svc failing"
        );
    }

    #[test]
    fn short_without_failures_is_on_its_way_and_says_nothing() {
        let mut s = lab();
        s.tasks.retain(|t| t.service_id != "svc-sonarr");
        // Scaled up: one replica still starting, nothing failed.
        s.tasks
            .push(task("t-sonarr-1c", "svc-sonarr", 1, "starting", 1));
        assert_eq!(alert([&s].into_iter()), None);
    }

    /// Each restart of a crash loop runs for a moment (1/1, no failing task yet): the
    /// alarm stays on through it, and goes once an attempt has stayed up.
    #[test]
    fn a_crash_loop_s_moments_of_running_keep_the_alarm() {
        use crate::backend::swarm::query::STABLE_SECS;
        use crate::core::time::Timestamp;
        let mut s = lab();
        let young = s.tasks.iter_mut().find(|t| t.id == "t-sonarr-1b").unwrap();
        young.state = SafeText::new("running");
        young.timestamp = Some(Timestamp(s.taken_at.unwrap().0 - 1));
        let svc = s.service("svc-sonarr").unwrap();
        assert!(!s.replicas(svc).is_short(), "1/1 for that moment");
        assert_eq!(alert([&s].into_iter()).unwrap().as_str(), "1 svc failing");
        // It stays up: judged again later, all is well.
        s.taken_at = Some(Timestamp(s.taken_at.unwrap().0 + STABLE_SECS));
        assert_eq!(alert([&s].into_iter()), None);
    }
}
