//! Background work a pane asked for (a log stream, stats, later a wizard step): started
//! and cancelled by key; what it finds comes back as messages addressed to that pane.

use super::msg::Msg;
use super::pane::{PaneId, PaneMsg};
use crate::core::access::Writer;
use futures::future::BoxFuture;
use std::any::Any;
use std::fmt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Which task: one per pane and name. Starting a key that runs replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskKey {
    pub pane: PaneId,
    pub name: &'static str,
}

/// A running plan: the pane it acts for and its serial. Unlike a `TaskKey`, a second
/// plan never replaces the first: each has its own id, to follow and to cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanId {
    pub pane: PaneId,
    pub serial: u64,
}

/// Messages from a task to the pane that started it, over the loop's bounded channel.
#[derive(Debug, Clone)]
pub struct Outbox {
    pane: PaneId,
    tx: mpsc::Sender<Msg>,
}

impl Outbox {
    pub fn new(pane: PaneId, tx: mpsc::Sender<Msg>) -> Outbox {
        Outbox { pane, tx }
    }

    /// Send, waiting while the loop is behind; false once the loop is gone.
    pub async fn send<T: Any + Send>(&self, m: T) -> bool {
        self.tx.send(self.wrap(m)).await.is_ok()
    }

    /// Send only if there is room now (for floods that may drop: log lines).
    pub fn try_send<T: Any + Send>(&self, m: T) -> Result<(), Full> {
        match self.tx.try_send(self.wrap(m)) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(_)) => Err(Full::Busy),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(Full::Closed),
        }
    }

    fn wrap<T: Any + Send>(&self, m: T) -> Msg {
        Msg::Pane {
            pane: self.pane,
            msg: PaneMsg::new(m),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// The loop has not caught up: the message was not sent.
    Busy,
    /// The loop is gone: stop.
    Closed,
}

type Run = Box<dyn FnOnce(Outbox, CancellationToken) -> BoxFuture<'static, ()> + Send>;

/// The work itself. `label` says what it is (logs, tests).
pub struct Job {
    pub label: String,
    run: Run,
}

impl Job {
    pub fn new<F, Fut>(label: impl Into<String>, f: F) -> Job
    where
        F: FnOnce(Outbox, CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Job {
            label: label.into(),
            run: Box::new(move |o, c| Box::pin(f(o, c))),
        }
    }

    pub fn run(self, out: Outbox, cancel: CancellationToken) -> BoxFuture<'static, ()> {
        (self.run)(out, cancel)
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Job({:?})", self.label)
    }
}

impl PartialEq for Job {
    fn eq(&self, other: &Job) -> bool {
        self.label == other.label
    }
}

type WriteRun = Box<dyn FnOnce(Writer) -> Job + Send>;

/// Work that changes something for as long as it runs (port-forwards: a path into a
/// cluster stays open). Like a plan it needs the `Writer`, which the runtime gives it
/// only in read-write mode; unlike a plan it has no steps and ends when cancelled.
pub struct WriteJob {
    pub label: String,
    run: WriteRun,
}

impl WriteJob {
    pub fn new<F, Fut>(label: impl Into<String>, f: F) -> WriteJob
    where
        F: FnOnce(Writer, Outbox, CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let label = label.into();
        let named = label.clone();
        WriteJob {
            label,
            run: Box::new(move |w| Job::new(named, move |o, c| f(w, o, c))),
        }
    }

    /// The job, given the write power it needs.
    pub fn with(self, w: Writer) -> Job {
        (self.run)(w)
    }
}

impl fmt::Debug for WriteJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WriteJob({:?})", self.label)
    }
}

impl PartialEq for WriteJob {
    fn eq(&self, other: &WriteJob) -> bool {
        self.label == other.label
    }
}
