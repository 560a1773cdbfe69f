//! Lookups over a snapshot, built once on first use: tasks by service, services by id,
//! nodes that are down. Without them every row of the services view scanned every task
//! (10,000 services took most of a second); with them a snapshot costs a linear pass.
//!
//! The index belongs to one version of the data: a clone starts without one, and code
//! that changes a snapshot in place calls `SwarmSnapshot::changed`.

use super::model::SwarmSnapshot;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

#[derive(Default)]
pub struct Index(OnceLock<Built>);

pub struct Built {
    /// Indices into `tasks`, per service id, in list order.
    pub tasks_by_service: HashMap<String, Vec<usize>>,
    /// Index into `services`, per id.
    pub service_at: HashMap<String, usize>,
    pub down_nodes: HashSet<String>,
}

impl Clone for Index {
    /// A copy is made to be changed: it builds its own index when asked.
    fn clone(&self) -> Index {
        Index::default()
    }
}

impl PartialEq for Index {
    /// Derived data: two snapshots are equal by what they hold.
    fn eq(&self, _: &Index) -> bool {
        true
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Index(built)"
        } else {
            "Index(-)"
        })
    }
}

impl SwarmSnapshot {
    pub fn index(&self) -> &Built {
        self.index.0.get_or_init(|| {
            let mut tasks_by_service: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, t) in self.tasks.iter().enumerate() {
                tasks_by_service
                    .entry(t.service_id.clone())
                    .or_default()
                    .push(i);
            }
            let service_at = self
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect();
            let down_nodes = self
                .nodes
                .iter()
                .filter(|n| n.is_down())
                .map(|n| n.id.clone())
                .collect();
            Built {
                tasks_by_service,
                service_at,
                down_nodes,
            }
        })
    }

    /// The data changed in place: drop the index (it is rebuilt on next use).
    pub fn changed(&mut self) {
        self.index = Index::default();
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::lab;

    #[test]
    fn a_change_in_place_is_seen_after_changed() {
        let mut s = lab();
        let n = s.tasks_of("svc-sonarr").len();
        assert!(n > 0);
        s.tasks.retain(|t| t.service_id != "svc-sonarr");
        s.changed();
        assert_eq!(s.tasks_of("svc-sonarr").len(), 0);
        let c = s.clone();
        assert_eq!(
            format!("{:?}", c.index),
            "Index(-)",
            "a clone builds its own"
        );
    }
}
