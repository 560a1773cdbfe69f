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
