//! Copy, marks, wide columns, the last view, finished tasks and node actions, through
//! `update` as the user presses the keys.

use super::tests::{flash, key, press, state, sw};
use super::*;
use crate::app::shell::Overlay;
use crate::app::swarm::view::SwarmView;
use crate::core::access::AccessMode;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn command(s: &mut State, line: &str) {
    press(s, ":");
    press(s, line);
    key(s, KeyCode::Enter);
}

/// media stack -> its services (sonarr, radarr).
fn to_media(s: &mut State) {
    press(s, "j");
    key(s, KeyCode::Enter);
}

#[test]
fn c_copies_the_raw_name_and_shift_c_the_id() {
    let mut s = state(AccessMode::ReadOnly);
    to_media(&mut s);
    assert_eq!(press(&mut s, "c"), [Effect::Copy("media_sonarr".into())]);
    assert_eq!(flash(&s), "copied name media_sonarr");
    assert_eq!(press(&mut s, "C"), [Effect::Copy("svc-sonarr".into())]);
    // A task is named as docker names it; its ID is whole, not the short one shown.
    key(&mut s, KeyCode::Enter);
    press(&mut s, "j");
    assert_eq!(press(&mut s, "c"), [Effect::Copy("media_sonarr.1".into())]);
    assert_eq!(press(&mut s, "C"), [Effect::Copy("t-sonarr-1a".into())]);
    // Reading is not writing: copy works read-only, and in logs there is nothing to copy.
    press(&mut s, "l");
    assert!(press(&mut s, "c").is_empty());
}

