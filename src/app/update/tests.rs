use super::*;
use crate::app::logs::LogFeed;
use crate::app::shell::Overlay;
use crate::app::swarm::SwarmPane;
use crate::app::swarm::jobs;
use crate::app::swarm::msg::SwarmMsg;
use crate::app::swarm::view::SwarmView;
use crate::backend::swarm::sample::{NOW, lab};
use crate::backend::swarm::watch::SwarmFeed;
use crate::config::keymap::Keymap;
use crate::config::settings::Settings;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// The name of the Swarm pane's first engine (the environment's, in tests).
pub fn first_engine(s: &State) -> String {
    s.find::<SwarmPane>().unwrap().engines[0]
        .endpoint
        .name
        .clone()
}

pub fn bare_state(access: AccessMode) -> State {
    let panes = crate::app::registry::panes(&Settings::default());
    let vocab = crate::app::registry::vocab(&panes);
    let mut s = State::new(
        access,
        Keymap::embedded("default", &vocab).unwrap(),
        vec![],
        panes,
        crate::app::registry::FIRST,
    );
    s.shell.clock = || NOW;
    s
}

pub fn feed(
    s: &mut State,
    snapshot: Option<crate::backend::swarm::SwarmSnapshot>,
    status: SourceStatus,
) {
    update(
        s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Feed {
                engine: first_engine(s),
                feed: SwarmFeed {
                    snapshot: snapshot.map(Arc::new),
                    status,
                },
            },
        ),
    );
}

pub fn state(access: AccessMode) -> State {
    let mut s = bare_state(access);
    feed(&mut s, Some(lab()), SourceStatus::Live);
    s
}

pub fn sw(s: &State) -> &SwarmPane {
    s.find::<SwarmPane>()
        .expect("the registry has the Swarm pane")
}

pub fn press(s: &mut State, keys: &str) -> Vec<Effect> {
    let mut out = vec![];
    for c in keys.chars() {
        out.extend(update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        ));
    }
    out
}

/// `:line` typed and run.
pub fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut out = press(s, ":");
    out.extend(press(s, line));
    out.extend(key(s, KeyCode::Enter));
    out
}

pub fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn selected(s: &State) -> Option<&str> {
    sw(s).level().table.selected_key()
}

#[test]
fn starts_on_the_swarm_stacks_view() {
    let s = state(AccessMode::ReadWrite);
    assert_eq!(s.active_id(), "swarm");
    assert_eq!(sw(&s).level().view, SwarmView::Stacks);
    assert_eq!(sw(&s).level().table.rows_len(), 3);
}

#[test]
fn enter_drills_down_and_esc_comes_back() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "j");
    assert_eq!(selected(&s), Some("media"));
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        sw(&s).level().view,
        SwarmView::Services {
            stack: Some(Some("media".into()))
        }
    );
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(&sw(&s).level().view, SwarmView::Tasks { service, .. } if service == "media_sonarr")
    );
    assert_eq!(sw(&s).level().table.rows_len(), 2);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert_eq!(sw(&s).level().view, SwarmView::Stacks);
    assert_eq!(
        selected(&s),
        Some("media"),
        "selection kept on the way back"
    );
}

#[test]
fn number_keys_switch_panes() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "1");
    assert_eq!(s.active_id(), "nodes");
    press(&mut s, "5");
    assert_eq!(s.active_id(), "kube");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.active_id(), "nodes");
    press(&mut s, "4");
    assert_eq!(s.active_id(), "swarm");
}

#[test]
fn slash_filters_as_you_type_and_esc_clears() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "/inf");
    assert_eq!(sw(&s).level().table.rows_len(), 1);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.shell.overlay, Overlay::None));
    assert_eq!(sw(&s).level().table.filter, "inf");
    key(&mut s, KeyCode::Esc);
    assert_eq!(sw(&s).level().table.filter, "");
    assert_eq!(sw(&s).level().table.rows_len(), 3);
}

