//! The Kubernetes pane through `update`, as the user presses keys: several clusters
//! together, drill-downs, events, namespaces, and what a cluster cannot show.

use super::KubePane;
use super::msg::KubeMsg;
use super::view::{KubeView, PodScope};
use crate::app::msg::Msg;
use crate::app::pane::Pane;
use crate::app::state::State;
use crate::app::update::tests::{bare_state, key, press};
use crate::app::update::update;
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::sample::{cloud, homelab, spec};
use crate::backend::kube::watch::KubeFeed;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crossterm::event::KeyCode;
use std::sync::Arc;

/// Cluster `name`'s feed as the watcher sends it; whether the screen changed.
pub fn feed(s: &mut State, name: &str, data: ClusterData, status: SourceStatus) -> bool {
    s.shell.dirty = false;
    let feed = KubeFeed {
        data: Arc::new(data),
        status,
        conn: None,
    };
    update(
        s,
        Msg::to_pane(
            "kube",
            KubeMsg::Feed {
                cluster: name.into(),
                feed,
            },
        ),
    );
    s.shell.dirty
}

pub fn sandbox_stale() -> SourceStatus {
    SourceStatus::Stale {
        since: Timestamp(crate::backend::swarm::sample::NOW.0 - 90),
        reason: SafeText::new("https://10.0.30.5:6443: Connection refused"),
        attempt: 3,
    }
}

/// Three clusters (homelab, cloud, sandbox stale), the Kubernetes tab shown.
pub fn three(access: AccessMode) -> State {
    let mut s = bare_state(access);
    *s.find_mut::<KubePane>().unwrap() =
        KubePane::new(vec![spec("homelab"), spec("cloud"), spec("sandbox")]);
    feed(&mut s, "homelab", homelab(), SourceStatus::Live);
    feed(&mut s, "cloud", cloud(), SourceStatus::Live);
    feed(&mut s, "sandbox", ClusterData::default(), sandbox_stale());
    press(&mut s, "5");
    s
}

fn kube(s: &State) -> &KubePane {
    s.find::<KubePane>().unwrap()
}

fn command(s: &mut State, line: &str) {
    press(s, ":");
    press(s, line);
    key(s, KeyCode::Enter);
}

fn select(s: &mut State, needle: &str) {
    press(s, "g");
    for _ in 0..kube(s).level().table.rows_len() {
        let row = kube(s).level().table.selected_row().unwrap();
        if row.cells.iter().any(|c| c.text.as_str() == needle) {
            return;
        }
        press(s, "j");
    }
    panic!("{needle} is not in the view");
}

#[test]
fn workloads_of_every_cluster_show_together_keyed_by_cluster() {
    let s = three(AccessMode::ReadOnly);
    assert_eq!(s.active_id(), "kube");
    let t = &kube(&s).level().table;
    let keys: Vec<&str> = (0..t.rows_len())
        .map(|i| t.row(i).unwrap().key.as_str())
        .collect();
    assert!(keys.contains(&"homelab\u{1f}Deployment/media/immich-server"));
    assert!(keys.contains(&"cloud\u{1f}Deployment/web/blog"));
    // A deployment's replicaset is under it, not beside it.
    assert!(!keys.iter().any(|k| k.contains("ReplicaSet/")));
    assert_eq!(t.row(0).unwrap().cells[0].text.as_str(), "homelab");
}

#[test]
fn a_deployment_opens_to_its_pods_through_its_replicasets_then_a_pod_to_its_containers() {
    let mut s = three(AccessMode::ReadOnly);
    select(&mut s, "immich-server");
    key(&mut s, KeyCode::Enter);
    let l = kube(&s).level();
    assert_eq!(l.source.as_deref(), Some("homelab"));
    assert!(
        matches!(&l.view, KubeView::Pods(PodScope::Workload { kind, at }) if kind == "Deployment" && at == "media/immich-server")
    );
    let names: Vec<String> = (0..l.table.rows_len())
        .map(|i| l.table.row(i).unwrap().cells[1].text.to_string())
        .collect();
    assert_eq!(
        names,
        ["immich-server-6d8f-abcde", "immich-server-6d8f-fghij"]
    );
    select(&mut s, "immich-server-6d8f-fghij");
    key(&mut s, KeyCode::Enter);
    let l = kube(&s).level();
    assert_eq!(
        l.view,
        KubeView::Containers {
            pod: "media/immich-server-6d8f-fghij".into()
        }
    );
    let row = l.table.row(0).unwrap();
    assert_eq!(row.cells[3].text.as_str(), "Waiting: CrashLoopBackOff");
    assert_eq!(row.cells[5].text.as_str(), "OOMKilled (exit 137)");
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert_eq!(kube(&s).level().view, KubeView::Workloads);
}

