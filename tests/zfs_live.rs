//! The ZFS source against the lab's real pool (zfs-fuse, `scripts/lab up` makes
//! `labtank`: raidz of three sparse files): what the watcher publishes, as the pane
//! reads it. One test changes the pool (offline, scrub, snapshot) and the others only
//! read, so the pool-changing steps are in one test, in order.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use labdeck::backend::zfs::model::{ScanKind, ScanState};
use labdeck::backend::zfs::ops::{ZfsOp, ZfsStep};
use labdeck::backend::zfs::runner::{Runner, Tool, ZfsHost};
use labdeck::backend::zfs::watch::{ZfsFeed, ZfsSnapshot, ZfsWatcher};
use labdeck::core::status::SourceStatus;
use labdeck::ops::plan::Step;
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

/// The tests that change the pool take it one at a time.
static CHANGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The lab's sshd, as a ZFS command prefix (root on this same machine).
const SSH: [&str; 4] = [
    "ssh",
    "-F",
    "/var/tmp/labdeck-lab/ssh/config",
    "labdeck-lab",
];

fn snapshots() -> Vec<String> {
    let out = Command::new("zfs")
        .args(["list", "-H", "-t", "snapshot", "-o", "name"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

async fn apply(host: &ZfsHost, op: ZfsOp) -> Result<String, String> {
    let writer = support::writer();
    let step = ZfsStep {
        host: host.clone(),
        op,
    };
    step.apply(&writer, Arc::new(|_| {}))
        .await
        .map_err(|e| e.to_string())
}

/// Every write the pane offers, run as the pane runs it (a plan step with the Writer),
/// on the real pool: locally, and over ssh with a name that holds a space.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_runs_on_the_real_pool_and_a_refusal_says_why() {
    if !require_pool() {
        return;
    }
    let _one = CHANGES.lock().await;
    let local = host("lab", &[]);
    let pid = std::process::id();

    // Snapshot, then destroy it.
    let snap_name = format!("w-{pid}");
    let full = format!("labtank/apps@{snap_name}");
    let done = apply(
        &local,
        ZfsOp::Snapshot {
            dataset: "labtank/apps".into(),
            name: snap_name.clone(),
            recursive: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(done, format!("snapshot {full} taken"));
    assert!(snapshots().contains(&full), "{:?}", snapshots());
    let done = apply(
        &local,
        ZfsOp::DestroySnapshot {
            snapshot: full.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(done, format!("{full} destroyed"));
    assert!(!snapshots().contains(&full));

    // Scrub start and stop (zfs-fuse accepts a stop when none runs); pause is newer
    // than zfs-fuse, which refuses it: the error names the command, the exit code and
    // zpool's own first line.
    let before = Command::new("zpool")
        .args(["status", POOL])
        .output()
        .unwrap();
    assert!(before.status.success());
    let scrub = |op| apply(&local, op);
    assert_eq!(
        scrub(ZfsOp::Scrub { pool: POOL.into() }).await.unwrap(),
        "scrub of labtank started"
    );
    let after = String::from_utf8_lossy(
        &Command::new("zpool")
            .args(["status", POOL])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        after.contains("scrub in progress") || after.contains("scrub completed"),
        "{after}"
    );
    scrub(ZfsOp::StopScrub { pool: POOL.into() }).await.unwrap();
    let e = scrub(ZfsOp::PauseScrub { pool: POOL.into() })
        .await
        .unwrap_err();
    assert!(
        e.contains("`zpool scrub -p labtank` failed (exit 2): invalid option 'p'"),
        "{e}"
    );

    // Over ssh, a snapshot whose name holds a space (ZFS allows it) is one argument on
    // the far side too: taken locally, destroyed through ssh, and nothing else goes.
    let spaced = format!("labtank/apps@two words-{pid}");
    sh(&["zfs", "snapshot", &spaced]);
    let far = host("far", &SSH);
    let listed = Runner::new(far.clone())
        .read(
            Tool::Zfs,
            &["list", "-H", "-t", "snapshot", "-o", "name", &spaced],
        )
        .await
        .unwrap();
    assert_eq!(listed.trim(), spaced);
    apply(
        &far,
        ZfsOp::DestroySnapshot {
            snapshot: spaced.clone(),
        },
    )
    .await
    .unwrap();
    assert!(!snapshots().contains(&spaced), "{:?}", snapshots());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_its_raidz_datasets_degraded_scrub_and_snapshot_from_the_real_pool() {
    if !require_pool() {
        return;
    }
    let _one = CHANGES.lock().await;
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
    let f = wait_for(&mut feed, "DEGRADED", 5, |f| {
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

    // A scrub shows up (on a small pool it finishes within a poll: finished or running),
    // this one: its date is not older than the command (zpool's dates have seconds).
    let asked = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 1;
    sh(&["zpool", "scrub", POOL]);
    let f = wait_for(&mut feed, "a scrub", 20, |f| {
        f.snapshot.as_ref().is_some_and(|s| {
            s.pools.iter().any(|p| {
                p.name.as_str() == POOL
                    && p.scan.as_ref().is_some_and(|sc| {
                        sc.kind == ScanKind::Scrub
                            && sc.at.is_some_and(|t| t.0 >= asked)
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
    // The prefix is really what runs: it leaves a mark, then runs the command.
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    let wrap = format!("touch '{}'; exec \"$@\"", mark.display());
    let local = watch_host(host("lab", &[]));
    let other = watch_host(host("via-sh", &["sh", "-c", &wrap, "sh"]));
    let far = watch_host(host("via-ssh", &SSH));
    let mut pools = Vec::new();
    for w in [&local, &other, &far] {
        let mut feed = w.watcher.feed.clone();
        let f = wait_for(&mut feed, "the pool", 30, |f| pool_health(f).is_some()).await;
        assert!(f.status.is_live());
        pools.push(snap(&f).pools.len());
    }
    assert!(mark.exists(), "the prefix never ran");
    assert_eq!(pools, [1, 1, 1], "each source read the pool itself");
}

/// An idle pool polled every second publishes nothing after its first read: the
/// watcher sends only news (the pane then has nothing to draw).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_pool_polled_every_second_publishes_nothing_new() {
    if !require_pool() {
        return;
    }
    let _one = CHANGES.lock().await;
    // ZFS frees space in the background after a destroy: wait for it to hold still.
    let alloc = || {
        Command::new("zpool")
            .args(["list", "-H", "-o", "allocated,free", POOL])
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default()
    };
    let mut last = alloc();
    let mut still = 0;
    for _ in 0..=30 {
        if still >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = alloc();
        still = if now == last { still + 1 } else { 0 };
        last = now;
    }
    assert!(
        still >= 3,
        "the pool never held still: {}",
        String::from_utf8_lossy(&last)
    );
    // Real OpenZFS's ARC counters move on every read, busy or idle (zfs-fuse has none):
    // a kstat directory whose arcstats a thread keeps changing stands in for the kernel.
    let dir = tempfile::tempdir().unwrap();
    let kstat = dir.path().join("kstat");
    std::fs::create_dir(&kstat).unwrap();
    let arcstats = kstat.join("arcstats");
    let write_arc = move |hits: u64| {
        let text = format!(
            "13 1 0x01 7 1904 5183451012 943117201386\nname type data\n\
             hits 4 {hits}\nmisses 4 1000\nsize 4 1073741824\nc 4 2147483648\n\
             c_min 4 536870912\nc_max 4 4294967296\nmru_size 4 536870912\nmfu_size 4 536870912\n"
        );
        std::fs::write(&arcstats, text).unwrap();
    };
    write_arc(1_000_000);
    let moving = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let still_moving = moving.clone();
    let mover = std::thread::spawn(move || {
        let mut hits = 1_000_000;
        while still_moving.load(std::sync::atomic::Ordering::Relaxed) {
            hits += 7;
            write_arc(hits);
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    // Every zpool run leaves a line, so the quiet window is shown to have had polls.
    let runs = dir.path().join("runs");
    let zpool = dir.path().join("zpool");
    std::fs::write(
        &zpool,
        format!(
            "#!/bin/sh\necho run >> '{}'\nexec zpool \"$@\"\n",
            runs.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&zpool, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let count = || {
        std::fs::read_to_string(&runs)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let mut h = host("idle", &[]);
    h.zpool = zpool.display().to_string();
    h.kstat_root = Some(kstat.display().to_string());
    let w = watch_host(h);
    let mut feed = w.watcher.feed.clone();
    // Live, with the ARC read and the first I/O sample in (datasets come with the first
    // read).
    let first = wait_for(&mut feed, "live with the ARC and an I/O sample", 30, |f| {
        f.status.is_live()
            && f.snapshot
                .as_ref()
                .is_some_and(|s| s.arc.is_some() && s.io.get(POOL).is_some_and(|h| !h.is_empty()))
    })
    .await;
    let hits = |f: &ZfsFeed| snap(f).arc.as_ref().map(|a| a.hits);
    let before = count();
    feed.borrow_and_update();
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert!(
        !feed.has_changed().unwrap(),
        "six polls of an idle pool published: {:?}",
        feed.borrow()
            .snapshot
            .as_ref()
            .map(|s| (&s.io, &s.pools, &s.arc))
    );
    assert!(
        count() >= before + 5,
        "the window had its polls: {} zpool runs",
        count() - before
    );
    // With the ARC's view open, its every move is news.
    w.watcher.show_arc(true);
    let moved = wait_for(&mut feed, "the ARC's counters", 10, |f| {
        hits(f) != hits(&first)
    })
    .await;
    assert!(hits(&moved) > hits(&first));
    moving.store(false, std::sync::atomic::Ordering::Relaxed);
    mover.join().unwrap();
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

/// A host that cannot be read at start shows everything once it answers: its datasets
/// come with the first good pools read, not their own (here ten-minute) beat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_down_at_start_shows_its_datasets_as_soon_as_it_answers() {
    if !require_pool() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("up");
    let zpool = dir.path().join("zpool");
    std::fs::write(
        &zpool,
        format!(
            "#!/bin/sh\n[ -e '{}' ] || {{ echo 'cannot reach the pool' >&2; exit 1; }}\nexec zpool \"$@\"\n",
            up.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&zpool, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let h = ZfsHost {
        zpool: zpool.to_str().unwrap().into(),
        datasets_every: 600,
        snapshots_every: 600,
        ..host("late", &[])
    };
    let w = watch_host(h);
    let mut feed = w.watcher.feed.clone();
    wait_for(&mut feed, "stale while down", 15, |f| {
        matches!(f.status, SourceStatus::Stale { .. })
    })
    .await;
    std::fs::write(&up, "").unwrap();
    wait_for(&mut feed, "pools and datasets once up", 15, |f| {
        f.status.is_live()
            && f.snapshot.as_ref().is_some_and(|s| {
                s.pools.iter().any(|p| p.name.as_str() == POOL)
                    && s.datasets.iter().any(|d| d.name.as_str() == "labtank/apps")
            })
    })
    .await;
}
