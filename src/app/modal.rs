//! The modal slot: one window over the panes (a picker, a form, later the wizards) that
//! takes the keys while it is open, and gets the results of the tasks it starts and
//! the outcomes of the plans it runs, addressed to [`MODAL`]. The shell's overlays (a
//! confirmation of its plan, help) open over it and close back to it. Any pane (or the
//! shell) opens one with `Shell::open_modal`.

use super::effect::Effect;
use super::pane::{PaneId, PaneMsg, Render};
use super::shell::Shell;
use super::task::{PlanId, TaskKey};
use crate::ops::plan::Outcome;
use crossterm::event::KeyEvent;
use std::any::Any;

/// Where a modal's tasks and plans send their results.
pub const MODAL: PaneId = "modal";

/// After a key: stay open, or close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Stay,
    Close,
}

/// What a key did: stay or close, the effects to run, and perhaps a message for the
/// pane that opened it (what was picked), delivered at once.
pub struct Reply {
    pub step: Step,
    pub effects: Vec<Effect>,
    pub tell: Option<(PaneId, PaneMsg)>,
}

impl Reply {
    pub fn stay() -> Reply {
        Reply {
            step: Step::Stay,
            effects: Vec::new(),
            tell: None,
        }
    }

    pub fn close() -> Reply {
        Reply {
            step: Step::Close,
            ..Reply::stay()
        }
    }
}

pub trait Modal: Any + Send + Render {
    /// What it is, for the log and tests.
    fn label(&self) -> String;
    /// A key while it is open.
    fn key(&mut self, shell: &mut Shell, key: KeyEvent) -> Reply;
    /// A message from a task it started (under a `TaskKey` of [`MODAL`]).
    fn message(&mut self, _shell: &mut Shell, _msg: PaneMsg) -> Vec<Effect> {
        Vec::new()
    }
    /// A plan it started (for [`MODAL`]) finished.
    fn plan_done(&mut self, _shell: &mut Shell, _id: PlanId, _result: &Outcome) -> Vec<Effect> {
        Vec::new()
    }
    /// A plan it started got this far (a line of its progress).
    fn plan_progress(&mut self, _shell: &mut Shell, _id: PlanId, _text: &str) {}
    /// Seconds until something it draws changes by itself (an elapsed time).
    fn next_redraw(&self) -> Option<u64> {
        None
    }
    /// Its tasks, stopped when it closes.
    fn tasks(&self) -> Vec<TaskKey> {
        Vec::new()
    }
    fn as_any(&self) -> &dyn Any;
}

/// A key for the open modal, if one is open: its reply, with the tasks of a modal that
/// closed stopped. `None` when no modal is open.
pub fn key(shell: &mut Shell, key: KeyEvent) -> Option<Reply> {
    let mut m = shell.modal.take()?;
    let mut reply = m.key(shell, key);
    shell.dirty = true;
    match reply.step {
        Step::Stay => {
            // A modal that opened another in its place gives way to it.
            if shell.modal.is_none() {
                shell.modal = Some(m);
            }
        }
        Step::Close => reply
            .effects
            .extend(m.tasks().into_iter().map(Effect::Cancel)),
    }
    Some(reply)
}

/// A message for the modal slot: to the open modal, else dropped (it closed).
pub fn message(shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
    let Some(mut m) = shell.modal.take() else {
        return Vec::new();
    };
    let effects = m.message(shell, msg);
    shell.modal.get_or_insert(m);
    shell.dirty = true;
    effects
}

/// A plan of the modal slot got this far.
pub fn plan_progress(shell: &mut Shell, id: PlanId, text: &str) {
    if let Some(mut m) = shell.modal.take() {
        m.plan_progress(shell, id, text);
        shell.modal.get_or_insert(m);
    }
}

/// A plan of the modal slot finished.
pub fn plan_done(shell: &mut Shell, id: PlanId, result: &Outcome) -> Vec<Effect> {
    let Some(mut m) = shell.modal.take() else {
        return Vec::new();
    };
    let effects = m.plan_done(shell, id, result);
    shell.modal.get_or_insert(m);
    shell.dirty = true;
    effects
}
