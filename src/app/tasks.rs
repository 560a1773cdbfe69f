//! The run loop's background work: tasks by key, plans by id. On the way out every
//! plan stops before its next step, and the step under way is waited for: a
//! `zfs destroy` or a Docker write is not cut off half way, its journal left at
//! `Started`.

use super::msg::Msg;
use super::task::{Job, Outbox, PlanId, TaskKey};
use crate::core::access::Writer;
use crate::ops::plan::{Plan, Progress, StepError};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How long quitting waits for the steps under way: as long as a ZFS write may take
/// by default (`write_timeout_secs`), so a step that is only slow still ends; one that
/// hangs past it is left to the journal (resume tells what it did).
pub const QUIT_WAIT: Duration = Duration::from_secs(120);

/// Running tasks by key; starting a key that runs cancels the old one.
pub struct Tasks {
    running: HashMap<TaskKey, CancellationToken>,
    plans: HashMap<PlanId, CancellationToken>,
    /// The plans' own tasks, to wait for on the way out.
    applying: JoinSet<()>,
    root: CancellationToken,
    tx: mpsc::Sender<Msg>,
}

impl Tasks {
    /// Tasks and plans stop when `root` is cancelled.
    pub fn new(root: CancellationToken, tx: mpsc::Sender<Msg>) -> Tasks {
        Tasks {
            running: HashMap::new(),
            plans: HashMap::new(),
            applying: JoinSet::new(),
            root,
            tx,
        }
    }

    pub fn start(&mut self, key: TaskKey, job: Job) {
        self.cancel(key);
        let token = self.root.child_token();
        self.running.insert(key, token.clone());
        let out = Outbox::new(key.pane, self.tx.clone());
        tracing::debug!(?key, job = %job.label, "task start");
        let work = job.run(out, token.clone());
        tokio::spawn(async move {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = work => {}
            }
        });
    }

    pub fn cancel(&mut self, key: TaskKey) {
        if let Some(t) = self.running.remove(&key) {
            t.cancel();
        }
    }

    pub fn apply(&mut self, writer: Option<Writer>, id: PlanId, plan: Plan) {
        let token = self.root.child_token();
        // Finished plans' tokens are dropped as new ones start: the map stays small.
        self.plans.retain(|_, t| !t.is_cancelled());
        self.plans.insert(id, token.clone());
        while self.applying.try_join_next().is_some() {}
        if let Some(work) = plan_task(writer, id, plan, self.tx.clone(), token) {
            self.applying.spawn(work);
        }
    }

    pub fn cancel_plan(&mut self, id: PlanId) {
        if let Some(t) = self.plans.remove(&id) {
            t.cancel();
        }
    }

    /// Quitting: every task stops, every plan before its next step; then wait, up to
    /// `limit`, for the steps under way to end. `waiting` hears how many plans are
    /// left each time the count changes. Returns how many did not end in time.
    pub async fn wind_down(
        &mut self,
        rx: &mut mpsc::Receiver<Msg>,
        limit: Duration,
        mut waiting: impl FnMut(usize),
    ) -> usize {
        self.root.cancel();
        let deadline = tokio::time::Instant::now() + limit;
        let mut said = 0;
        while !self.applying.is_empty() {
            if self.applying.len() != said {
                said = self.applying.len();
                waiting(said);
            }
            tokio::select! {
                _ = self.applying.join_next() => {}
                // Nobody reads the rest now; a plan's last message must not wait on a
                // full channel.
                Some(m) = rx.recv() => {
                    if let Msg::PlanDone { id, result } = m {
                        tracing::info!(?id, ?result, "plan ended while quitting");
                    }
                }
                _ = tokio::time::sleep_until(deadline) => break,
            }
        }
        self.applying.len()
    }
}

/// A confirmed plan as a task that runs until `stop`, or `None` after refusing it
/// (no `Writer`). Progress and the outcome go back to the shell as messages under `id`.
pub fn plan_task(
    writer: Option<Writer>,
    id: PlanId,
    plan: Plan,
    tx: mpsc::Sender<Msg>,
    stop: CancellationToken,
) -> Option<impl Future<Output = ()> + Send + 'static> {
    let Some(writer) = writer else {
        let result = Err(StepError::Refused(format!(
            "refused: {}",
            crate::core::access::READ_ONLY_REASON
        )));
        let _ = tx.try_send(Msg::PlanDone { id, result });
        return None;
    };
    Some(async move {
        let ptx = tx.clone();
        let progress: Progress = Arc::new(move |text| {
            // Progress is a hint: when the loop is behind, a newer line will come.
            let _ = ptx.try_send(Msg::PlanProgress { id, text });
        });
        let result = plan.run(&writer, progress, &stop).await;
        stop.cancel();
        let _ = tx.send(Msg::PlanDone { id, result }).await;
    })
}

#[cfg(test)]
mod tests;
