//! Follow-up re-lists for tasks caught on their way to `running`.
//!
//! A task's last step (`starting` -> `running`) raises no event of its own: the
//! container's `start` (or `health_status`) event comes first, and a re-list made right
//! after it can still see `starting`. So while a service has a task `starting`, its tasks
//! are looked at again a few times, a little later; an event for it starts over.

use super::model::SwarmSnapshot;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// How long after a re-list to look again.
pub const EVERY: Duration = Duration::from_millis(500);
/// Looks per service after its last event (3 s in all): a task still `starting` then is
/// waiting for a healthcheck, whose `health_status` event re-reads its tasks again.
const MAX_TRIES: u8 = 6;

/// A task whose next step raises no event we can count on: `starting` on its way to
/// `running`, and a job's task on its way to `complete` (its container's `die` can come
/// before the engine records the task done).
fn in_flux(state: &str, desired: &str) -> bool {
    let finished = matches!(
        state,
        "complete" | "failed" | "shutdown" | "rejected" | "orphaned" | "remove"
    );
    (state == "starting" && desired == "running") || (desired == "complete" && !finished)
}

#[derive(Debug, Default)]
pub struct Settle {
    tries: HashMap<String, u8>,
}

impl Settle {
    /// An event named this service: its follow-ups start over.
    pub fn reset(&mut self, service_id: &str) {
        self.tries.remove(service_id);
    }

    pub fn reset_all(&mut self) {
        self.tries.clear();
    }

    /// After a re-list: the services to look at again in [`EVERY`].
    pub fn due(&mut self, snap: &SwarmSnapshot) -> Vec<String> {
        let starting: BTreeSet<&str> = snap
            .tasks
            .iter()
            .filter(|t| in_flux(t.state.as_str(), t.desired_state.as_str()))
            .map(|t| t.service_id.as_str())
            .collect();
        self.tries.retain(|s, _| starting.contains(s.as_str()));
        starting
            .into_iter()
            .filter(|s| {
                let n = self.tries.entry(s.to_string()).or_insert(0);
                *n += 1;
                *n <= MAX_TRIES
            })
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::lab;

    #[test]
    fn a_job_task_still_running_is_looked_at_again() {
        assert!(in_flux("running", "complete"));
        assert!(!in_flux("complete", "complete"));
        assert!(!in_flux("running", "running"));
        assert!(in_flux("starting", "running"));
    }

    #[test]
    fn starting_tasks_are_looked_at_again_a_bounded_number_of_times() {
        let s = lab(); // sonarr has a task `starting`
        let mut settle = Settle::default();
        for _ in 0..MAX_TRIES {
            assert_eq!(settle.due(&s), ["svc-sonarr"]);
        }
        assert!(settle.due(&s).is_empty(), "gives up until the next event");
        settle.reset("svc-sonarr");
        assert_eq!(settle.due(&s), ["svc-sonarr"]);
    }

    #[test]
    fn nothing_starting_nothing_due() {
        let mut s = lab();
        s.tasks.retain(|t| t.state.as_str() != "starting");
        s.changed();
        assert!(Settle::default().due(&s).is_empty());
    }
}