#[test]
fn sorting_by_status_puts_the_failing_pod_first() {
    let mut s = three(AccessMode::ReadOnly);
    command(&mut s, "pods");
    // CLUSTER, NAMESPACE, NAME, READY, STATUS: four sorts away.
    for _ in 0..5 {
        press(&mut s, "o");
    }
    let first = kube(&s).level().table.row(0).unwrap().clone();
    assert_eq!(first.cells[4].text.as_str(), "CrashLoopBackOff");
}

#[test]
fn a_node_opens_to_its_pods_and_events_follow_the_selection() {
    let mut s = three(AccessMode::ReadOnly);
    command(&mut s, "no");
    select(&mut s, "w2");
    key(&mut s, KeyCode::Enter);
    let l = kube(&s).level();
    assert_eq!(l.table.rows_len(), 1, "one pod runs on w2");
    press(&mut s, "E");
    let l = kube(&s).level();
    assert!(
        matches!(&l.view, KubeView::Events { about: Some((k, at)) } if k == "Pod" && at == "media/immich-server-6d8f-fghij")
    );
    assert_eq!(l.table.row(0).unwrap().cells[2].text.as_str(), "BackOff");
}

#[test]
fn namespaces_narrow_every_view_until_cleared() {
    let mut s = three(AccessMode::ReadOnly);
    press(&mut s, "n");
    press(&mut s, "db, infra");
    key(&mut s, KeyCode::Enter);
    assert_eq!(kube(&s).namespaces, ["db", "infra"]);
    let t = &kube(&s).level().table;
    let mut names: Vec<&str> = (0..t.rows_len())
        .map(|i| t.row(i).unwrap().cells[3].text.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["postgres", "traefik"]);
    press(&mut s, "n");
    for _ in 0.."db infra".len() {
        key(&mut s, KeyCode::Backspace);
    }
    key(&mut s, KeyCode::Enter);
    assert!(kube(&s).namespaces.is_empty());
    assert!(kube(&s).level().table.rows_len() > 2);
}

#[test]
fn a_forbidden_kind_and_a_kind_not_served_are_said_per_cluster() {
    let mut s = three(AccessMode::ReadOnly);
    command(&mut s, "pods");
    let n: Vec<String> = kube(&s).notices().iter().map(|t| t.to_string()).collect();
    assert_eq!(n.len(), 1, "{n:?}");
    assert!(
        n[0].starts_with("cloud: pods forbidden (User \"viewer\" cannot list"),
        "{n:?}"
    );
    command(&mut s, "flux");
    let n: Vec<String> = kube(&s).notices().iter().map(|t| t.to_string()).collect();
    assert_eq!(n, ["cloud: not served (helmreleases absent)"]);
    // The failing release is first.
    let first = kube(&s).level().table.row(0).unwrap().clone();
    assert_eq!(first.cells[3].text.as_str(), "immich");
    assert_eq!(first.cells[4].text.as_str(), "False");
}

/// A real API server names a grouped kind with its group in a 403; the notice says it
/// once.
#[test]
fn a_grouped_kind_forbidden_is_said_without_the_api_repeating_itself() {
    use crate::backend::kube::kinds::{Kind, KindState};
    let mut s = three(AccessMode::ReadOnly);
    let mut d = homelab();
    d.kinds.insert(
        Kind::Deployments,
        KindState::Forbidden(SafeText::new(
            "deployments.apps is forbidden: User \"viewer\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope",
        )),
    );
    feed(&mut s, "homelab", d, SourceStatus::Live);
    let n: Vec<String> = kube(&s).notices().iter().map(|t| t.to_string()).collect();
    assert_eq!(
        n,
        [
            "homelab: deployments forbidden (User \"viewer\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope)"
        ]
    );
}