#[test]
fn command_line_switches_views_and_completes() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, ":sec");
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Enter);
    assert_eq!(sw(&s).level().view, SwarmView::Secrets);
    press(&mut s, ":zfs");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.active_id(), "zfs");
    press(&mut s, ":bogus");
    key(&mut s, KeyCode::Enter);
    assert!(
        s.shell
            .flash
            .as_ref()
            .unwrap()
            .text
            .as_str()
            .contains("unknown command :bogus")
    );
    let fx = press(&mut s, ":q");
    assert!(fx.is_empty());
    assert_eq!(key(&mut s, KeyCode::Enter), vec![Effect::Quit]);
}

#[test]
fn sort_keys_reorder_rows() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "O");
    assert_eq!(selected(&s), Some("infra"), "selection stays on its row");
    key(&mut s, KeyCode::Home);
    assert_eq!(selected(&s), Some("media"), "descending by name");
    key(&mut s, KeyCode::End);
    assert_eq!(selected(&s), Some(""), "(no stack) sorts before letters");
}

#[test]
fn view_keys_cycle_top_level_views() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "]");
    assert_eq!(sw(&s).level().view, SwarmView::Services { stack: None });
    press(&mut s, "]]]]]");
    assert_eq!(sw(&s).level().view, SwarmView::Stacks);
    press(&mut s, "[");
    assert_eq!(sw(&s).level().view, SwarmView::Configs);
}

pub fn to_sonarr(s: &mut State) {
    press(s, "j");
    key(s, KeyCode::Enter);
}

#[test]
fn scale_asks_for_a_count_then_confirms_exactly() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    press(&mut s, "s");
    key(&mut s, KeyCode::Backspace);
    press(&mut s, "3");
    key(&mut s, KeyCode::Enter);
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert_eq!(
        c.text().as_str(),
        "On engine local (unix:///var/run/docker.sock):\nScale service media_sonarr to 3 replicas."
    );
    assert!(
        c.yes_focused,
        "a scale up stops nothing: it opens on Confirm"
    );
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::Apply { id, plan }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(id.pane, "swarm");
    assert!(
        s.shell.running.contains_key(id),
        "counted as running until its outcome"
    );
    assert_eq!(plan.describe(), "Scale service media_sonarr to 3 replicas.");
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("service_id: \"svc-sonarr\"") && step.contains("replicas: 3"),
        "{step}"
    );
}

#[test]
fn removal_dialogs_default_to_cancel() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "j");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(c.danger);
    assert!(c.text().as_str().contains("\nRemove stack media"));
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "Enter on Cancel does nothing"
    );
    assert!(matches!(s.shell.overlay, Overlay::None));
}

#[test]
fn read_only_refuses_every_write_with_the_reason() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    for k in ["s", "r", "R"] {
        assert!(press(&mut s, k).is_empty());
        assert!(
            matches!(s.shell.overlay, Overlay::None),
            "{k} opened {:?}",
            s.shell.overlay
        );
        assert!(
            s.shell
                .flash
                .as_ref()
                .unwrap()
                .text
                .as_str()
                .contains("read-only mode")
        );
    }
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert!(fx.is_empty());
    assert!(matches!(s.shell.overlay, Overlay::None));
}

#[test]
fn logs_open_on_a_service_and_lines_of_old_streams_are_ignored() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let fx = press(&mut s, "l");
    let [Effect::Start { key: k, job }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(
        (*k, job.label.as_str()),
        (jobs::LOGS, "logs of media_sonarr")
    );
    let generation = sw(&s).logs.as_ref().unwrap().generation;
    let line = crate::backend::swarm::logs::parse_line("2024-05-01T12:00:00Z hello", false);
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Log {
                generation: generation + 7,
                feed: LogFeed::Lines {
                    lines: vec![line.clone()],
                    lost: 0,
                },
            },
        ),
    );
    assert_eq!(sw(&s).logs.as_ref().unwrap().lines.len(), 0);
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Log {
                generation,
                feed: LogFeed::Lines {
                    lines: vec![line],
                    lost: 0,
                },
            },
        ),
    );
    assert_eq!(sw(&s).logs.as_ref().unwrap().lines.len(), 1);
    press(&mut s, "t");
    assert!(sw(&s).logs.as_ref().unwrap().timestamps);
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::Cancel(jobs::LOGS)]);
    assert!(sw(&s).logs.is_none());
}