#[test]
fn space_marks_rows_and_a_removal_lists_every_marked_service() {
    let mut s = state(AccessMode::ReadWrite);
    to_media(&mut s);
    press(&mut s, "  ");
    assert_eq!(
        sw(&s).level().table.marked(),
        ["svc-sonarr", "svc-radarr"],
        "space marks and moves down"
    );
    ctrl(&mut s, 'd');
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert!(c.danger);
    let text = c.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "On engine local (unix:///var/run/docker.sock):");
    assert!(lines[1].starts_with("Remove service media_sonarr"));
    assert!(lines[2].starts_with("Remove service media_radarr"));
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "enter cancels a removal"
    );
    ctrl(&mut s, 'd');
    let fx = press(&mut s, "y");
    let [Effect::Apply { plan, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(plan.steps().len(), 2);
    // Scale acts on one service: with marks it says so rather than pick one.
    press(&mut s, "s");
    assert!(matches!(s.shell.overlay, Overlay::None));
    assert!(
        flash(&s).contains("marks are for redeploy and remove"),
        "{}",
        flash(&s)
    );
    // Esc drops the marks before it leaves the view.
    key(&mut s, KeyCode::Esc);
    assert!(sw(&s).level().table.marked().is_empty());
    assert!(sw(&s).level().view.lists_services());
}

/// `/` then Esc with nothing typed: the filter did not change, nor do the marks.
#[test]
fn esc_on_an_unchanged_filter_keeps_the_marks() {
    let mut s = state(AccessMode::ReadWrite);
    to_media(&mut s);
    press(&mut s, "  ");
    press(&mut s, "/");
    key(&mut s, KeyCode::Esc);
    assert_eq!(sw(&s).level().table.marked().len(), 2, "marks kept");
    // Clearing a filter that was set still clears them.
    press(&mut s, "/a");
    key(&mut s, KeyCode::Enter);
    press(&mut s, "/");
    key(&mut s, KeyCode::Esc);
    assert!(sw(&s).level().table.marked().is_empty());
}

#[test]
fn marks_redeploy_every_marked_service_and_are_dropped_once_done() {
    let mut s = state(AccessMode::ReadWrite);
    to_media(&mut s);
    press(&mut s, "  ");
    press(&mut s, "r");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(!c.danger, "a redeploy can be undone");
    assert!(
        !c.yes_focused,
        "but it replaces running tasks: it opens on Cancel"
    );
    assert_eq!(
        c.text().as_str().lines().count(),
        3,
        "where, then each service"
    );
    let fx = press(&mut s, "y");
    let [Effect::Apply { id, plan }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(plan.steps().len(), 2);
    update(
        &mut s,
        Msg::PlanDone {
            id: *id,
            result: Ok("redeploying media_sonarr; redeploying media_radarr".into()),
        },
    );
    assert!(sw(&s).level().table.marked().is_empty());
}

#[test]
fn wide_mode_stays_on_as_the_user_drills_down() {
    let mut s = state(AccessMode::ReadOnly);
    ctrl(&mut s, 'w');
    assert!(sw(&s).level().table.wide);
    to_media(&mut s);
    assert!(sw(&s).level().table.wide, "a level opened in wide mode");
    key(&mut s, KeyCode::Esc);
    ctrl(&mut s, 'w');
    assert!(!sw(&s).level().table.wide);
}

#[test]
fn dash_goes_back_to_the_view_before_a_command() {
    let mut s = state(AccessMode::ReadOnly);
    to_media(&mut s);
    press(&mut s, "j");
    command(&mut s, "secrets");
    assert_eq!(sw(&s).level().view, SwarmView::Secrets);
    press(&mut s, "-");
    assert!(
        sw(&s).level().view.lists_services(),
        "back to media's services"
    );
    assert_eq!(
        sw(&s).level().table.selected_key(),
        Some("svc-radarr"),
        "with the selection where it was"
    );
    press(&mut s, "-");
    assert_eq!(sw(&s).level().view, SwarmView::Secrets, "and forth again");
}

#[test]
fn a_hides_finished_tasks_and_says_so() {
    let mut s = state(AccessMode::ReadOnly);
    to_media(&mut s);
    key(&mut s, KeyCode::Enter);
    assert_eq!(sw(&s).level().table.rows_len(), 2);
    press(&mut s, "a");
    assert_eq!(
        sw(&s).level().table.rows_len(),
        1,
        "the failed, shut-down task goes"
    );
    assert_eq!(sw(&s).level().table.selected_key(), Some("t-sonarr-1b"));
    assert_eq!(flash(&s), "finished tasks hidden");
    press(&mut s, "a");
    assert_eq!(sw(&s).level().table.rows_len(), 2);
    // Elsewhere it does nothing, and says where it works.
    key(&mut s, KeyCode::Esc);
    press(&mut s, "a");
    assert!(flash(&s).contains("open a service's tasks"));
}

#[test]
fn node_keys_drain_pause_and_activate_with_a_dialog_and_refuse_what_changes_nothing() {
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "swarm-nodes");
    press(&mut s, "r");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {}", flash(&s))
    };
    // The lab's swarm has one node: nobody takes its tasks, and the dialog says so.
    assert!(
        c.text().as_str().contains("\nDrain node nas: its tasks are stopped and, with no other active node to take them, every service it runs stays down"),
        "{}",
        c.text()
    );
    assert!(
        !c.text().contains("started on"),
        "nothing is started elsewhere"
    );
    assert!(!c.yes_focused, "a drain opens on Cancel");
    let fx = press(&mut s, "y");
    let [Effect::Apply { plan, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("node_id: \"node1\"") && step.contains("\"drain\""),
        "{step}"
    );
    press(&mut s, "u");
    assert_eq!(flash(&s), "nas is already active");
    press(&mut s, ">");
    assert_eq!(flash(&s), "nas is already a manager");
    press(&mut s, "<");
    assert!(flash(&s).contains("only manager"), "{}", flash(&s));
    assert!(matches!(s.shell.overlay, Overlay::None));
    // The node keys belong to the nodes view: `r` on services is a redeploy again.
    command(&mut s, "services");
    press(&mut s, "r");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(
        c.text().as_str().contains("\nForce an update"),
        "{}",
        c.text()
    );
}

#[test]
fn node_writes_are_refused_read_only() {
    let mut s = state(AccessMode::ReadOnly);
    command(&mut s, "swarm-nodes");
    press(&mut s, "r");
    assert!(matches!(s.shell.overlay, Overlay::None));
    assert!(
        flash(&s).starts_with("drain is unavailable"),
        "{}",
        flash(&s)
    );
}

#[test]
fn enter_on_a_node_lists_its_tasks() {
    let mut s = state(AccessMode::ReadOnly);
    command(&mut s, "swarm-nodes");
    key(&mut s, KeyCode::Enter);
    let level = sw(&s).level();
    assert!(matches!(&level.view, SwarmView::NodeTasks { node, .. } if node == "nas"));
    let names: Vec<String> = (0..level.table.rows_len())
        .map(|i| level.table.row(i).unwrap().cells[0].text.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "infra_caddy.1",
            "media_radarr.1",
            "media_radarr.2",
            "media_sonarr.1",
            "media_sonarr.1",
            "node-exporter.node1"
        ]
    );
    // Its tasks open their logs as anywhere else.
    let fx = press(&mut s, "l");
    assert!(matches!(&fx[..], [Effect::Start { .. }]), "{fx:?}");
}

