//! Screens of the ZFS pane: healthy and scrubbing pools beside a degraded one that
//! resilvers, its vdev tree, datasets (one over 90% of its quota) and the ARC.

use super::tests::{keys, render, snap_all, text};
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::update::tests::bare_state;
use crate::app::update::update;
use crate::app::zfs::tests::feed;
use crate::backend::zfs::sample::nas;
use crate::core::access::AccessMode;
use crate::ui::theme::{Slot, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn zfs_state() -> State {
    let mut s = bare_state(AccessMode::ReadOnly);
    feed(&mut s, 0, nas());
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
    feed(&mut s, 0, snap);
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

/// The colour of the first cell on the row holding `row` whose text starts `cell`.
/// Text that is not on screen fails the test: a missing cell has no colour to compare.
fn fg_at(b: &ratatui::buffer::Buffer, row: &str, cell: &str) -> Option<ratatui::style::Color> {
    let t = text(b);
    let y = super::tests::row_of(b, row);
    let line = t.lines().nth(usize::from(y)).unwrap_or_default();
    let start = line.find(row).unwrap_or_default();
    let at = start
        + line[start..]
            .find(cell)
            .unwrap_or_else(|| panic!("{cell:?} is not after {row:?}:\n{t}"));
    let x = line[..at].chars().count() as u16;
    b[(x, y)].style().fg
}

#[test]
fn errors_unavailable_disks_and_a_full_quota_are_in_the_error_style() {
    let theme = Theme::default();
    let err = theme.style(Slot::StatusErr).fg;
    let mut s = zfs_state();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
    let b = render(&mut s, 120, 40);
    assert_eq!(fg_at(&b, "  sdc ", "UNAVAIL"), err, "{}", text(&b));
    // sdd's 3 checksum errors, red; its zero read errors not.
    assert_eq!(fg_at(&b, "  sdd ", "3 "), err);
    assert_ne!(fg_at(&b, "  sdd ", "0 "), err);
    assert_ne!(fg_at(&b, "  sda ", "ONLINE"), err);
    command(&mut s, "datasets");
    let b = render(&mut s, 120, 40);
    assert_eq!(fg_at(&b, "/plex ", "100.0 GiB 95%"), err, "{}", text(&b));
    assert_ne!(fg_at(&b, "│tank/media ", "none"), err);
}

/// The sample with snapshots of several sizes and ages.
fn snapshots_state() -> State {
    use crate::backend::zfs::model::Snapshot;
    let mut snap = nas();
    let at = |d: &str, n: &str, used: u64, days: i64| Snapshot {
        name: crate::core::text::SafeText::new(&format!("{d}@{n}")),
        raw_name: format!("{d}@{n}"),
        used,
        refer: 7 << 40,
        created: Some(crate::core::time::Timestamp(
            snap.taken_at.unwrap().0 - days * 86_400,
        )),
    };
    snap.snapshots = vec![
        at("tank/media", "labdeck-20261101-030000", 40 << 30, 30),
        at("tank/media", "labdeck-20261124-030000", 2 << 30, 7),
        at("tank/media", "before-upgrade", 300 << 30, 90),
        at("tank/ix-apps/app_mounts/plex", "nightly", 512 << 20, 1),
    ];
    let mut s = bare_state(AccessMode::ReadOnly);
    feed(&mut s, 0, snap);
    keys(&mut s, &[KeyCode::Char('3')]);
    command(&mut s, "snapshots");
    s
}

#[test]
fn snapshots_of_every_dataset_sorted_by_the_space_each_holds() {
    snap_all("zfs__snapshots", snapshots_state);
    let mut s = snapshots_state();
    // `o` sorts by the next column: the name, then USED, the space each snapshot alone
    // holds (the most first: 300 GiB before 40 GiB before 512 MiB, whatever the unit).
    keys(&mut s, &[KeyCode::Char('o'), KeyCode::Char('o')]);
    let t = text(&render(&mut s, 120, 40));
    let order: Vec<&str> = t
        .lines()
        .filter_map(|l| l.split('@').nth(1))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        order,
        [
            "before-upgrade",
            "labdeck-20261101-030000",
            "labdeck-20261124-030000",
            "nightly"
        ],
        "{t}"
    );
    assert!(
        t.contains("USED↓"),
        "largest first, and the arrow says so: {t}"
    );
}

#[test]
fn healthy_degraded_and_scanning_pools_each_have_their_tone() {
    let theme = Theme::default();
    let (ok, warn) = (
        theme.style(Slot::StatusOk).fg,
        theme.style(Slot::StatusWarn).fg,
    );
    let mut s = zfs_state();
    // ai is selected, so tank's and vms's rows are drawn in their own colours.
    let b = render(&mut s, 120, 40);
    assert_eq!(fg_at(&b, "│tank ", "DEGRADED"), warn, "{}", text(&b));
    assert_eq!(fg_at(&b, "│tank ", "resilver 34.7%"), warn);
    assert_eq!(fg_at(&b, "│vms ", "ONLINE"), ok);
    assert_eq!(fg_at(&b, "│vms ", "scrub 46.7%"), warn);
    // Over 80 % full: the capacity bar warns.
    assert_eq!(fg_at(&b, "│vms ", "▰"), warn);
    // ai (the selected row, in the selection's colours) once tank is selected instead:
    // a finished clean scrub in the good tone.
    keys(&mut s, &[KeyCode::Down]);
    let b = render(&mut s, 120, 40);
    assert_eq!(fg_at(&b, "│ai ", "ONLINE"), ok);
    assert_eq!(fg_at(&b, "│ai ", "scrub ok"), ok);
}