#[test]
fn a_stale_feed_keeps_the_last_data() {
    let mut s = state(AccessMode::ReadWrite);
    let stale = SourceStatus::Stale {
        since: NOW,
        reason: crate::core::text::SafeText::new("gone"),
        attempt: 1,
    };
    feed(&mut s, None, stale.clone());
    assert_eq!(sw(&s).engines[0].status, stale);
    assert_eq!(sw(&s).level().table.rows_len(), 3);
}

#[test]
fn stats_follow_one_task_and_stop_when_its_view_closes() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    key(&mut s, KeyCode::Enter);
    let fx = press(&mut s, "x");
    let [Effect::Start { key: k, job }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(
        (*k, job.label.as_str()),
        (jobs::STATS, "stats of c-t-sonarr-1b")
    );
    let generation = sw(&s).stats.as_ref().unwrap().generation;
    let sample = crate::backend::swarm::stats::ContainerStats {
        cpu_percent: 1.5,
        mem_used: 1024,
        mem_limit: 0,
        pids: 1,
        rx_bytes: 0,
        tx_bytes: 0,
    };
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Stats {
                generation: generation + 1,
                sample: Ok(sample),
            },
        ),
    );
    assert_eq!(
        sw(&s).stats.as_ref().unwrap().latest,
        None,
        "samples of another stream are ignored"
    );
    update(
        &mut s,
        Msg::to_pane(
            "swarm",
            SwarmMsg::Stats {
                generation,
                sample: Ok(sample),
            },
        ),
    );
    assert_eq!(sw(&s).stats.as_ref().unwrap().latest, Some(sample));
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::Cancel(jobs::STATS)]);
    assert!(sw(&s).stats.is_none());
}

/// The engine leaves its swarm: the views start again from the top, and the stats of
/// a task no longer shown stop with them.
#[test]
fn stats_stop_when_the_views_are_reset() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(press(&mut s, "x")[..], [Effect::Start { .. }]));
    let mut plain = lab();
    plain.engine.swarm_manager = false;
    let engine = first_engine(&s);
    let feed = SwarmFeed {
        snapshot: Some(Arc::new(plain)),
        status: SourceStatus::Live,
    };
    let fx = update(
        &mut s,
        Msg::to_pane("swarm", SwarmMsg::Feed { engine, feed }),
    );
    assert!(
        !matches!(sw(&s).level().view, SwarmView::Tasks { .. }),
        "views reset"
    );
    assert!(sw(&s).stats.is_none(), "the panel closed");
    assert_eq!(
        fx,
        vec![Effect::Cancel(jobs::STATS)],
        "and its stream stops"
    );
}

#[test]
fn stats_need_a_task() {
    let mut s = state(AccessMode::ReadWrite);
    assert!(press(&mut s, "x").is_empty());
    assert!(
        s.shell
            .flash
            .as_ref()
            .unwrap()
            .text
            .as_str()
            .contains("stats")
    );
}

#[test]
fn an_update_that_changes_nothing_visible_draws_nothing() {
    let mut s = state(AccessMode::ReadWrite);
    s.shell.dirty = false;
    feed(&mut s, Some(lab()), SourceStatus::Live);
    assert!(!s.shell.dirty, "same data, same status: no frame");
    let mut scaled = lab();
    scaled.services[1].mode = crate::backend::swarm::model::ServiceMode::Replicated(5);
    feed(&mut s, Some(scaled), SourceStatus::Live);
    assert!(s.shell.dirty, "a change is drawn");
}

