//! The ZFS pane as a person uses it, in tmux against the lab's real pool: it shows the
//! pool and its tree, says loudly when the pool degrades, takes a snapshot through its
//! dialogs, and in read-only mode runs nothing but reads whatever keys are pressed.

mod support;

use std::process::Command;

use support::keys::{default_keymap, tmux_key};
use support::labdeck::{Labdeck, first_line, quiet, run_command, title_line};

const POOL: &str = "labtank";
const DISK: &str = "/var/tmp/labdeck-lab/zfs/d2";
const CONFIG: &str =
    "[[zfs]]\nname = \"lab\"\npools_every = 1\ndatasets_every = 1\nsnapshots_every = 1\n";

/// The tests here share the lab pool: one at a time, so the idle one sees it idle.
static SHARED: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    SHARED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits (up to 30 s) until the pool's allocation holds still for 3 s: ZFS frees
/// space in the background after a destroy, which is a real change on screen. Fails
/// the test if it never does.
fn wait_until_quiet() {
    let read = || {
        Command::new("zpool")
            .args(["list", "-H", "-o", "allocated,free", POOL])
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut last = read();
    let mut still = 0;
    while still < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the pool never held still: {}",
            String::from_utf8_lossy(&last)
        );
        std::thread::sleep(std::time::Duration::from_secs(1));
        let now = read();
        still = if now == last { still + 1 } else { 0 };
        last = now;
    }
}

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
    }
    ok
}

fn zfs(args: &[&str]) -> String {
    let out = Command::new("zfs").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn open_zfs(app: &Labdeck) {
    app.press("3", "the ZFS pane with the pool", |s| {
        title_line(s).contains("ZFS › pools") && s.contains(POOL) && s.contains("ONLINE")
    });
}

/// Degraded, loudly; its tree; then a snapshot through the prompt and the dialog.
#[test]
fn the_pool_degrades_loudly_and_a_snapshot_is_taken_through_the_dialogs() {
    let _one = one_at_a_time();
    if !require_pool() {
        return;
    }
    let app = Labdeck::start_with_config(CONFIG, &[], &[], 120, 32);
    open_zfs(&app);
    app.press("Enter", "the raidz tree", |s| {
        s.contains("raidz1-0") && s.contains(DISK)
    });
    let _ = Command::new("zpool").args(["offline", POOL, DISK]).output();
    let seen = app.expect_that("DEGRADED in the tab bar and the tree", |s| {
        first_line(s).contains("labtank DEGRADED")
            && first_line(s).contains("3 ZFS!")
            && s.lines().any(|l| l.contains(DISK) && l.contains("OFFLINE"))
    });
    let _ = Command::new("zpool").args(["online", POOL, DISK]).output();
    assert!(seen.contains("DEGRADED"));
    app.expect_that("the alert gone", |s| !first_line(s).contains("DEGRADED"));

    app.send_keys(&[":"]);
    app.send_text("datasets");
    app.press("Enter", "the datasets", |s| s.contains("labtank/apps"));
    app.send_keys(&["/"]);
    app.send_text("apps");
    app.press("Enter", "apps alone", |s| title_line(s).contains("/apps "));
    app.press("s", "the snapshot prompt", |s| {
        s.contains("snapshot labtank/apps@")
    });
    app.press("Enter", "the dialog", |s| {
        s.contains("Take snapshot labtank/apps@labdeck-")
    });
    app.press("Enter", "the snapshot taken", |s| s.contains("taken"));
    let listed = zfs(&["list", "-H", "-t", "snapshot", "-o", "name"]);
    let ours: Vec<&str> = listed
        .lines()
        .filter(|l| l.starts_with("labtank/apps@labdeck-"))
        .collect();
    assert_eq!(ours.len(), 1, "{listed}");
    let _ = Command::new("zfs").args(["destroy", ours[0]]).output();
}

/// `ctrl-d` on a snapshot asks for its name: a wrong one destroys nothing and asks
/// again; the right one destroys it, and the list follows. A scrub starts from `S`.
#[test]
fn a_snapshot_is_destroyed_only_by_its_typed_name_and_a_scrub_starts() {
    let _one = one_at_a_time();
    if !require_pool() {
        return;
    }
    let doomed = format!("labtank/apps@doomed-{}", std::process::id());
    let made = Command::new("zfs")
        .args(["snapshot", &doomed])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let listed = || zfs(&["list", "-H", "-t", "snapshot", "-o", "name"]);
    let app = Labdeck::start_with_config(CONFIG, &[], &[], 120, 32);
    open_zfs(&app);
    app.send_keys(&[":"]);
    app.send_text("snapshots");
    app.press("Enter", "the snapshots", |s| s.contains("@doomed-"));
    app.send_keys(&["/"]);
    app.send_text("doomed");
    app.press("Enter", "ours alone", |s| title_line(s).contains("/doomed"));
    app.press("C-d", "the name asked for", |s| {
        s.contains(&format!("destroy {doomed}? type its name"))
    });
    app.send_text("labtank/apps@wrong");
    app.press("Enter", "refused", |s| {
        s.contains("the name does not match")
    });
    assert!(listed().contains(&doomed), "a wrong name destroyed it");
    app.send_keys(&["BSpace"; 20]);
    app.send_text(&doomed);
    app.expect_that("the right name typed", |s| {
        s.contains(&format!("type its name: {doomed}"))
    });
    app.press("Enter", "destroyed", |s| s.contains("destroyed"));
    assert!(!listed().contains(&doomed), "{}", listed());
    app.expect_that("gone from the list", |s| title_line(s).contains(" 0/0 "));

    // A scrub from the pools view: it runs (zfs-fuse finishes it at once on this pool,
    // so the proof is its finishing time, which moves).
    let scrub_line = || {
        let out = Command::new("zpool")
            .args(["status", POOL])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.contains("scrub:"))
            .unwrap_or("")
            .to_string()
    };
    let before = scrub_line();
    // The finishing time has one-second resolution: start once the clock has moved on
    // from the second the last scrub could have ended in.
    let second = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let read_at = second();
    while second() <= read_at {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    app.send_keys(&[":"]);
    app.send_text("pools");
    app.press("Enter", "the pools", |s| {
        title_line(s).contains("ZFS › pools")
    });
    app.press("S", "the scrub dialog", |s| {
        s.contains("Start a scrub of pool labtank")
    });
    app.press("Enter", "started", |s| {
        s.contains("scrub of labtank started")
    });
    let after = scrub_line();
    assert!(
        after != before && after.contains("scrub"),
        "{before} → {after}"
    );
}

/// Snapshots are read every ten minutes here, yet opening their list shows one taken a
/// moment ago: opening the list reads them.
#[test]
fn opening_the_snapshots_reads_them_now() {
    let _one = one_at_a_time();
    if !require_pool() {
        return;
    }
    let config =
        "[[zfs]]\nname = \"lab\"\npools_every = 1\ndatasets_every = 600\nsnapshots_every = 600\n";
    let app = Labdeck::start_with_config(config, &["--read-only"], &[], 120, 32);
    open_zfs(&app);
    let fresh = format!("labtank/apps@fresh-{}", std::process::id());
    let made = Command::new("zfs")
        .args(["snapshot", &fresh])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let _gone = Cleanup(fresh.clone());
    app.send_keys(&[":"]);
    app.send_text("snapshots");
    app.press("Enter", "the new snapshot listed", |s| {
        s.contains("@fresh-")
    });
}

/// Destroys the snapshot when dropped, however the test ends.
struct Cleanup(String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = Command::new("zfs").args(["destroy", &self.0]).output();
    }
}

