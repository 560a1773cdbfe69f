//! The ZFS source against the lab's real pool (zfs-fuse, `scripts/lab up` makes
//! `labtank`: raidz of three sparse files): what the watcher publishes, as the pane
//! reads it. One test changes the pool (offline, scrub, snapshot) and the others only
//! read, so the pool-changing steps are in one test, in order.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use labdeck::backend::zfs::model::{ScanKind, ScanState};
use labdeck::backend::zfs::runner::ZfsHost;
use labdeck::backend::zfs::watch::{ZfsFeed, ZfsSnapshot, ZfsWatcher};
use labdeck::core::status::SourceStatus;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

const POOL: &str = "labtank";
const DISK: &str = "/var/tmp/labdeck-lab/zfs/d2";

/// The lab pool answers `zpool list`; under CI=true its absence is a failure.
fn require_pool() -> bool {
    let ok = Command::new("zpool")
        .args(["list", "-H", POOL])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !support::lab::in_ci(),
            "the lab pool {POOL} is missing (scripts/lab up makes it)"
        );
        eprintln!("skipped: no pool {POOL} (run scripts/lab up)");
    }
    ok
}

fn sh(args: &[&str]) {
    let out = Command::new(args[0]).args(&args[1..]).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fast-polling host (1 s), so "within one poll" is a short wait.
fn host(name: &str, prefix: &[&str]) -> ZfsHost {
    ZfsHost {
        name: name.into(),
        prefix: prefix.iter().map(|s| s.to_string()).collect(),
        pools_every: 1,
        datasets_every: 1,
        snapshots_every: 1,
        ..ZfsHost::local()
    }
}

struct Watched {
    watcher: ZfsWatcher,
    _stop: tokio_util::sync::DropGuard,
}

fn watch_host(h: ZfsHost) -> Watched {
    let cancel = CancellationToken::new();
    Watched {
        watcher: ZfsWatcher::spawn(h, cancel.clone()),
        _stop: cancel.drop_guard(),
    }
}

async fn wait_for(
    feed: &mut watch::Receiver<ZfsFeed>,
    what: &str,
    secs: u64,
    mut pred: impl FnMut(&ZfsFeed) -> bool,
) -> ZfsFeed {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let f = feed.borrow_and_update().clone();
        if pred(&f) {
            return f;
        }
        if tokio::time::timeout_at(deadline, feed.changed())
            .await
            .is_err()
        {
            panic!("waiting for {what}: last feed {:?}", f.status);
        }
    }
}

fn snap(f: &ZfsFeed) -> Arc<ZfsSnapshot> {
    f.snapshot.clone().expect("a snapshot")
}

fn pool_health(f: &ZfsFeed) -> Option<String> {
    f.snapshot
        .as_ref()?
        .pools
        .iter()
        .find(|p| p.name.as_str() == POOL)
        .map(|p| p.health.to_string())
}

