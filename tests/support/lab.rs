//! The lab that `scripts/lab up` provides: whether it is here, the docker CLI pinned
//! to it, and polling. Lab tests skip loudly when it is absent and fail under
//! `CI=true`, so nothing is skipped silently where it matters.

mod stack;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use super::process;

pub use stack::Stack;

/// The engine socket the lab's dockerd listens on.
pub const SOCKET: &str = "/var/run/docker.sock";
/// The image every lab service runs (static busybox, built locally: no registry here).
pub const IMAGE: &str = "local/busybox:1";
/// The lab engine through the lab's loopback sshd (`scripts/lab` sets up the key, the
/// known host and the `labdeck-lab` alias for root).
pub const SSH_HOST: &str = "ssh://labdeck-lab";
/// The plain engine over TCP with TLS and client certificates.
pub const PLAIN_TLS_HOST: &str = "tcp://127.0.0.1:2376";
pub const PLAIN_TLS_CERTS: &str = "/var/tmp/labdeck-lab/tls/client";

/// How long one docker CLI call may take before the test fails instead of hanging.
const DOCKER_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the engine gets to answer the availability probe (generous: a loaded
/// 2-core machine can take seconds, and a false "absent" fails CI).
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Starts a lab test: `require_lab!();` returns from the test when the lab is absent
/// (after saying so), and panics instead under `CI=true`. Needs `mod support;` at the
/// test crate root; from a submodule call it as `crate::require_lab!()`.
#[macro_export]
macro_rules! require_lab {
    () => {
        if !$crate::support::lab::require_lab() {
            return;
        }
    };
}

/// True when the engine answers on [`SOCKET`] within 5 s, Swarm is active and
/// [`IMAGE`] is present. Probed once per test binary.
pub fn lab_available() -> bool {
    lab_status().is_ok()
}

/// Why the lab is unusable, or `Ok`. Probed once per test binary.
pub fn lab_status() -> Result<(), String> {
    static STATUS: OnceLock<Result<(), String>> = OnceLock::new();
    STATUS.get_or_init(probe).clone()
}

/// The function behind `require_lab!()`: true when the test may go on.
pub fn require_lab() -> bool {
    let Some(skip) = skip_message(&lab_status(), in_ci()) else {
        return true;
    };
    let test = thread::current().name().unwrap_or("?").to_owned();
    // Written to the real stderr, not through eprintln!: libtest captures that and
    // shows it only for failing tests, and a skip must be visible.
    let _ = writeln!(std::io::stderr(), "{skip} [{test}]");
    false
}

/// The skip-or-fail decision, apart so it can be tested with the lab up: `None` to
/// run, the message to print when skipping; panics when the lab is absent in CI.
pub fn skip_message(status: &Result<(), String>, in_ci: bool) -> Option<String> {
    let Err(why) = status else { return None };
    if in_ci {
        panic!("lab not available under CI=true: {why} (run scripts/lab up)");
    }
    Some(format!(
        "SKIPPED: lab not available (run scripts/lab up): {why}"
    ))
}

/// `CI=true` (or `1`), as CI systems set it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn probe() -> Result<(), String> {
    if !Path::new(SOCKET).exists() {
        return Err(format!("no engine socket at {SOCKET}"));
    }
    let info = docker_with_timeout(
        &["info", "--format", "{{.Swarm.LocalNodeState}}"],
        PROBE_TIMEOUT,
    )
    .map_err(|e| format!("engine does not answer: {e}"))?;
    if info.trim() != "active" {
        return Err(format!("Swarm is not active (state {:?})", info.trim()));
    }
    docker_with_timeout(
        &["image", "inspect", "--format", "{{.Id}}", IMAGE],
        PROBE_TIMEOUT,
    )
    .map_err(|_| format!("image {IMAGE} is missing"))?;
    Ok(())
}

/// Runs the docker CLI against the lab engine with an argument vector (no shell) and
/// returns its stdout; panics with its stderr on failure. `-H URL` as the first
/// arguments points it elsewhere (a [`super::proxy::DockerProxy`]).
pub fn docker(args: &[&str]) -> String {
    docker_result(args).unwrap_or_else(|e| panic!("{e}"))
}

/// [`docker`] without the panic: `Err` carries the command and its stderr.
pub fn docker_result(args: &[&str]) -> Result<String, String> {
    docker_with_timeout(args, DOCKER_TIMEOUT)
}

fn docker_with_timeout(args: &[&str], timeout: Duration) -> Result<String, String> {
    let mut cmd = Command::new("docker");
    // Pin the lab engine whatever the developer's environment points at; a context
    // would override DOCKER_HOST, so drop it.
    cmd.args(args)
        .env("DOCKER_HOST", format!("unix://{SOCKET}"))
        .env_remove("DOCKER_CONTEXT");
    let done =
        process::run(&mut cmd, timeout).map_err(|e| format!("docker {}: {e}", args.join(" ")))?;
    if done.status.success() {
        Ok(done.stdout)
    } else {
        Err(format!(
            "docker {}: {}: {}",
            args.join(" "),
            done.status,
            done.stderr.trim()
        ))
    }
}

/// Polls `cond` every 100 ms until it holds (true) or `timeout` passes (false).
/// Blocks the thread: from an async test call it through `spawn_blocking`.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(100));
    }
}