#[test]
fn the_tab_bar_is_loud_about_what_fails_and_says_how_many_clusters_are_live() {
    let s = three(AccessMode::ReadOnly);
    let sum = kube(&s).summary(Timestamp(0)).unwrap();
    assert_eq!(sum.text, "kube 2/3 live");
    assert!(matches!(sum.status, SourceStatus::Stale { .. }));
    let alert = sum.alert.unwrap().to_string();
    assert_eq!(
        alert,
        "homelab: 1 node not ready, 1 pod failing, 1 workload short, 1 flux not ready"
    );
}

#[test]
fn a_feed_that_changes_nothing_redraws_nothing() {
    let mut s = three(AccessMode::ReadOnly);
    let data = kube(&s).clusters[0].data.clone();
    s.shell.dirty = false;
    let feed = KubeFeed {
        data,
        status: SourceStatus::Live,
        conn: None,
    };
    update(
        &mut s,
        Msg::to_pane(
            "kube",
            KubeMsg::Feed {
                cluster: "homelab".into(),
                feed,
            },
        ),
    );
    assert!(!s.shell.dirty);
    assert!(feed_changes(&mut s));
}

/// A scale seen by the watcher shows in the row at once.
fn feed_changes(s: &mut State) -> bool {
    let mut d = homelab();
    let key = "Deployment/media/immich-server".to_string();
    let w = Arc::make_mut(&mut d.workloads).get_mut(&key).unwrap();
    w.ready = 2;
    let changed = feed(s, "homelab", d, SourceStatus::Live);
    let t = &kube(s).level().table;
    let row = (0..t.rows_len())
        .map(|i| t.row(i).unwrap())
        .find(|r| r.key.ends_with(&key))
        .unwrap();
    changed && row.cells[4].text.as_str() == "2/2"
}

#[test]
fn a_word_two_panes_share_means_the_shown_pane_s() {
    let mut s = three(AccessMode::ReadOnly);
    command(&mut s, "svc");
    assert_eq!(s.active_id(), "kube");
    assert_eq!(kube(&s).level().view, KubeView::Services);
    press(&mut s, "4");
    command(&mut s, "svc");
    assert_eq!(s.active_id(), "swarm");
    assert_eq!(
        kube(&s).level().view,
        KubeView::Services,
        "the hidden pane kept its view"
    );
    // From another pane, a word goes to the first pane in tab order that has it.
    press(&mut s, "3");
    command(&mut s, "kube-nodes");
    assert_eq!(s.active_id(), "kube");
    assert_eq!(kube(&s).level().view, KubeView::Nodes);
}

/// The flash line, or "".
fn flash(s: &State) -> String {
    s.shell
        .flash
        .as_ref()
        .map(|f| f.text.as_str().to_string())
        .unwrap_or_default()
}

/// Homelab's immich-server pods on screen.
fn immich_pods(access: AccessMode) -> State {
    let mut s = three(access);
    select(&mut s, "immich-server");
    key(&mut s, KeyCode::Enter);
    s
}

#[test]
fn exec_targets_the_selected_running_pod_or_container_and_says_why_not_at_once() {
    use super::exec::{Target, target};
    let mut s = immich_pods(AccessMode::ReadWrite);
    select(&mut s, "immich-server-6d8f-abcde");
    assert_eq!(
        target(kube(&s)),
        Ok(Target {
            cluster: "homelab".into(),
            ns: "media".into(),
            pod: "immich-server-6d8f-abcde".into(),
            container: None,
        })
    );
    select(&mut s, "immich-server-6d8f-fghij");
    let why = target(kube(&s)).unwrap_err();
    assert!(
        why.contains("CrashLoopBackOff") && why.contains("only a running pod"),
        "{why}"
    );
    // Pressed, it says so and hands nothing over.
    assert!(press(&mut s, "e").is_empty());
    assert_eq!(flash(&s), why);
    key(&mut s, KeyCode::Esc);
    let why = target(kube(&s)).unwrap_err();
    assert!(why.contains("select one"), "{why}");
}

