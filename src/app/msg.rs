//! `Msg`: what happened. The runtime turns terminal events, feeds and task results
//! into these; `update` is the only place that reacts to them.

use super::pane::{PaneId, PaneMsg};
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// For one pane: its feed or one of its tasks.
    Pane {
        pane: PaneId,
        msg: PaneMsg,
    },
    /// A running plan got this far.
    PlanProgress {
        id: super::task::PlanId,
        text: String,
    },
    /// A plan finished: a one-line summary, or why it failed or may have.
    PlanDone {
        id: super::task::PlanId,
        result: crate::ops::plan::Outcome,
    },
    /// The terminal is back from a program the pane handed it to: how it ended.
    HandedBack {
        pane: PaneId,
        result: Result<String, String>,
    },
    /// The runtime would not start a job that writes: there is no `Writer`.
    WriteRefused(super::task::TaskKey),
}

impl Msg {
    pub fn to_pane<T: std::any::Any + Send>(pane: PaneId, m: T) -> Msg {
        Msg::Pane {
            pane,
            msg: PaneMsg::new(m),
        }
    }
}
