//! Facts derived from a snapshot. Derived here, once, so every view and the CLI agree.

use super::model::*;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::collections::BTreeMap;

impl SwarmSnapshot {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.index()
            .service_at
            .get(id)
            .and_then(|&i| self.services.get(i))
    }

    /// Tasks of one service, in list order (an index lookup, not a scan).
    pub fn tasks_of_service<'a>(&'a self, service_id: &str) -> impl Iterator<Item = &'a Task> + 'a {
        let ids = self.index().tasks_by_service.get(service_id);
        ids.into_iter().flatten().filter_map(|&i| self.tasks.get(i))
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_name(&self, id: Option<&str>) -> SafeText {
        id.and_then(|id| self.node(id))
            .map(|n| n.hostname.clone())
            .unwrap_or_else(|| SafeText::trusted(id.map(short_id).unwrap_or("-")))
    }

    /// Tasks of one service, newest first within each slot, slots in order.
    pub fn tasks_of(&self, service_id: &str) -> Vec<&Task> {
        let mut t: Vec<&Task> = self.tasks_of_service(service_id).collect();
        t.sort_by(|a, b| {
            (a.slot, a.node_id.as_deref())
                .cmp(&(b.slot, b.node_id.as_deref()))
                .then(b.timestamp.cmp(&a.timestamp))
        });
        t
    }

    /// Running/desired as `docker service ls` counts them: running tasks on nodes that are
    /// up; desired is the replica count, or for global services the tasks meant to run.
    pub fn replicas(&self, service: &Service) -> Replicas {
        let down = &self.index().down_nodes;
        let mine = self.tasks_of_service(&service.id);
        let mut running = 0;
        let mut wanted = 0;
        let mut completed = 0;
        for t in mine {
            if t.state.as_str() == "complete" {
                completed += 1;
            }
            let on_down_node = t.node_id.as_deref().is_some_and(|n| down.contains(n));
            if t.desired_state.as_str() == "running" && !on_down_node {
                wanted += 1;
            }
            if t.is_running() && !on_down_node {
                running += 1;
            }
        }
        // Jobs read as the docker CLI shows them: `0/2 (2/2 completed)`.
        let (desired, job) = match service.mode {
            ServiceMode::Replicated(n) => (n, None),
            ServiceMode::ReplicatedJob { total } => (total, Some((completed.min(total), total))),
            ServiceMode::GlobalJob => {
                let total = wanted.max(completed);
                (total, Some((completed, total)))
            }
            ServiceMode::Global => (wanted, None),
        };
        Replicas {
            running,
            desired,
            completed: job,
        }
    }

    pub fn failing_tasks_of(&self, service_id: &str) -> usize {
        self.failing_tasks(service_id).len()
    }

    /// One task per failing slot (per node for global services): the slot's newest
    /// *finished* attempt, when that attempt failed. Attempts still on their way
    /// (pending, ready, starting) are looked past: a crash-looping task spends most of
    /// its time queued for a restart, and its last failure is what explains it. So is
    /// an attempt running for less than [`STABLE_SECS`] after a failure: a crash loop's
    /// attempts run for a moment each, and the slot is not well until one stays up. A
    /// slot whose newest finished attempt ran (or was shut down on purpose) is fine.
    pub fn failing_tasks<'a>(&'a self, service_id: &'a str) -> Vec<&'a Task> {
        self.slots_of(service_id)
            .into_iter()
            .filter_map(|tasks| self.slot_failure(tasks).map(|(failed, _)| failed))
            .collect()
    }

    /// When a slot held failing only because its running attempt is young becomes well,
    /// if nothing else happens: the earliest such moment over every service. The
    /// watcher looks again then (no event will say it).
    pub fn failing_hold_until(&self) -> Option<Timestamp> {
        self.services
            .iter()
            .flat_map(|s| self.slots_of(&s.id))
            .filter_map(|tasks| self.slot_failure(tasks).and_then(|(_, until)| until))
            .min()
    }

    /// A slot's failure, if it is failing, and when a young running attempt would make
    /// it well (`None`: not held by one).
    fn slot_failure<'a>(&self, mut tasks: Vec<&'a Task>) -> Option<(&'a Task, Option<Timestamp>)> {
        tasks.sort_by_key(|t| std::cmp::Reverse(t.timestamp));
        // Unknown time: judged as at the end of time, so a running task counts as stable.
        let now = self.taken_at.unwrap_or(Timestamp(i64::MAX));
        let stable_at = |t: &Task| {
            t.timestamp
                .map(|ts| Timestamp(ts.0.saturating_add(STABLE_SECS)))
        };
        let young = |t: &Task| t.is_running() && stable_at(t).is_some_and(|at| at > now);
        // Timestamps have one-second resolution: a failure and the task that replaced
        // it can tie, so a stable running task settles the slot outright.
        if tasks.iter().any(|t| t.is_running() && !young(t)) {
            return None;
        }
        let until = tasks
            .iter()
            .filter(|t| young(t))
            .filter_map(|t| stable_at(t))
            .max();
        tasks
            .into_iter()
            .filter(|t| !t.is_running())
            .find(|t| is_finished(t))
            .filter(|t| t.is_failing())
            .map(|t| (t, until))
    }

    /// A service's tasks by slot (by node for global services), slots scaled away left
    /// out: they are history, whatever happened to them.
    fn slots_of<'a>(&'a self, service_id: &'a str) -> Vec<Vec<&'a Task>> {
        let replicas = match self.service(service_id).map(|s| &s.mode) {
            Some(ServiceMode::Replicated(n)) => Some(*n),
            _ => None,
        };
        let mut slots: BTreeMap<(Option<u64>, Option<&str>), Vec<&Task>> = BTreeMap::new();
        for t in self.tasks_of_service(service_id) {
            let key = (
                t.slot,
                if t.slot.is_some() {
                    None
                } else {
                    t.node_id.as_deref()
                },
            );
            slots.entry(key).or_default().push(t);
        }
        slots
            .into_values()
            .filter(|tasks| {
                let slot = tasks.first().and_then(|t| t.slot);
                !matches!((replicas, slot), (Some(n), Some(slot)) if slot > n)
            })
            .collect()
    }

    /// Stacks in name order; services outside any stack last, as one group.
    pub fn stacks(&self) -> Vec<StackSummary> {
        // Grouped by the raw label: two names that clean to the same text stay apart.
        let mut by: BTreeMap<Option<&str>, StackSummary> = BTreeMap::new();
        for s in &self.services {
            let r = self.replicas(s);
            let e = by
                .entry(s.stack_key.as_deref())
                .or_insert_with(|| StackSummary {
                    name: s.stack.clone(),
                    key: s.stack_key.clone(),
                    services: 0,
                    replicas: Replicas {
                        running: 0,
                        desired: 0,
                        completed: None,
                    },
                    failing_tasks: 0,
                });
            e.services += 1;
            // A job wants only the tasks it runs now; done, it wants none (the CLI's
            // `0/2 (2/2 completed)` is complete, not short).
            let wanted = if r.completed.is_some() {
                r.running
            } else {
                r.desired
            };
            e.replicas.running += r.running;
            e.replicas.desired += wanted;
            e.failing_tasks += self.failing_tasks_of(&s.id);
        }
        let mut out: Vec<StackSummary> = by.into_values().collect();
        // BTreeMap puts None first; people expect "no stack" at the end.
        let loose_first = out.first().is_some_and(|s| s.name.is_none());
        out.rotate_left(usize::from(loose_first));
        out
    }

    /// Services of the stack with this raw namespace label (`None`: outside stacks).
    pub fn services_in(&self, stack: Option<&str>) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| s.stack_key.as_deref() == stack)
            .collect()
    }

    /// Names of the services that mount a secret (or a config) with this id.
    pub fn users_of_secret(&self, id: &str) -> Vec<&SafeText> {
        self.services
            .iter()
            .filter(|s| s.secret_ids.iter().any(|x| x == id))
            .map(|s| &s.name)
            .collect()
    }

    pub fn users_of_config(&self, id: &str) -> Vec<&SafeText> {
        self.services
            .iter()
            .filter(|s| s.config_ids.iter().any(|x| x == id))
            .map(|s| &s.name)
            .collect()
    }

    /// Compose projects (plain Docker hosts), in name order, loose containers last.
    pub fn compose_projects(&self) -> Vec<ComposeProject> {
        let mut by: BTreeMap<Option<&SafeText>, ComposeProject> = BTreeMap::new();
        for c in &self.containers {
            let e = by
                .entry(c.project.as_ref())
                .or_insert_with(|| ComposeProject {
                    name: c.project.clone(),
                    containers: 0,
                    running: 0,
                });
            e.containers += 1;
            e.running += usize::from(c.state.as_str() == "running");
        }
        let mut out: Vec<ComposeProject> = by.into_values().collect();
        let loose_first = out.first().is_some_and(|p| p.name.is_none());
        out.rotate_left(usize::from(loose_first));
        out
    }

    pub fn containers_in(&self, project: Option<&str>) -> Vec<&Container> {
        self.containers
            .iter()
            .filter(|c| c.project.as_ref().map(SafeText::as_str) == project)
            .collect()
    }
}

/// Seconds a task must run after a failure of its slot before the slot counts as well
/// again: longer than a crash loop's runs, with Docker's default 5 s restart delay.
pub const STABLE_SECS: i64 = 15;

/// Past the point of starting: running, or ended one way or another.
fn is_finished(t: &Task) -> bool {
    !matches!(
        t.state.as_str(),
        "new" | "pending" | "assigned" | "accepted" | "preparing" | "ready" | "starting"
    )
}

/// Docker's 12-character short id.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

#[cfg(test)]
mod tests;
