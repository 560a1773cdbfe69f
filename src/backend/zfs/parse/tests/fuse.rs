//! zfs-fuse 0.7.0, the lab's ZFS: real output captured from it, and its ` scrub:` line.

use super::outline;
use crate::backend::zfs::model::{DatasetKind, PoolUsage, ScanKind, ScanState};
use crate::backend::zfs::parse::{datasets_text, list_text, snapshots_text, status_text};
use crate::core::time::Timestamp;

#[test]
fn real_status_with_a_finished_resilver() {
    let pools = status_text(fixture!("fuse_status_real.txt"));
    assert_eq!(pools.len(), 1);
    let p = &pools[0];
    assert_eq!(
        (p.name.as_str(), p.health.as_str(), p.data_errors),
        ("labtank", "ONLINE", Some(0))
    );
    assert_eq!(
        outline(&p.vdevs),
        [
            "raidz1-0 Data ONLINE 0/0/0",
            "  /var/tmp/labdeck-lab/zfs/d1 Data ONLINE 0/0/0",
            "  /var/tmp/labdeck-lab/zfs/d2 Data ONLINE 0/0/0 4K resilvered",
            "  /var/tmp/labdeck-lab/zfs/d3 Data ONLINE 0/0/0",
        ]
    );
    let s = p.scan.as_ref().unwrap();
    assert_eq!(
        (s.kind, s.state, s.duration_secs, s.errors),
        (ScanKind::Resilver, ScanState::Finished, Some(0), Some(0))
    );
    assert_eq!(
        s.when.as_ref().unwrap().as_str(),
        "Tue Dec  1 23:38:10 2026"
    );
    assert_eq!(s.at, Some(Timestamp(1_796_168_290)));
}

#[test]
fn the_old_one_line_scrub_forms() {
    let pools = status_text(fixture!("fuse_status_scrubs.txt"));
    let s: Vec<_> = pools.iter().map(|p| p.scan.clone()).collect();
    let a = s[0].as_ref().unwrap();
    assert_eq!(
        (a.kind, a.state, a.percent, a.zfs_eta_secs),
        (
            ScanKind::Scrub,
            ScanState::InProgress,
            Some(12.34),
            Some(420)
        )
    );
    let b = s[1].as_ref().unwrap();
    assert_eq!(
        (b.kind, b.state, b.percent, b.zfs_eta_secs),
        (
            ScanKind::Resilver,
            ScanState::InProgress,
            Some(30.03),
            Some(120)
        )
    );
    assert_eq!(
        pools[1].vdevs[0].children[1]
            .note
            .as_ref()
            .unwrap()
            .as_str(),
        "cannot open"
    );
    let c = s[2].as_ref().unwrap();
    assert_eq!(
        (c.state, c.duration_secs, c.errors),
        (ScanState::Canceled, Some(180), Some(0))
    );
    assert!(c.at.is_some());
    let d = s[3].as_ref().unwrap();
    assert_eq!(
        (d.state, d.duration_secs, d.errors, d.repaired),
        (ScanState::Finished, Some(3720), Some(2), None)
    );
    assert_eq!(s[4], None);
}

#[test]
fn real_list_and_datasets() {
    let l = list_text(fixture!("fuse_list_real.txt"));
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].0.as_str(), "labtank");
    assert_eq!(
        l[0].1,
        PoolUsage {
            size: 370 << 20,
            alloc: 3_250_586,
            free: 367 << 20,
            frag: None,
            cap: Some(0),
            dedup: Some(1.0)
        }
    );
    assert_eq!(l[0].2.as_str(), "ONLINE");
    let d = datasets_text(fixture!("fuse_datasets_real.txt"));
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[1].name.as_str(), d[1].kind, d[1].used, d[1].refer),
        (
            "labtank/apps",
            DatasetKind::Filesystem,
            149 << 10,
            149 << 10
        )
    );
    assert_eq!(
        (
            d[0].quota,
            d[0].used_by_snapshots,
            d[0].block_size,
            d[0].compression.as_str()
        ),
        (None, Some(0), Some(128 << 10), "off")
    );
}

#[test]
fn creation_as_zfs_fuse_prints_it() {
    // Snapshot listing shape (name used refer creation) on the real filesystems' lines:
    // no `@`, so not snapshots; with one they read.
    let text = fixture!("fuse_snapshots_like_real.txt");
    assert!(snapshots_text(text).is_empty());
    let snaps = snapshots_text(&text.replace("labtank\t", "labtank@a\t"));
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].created, Some(Timestamp(1_796_166_840)));
}
