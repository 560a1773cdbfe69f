//! `Effect`: work `update` asks the runtime to do. Results come back as `Msg`s.

use super::handover::Handover;
use super::pane::PaneId;
use super::task::{Job, PlanId, TaskKey, WriteJob};
use crate::ops::plan::Plan;

#[derive(Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Re-read this pane's sources now.
    Refresh(PaneId),
    /// Run `job` under `key`, replacing a task already running under it.
    Start {
        key: TaskKey,
        job: Job,
    },
    /// Run `job` under `key` with the `Writer` (refused by the runtime without one,
    /// which the pane hears as `Msg::WriteRefused`).
    StartWrite {
        key: TaskKey,
        job: WriteJob,
    },
    /// Stop the task under `key`, if any.
    Cancel(TaskKey),
    /// Run a confirmed plan as a task of its own (refused by the runtime without a
    /// `Writer`); its progress and outcome come back to the shell under `id`.
    Apply {
        id: PlanId,
        plan: Plan,
    },
    /// Stop the plan `id` before its next step (a step under way is not cut short: what
    /// it changes is then known).
    CancelPlan(PlanId),
    /// Put this text on the terminal's clipboard (OSC 52: works over ssh).
    Copy(String),
    /// Lend the terminal to a program until it ends (a shell in a container); refused
    /// by the runtime without a `Writer`. The outcome comes back addressed to the pane.
    Handover(Handover),
}
