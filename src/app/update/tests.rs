use super::*;
use crate::app::state::Overlay;
use crate::app::swarm::view::SwarmView;
use crate::app::tab::Tab;
use crate::backend::swarm::ops::SwarmOp;
use crate::backend::swarm::sample::{NOW, lab};
use crate::backend::swarm::watch::SwarmFeed;
use crate::config::keymap::Keymap;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

pub fn state(access: AccessMode) -> State {
    let mut s = State::new(access, Keymap::embedded("default").unwrap(), vec![]);
    s.clock = || NOW;
    update(
        &mut s,
        Msg::SwarmUpdated(SwarmFeed {
            snapshot: Some(Arc::new(lab())),
            status: SourceStatus::Live,
        }),
    );
    s
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

pub fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn selected(s: &State) -> Option<&str> {
    s.swarm.level().table.selected_key()
}

#[test]
fn starts_on_the_swarm_stacks_view() {
    let s = state(AccessMode::ReadWrite);
    assert_eq!(s.tab, Tab::Swarm);
    assert_eq!(s.swarm.level().view, SwarmView::Stacks);
    assert_eq!(s.swarm.level().table.rows_len(), 3);
}

#[test]
fn enter_drills_down_and_esc_comes_back() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "j");
    assert_eq!(selected(&s), Some("media"));
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        s.swarm.level().view,
        SwarmView::Services {
            stack: Some(Some("media".into()))
        }
    );
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(&s.swarm.level().view, SwarmView::Tasks { service, .. } if service == "media_sonarr")
    );
    assert_eq!(s.swarm.level().table.rows_len(), 2);
    key(&mut s, KeyCode::Esc);
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.swarm.level().view, SwarmView::Stacks);
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
    assert_eq!(s.tab, Tab::Nodes);
    press(&mut s, "5");
    assert_eq!(s.tab, Tab::Kube);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.tab, Tab::Nodes);
    press(&mut s, "4");
    assert_eq!(s.tab, Tab::Swarm);
}

#[test]
fn slash_filters_as_you_type_and_esc_clears() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "/inf");
    assert_eq!(s.swarm.level().table.rows_len(), 1);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.overlay, Overlay::None));
    assert_eq!(s.swarm.level().table.filter, "inf");
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.swarm.level().table.filter, "");
    assert_eq!(s.swarm.level().table.rows_len(), 3);
}

#[test]
fn command_line_switches_views_and_completes() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, ":sec");
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.swarm.level().view, SwarmView::Secrets);
    press(&mut s, ":zfs");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.tab, Tab::Zfs);
    press(&mut s, ":bogus");
    key(&mut s, KeyCode::Enter);
    assert!(
        s.flash
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
    assert_eq!(s.swarm.level().view, SwarmView::Services { stack: None });
    press(&mut s, "]]]]]");
    assert_eq!(s.swarm.level().view, SwarmView::Stacks);
    press(&mut s, "[");
    assert_eq!(s.swarm.level().view, SwarmView::Configs);
}

fn to_sonarr(s: &mut State) {
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
    let Overlay::Confirm(c) = &s.overlay else {
        panic!("no dialog: {:?}", s.overlay)
    };
    assert_eq!(c.text, "Scale service media_sonarr to 3 replicas.");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Apply(SwarmOp::Scale {
            service_id: "svc-sonarr".into(),
            service: "media_sonarr".into(),
            replicas: 3
        })]
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
    let Overlay::Confirm(c) = &s.overlay else {
        panic!("no dialog")
    };
    assert!(c.danger);
    assert!(c.text.starts_with("Remove stack media"));
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "Enter on Cancel does nothing"
    );
    assert!(matches!(s.overlay, Overlay::None));
}