/// The vdev (any depth) named `name`'s state.
fn vdev_state(s: &ZfsSnapshot, name: &str) -> Option<String> {
    fn find(v: &[labdeck::backend::zfs::model::Vdev], name: &str) -> Option<String> {
        v.iter().find_map(|x| {
            if x.name.as_str() == name {
                Some(x.state.to_string())
            } else {
                find(&x.children, name)
            }
        })
    }
    let p = s.pools.iter().find(|p| p.name.as_str() == POOL)?;
    find(&p.vdevs, name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_its_raidz_datasets_degraded_scrub_and_snapshot_from_the_real_pool() {
    if !require_pool() {
        return;
    }
    let w = watch_host(host("lab", &[]));
    let mut feed = w.watcher.feed.clone();
    let f = wait_for(&mut feed, "the pool, live", 30, |f| {
        f.status.is_live() && pool_health(f).as_deref() == Some("ONLINE")
    })
    .await;
    let s = snap(&f);
    let p = s.pools.iter().find(|p| p.name.as_str() == POOL).unwrap();
    assert_eq!(p.vdevs.len(), 1, "{:?}", p.vdevs);
    assert_eq!(p.vdevs[0].name.as_str(), "raidz1-0");
    assert_eq!(p.vdevs[0].children.len(), 3);
    let u = p.usage.expect("zpool list figures");
    assert!(u.size > 300 << 20, "{u:?}");
    assert!(
        s.datasets.iter().any(|d| d.name.as_str() == "labtank/apps"),
        "{:?}",
        s.datasets
    );

    // A device taken offline: DEGRADED with that device OFFLINE, within a poll or two.
    sh(&["zpool", "offline", POOL, DISK]);
    let restore = scopeguard(|| {
        let _ = Command::new("zpool").args(["online", POOL, DISK]).output();
    });
    let f = wait_for(&mut feed, "DEGRADED", 10, |f| {
        pool_health(f).as_deref() == Some("DEGRADED")
    })
    .await;
    assert_eq!(vdev_state(&snap(&f), DISK).as_deref(), Some("OFFLINE"));
    sh(&["zpool", "online", POOL, DISK]);
    drop(restore);
    wait_for(&mut feed, "ONLINE again", 10, |f| {
        pool_health(f).as_deref() == Some("ONLINE")
    })
    .await;

    // A scrub shows up (on a small pool it finishes within a poll: finished or running).
    sh(&["zpool", "scrub", POOL]);
    let f = wait_for(&mut feed, "a scrub", 20, |f| {
        f.snapshot.as_ref().is_some_and(|s| {
            s.pools.iter().any(|p| {
                p.name.as_str() == POOL
                    && p.scan.as_ref().is_some_and(|sc| {
                        sc.kind == ScanKind::Scrub
                            && matches!(sc.state, ScanState::Finished | ScanState::InProgress)
                    })
            })
        })
    })
    .await;
    assert!(f.status.is_live());

    // Writing to the pool shows as I/O (zpool iostat over a second, each poll): a writer
    // runs through the wait, so some sample falls inside it.
    let blob = "/labtank/apps/io-probe";
    let script = format!(
        "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do dd if=/dev/urandom of={blob} bs=1M count=8 conv=fsync 2>/dev/null; sleep 0.5; done"
    );
    let mut writer = Command::new("sh").args(["-c", &script]).spawn().unwrap();
    wait_for(&mut feed, "write I/O", 20, |f| {
        f.snapshot.as_ref().is_some_and(|s| {
            s.io.get(POOL)
                .is_some_and(|h| h.iter().any(|(_, w)| *w > 0))
        })
    })
    .await;
    let _ = writer.kill();
    let _ = writer.wait();
    let _ = std::fs::remove_file(blob);

    // A snapshot made on the pool is listed.
    let name = format!("labtank/apps@live-{}", std::process::id());
    sh(&["zfs", "snapshot", &name]);
    let _gone = scopeguard(|| {
        let _ = Command::new("zfs").args(["destroy", &name]).output();
    });
    wait_for(&mut feed, "the snapshot", 10, |f| {
        f.snapshot
            .as_ref()
            .is_some_and(|s| s.snapshots.iter().any(|x| x.raw_name == name))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_host_through_a_command_prefix_is_its_own_source() {
    if !require_pool() {
        return;
    }
    let local = watch_host(host("lab", &[]));
    let other = watch_host(host("via-env", &["env", "LABDECK_VIA=1"]));
    for w in [&local, &other] {
        let mut feed = w.watcher.feed.clone();
        wait_for(&mut feed, "the pool", 30, |f| pool_health(f).is_some()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_zpool_is_killed_and_its_source_goes_stale_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let hang = dir.path().join("zpool");
    std::fs::write(&hang, "#!/bin/sh\nexec sleep 60\n").unwrap();
    std::fs::set_permissions(&hang, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let h = ZfsHost {
        zpool: hang.to_str().unwrap().into(),
        timeout_secs: 1,
        ..host("hung", &[])
    };
    let w = watch_host(h);
    let mut feed = w.watcher.feed.clone();
    let f = wait_for(&mut feed, "stale", 15, |f| {
        matches!(f.status, SourceStatus::Stale { .. })
    })
    .await;
    let SourceStatus::Stale { reason, .. } = f.status else {
        unreachable!()
    };
    assert!(
        reason.as_str().contains("did not finish in 1 s (killed)"),
        "{reason}"
    );
}

/// Runs `f` when dropped: the pool is put back however the test ends.
fn scopeguard(f: impl FnOnce()) -> impl Drop {
    struct G<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for G<F> {
        fn drop(&mut self) {
            if let Some(f) = self.0.take() {
                f();
            }
        }
    }
    G(Some(f))
}
