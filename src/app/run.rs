//! The run loop: terminal events, every pane's feeds and task results become `Msg`s;
//! `update` changes state; a frame is drawn once per batch and only if something changed.

use super::effect::Effect;
use super::msg::Msg;
use super::state::State;
use super::tasks::{QUIT_WAIT, Tasks};
use super::update::{handle, settle, update};
use crate::core::access::Writer;
use crate::term::TermGuard;
use crate::term::theme::Theme;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use futures::stream::{BoxStream, SelectAll};
use std::task::Poll;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Messages handled before a frame is drawn, at most (keeps a flood from starving input).
const BATCH: usize = 256;
/// Task results waiting for the loop, at most: a flood waits or sheds, never grows.
const CHANNEL: usize = 1024;
pub use crate::core::fault::FAULT_PANIC_ENV;

pub struct Runtime {
    /// `None` in read-only mode: plans are refused here, in the backend's terms,
    /// whatever the UI showed.
    pub writer: Option<Writer>,
    pub theme: Theme,
    /// Draws the state: the renderer, handed in (`ui::draw`) so the runtime needs no
    /// knowledge of how anything looks.
    pub draw: Draw,
}

/// A whole frame from the state.
pub type Draw = fn(&mut ratatui::Frame, &State, &Theme);

pub async fn run(rt: Runtime, mut state: State) -> color_eyre::Result<()> {
    let mut guard = TermGuard::enter()?;
    let cancel = CancellationToken::new();
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL);
    let mut feeds: SelectAll<BoxStream<'static, Msg>> = SelectAll::new();
    let mut hub = crate::backend::hub::Hub::new(cancel.child_token());
    for pane in &mut state.panes {
        let id = pane.id();
        for feed in pane.start(&mut hub) {
            feeds.push(feed.map(move |msg| Msg::Pane { pane: id, msg }).boxed());
        }
    }
    let mut tasks = Tasks::new(cancel.child_token(), tx.clone());
    let mut events = EventStream::new();
    let size = guard.term.size()?;
    state.shell.size = (size.width, size.height);
    let fault_panic = crate::core::fault::asked("first-frame");
    // When an age on screen next changes: one wake-up then, none while nothing does.
    let mut wake: Option<tokio::time::Instant> = None;
    loop {
        if state.shell.dirty {
            guard.term.draw(|f| (rt.draw)(f, &state, &rt.theme))?;
            state.shell.drawn();
            if fault_panic {
                panic!("fault injected by {FAULT_PANIC_ENV}");
            }
            // Ages count whole seconds: wake just after the second turns.
            let pane = state.pane().next_redraw(&state.shell);
            let modal = state.shell.modal.as_ref().and_then(|m| m.next_redraw());
            wake = pane.into_iter().chain(modal).min().map(|s| {
                tokio::time::Instant::now() + std::time::Duration::from_millis(s * 1000 + 20)
            });
        }
        let first = tokio::select! {
            _ = async { tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)).await }, if wake.is_some() => {
                wake = None;
                state.shell.dirty = true;
                None
            }
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(m) = feeds.next(), if !feeds.is_empty() => Some(m),
            Some(m) = rx.recv() => Some(m),
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        // Take whatever else is already waiting, so a burst costs one frame.
        while batch.len() < BATCH {
            if let Poll::Ready(Some(Ok(ev))) = poll_now(&mut events).await {
                batch.extend(to_msg(ev));
            } else if let Poll::Ready(Some(m)) = poll_feeds(&mut feeds).await {
                batch.push(m);
            } else if let Ok(m) = rx.try_recv() {
                batch.push(m);
            } else {
                break;
            }
        }
        // Each message, then (`None`) the settling of the whole batch: feeds in a burst
        // are settled once, after it; a key acts on rows brought up to date first.
        for msg in batch.into_iter().map(Some).chain([None]) {
            let mut effects = Vec::new();
            if let Some(msg) = msg {
                if let Msg::Resize(w, _) = msg {
                    guard.set_width(w);
                }
                if matches!(msg, Msg::Key(_)) {
                    effects = settle(&mut state);
                }
                effects.extend(handle(&mut state, msg));
            } else {
                effects = settle(&mut state);
            }
            for effect in effects {
                match effect {
                    Effect::Quit => {}
                    Effect::Refresh(id) => {
                        if let Some(i) = state.index_of(id) {
                            state.panes[i].refresh();
                        }
                    }
                    Effect::Start { key, job } => tasks.start(key, job),
                    Effect::StartWrite { key, job } => match rt.writer.clone() {
                        Some(w) => tasks.start(key, job.with(w)),
                        None => {
                            update(&mut state, Msg::WriteRefused(key));
                        }
                    },
                    Effect::Cancel(key) => tasks.cancel(key),
                    Effect::Apply { id, plan } => tasks.apply(rt.writer.clone(), id, plan),
                    Effect::CancelPlan(id) => tasks.cancel_plan(id),
                    Effect::Copy(text) => {
                        use std::io::Write;
                        let w = guard.term.backend_mut();
                        w.write_all(crate::term::clipboard::osc52(&text).as_bytes())?;
                        w.flush()?;
                    }
                    Effect::Handover(h) => {
                        let w = rt.writer.as_ref();
                        let opened =
                            super::handover::open(h, &mut guard, &mut state, w, &rt).await?;
                        let back = match opened {
                            Err(refused) => refused,
                            Ok(o) => {
                                // Its reader thread would take the program's keys.
                                drop(events);
                                let back = super::handover::lend(o, &mut guard, &mut state).await;
                                events = EventStream::new();
                                back?
                            }
                        };
                        update(&mut state, back);
                    }
                }
            }
        }
        if state.shell.quit {
            break;
        }
    }
    cancel.cancel();
    let left = tasks
        .wind_down(&mut rx, QUIT_WAIT, |n| {
            let text = format!("waiting for {n} change(s) to finish their step…");
            state.shell.progress = Some(crate::core::text::SafeText::trusted(text));
            // The screen is going away: a frame that fails to draw changes nothing.
            let _ = guard.term.draw(|f| (rt.draw)(f, &state, &rt.theme));
        })
        .await;
    if left > 0 {
        tracing::warn!(left, "quit with steps still under way; their journals tell");
    }
    Ok(())
}

/// The stream's next item if it is there now, polled with this task's waker. Not
/// `now_or_never`: crossterm's `EventStream` keeps the waker of the first pending
/// poll until an event comes, so a no-op waker left there would let the next key
/// wait for some unrelated wake-up (a feed update: forever on an idle lab).
async fn poll_now(events: &mut EventStream) -> Poll<Option<std::io::Result<Event>>> {
    std::future::poll_fn(|cx| Poll::Ready(events.poll_next_unpin(cx))).await
}

async fn poll_feeds(feeds: &mut SelectAll<BoxStream<'static, Msg>>) -> Poll<Option<Msg>> {
    if feeds.is_empty() {
        return Poll::Pending;
    }
    std::future::poll_fn(|cx| Poll::Ready(feeds.poll_next_unpin(cx))).await
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}
