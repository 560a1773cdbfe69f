//! Node actions against the lab's real Swarm, in tmux: pause, activate and drain the
//! node, each behind its dialog, seen on screen and in the engine. Its own test binary:
//! cargo runs test binaries one at a time, so no other lab test has its tasks moved
//! while the only node is drained.

mod support;

use std::time::Duration;

use support::lab::{Stack, docker, wait_until};
use support::labdeck::{LAB, Labdeck, title_line};

const COMPOSE: &str = r#"
version: "3.8"
services:
  sleeper:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
"#;

/// The node's availability is set back to active however the test ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ =
            support::lab::docker_result(&["node", "update", "--availability", "active", "self"]);
    }
}

fn availability() -> String {
    docker(&["node", "inspect", "-f", "{{.Spec.Availability}}", "self"])
        .trim()
        .to_string()
}

fn wait_for(want: &str) -> bool {
    wait_until(LAB, || availability() == want)
}

#[test]
fn pause_activate_and_drain_the_node_through_their_dialogs() {
    require_lab!();
    let _restore = Restore;
    let stack = Stack::deploy("ldnodes", COMPOSE);
    let sleeper = stack.service("sleeper");
    assert!(
        stack.wait_converged(LAB),
        "{} never converged",
        stack.name()
    );
    let hostname = docker(&["node", "inspect", "-f", "{{.Description.Hostname}}", "self"]);
    let hostname = hostname.trim();
    let app = Labdeck::start(&[], &[], 100, 30);
    app.expect(stack.name());
    app.send_keys(&[":"]);
    app.send_text("swarm-nodes");
    app.press("Enter", "the nodes view", |s| {
        title_line(s).contains("Swarm › nodes") && s.contains(hostname)
    });

    app.press("p", "the pause dialog", |s| {
        s.contains(&format!("Pause node {hostname}"))
    });
    app.send_keys(&["y"]);
    assert!(wait_for("pause"), "the engine says {}", availability());
    app.expect_that("the node shown paused", |s| {
        node_row(s, hostname).contains(" pause ")
    });

    // `u` activates: a reversible change, so Enter on the focused Confirm does it.
    app.press("u", "the activate dialog", |s| {
        s.contains(&format!("Activate node {hostname}"))
    });
    app.send_keys(&["Enter"]);
    assert!(wait_for("active"), "the engine says {}", availability());
    app.expect_that("the node shown active", |s| {
        node_row(s, hostname).contains(" active ")
    });

    // Drain opens on Cancel, so an Enter out of habit stops nothing (what it says on a
    // swarm of one is checked in the unit tests).
    app.press("r", "the drain dialog", |s| {
        s.contains(&format!("Drain node {hostname}"))
    });
    app.press("Enter", "the dialog cancelled", |s| {
        !s.contains("Drain node")
    });
    assert_eq!(availability(), "active", "Enter drained the only node");
    // Drain moves the tasks away: with one node, its task is shut down, on screen too.
    app.press("r", "the drain dialog", |s| {
        s.contains(&format!("Drain node {hostname}"))
    });
    app.send_keys(&["y"]);
    assert!(wait_for("drain"), "the engine says {}", availability());
    app.press("Enter", "the node's tasks, the sleeper's shut down", |s| {
        title_line(s).contains("(tasks)")
            && s.lines()
                .any(|l| l.contains(&format!("{sleeper}.1")) && l.contains("shutdown"))
    });
    app.press("Escape", "the nodes view again", |s| {
        node_row(s, hostname).contains(" drain ")
    });
    app.press("u", "the activate dialog", |s| s.contains("Activate node"));
    app.send_keys(&["Enter"]);
    assert!(wait_for("active"));
    assert!(
        wait_until(Duration::from_secs(60), || stack
            .wait_converged(Duration::from_secs(5))),
        "the sleeper came back once the node took tasks again"
    );
}

fn node_row<'a>(screen: &'a str, hostname: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(hostname) && l.contains("ready"))
        .unwrap_or("")
}
