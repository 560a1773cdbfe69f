//! The Kubernetes pane at 10,000 pods (`cargo bench --bench kube`): a key press and a
//! filter keystroke on the pods view, and a feed in which one pod changed. Targets as
//! the shell's: a key press under 0.5 ms, a feed under 20 ms.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use labdeck::app::kube::msg::KubeMsg;
use labdeck::app::kube::pane::KubePane;
use labdeck::app::msg::Msg;
use labdeck::app::registry;
use labdeck::app::state::State;
use labdeck::app::update::update;
use labdeck::backend::kube::data::ClusterData;
use labdeck::backend::kube::model::ObjRef;
use labdeck::backend::kube::sample::{self};
use labdeck::backend::kube::watch::KubeFeed;
use labdeck::backend::swarm::sample::NOW;
use labdeck::config::keymap::Keymap;
use labdeck::config::settings::Settings;
use labdeck::core::access::AccessMode;
use labdeck::core::status::SourceStatus;
use labdeck::core::text::SafeText;
use std::collections::BTreeMap;
use std::sync::Arc;

fn main() {
    divan::main();
}

/// The homelab sample with `pods` pods in 3 namespaces and 50 deployments' names.
fn data(pods: usize) -> ClusterData {
    let mut d = sample::homelab();
    let template = d.pods.values().next().expect("a sample pod").clone();
    let mut map = BTreeMap::new();
    for i in 0..pods {
        let mut p = template.clone();
        let ns = format!("apps-{}", i % 3);
        let name = format!("app-{}-{i:05}", i % 50);
        p.at = ObjRef::new(Some(&ns), Some(&name));
        map.insert(p.at.key(), p);
    }
    d.pods = Arc::new(map);
    d
}

fn feed(d: &Arc<ClusterData>) -> Msg {
    Msg::to_pane(
        "kube",
        KubeMsg::Feed {
            cluster: "big".into(),
            feed: KubeFeed {
                data: d.clone(),
                status: SourceStatus::Live,
                conn: None,
            },
        },
    )
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(KeyCode::Char(c)));
    }
}

/// The pods view of one cluster named `big` showing `d`.
fn state(d: &Arc<ClusterData>) -> State {
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
    *s.find_mut::<KubePane>().unwrap() = KubePane::new(vec![sample::spec("big")]);
    update(&mut s, feed(d));
    typed(&mut s, "5:pods");
    update(&mut s, key(KeyCode::Enter));
    let rows = s.find::<KubePane>().unwrap().level().table.rows_len();
    assert_eq!(rows, d.pods.len(), "the pods view shows every pod");
    s
}

const PODS: [usize; 2] = [1_000, 10_000];

/// `j` then `k`: two key presses per iteration.
#[divan::bench(args = PODS)]
fn key_press(bencher: divan::Bencher, pods: usize) {
    let mut s = state(&Arc::new(data(pods)));
    bencher.bench_local(|| {
        update(&mut s, key(KeyCode::Char('j')));
        update(&mut s, key(KeyCode::Char('k')));
    });
}

/// A filter keystroke and its undoing: the table filters every row twice.
#[divan::bench(args = PODS)]
fn filter_keystroke(bencher: divan::Bencher, pods: usize) {
    let mut s = state(&Arc::new(data(pods)));
    update(&mut s, key(KeyCode::Char('/')));
    bencher.bench_local(|| {
        update(&mut s, key(KeyCode::Char('9')));
        update(&mut s, key(KeyCode::Backspace));
    });
}

/// A feed in which one pod's status changed: the pane rebuilds its rows.
#[divan::bench(args = PODS)]
fn one_pod_changed(bencher: divan::Bencher, pods: usize) {
    let a = data(pods);
    let mut b = a.clone();
    let first = b.pods.keys().next().unwrap().clone();
    Arc::make_mut(&mut b.pods).get_mut(&first).unwrap().status = SafeText::new("Terminating");
    alternate(bencher, a, b);
}

/// A feed in which only an event changed (the most frequent change on a real
/// cluster): the pods view is not rebuilt.
#[divan::bench(args = PODS)]
fn one_event_changed(bencher: divan::Bencher, pods: usize) {
    let a = data(pods);
    let mut b = a.clone();
    Arc::make_mut(&mut b.events).clear();
    alternate(bencher, a, b);
}

/// Feeds `a` and `b` in turn to the pods view of `a`.
fn alternate(bencher: divan::Bencher, a: ClusterData, b: ClusterData) {
    let (fa, fb) = (Arc::new(a), Arc::new(b));
    let mut s = state(&fa);
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        update(&mut s, feed(if flip { &fb } else { &fa }));
    });
}