#[test]
fn exec_says_what_rbac_forbids_and_read_only_refuses_first() {
    use crate::backend::kube::access::{Answer, Perm, Perms};
    let mut s = immich_pods(AccessMode::ReadWrite);
    select(&mut s, "immich-server-6d8f-abcde");
    let mut perms = Perms::default();
    perms.answers.insert(
        (Perm::ExecPods, String::new()),
        Answer {
            allowed: false,
            reason: SafeText::new("no RBAC policy matched"),
        },
    );
    let mut d = homelab();
    d.perms = Some(perms);
    feed(&mut s, "homelab", d, SourceStatus::Live);
    select(&mut s, "immich-server-6d8f-abcde");
    let why = kube(&s).denied(super::verbs::KubeVerb::Exec.act());
    assert_eq!(
        why.as_deref(),
        Some("not allowed on homelab: no RBAC policy matched")
    );

    let mut s = immich_pods(AccessMode::ReadOnly);
    select(&mut s, "immich-server-6d8f-abcde");
    assert!(press(&mut s, "e").is_empty(), "nothing is handed over");
    assert!(
        flash(&s).starts_with("exec is unavailable: read-only mode"),
        "{}",
        flash(&s)
    );
}

/// The forwards view's rows: target, local address, state.
fn forward_rows(s: &State) -> Vec<(String, String, String)> {
    let t = &kube(s).level().table;
    (0..t.rows_len())
        .map(|i| {
            let c = &t.row(i).unwrap().cells;
            // CLUSTER first: three clusters.
            (
                c[1].text.to_string(),
                c[2].text.to_string(),
                c[3].text.to_string(),
            )
        })
        .collect()
}

#[test]
fn a_port_forward_is_asked_for_started_as_a_writing_task_listed_and_stopped() {
    use crate::app::effect::Effect;
    use crate::app::shell::Overlay;
    use crate::backend::kube::conn::Conn;
    use crate::backend::kube::forward::ForwardEvent;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _in = rt.enter();
    let mut s = immich_pods(AccessMode::ReadWrite);
    s.find_mut::<KubePane>().unwrap().clusters[0].conn = Some(Conn::offline("homelab"));
    select(&mut s, "immich-server-6d8f-abcde");
    press(&mut s, "F");
    let Overlay::Input { input, .. } = &s.shell.overlay else {
        panic!("no prompt: {:?}", flash(&s));
    };
    assert_eq!(input.value(), "8080:8080", "the pod's port, offered");
    // Typed over: any free local port to 8080.
    for _ in 0..9 {
        key(&mut s, KeyCode::Backspace);
    }
    press(&mut s, ":8080");
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::StartWrite { key: task, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(*task, super::forwards::TASK);
    command(&mut s, "forwards");
    assert_eq!(
        forward_rows(&s),
        [(
            "pod media/immich-server-6d8f-abcde:8080".to_string(),
            "-".to_string(),
            "starting".to_string()
        )]
    );
    let id = kube(&s).forwards.list[0].id;
    let at: std::net::SocketAddr = "127.0.0.1:41234".parse().unwrap();
    let heard = |s: &mut State, event| {
        update(s, Msg::to_pane("kube", KubeMsg::Forward { id, event }));
    };
    heard(&mut s, ForwardEvent::Listening(at));
    assert!(flash(&s).starts_with("forwarding 127.0.0.1:41234 to pod media/immich"));
    heard(&mut s, ForwardEvent::Failed("connection refused".into()));
    let rows = forward_rows(&s);
    assert_eq!(rows[0].1, "127.0.0.1:41234");
    assert_eq!(rows[0].2, "listening");
    // A second forward reuses the running task: no second StartWrite.
    command(&mut s, "pods");
    select(&mut s, "jellyfin-7c9d-x2k4p");
    press(&mut s, "F");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert_eq!(kube(&s).forwards.list.len(), 2);
    command(&mut s, "forwards");
    select(&mut s, "pod media/immich-server-6d8f-abcde:8080");
    update(
        &mut s,
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('d'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert!(
        flash(&s).starts_with("stopped forwarding 127.0.0.1:41234"),
        "{}",
        flash(&s)
    );
    assert_eq!(forward_rows(&s).len(), 1);
}

#[test]
fn read_only_refuses_a_port_forward_before_the_pane_sees_it() {
    let mut s = immich_pods(AccessMode::ReadOnly);
    select(&mut s, "immich-server-6d8f-abcde");
    assert!(press(&mut s, "F").is_empty());
    assert!(
        flash(&s).starts_with("port-forward is unavailable: read-only mode"),
        "{}",
        flash(&s)
    );
    assert!(kube(&s).forwards.list.is_empty());
}
