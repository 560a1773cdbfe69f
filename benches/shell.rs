//! The cost of a key press and of a new snapshot in the shell, at 200 services x 20
//! tasks and at 10,000 rows (`cargo bench`). Targets: a key press under 0.5 ms, a
//! snapshot under 20 ms at 10,000 rows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use labdeck::app::msg::Msg;
use labdeck::app::registry;
use labdeck::app::state::State;
use labdeck::app::swarm::msg::SwarmMsg;
use labdeck::app::update::update;
use labdeck::backend::swarm::SwarmSnapshot;
use labdeck::backend::swarm::sample::{self, NOW};
use labdeck::backend::swarm::watch::SwarmFeed;
use labdeck::config::keymap::Keymap;
use labdeck::config::settings::Settings;
use labdeck::core::access::AccessMode;
use labdeck::core::status::SourceStatus;
use std::sync::Arc;

fn main() {
    divan::main();
}

/// `services` services in stacks of 10, each with `tasks` running tasks.
fn lab(services: usize, tasks: usize) -> SwarmSnapshot {
    let mut s = sample::lab();
    s.services.clear();
    s.tasks.clear();
    for i in 0..services {
        let id = format!("svc-{i}");
        let stack = format!("stack{}", i / 10);
        let name = format!("{stack}_app{i}");
        s.services
            .push(sample::service(&id, &name, Some(&stack), tasks as u64));
        for t in 0..tasks {
            let tid = format!("t-{i}-{t}");
            s.tasks.push(sample::task(
                &tid,
                &id,
                t as u64 + 1,
                "running",
                60 * t as i64,
            ));
        }
    }
    s
}

/// What the watcher publishes: a shared snapshot (cheap to send again).
fn feed(s: &Arc<SwarmSnapshot>) -> Msg {
    Msg::to_pane(
        "swarm",
        SwarmMsg::Feed {
            // The pane's one engine, as the environment names it.
            engine: labdeck::backend::swarm::connect::Endpoint::from_env().name,
            feed: SwarmFeed {
                snapshot: Some(s.clone()),
                status: SourceStatus::Live,
            },
        },
    )
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// A state on the services view with `snap` shown.
fn state(snap: &Arc<SwarmSnapshot>) -> State {
    let panes = registry::panes(&Settings::default());
    let keymap = Keymap::embedded("default", &registry::vocab(&panes)).unwrap();
    let mut s = State::new(
        AccessMode::ReadWrite,
        keymap,
        vec![],
        panes,
        registry::FIRST,
    );
    s.shell.clock = || NOW;
    update(&mut s, feed(snap));
    update(&mut s, key(KeyCode::Char(']')));
    s
}

const SIZES: [(usize, usize); 2] = [(200, 20), (10_000, 1)];

/// `j` then `k`: two key presses per iteration, on the services view.
#[divan::bench(args = SIZES)]
fn key_press(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let mut s = state(&Arc::new(lab(services, tasks)));
    bencher.bench_local(|| {
        update(&mut s, key(KeyCode::Char('j')));
        update(&mut s, key(KeyCode::Char('k')));
    });
}

/// A filter keystroke: the table filters every row.
#[divan::bench(args = SIZES)]
fn filter_keystroke(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let mut s = state(&Arc::new(lab(services, tasks)));
    update(&mut s, key(KeyCode::Char('/')));
    bencher.bench_local(|| {
        update(&mut s, key(KeyCode::Char('9')));
        update(&mut s, key(KeyCode::Backspace));
    });
}

/// A snapshot in which one service changed: every level's rows are rebuilt.
#[divan::bench(args = SIZES)]
fn apply_snapshot(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let a = lab(services, tasks);
    let mut b = a.clone();
    b.services[0].mode = labdeck::backend::swarm::model::ServiceMode::Replicated(99);
    let (fa, fb) = (Arc::new(a), Arc::new(b));
    let mut s = state(&fa);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        update(&mut s, feed(if flip { &fb } else { &fa }));
    });
}

/// The watcher's status changes, its snapshot does not (a reconnect): nothing on a
/// one-engine screen changes but the status.
#[divan::bench(args = SIZES)]
fn status_only_feed(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let snap = Arc::new(lab(services, tasks));
    let mut s = state(&snap);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        let status = if flip {
            SourceStatus::Connecting
        } else {
            SourceStatus::Live
        };
        update(&mut s, status_feed(status));
    });
}

/// Five snapshots arrive in one batch (a burst of events): what the run loop does
/// with them before it draws once.
#[divan::bench(args = SIZES)]
fn burst_of_five_snapshots(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let a = lab(services, tasks);
    let snaps: Vec<Arc<SwarmSnapshot>> = (0..5u64)
        .map(|i| {
            let mut b = a.clone();
            b.services[0].mode = labdeck::backend::swarm::model::ServiceMode::Replicated(i);
            Arc::new(b)
        })
        .collect();
    let mut s = state(&Arc::new(a));
    bencher.bench_local(|| batch(&mut s, snaps.iter().map(feed).collect()));
}

/// A snapshot while 1,000 rows are marked and the table is sorted by name.
#[divan::bench(args = SIZES)]
fn snapshot_with_marks_and_sort(bencher: divan::Bencher, (services, tasks): (usize, usize)) {
    let a = lab(services, tasks);
    let mut b = a.clone();
    b.services[0].mode = labdeck::backend::swarm::model::ServiceMode::Replicated(99);
    let (fa, fb) = (Arc::new(a), Arc::new(b));
    let mut s = state(&fa);
    update(&mut s, key(KeyCode::Char('o')));
    for _ in 0..1000.min(services) {
        update(&mut s, key(KeyCode::Char(' ')));
    }
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        update(&mut s, feed(if flip { &fb } else { &fa }));
    });
}

fn status_feed(status: SourceStatus) -> Msg {
    Msg::to_pane(
        "swarm",
        SwarmMsg::Feed {
            engine: labdeck::backend::swarm::connect::Endpoint::from_env().name,
            feed: SwarmFeed {
                snapshot: None,
                status,
            },
        },
    )
}

/// A batch of messages as the run loop handles it: each, then what they changed, once.
fn batch(s: &mut State, msgs: Vec<Msg>) {
    for m in msgs {
        labdeck::app::update::handle(s, m);
    }
    labdeck::app::update::settle(s);
}
