//! The run loop: terminal events, every pane's feeds and task results become `Msg`s;
//! `update` changes state; a frame is drawn once per batch and only if something changed.

use super::effect::Effect;
use super::msg::Msg;
use super::state::State;
use super::task::{Job, Outbox, PlanId, TaskKey};
use super::update::{handle, settle, update};
use crate::core::access::Writer;
use crate::ops::plan::{Plan, Progress, StepError};
use crate::term::TermGuard;
use crate::term::theme::Theme;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use futures::stream::{BoxStream, SelectAll};
use std::collections::HashMap;
use std::sync::Arc;
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

/// Running tasks by key; starting a key that runs cancels the old one.
struct Tasks {
    running: HashMap<TaskKey, CancellationToken>,
    plans: HashMap<PlanId, CancellationToken>,
    root: CancellationToken,
    tx: mpsc::Sender<Msg>,
}

impl Tasks {
    fn start(&mut self, key: TaskKey, job: Job) {
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

    fn cancel(&mut self, key: TaskKey) {
        if let Some(t) = self.running.remove(&key) {
            t.cancel();
        }
    }

    fn apply(&mut self, writer: Option<Writer>, id: PlanId, plan: Plan) {
        let token = self.root.child_token();
        // Finished plans' tokens are dropped as new ones start: the map stays small.
        self.plans.retain(|_, t| !t.is_cancelled());
        self.plans.insert(id, token.clone());
        apply(writer, id, plan, self.tx.clone(), token);
    }

    fn cancel_plan(&mut self, id: PlanId) {
        if let Some(t) = self.plans.remove(&id) {
            t.cancel();
        }
    }
}

pub async fn run(rt: Runtime, mut state: State) -> color_eyre::Result<()> {
    let mut guard = TermGuard::enter()?;
    let cancel = CancellationToken::new();
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL);
    let mut feeds: SelectAll<BoxStream<'static, Msg>> = SelectAll::new();
    for pane in &mut state.panes {
        let id = pane.id();
        for feed in pane.start(&cancel) {
            feeds.push(feed.map(move |msg| Msg::Pane { pane: id, msg }).boxed());
        }
    }
    let mut tasks = Tasks {
        running: HashMap::new(),
        plans: HashMap::new(),
        root: cancel.child_token(),
        tx: tx.clone(),
    };
    let mut events = EventStream::new();
    let size = guard.term.size()?;
    state.shell.size = (size.width, size.height);
    let fault_panic = crate::core::fault::asked("first-frame");
    // When an age on screen next changes: one wake-up then, none while nothing does.
    let mut wake: Option<tokio::time::Instant> = None;
    loop {
        if state.shell.dirty {
            guard.term.draw(|f| (rt.draw)(f, &state, &rt.theme))?;
            state.shell.dirty = false;
            if fault_panic {
                panic!("fault injected by {FAULT_PANIC_ENV}");
            }
            // Ages count whole seconds: wake just after the second turns.
            wake = state.pane().next_redraw(&state.shell).map(|s| {
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
        for msg in batch {
            if let Msg::Resize(w, _) = msg {
                guard.set_width(w);
            }
            // Feeds in a burst are settled once, after the batch; a key acts on rows
            // brought up to date first.
            if matches!(msg, Msg::Key(_)) {
                settle(&mut state);
            }
            for effect in handle(&mut state, msg) {
                match effect {
                    Effect::Quit => {}
                    Effect::Refresh(id) => {
                        if let Some(i) = state.index_of(id) {
                            state.panes[i].refresh();
                        }
                    }
                    Effect::Start { key, job } => tasks.start(key, job),
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
        settle(&mut state);
        if state.shell.quit {
            break;
        }
    }
    cancel.cancel();
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

/// Run a confirmed plan until `stop`, or refuse it without a `Writer`. Progress and
/// the outcome go back to the shell as messages under `id`.
pub fn apply(
    writer: Option<Writer>,
    id: PlanId,
    plan: Plan,
    tx: mpsc::Sender<Msg>,
    stop: CancellationToken,
) {
    let Some(writer) = writer else {
        let result = Err(StepError::Refused(format!(
            "refused: {}",
            crate::core::access::READ_ONLY_REASON
        )));
        let _ = tx.try_send(Msg::PlanDone { id, result });
        return;
    };
    tokio::spawn(async move {
        let ptx = tx.clone();
        let progress: Progress = Arc::new(move |text| {
            // Progress is a hint: when the loop is behind, a newer line will come.
            let _ = ptx.try_send(Msg::PlanProgress { id, text });
        });
        let result = plan.run(&writer, progress, &stop).await;
        stop.cancel();
        let _ = tx.send(Msg::PlanDone { id, result }).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::test_writer;
    use crate::ops::plan::{Danger, Outcome, Step, Target, TargetKind};
    use futures::future::BoxFuture;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[derive(Debug)]
    struct Mark(Arc<AtomicBool>);

    impl Step for Mark {
        fn describe(&self) -> String {
            "mark".into()
        }
        fn danger(&self) -> Danger {
            Danger::Reversible
        }
        fn target(&self) -> Target {
            Target {
                kind: TargetKind::Host,
                name: "here".into(),
                address: String::new(),
            }
        }
        fn apply<'a>(&'a self, _w: &'a Writer, p: Progress) -> BoxFuture<'a, Outcome> {
            Box::pin(async move {
                p("marking".into());
                self.0.store(true, Ordering::SeqCst);
                Ok("marked".into())
            })
        }
    }

    #[tokio::test]
    async fn the_runtime_refuses_a_plan_without_a_writer_and_runs_it_with_one() {
        let ran = Arc::new(AtomicBool::new(false));
        let (tx, mut rx) = mpsc::channel(8);
        let id = PlanId {
            pane: "t",
            serial: 1,
        };
        let stop = CancellationToken::new;
        apply(None, id, Plan::one(Mark(ran.clone())), tx.clone(), stop());
        let Some(Msg::PlanDone {
            id: PlanId { pane: "t", .. },
            result: Err(e),
        }) = rx.recv().await
        else {
            panic!("no refusal")
        };
        assert!(matches!(e, StepError::Refused(_)), "{e:?}");
        assert!(e.text().starts_with("refused: read-only mode"), "{e}");
        tokio::task::yield_now().await;
        assert!(!ran.load(Ordering::SeqCst), "a refused plan never runs");

        apply(
            Some(test_writer()),
            id,
            Plan::one(Mark(ran.clone())),
            tx,
            stop(),
        );
        let Some(Msg::PlanProgress { text, .. }) = rx.recv().await else {
            panic!("no progress")
        };
        assert_eq!(text, "marking");
        let Some(Msg::PlanDone { result, .. }) = rx.recv().await else {
            panic!("no outcome")
        };
        assert_eq!(result, Ok("marked".into()));
        assert!(ran.load(Ordering::SeqCst));
    }
}