#[test]
fn y_shows_the_object_as_yaml_from_the_top_and_esc_closes_it() {
    use crate::app::swarm::msg::SwarmMsg;
    let mut s = state(AccessMode::ReadOnly);
    to_media(&mut s);
    let fx = press(&mut s, "y");
    assert!(
        matches!(&fx[..], [Effect::Start { key, .. }] if key.name == "inspect"),
        "{fx:?}"
    );
    let generation = sw(&s).logs.as_ref().expect("the viewer opened").generation;
    let raw = serde_json::json!({"ID": "svc-sonarr", "Spec": {"Name": "media_sonarr",
        "TaskTemplate": {"ContainerSpec": {"Image": "local/busybox:1"}}}});
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Inspected {
                generation,
                result: Ok(std::sync::Arc::new(raw)),
            },
        ),
    );
    let logs = sw(&s).logs.as_ref().unwrap();
    assert!(
        logs.document && !logs.follow,
        "a document reads from the top"
    );
    let lines: Vec<&str> = logs.lines.iter().map(|l| l.text.as_str()).collect();
    assert!(lines.contains(&"ID: svc-sonarr"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.trim() == "Image: local/busybox:1"),
        "{lines:?}"
    );
    key(&mut s, KeyCode::Esc);
    assert!(sw(&s).logs.is_none());
    assert!(sw(&s).level().view.lists_services());
}

#[test]
fn y_on_a_stack_says_what_to_do_instead() {
    let mut s = state(AccessMode::ReadOnly);
    assert!(press(&mut s, "y").is_empty());
    assert!(
        flash(&s).contains("open it and select one"),
        "{}",
        flash(&s)
    );
}

#[test]
fn a_service_s_log_lines_are_named_by_their_task_and_p_hides_the_names() {
    use crate::app::logs::LogFeed;
    use crate::app::swarm::msg::SwarmMsg;
    use crate::core::log_line::LogLine;
    let mut s = state(AccessMode::ReadOnly);
    to_media(&mut s);
    press(&mut s, "j");
    press(&mut s, "l");
    let generation = sw(&s).logs.as_ref().expect("radarr's log").generation;
    let line = |task: Option<&str>, text: &str| {
        let mut l = LogLine::new(None, "", false, text);
        l.source = task.map(str::to_string);
        l
    };
    let lines = vec![
        line(Some("t-radarr-2"), "GET /api 200"),
        line(Some("gone-task-123456789"), "bye"),
        line(None, "no details"),
    ];
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Log {
                generation,
                feed: LogFeed::Lines { lines, lost: 0 },
            },
        ),
    );
    let logs = sw(&s).logs.as_ref().unwrap();
    let prefixes: Vec<&str> = logs.lines.iter().map(|l| l.prefix.as_str()).collect();
    assert_eq!(prefixes, ["media_radarr.2@nas", "gone-task-12", ""]);
    assert!(logs.prefixes);
    press(&mut s, "p");
    assert!(!sw(&s).logs.as_ref().unwrap().prefixes);
}

#[test]
fn a_worker_is_promoted_and_a_second_manager_demoted_through_their_dialogs() {
    use crate::backend::swarm::sample::{lab, node};
    use crate::backend::swarm::watch::SwarmFeed;
    use crate::core::status::SourceStatus;
    let mut s = state(AccessMode::ReadWrite);
    let engine = crate::app::update::tests::first_engine(&s);
    let mut snap = lab();
    snap.nodes.push(node("node2", "pi", false));
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            crate::app::swarm::msg::SwarmMsg::Feed {
                engine: engine.clone(),
                feed: SwarmFeed {
                    snapshot: Some(std::sync::Arc::new(snap.clone())),
                    status: SourceStatus::Live,
                },
            },
        ),
    );
    command(&mut s, "swarm-nodes");
    press(&mut s, "j");
    assert_eq!(sw(&s).level().table.selected_key(), Some("node2"));
    press(&mut s, ">");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {}", flash(&s))
    };
    assert!(
        c.text().contains("\nPromote node pi to manager"),
        "{}",
        c.text()
    );
    let fx = press(&mut s, "y");
    let [Effect::Apply { plan, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("node_id: \"node2\"") && step.contains("role: \"manager\""),
        "{step}"
    );
    // With two managers, one can be demoted.
    snap.nodes[1].role = crate::core::text::SafeText::new("manager");
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            crate::app::swarm::msg::SwarmMsg::Feed {
                engine: engine.clone(),
                feed: SwarmFeed {
                    snapshot: Some(std::sync::Arc::new(snap)),
                    status: SourceStatus::Live,
                },
            },
        ),
    );
    press(&mut s, "<");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {}", flash(&s))
    };
    assert!(
        c.text().contains("\nDemote node pi to worker"),
        "{}",
        c.text()
    );
}
