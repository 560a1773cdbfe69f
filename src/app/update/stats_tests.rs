//! A task's live stats through `update`: opened on one task, stopped when its view
//! closes or the views reset, and said at once of a stopped task.

use super::tests::*;
use super::*;
use crate::app::swarm::jobs;
use crate::app::swarm::msg::SwarmMsg;
use crate::app::swarm::view::SwarmView;
use crate::backend::swarm::sample::lab;
use crate::backend::swarm::watch::SwarmFeed;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crossterm::event::KeyCode;
use std::sync::Arc;

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
