//! Screens of the ZFS pane: healthy and scrubbing pools beside a degraded one that
//! resilvers, its vdev tree, datasets (one over 90% of its quota) and the ARC.

use super::tests::{keys, render, snap_all, text};
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::update::tests::bare_state;
use crate::app::update::update;
use crate::app::zfs::msg::ZfsMsg;
use crate::backend::zfs::sample::nas;
use crate::backend::zfs::watch::ZfsFeed;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::ui::theme::{Slot, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn zfs_state() -> State {
    let mut s = bare_state(AccessMode::ReadOnly);
    update(
        &mut s,
        Msg::to_pane(
            "zfs",
            ZfsMsg::Feed {
                host: 0,
                feed: ZfsFeed {
                    snapshot: Some(Arc::new(nas())),
                    status: SourceStatus::Live,
                },
            },
        ),
    );
    keys(&mut s, &[KeyCode::Char('3')]);
    s
}

fn command(s: &mut State, line: &str) {
    for c in format!(":{line}").chars() {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    keys(s, &[KeyCode::Enter]);
}

#[test]
fn pools_with_a_degraded_one_resilvering() {
    snap_all("zfs__pools_degraded_resilvering", zfs_state);
}

#[test]
fn the_degraded_pool_is_loud_in_its_row_the_title_and_the_tab_bar() {
    let mut s = zfs_state();
    // Select tank, so ai's row is drawn in its own colours.
    keys(&mut s, &[KeyCode::Down]);
    let b = render(&mut s, 120, 40);
    let t = text(&b);
    let theme = Theme::default();
    let first = t.lines().next().unwrap();
    assert!(first.contains("3 ZFS!"), "{first}");
    assert!(first.contains("tank DEGRADED"), "{first}");
    // The tab bar says it in the error style, whichever pane is shown.
    let x = first.find("tank DEGRADED").unwrap() as u16;
    assert_eq!(b[(x, 0)].style().fg, theme.style(Slot::StatusErr).fg);
    keys(&mut s, &[KeyCode::Char('4')]);
    let swarm = text(&render(&mut s, 120, 40));
    assert!(
        swarm.lines().next().unwrap().contains("tank DEGRADED"),
        "{swarm}"
    );
    // The rolling ETA (2h) stands beside ZFS's own (8h), which differ much.
    assert!(t.contains("resilver 34.7% · 2h00m (zfs 8h00m)"), "{t}");
    // ai was scrubbed 40 days ago (5w): past the 35-day warning, in its tone.
    let y = t.lines().position(|l| l.contains("│ai ")).unwrap() as u16;
    let ai = t.lines().nth(usize::from(y)).unwrap();
    let x = ai.find("5w").expect("the scrub's age") as u16;
    let x = ai[..usize::from(x)].chars().count() as u16;
    assert_eq!(
        b[(x, y)].style().fg,
        theme.style(Slot::StatusWarn).fg,
        "{ai}"
    );
}

#[test]
fn a_pools_vdev_tree_with_its_errors_and_notes() {
    snap_all("zfs__vdevs_resilvering", || {
        let mut s = zfs_state();
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
        s
    });
}

#[test]
fn datasets_with_a_quota_nearly_full() {
    snap_all("zfs__datasets", || {
        let mut s = zfs_state();
        command(&mut s, "datasets");
        s
    });
}

#[test]
fn the_arc_in_detail() {
    snap_all("zfs__arc", || {
        let mut s = zfs_state();
        command(&mut s, "arc");
        s
    });
}

/// Only the healthy, scrubbed pool, and forty datasets: a quiet NAS.
fn healthy_state() -> State {
    let mut snap = nas();
    snap.pools.retain(|p| p.name.as_str() == "ai");
    let template = snap.datasets[0].clone();
    snap.datasets = (0..40)
        .map(|i| crate::backend::zfs::model::Dataset {
            name: crate::core::text::SafeText::new(&format!("ai/models/m{i:02}")),
            ..template.clone()
        })
        .collect();
    let mut s = bare_state(AccessMode::ReadOnly);
    update(
        &mut s,
        Msg::to_pane(
            "zfs",
            ZfsMsg::Feed {
                host: 0,
                feed: ZfsFeed {
                    snapshot: Some(Arc::new(snap)),
                    status: SourceStatus::Live,
                },
            },
        ),
    );
    keys(&mut s, &[KeyCode::Char('3')]);
    s
}

#[test]
fn a_healthy_pool_is_quiet_and_many_datasets_scroll() {
    snap_all("zfs__pools_healthy", healthy_state);
    snap_all("zfs__many_datasets", || {
        let mut s = healthy_state();
        command(&mut s, "datasets");
        keys(&mut s, &[KeyCode::End]);
        s
    });
    let mut s = healthy_state();
    let t = text(&render(&mut s, 80, 24));
    let first = t.lines().next().unwrap();
    assert!(
        !first.contains('!') && !first.contains("DEGRADED"),
        "{first}"
    );
}
