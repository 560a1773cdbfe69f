//! The run loop: terminal events, the Swarm feed and effect results become `Msg`s;
//! `update` changes state; a frame is drawn once per batch and only if something changed.

use super::effect::Effect;
use super::msg::Msg;
use super::state::State;
use super::update::update;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::ops;
use crate::backend::swarm::watch::SwarmWatcher;
use crate::core::access::{READ_ONLY_REASON, Writer};
use crate::term::TermGuard;
use crate::ui::theme::Theme;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::task::Poll;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Messages handled before a frame is drawn, at most (keeps a flood from starving input).
const BATCH: usize = 256;
/// Fault injection for the terminal-restore test: panic right after the first frame.
pub const FAULT_PANIC_ENV: &str = "LABDECK_FAULT_PANIC";

pub struct Runtime {
    pub endpoint: Endpoint,
    /// `None` in read-only mode: effects that write are refused here, in the backend's
    /// terms, whatever the UI showed.
    pub writer: Option<Writer>,
    pub theme: Theme,
}

pub async fn run(rt: Runtime, mut state: State) -> color_eyre::Result<()> {
    let mut guard = TermGuard::enter()?;
    let cancel = CancellationToken::new();
    let watcher = SwarmWatcher::spawn(rt.endpoint.clone(), cancel.child_token());
    let mut feed = watcher.feed.clone();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut events = EventStream::new();
    let mut logs_cancel: Option<CancellationToken> = None;
    let mut stats_cancel: Option<CancellationToken> = None;
    let size = guard.term.size()?;
    state.size = (size.width, size.height);
    let fault_panic = std::env::var_os(FAULT_PANIC_ENV).is_some();
    // A closed feed would answer `changed()` at once forever: stop asking.
    let mut feed_open = true;
    loop {
        if state.dirty {
            guard.term.draw(|f| crate::ui::draw(f, &state, &rt.theme))?;
            state.dirty = false;
            if fault_panic {
                panic!("fault injected by {FAULT_PANIC_ENV}");
            }
        }
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            r = feed.changed(), if feed_open => match r {
                Ok(()) => Some(Msg::SwarmUpdated(feed.borrow_and_update().clone())),
                Err(_) => {
                    feed_open = false;
                    None
                }
            },
            Some(m) = rx.recv() => Some(m),
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        // Take whatever else is already waiting, so a burst costs one frame.
        while batch.len() < BATCH {
            if let Poll::Ready(Some(Ok(ev))) = poll_now(&mut events).await {
                batch.extend(to_msg(ev));
            } else if let Ok(m) = rx.try_recv() {
                batch.push(m);
            } else {
                break;
            }
        }
        if feed.has_changed().unwrap_or(false) {
            batch.push(Msg::SwarmUpdated(feed.borrow_and_update().clone()));
        }
        for msg in batch {
            for effect in update(&mut state, msg) {
                match effect {
                    Effect::Quit => {}
                    Effect::Refresh => watcher.refresh(),
                    Effect::Apply(op) => apply(&rt, op, tx.clone()),
                    Effect::OpenLogs { generation, target } => {
                        if let Some(c) = logs_cancel.take() {
                            c.cancel();
                        }
                        let c = cancel.child_token();
                        logs_cancel = Some(c.clone());
                        tokio::spawn(super::streams::follow_logs(
                            rt.endpoint.clone(),
                            generation,
                            target,
                            tx.clone(),
                            c,
                        ));
                    }
                    Effect::CloseLogs => {
                        if let Some(c) = logs_cancel.take() {
                            c.cancel();
                        }
                    }
                    Effect::OpenStats {
                        generation,
                        container_id,
                    } => {
                        if let Some(c) = stats_cancel.take() {
                            c.cancel();
                        }
                        let c = cancel.child_token();
                        stats_cancel = Some(c.clone());
                        let endpoint = rt.endpoint.clone();
                        tokio::spawn(super::streams::follow_stats(
                            endpoint,
                            generation,
                            container_id,
                            tx.clone(),
                            c,
                        ));
                    }
                    Effect::CloseStats => {
                        if let Some(c) = stats_cancel.take() {
                            c.cancel();
                        }
                    }
                }
            }
        }
        if state.quit {
            break;
        }
    }
    cancel.cancel();
    Ok(())
}

/// The stream's next item if it is there now, polled with this task's waker. Not
/// `now_or_never`: crossterm's `EventStream` keeps the waker of the first pending
/// poll until an event comes, so a no-op waker left there would let the next key
/// wait for some unrelated wake-up (a Swarm update: forever on an idle engine).
async fn poll_now(events: &mut EventStream) -> Poll<Option<std::io::Result<Event>>> {
    std::future::poll_fn(|cx| Poll::Ready(events.poll_next_unpin(cx))).await
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

fn apply(rt: &Runtime, op: ops::SwarmOp, tx: mpsc::UnboundedSender<Msg>) {
    let Some(writer) = rt.writer.clone() else {
        let _ = tx.send(Msg::OpFinished(Err(format!("refused: {READ_ONLY_REASON}"))));
        return;
    };
    let endpoint = rt.endpoint.clone();
    tokio::spawn(async move {
        let result = match endpoint.connect().await {
            Ok(docker) => ops::apply(&writer, &endpoint, &docker, &op).await,
            Err(e) => Err(crate::backend::swarm::connect::describe_error(&e)),
        };
        tracing::info!(?op, ?result, "swarm write");
        let _ = tx.send(Msg::OpFinished(result));
    });
}