/// Every key of the keymap in every ZFS view, read-only: only reads ran. The same
/// recording in read-write mode sees the snapshot command.
#[test]
fn read_only_runs_only_reads_whatever_is_pressed() {
    let _one = one_at_a_time();
    if !require_pool() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("zfs.jsonl");
    let rec = record.to_str().unwrap();
    // Snapshots are read only when their list opens: the recording then shows the keys
    // were handled, which the watcher's own polls cannot fake. 160 columns: the status
    // bar always has room for its `? Help`, which says nothing is open.
    let config =
        "[[zfs]]\nname = \"lab\"\npools_every = 1\ndatasets_every = 1\nsnapshots_every = 600\n";
    let app = Labdeck::start_with_config(
        config,
        &["--read-only"],
        &[("LABDECK_ZFS_RECORD", rec)],
        160,
        32,
    );
    open_zfs(&app);
    let skip = [
        "quit",
        "tab-nodes",
        "tab-vlans",
        "tab-swarm",
        "tab-kube",
        "next-tab",
        "prev-tab",
        "command",
        "help",
        "filter",
        "exec",
    ];
    // Each key starts from its view, entered afresh (what an earlier key opened or left
    // is behind it): `:view`, or for the tree, `:pools` and Enter on the pool. The
    // command line shows what was typed before it runs: every key before was handled.
    let enter = |view: &str| {
        let (command, crumb) = match view {
            "vdevs" => ("pools", "ZFS › pools".to_string()),
            v => (v, format!("ZFS › {v}")),
        };
        run_command(&app, command);
        app.expect_that(view, |s| title_line(s).contains(&crumb) && quiet(s));
        if view == "vdevs" {
            app.press("Enter", "the raidz tree", |s| {
                s.contains("raidz1-0") && quiet(s)
            });
        }
    };
    let keymap = default_keymap();
    // A key another section binds to quit (logs' `q` is quit on this pane) or to
    // leaving the pane is skipped too: the test stays on the ZFS pane.
    let skipped_keys: Vec<&str> = keymap
        .iter()
        .filter(|b| skip.contains(&b.run.as_str()))
        .map(|b| b.key.as_str())
        .collect();
    let views = ["pools", "vdevs", "datasets", "snapshots", "arc"];
    let mut refused = Vec::new();
    for view in views {
        for b in &keymap {
            if skip.contains(&b.run.as_str()) || skipped_keys.contains(&b.key.as_str()) {
                continue;
            }
            enter(view);
            let writes = b.section == "zfs" && support::keys::writes(b);
            if writes {
                // Each write key, in each view, is refused on screen, by name.
                let said = format!("{} is unavailable: read-only mode", b.run);
                app.press(&tmux_key(&b.key), &said, |s| s.contains(&said));
                refused.push(format!("{view}:{}", b.run));
            } else {
                app.send_keys(&[&tmux_key(&b.key)]);
                // Whatever opened (a prompt, a dialog) is answered yes; the next
                // `enter` closes what is left.
                app.send_keys(&["Enter", "y"]);
            }
        }
    }
    assert_eq!(
        refused.len(),
        views.len() * 5,
        "snapshot, scrub, pause, stop and destroy refused in every view: {refused:?}"
    );
    run_command(&app, "pools");
    app.expect_that("still on the ZFS pane", |s| {
        title_line(s).contains("ZFS › pools") && quiet(s)
    });
    let text = std::fs::read_to_string(&record).unwrap_or_default();
    let runs: Vec<Vec<String>> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let snapshot_reads = runs
        .iter()
        .filter(|a| a.windows(2).any(|w| w == ["-t", "snapshot"]))
        .count();
    assert!(
        snapshot_reads >= 2,
        "opening the snapshots list read them: the keys were handled ({snapshot_reads}): {text}"
    );
    for argv in &runs {
        let sub = argv.get(1).map(String::as_str).unwrap_or("");
        assert!(
            ["list", "status", "get", "iostat", "version"].contains(&sub),
            "read-only ran {argv:?}"
        );
    }
    drop(app);

    // Control: read-write, the recording sees the write.
    let record2 = dir.path().join("rw.jsonl");
    let app = Labdeck::start_with_config(
        CONFIG,
        &[],
        &[("LABDECK_ZFS_RECORD", record2.to_str().unwrap())],
        120,
        32,
    );
    open_zfs(&app);
    app.send_keys(&[":"]);
    app.send_text("datasets");
    app.press("Enter", "datasets", |s| s.contains("labtank/apps"));
    app.send_keys(&["/"]);
    app.send_text("apps");
    app.press("Enter", "apps alone", |s| title_line(s).contains("/apps "));
    app.press("s", "the prompt", |s| s.contains("snapshot labtank/apps@"));
    app.press("Enter", "the dialog", |s| s.contains("Take snapshot"));
    app.press("Enter", "taken", |s| s.contains("taken"));
    let text = std::fs::read_to_string(&record2).unwrap_or_default();
    assert!(text.contains("\"snapshot\""), "{text}");
    for l in zfs(&["list", "-H", "-t", "snapshot", "-o", "name"]).lines() {
        if l.starts_with("labtank/apps@labdeck-") {
            let _ = Command::new("zfs").args(["destroy", l]).output();
        }
    }
}