#[test]
fn read_only_refuses_every_write_with_the_reason() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    for k in ["s", "r", "R"] {
        assert!(press(&mut s, k).is_empty());
        assert!(
            matches!(s.overlay, Overlay::None),
            "{k} opened {:?}",
            s.overlay
        );
        assert!(
            s.flash
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
    assert!(matches!(s.overlay, Overlay::None));
}

#[test]
fn logs_open_on_a_service_and_lines_of_old_streams_are_ignored() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let fx = press(&mut s, "l");
    let Some(Effect::OpenLogs { generation, .. }) = fx.first().cloned() else {
        panic!("{fx:?}")
    };
    let line = crate::backend::swarm::logs::parse_line("2024-05-01T12:00:00Z hello", false);
    update(
        &mut s,
        Msg::LogLines {
            generation: generation + 7,
            lines: vec![line.clone()],
        },
    );
    assert_eq!(s.logs.as_ref().unwrap().lines.len(), 0);
    update(
        &mut s,
        Msg::LogLines {
            generation,
            lines: vec![line],
        },
    );
    assert_eq!(s.logs.as_ref().unwrap().lines.len(), 1);
    press(&mut s, "t");
    assert!(s.logs.as_ref().unwrap().timestamps);
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::CloseLogs]);
    assert!(s.logs.is_none());
}

#[test]
fn a_stale_feed_keeps_the_last_data() {
    let mut s = state(AccessMode::ReadWrite);
    let stale = SourceStatus::Stale {
        since: NOW,
        reason: crate::core::text::SafeText::new("gone"),
        attempt: 1,
    };
    update(
        &mut s,
        Msg::SwarmUpdated(SwarmFeed {
            snapshot: None,
            status: stale.clone(),
        }),
    );
    assert_eq!(s.swarm.status, stale);
    assert_eq!(s.swarm.level().table.rows_len(), 3);
}

#[test]
fn op_results_are_flashed() {
    let mut s = state(AccessMode::ReadWrite);
    update(
        &mut s,
        Msg::OpFinished(Err("engine said 409: update out of sequence".into())),
    );
    assert_eq!(s.flash.as_ref().unwrap().level, FlashLevel::Err);
}

#[test]
fn stats_follow_one_task_and_stop_when_its_view_closes() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    key(&mut s, KeyCode::Enter);
    let fx = press(&mut s, "x");
    let Some(Effect::OpenStats {
        generation,
        container_id,
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(container_id, "c-t-sonarr-1b");
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
        Msg::Stats {
            generation: generation + 1,
            sample: Ok(sample),
        },
    );
    assert_eq!(
        s.stats.as_ref().unwrap().latest,
        None,
        "samples of another stream are ignored"
    );
    update(
        &mut s,
        Msg::Stats {
            generation,
            sample: Ok(sample),
        },
    );
    assert_eq!(s.stats.as_ref().unwrap().latest, Some(sample));
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::CloseStats]);
    assert!(s.stats.is_none());
}

#[test]
fn stats_need_a_task() {
    let mut s = state(AccessMode::ReadWrite);
    assert!(press(&mut s, "x").is_empty());
    assert!(s.flash.as_ref().unwrap().text.as_str().contains("stats"));
}

#[test]
fn an_update_that_changes_nothing_visible_draws_nothing() {
    let mut s = state(AccessMode::ReadWrite);
    s.dirty = false;
    update(
        &mut s,
        Msg::SwarmUpdated(SwarmFeed {
            snapshot: Some(Arc::new(lab())),
            status: SourceStatus::Live,
        }),
    );
    assert!(!s.dirty, "same data, same status: no frame");
    let mut scaled = lab();
    scaled.services[1].mode = crate::backend::swarm::model::ServiceMode::Replicated(5);
    update(
        &mut s,
        Msg::SwarmUpdated(SwarmFeed {
            snapshot: Some(Arc::new(scaled)),
            status: SourceStatus::Live,
        }),
    );
    assert!(s.dirty, "a change is drawn");
}

#[test]
fn describe_opens_a_field_view_and_esc_returns() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    press(&mut s, "d");
    assert!(
        matches!(&s.swarm.level().view, SwarmView::Describe { name, .. } if name == "media_sonarr")
    );
    assert!(s.swarm.level().table.rows_len() > 5);
    key(&mut s, KeyCode::Esc);
    assert!(matches!(s.swarm.level().view, SwarmView::Services { .. }));
    press(&mut s, "4");
    let stacks_describe = press(&mut s, "d");
    assert!(stacks_describe.is_empty());
}