#[test]
fn describe_opens_a_field_view_and_esc_returns() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    press(&mut s, "d");
    assert!(
        matches!(&sw(&s).level().view, SwarmView::Describe { name, .. } if name == "media_sonarr")
    );
    assert!(sw(&s).level().table.rows_len() > 5);
    key(&mut s, KeyCode::Esc);
    assert!(matches!(sw(&s).level().view, SwarmView::Services { .. }));
    press(&mut s, "4");
    key(&mut s, KeyCode::Esc);
    assert_eq!(sw(&s).level().view, SwarmView::Stacks);
    press(&mut s, "d");
    assert_eq!(sw(&s).levels.len(), 1, "a stack has no describe view");
    let said = s.shell.flash.as_ref().unwrap().text.as_str();
    assert!(
        said.contains("select a service, a task or a node"),
        "{said}"
    );
}

#[test]
fn typed_or_pasted_control_sequences_never_reach_a_filter() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "/");
    for c in ['\u{9b}', '3', '1', 'm', '\u{1b}', ']', 'x'] {
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let f = sw(&s).level().table.filter.clone();
    assert!(!f.contains('\u{9b}') && !f.contains('\u{1b}'), "{f:?}");
    key(&mut s, KeyCode::Enter);
    let f = &sw(&s).level().table.filter;
    assert!(!f.chars().any(|c| c.is_control()), "{f:?}");
}

#[test]
fn a_stack_is_removed_by_its_raw_label_and_shown_by_its_clean_name() {
    let mut snap = lab();
    for svc in snap
        .services
        .iter_mut()
        .filter(|s| s.stack_key.as_deref() == Some("media"))
    {
        svc.stack_key = Some("med\u{1b}[31mia".into());
        svc.stack = Some(crate::core::text::SafeText::new("med\u{1b}[31mia"));
    }
    let mut s = bare_state(AccessMode::ReadWrite);
    feed(&mut s, Some(snap), SourceStatus::Live);
    press(&mut s, "j");
    let row = sw(&s).level().table.selected_row().unwrap();
    assert!(
        !row.cells[0].text.as_str().contains('\u{1b}'),
        "shown clean"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(
        !c.text().as_str().contains('\u{1b}'),
        "the dialog is clean: {:?}",
        c.text()
    );
    let crate::app::shell::Then::Apply(plan) = &c.then else {
        panic!("a plan")
    };
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("stack: \"med\\u{1b}[31mia\""),
        "the write uses the raw label: {step}"
    );
}

#[test]
fn no_arrow_and_enter_confirms_a_removal() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let ctrl_d = || Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
    for keys in [
        &[KeyCode::Right][..],
        &[KeyCode::Left],
        &[KeyCode::Tab],
        &[],
    ] {
        update(&mut s, ctrl_d());
        assert!(matches!(s.shell.overlay, Overlay::Confirm(_)));
        for k in keys {
            assert!(key(&mut s, *k).is_empty());
        }
        assert!(
            key(&mut s, KeyCode::Enter).is_empty(),
            "{keys:?} then enter removed"
        );
        assert!(matches!(s.shell.overlay, Overlay::None), "enter cancels");
    }
    update(&mut s, ctrl_d());
    let fx = press(&mut s, "y");
    assert!(
        matches!(&fx[..], [Effect::Apply { .. }]),
        "y removes: {fx:?}"
    );
}

#[test]
fn in_logs_q_and_esc_go_back_and_esc_clears_a_search_first() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    press(&mut s, "l");
    press(&mut s, "/err");
    key(&mut s, KeyCode::Enter);
    assert_eq!(sw(&s).logs.as_ref().unwrap().search, "err");
    assert!(
        key(&mut s, KeyCode::Esc).is_empty(),
        "esc clears the search"
    );
    assert!(sw(&s).logs.as_ref().unwrap().search.is_empty());
    assert!(sw(&s).logs.is_some(), "the log stays open");
    assert_eq!(press(&mut s, "q"), vec![Effect::Cancel(jobs::LOGS)]);
    assert!(
        sw(&s).logs.is_none() && !s.shell.quit,
        "q went back, not out"
    );
}

