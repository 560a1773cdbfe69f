//! The terminal is restored (cooked mode, main screen) when labdeck exits normally and
//! when it panics, and the panic report is readable afterwards. Needs no lab: without an
//! engine labdeck still runs and says the engine is unreachable.

mod support;

use std::process::Command;
use std::time::Duration;
use support::tmux::{Tmux, sh_quote};

const WAIT: Duration = Duration::from_secs(20);

/// Run labdeck under a shell that afterwards prints its exit code and the tty modes.
fn start(extra_env: &str) -> (Tmux, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let bin = sh_quote(env!("CARGO_BIN_EXE_labdeck"));
    let d = sh_quote(dir.path().to_str().unwrap());
    let script = format!(
        "stty sane; RUST_BACKTRACE=0 RUST_LIB_BACKTRACE=0 {extra_env} LABDECK_CONFIG_DIR={d} LABDECK_DATA_DIR={d} DOCKER_HOST=unix:///nonexistent.sock {bin}; \
         echo EXIT=$?; stty -a | tr '\\n' ' '; echo; echo END; sleep 60"
    );
    (Tmux::start(&["/bin/sh", "-c", &script], &[], 100, 30), dir)
}

fn alternate_on(t: &Tmux) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(t.socket())
        .args(["display-message", "-p", "#{alternate_on}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn assert_cooked(screen: &str) {
    assert!(
        screen.contains(" icanon"),
        "canonical mode not restored:\n{screen}"
    );
    assert!(screen.contains(" echo"), "echo not restored:\n{screen}");
    assert!(!screen.contains("-icanon"), "still raw:\n{screen}");
}

#[test]
fn quitting_restores_the_terminal() {
    let (t, _dir) = start("");
    t.wait_for("Swarm", WAIT).expect("first frame");
    assert_eq!(
        alternate_on(&t),
        "1",
        "labdeck draws on the alternate screen"
    );
    t.send_keys(&["q"]);
    let screen = t.wait_for("END", WAIT).expect("labdeck exits on q");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_cooked(&screen);
    assert_eq!(alternate_on(&t), "0");
}

#[test]
fn a_panic_restores_the_terminal_first_then_reports() {
    let (t, _dir) = start("LABDECK_FAULT_PANIC=1");
    let screen = t
        .wait_for("END", WAIT)
        .expect("labdeck exits after the panic");
    assert!(
        screen.contains("fault injected by LABDECK_FAULT_PANIC"),
        "report not visible:\n{screen}"
    );
    assert!(
        !screen.contains("EXIT=0"),
        "a panic is not a clean exit:\n{screen}"
    );
    assert_cooked(&screen);
    assert_eq!(alternate_on(&t), "0");
}

/// A watcher's task that panics is caught and started again; labdeck keeps the
/// terminal (alternate screen, raw mode), nothing is printed over the screen, the log
/// has the panic, and quitting still restores everything.
#[test]
fn a_task_that_panics_leaves_the_tui_on_its_screen() {
    let (t, dir) = start("LABDECK_FAULT_PANIC=watcher");
    t.wait_for("Swarm", WAIT).expect("first frame");
    // The panic has happened once the supervisor has logged it.
    let log = dir.path().join("labdeck.log");
    let deadline = std::time::Instant::now() + WAIT;
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("fault injected")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the injected panic never reached the log"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let screen = t.capture();
    assert_eq!(alternate_on(&t), "1", "the TUI lost its screen:\n{screen}");
    assert!(
        !screen.contains("fault injected"),
        "printed over the TUI:\n{screen}"
    );
    t.send_keys(&["q"]);
    let screen = t.wait_for("END", WAIT).expect("labdeck exits on q");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_cooked(&screen);
    let log = std::fs::read_to_string(dir.path().join("labdeck.log")).unwrap_or_default();
    assert!(log.contains("fault injected"), "not in the log:\n{log}");
}