/// A quiet, healthy pool polled every second draws nothing: not one byte reaches the
/// terminal while nothing changes (the watcher publishes only news).
#[test]
fn an_idle_healthy_pool_writes_nothing_to_the_terminal() {
    let _one = one_at_a_time();
    if !require_pool() {
        return;
    }
    wait_until_quiet();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("terminal.bytes");
    let record = dir.path().join("zfs.jsonl");
    let app = Labdeck::start_recording_with_config(
        CONFIG,
        &["--read-only"],
        &[("LABDECK_ZFS_RECORD", record.to_str().unwrap())],
        120,
        32,
        &out,
    );
    open_zfs(&app);
    // The pool's vdev tree: no age on it (a scrub that just ended would tick its
    // "scrubbed 14s" label every second, by design), so only news would draw.
    app.press("Enter", "the raidz tree", |s| s.contains("raidz1-0"));
    let runs = || {
        std::fs::read_to_string(&record)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let written = || std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    // The first reads settle (datasets, snapshots, the I/O history): a few polls in, and
    // the terminal has held still for two seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut still_since = (written(), std::time::Instant::now());
    while runs() < 8 || still_since.1.elapsed() < std::time::Duration::from_secs(2) {
        assert!(
            std::time::Instant::now() < deadline,
            "the screen never settled"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
        if written() != still_since.0 {
            still_since = (written(), std::time::Instant::now());
        }
    }
    let (before, polls_before) = (written(), runs());
    // The idle window itself: time is what is observed here.
    std::thread::sleep(std::time::Duration::from_secs(8));
    let after = written();
    assert!(
        runs() >= polls_before + 6,
        "the window had its polls: {}",
        runs() - polls_before
    );
    let bytes = std::fs::read(&out).unwrap_or_default();
    let idle = String::from_utf8_lossy(&bytes[before as usize..after as usize]).into_owned();
    assert_eq!(
        after - before,
        0,
        "bytes written over 8 idle seconds (8 polls): {idle:?}"
    );
    assert!(before > 0, "the recording works");
}