#[test]
fn stats_on_a_stopped_task_say_so_at_once() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    key(&mut s, KeyCode::Enter);
    // Select the failed attempt: its container is not running.
    let failed = sw(&s)
        .level()
        .table
        .selected_row()
        .map(|r| r.key.clone())
        .unwrap();
    if failed != "t-sonarr-1a" {
        press(&mut s, "j");
    }
    assert_eq!(sw(&s).level().table.selected_key(), Some("t-sonarr-1a"));
    assert!(
        press(&mut s, "x").is_empty(),
        "no stream for a stopped container"
    );
    let said = s.shell.flash.as_ref().unwrap().text.as_str().to_string();
    assert!(
        said.contains("is failed") && said.contains("not running"),
        "{said}"
    );
    assert!(sw(&s).stats.is_none());
}

#[test]
fn rollback_without_a_previous_spec_is_not_offered() {
    let mut snap = lab();
    for svc in &mut snap.services {
        svc.has_previous_spec = false;
    }
    let mut s = bare_state(AccessMode::ReadWrite);
    feed(&mut s, Some(snap), SourceStatus::Live);
    to_sonarr(&mut s);
    assert!(press(&mut s, "R").is_empty());
    assert!(matches!(s.shell.overlay, Overlay::None), "no dialog");
    let said = s.shell.flash.as_ref().unwrap().text.as_str();
    assert!(said.contains("no previous spec"), "{said}");
}

#[test]
fn help_jumps_to_its_end_and_back() {
    let mut s = state(AccessMode::ReadWrite);
    update(&mut s, Msg::Resize(80, 24));
    press(&mut s, "?G");
    let Overlay::Help { scroll } = s.shell.overlay else {
        panic!()
    };
    assert!(scroll > 0 && scroll == crate::app::help::max_scroll(&s));
    press(&mut s, "j");
    assert!(
        matches!(s.shell.overlay, Overlay::Help { scroll: x } if x == scroll),
        "stops at the end"
    );
    press(&mut s, "g");
    assert!(matches!(s.shell.overlay, Overlay::Help { scroll: 0 }));
}

/// A redeploy's progress follows the engine's update state and ends when it does,
/// without a key press (it used to stay "in progress" until the next key).
#[test]
fn a_redeploy_is_followed_until_the_engine_says_it_ended() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    press(&mut s, "r");
    let [Effect::Apply { id, .. }] = press(&mut s, "y")[..] else {
        panic!("not applied")
    };
    update(
        &mut s,
        Msg::PlanDone {
            id,
            result: Ok("redeploying media_sonarr".into()),
        },
    );
    let with = |state: Option<&str>, version: u64| {
        let mut snap = lab();
        let svc = snap
            .services
            .iter_mut()
            .find(|x| x.id == "svc-sonarr")
            .unwrap();
        svc.update_state = state.map(crate::core::text::SafeText::new);
        svc.version = version;
        snap
    };
    // An old "completed" from before the write is not this update's end.
    feed(
        &mut s,
        Some(with(Some("completed"), 10)),
        SourceStatus::Live,
    );
    assert!(sw(&s).following.is_some(), "still following");
    feed(&mut s, Some(with(Some("updating"), 11)), SourceStatus::Live);
    let p = s.shell.progress.as_ref().map(|p| p.as_str().to_string());
    assert_eq!(
        p.as_deref(),
        Some("swarm: redeploying media_sonarr: updating")
    );
    s.shell.dirty = false;
    feed(
        &mut s,
        Some(with(Some("completed"), 12)),
        SourceStatus::Live,
    );
    assert_eq!(
        s.shell.progress, None,
        "the progress line ends with the update"
    );
    assert!(s.shell.dirty, "and that is drawn without a key");
    let f = s.shell.flash.as_ref().unwrap();
    assert_eq!(f.text.as_str(), "redeploying media_sonarr: completed");
    assert!(sw(&s).following.is_none());
}

/// The flash line's text, or empty.
pub fn flash(s: &State) -> String {
    s.shell
        .flash
        .as_ref()
        .map(|f| f.text.to_string())
        .unwrap_or_default()
}
