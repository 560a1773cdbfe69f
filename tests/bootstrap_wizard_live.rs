//! The bootstrap wizard in a real terminal against the lab's engine, through the
//! recording proxy: `plan` and the wizard up to its confirmation send no write (nor
//! does a read-only wizard at all), a confirmed wizard deploys a stack while each
//! step's state and the live log show, and a failed update is rolled back from the
//! wizard's end.

mod support;

use std::path::Path;
use support::lab::{self, docker, docker_result};
use support::labdeck::{Labdeck, bottom_line, run_cli};
use support::proxy::DockerProxy;

struct Cleanup(Vec<Vec<String>>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for args in &self.0 {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let _ = docker_result(&args);
            // `stack rm` leaves the stack's default network while its tasks still
            // hold it: removed once they are gone.
            if let ["stack", "rm", stack] = args[..] {
                let net = format!("{stack}_default");
                let _ = lab::wait_until(std::time::Duration::from_secs(30), || {
                    docker_result(&["network", "inspect", &net]).is_err()
                        || docker_result(&["network", "rm", &net]).is_ok()
                });
            }
        }
    }
}

/// A service healthy `ready_after` seconds after it starts (never, if `None`: then
/// unhealthy after two checks).
fn compose(ready_after: Option<u32>) -> String {
    let (check, retries) = match ready_after {
        Some(s) => (format!("sleep {s}; touch /ready; sleep 3600"), 30),
        None => ("sleep 3600".into(), 2),
    };
    format!(
        "services:\n  web:\n    image: {}\n    command: [sh, -c, \"{check}\"]\n    \
         healthcheck: {{test: [CMD-SHELL, \"test -f /ready || (echo not ready >&2; exit 1)\"], \
         interval: 1s, retries: {retries}}}\n    stop_grace_period: 1s\n",
        lab::IMAGE
    )
}

/// A bootstrap file of a network and one stack, in a folder of its own.
fn bootstrap(dir: &Path, net: &str, stack: &str, gate: u32) -> String {
    let text = format!(
        "[[networks]]\nname = \"{net}\"\nattachable = true\n\n\
         [[stacks]]\nname = \"{stack}\"\ncompose = [\"web.yaml\"]\ngate = {{ timeout = \"{gate}s\" }}\n"
    );
    let path = dir.join("bootstrap.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn writes(proxy: &DockerProxy) -> Vec<(String, String)> {
    proxy
        .requests()
        .into_iter()
        .filter(|(m, _)| m != "GET" && m != "HEAD")
        .collect()
}

/// `:bootstrap`, the path typed over the default, Enter: the plan on screen.
fn to_review(app: &Labdeck, path: &str, expect: &str) {
    app.expect("Swarm ›");
    app.send_keys(&[":"]);
    app.send_text("bootstrap");
    app.expect_that("the command typed", |s| bottom_line(s) == ":bootstrap");
    app.press("Enter", "the wizard", |s| s.contains("Bootstrap: 1 file"));
    for _ in 0.."bootstrap.toml".len() {
        app.send_keys(&["BSpace"]);
    }
    app.send_text(path);
    app.press("Enter", "the plan", |s| {
        s.contains("Bootstrap: 3 plan") && s.contains(expect)
    });
}

#[test]
fn plan_and_the_wizard_write_nothing_before_the_confirmation_and_the_apply_shows_its_steps() {
    require_lab!();
    let id = format!("ldwz{}", std::process::id());
    let (net, stack) = (format!("{id}-net"), format!("{id}s"));
    let _cleanup = Cleanup(vec![
        vec!["stack".into(), "rm".into(), stack.clone()],
        vec!["network".into(), "rm".into(), net.clone()],
    ]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.yaml"), compose(Some(3))).unwrap();
    let path = bootstrap(dir.path(), &net, &stack, 60);
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let host = proxy.docker_host();

    let (code, out, err) = run_cli(&["bootstrap", "plan", "-f", &path], &host);
    assert_eq!(code, 2, "changes pending: {out}{err}");
    assert!(out.contains(&format!("+ deploy stack {stack}")), "{out}");
    let gets = proxy.requests().len();
    assert!(gets > 3, "plan read the engine through the proxy: {gets}");
    assert_eq!(writes(&proxy), [], "plan wrote");

    // Read-only: the plan is shown, Enter applies nothing.
    let app = Labdeck::start(&["--read-only"], &[("DOCKER_HOST", &host)], 120, 32);
    to_review(&app, &path, &format!("+ deploy stack {stack}"));
    app.press("Enter", "the refusal", |s| {
        s.contains("nothing can be applied")
    });
    drop(app);
    assert_eq!(writes(&proxy), [], "the read-only wizard wrote");

    // Read-write: nothing until confirmed; a cancelled confirmation writes nothing.
    let app = Labdeck::start(&[], &[("DOCKER_HOST", &host)], 120, 32);
    to_review(&app, &path, &format!("+ deploy stack {stack}"));
    app.press("Enter", "the confirmation", |s| s.contains("Confirm"));
    app.press("n", "back to the plan", |s| {
        !s.contains("Confirm") && s.contains("Bootstrap: 3 plan")
    });
    assert_eq!(
        writes(&proxy),
        [],
        "the wizard wrote before it was confirmed"
    );
    app.press("Enter", "the confirmation", |s| s.contains("Confirm"));
    // The gate waits 3 s for health: the step under way shows with its time, the
    // network's step done above it, and the log below.
    let screen = app.press("y", "the stack's step under way", |s| {
        s.contains("Bootstrap: applying")
            && s.lines()
                .any(|l| l.contains("▸") && l.contains(&format!("deploy stack {stack}")))
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("✓") && l.contains(&format!("network {net}"))),
        "{screen}"
    );
    assert!(screen.contains("─── log"), "{screen}");
    app.expect_that("the gate in the log", |s| {
        s.contains(&format!("waiting for {stack}_web"))
    });
    let end = app.expect("Bootstrap: 4 done");
    assert!(
        end.lines()
            .any(|l| l.contains("✓") && l.contains(&format!("deploy stack {stack}"))),
        "{end}"
    );
    assert!(end.contains("Run it again at any time"), "what next: {end}");
    let seen = writes(&proxy);
    assert!(
        seen.iter()
            .any(|(m, p)| m == "POST" && p.contains("/services/create")),
        "the proxy sees the writes it would have caught: {seen:?}"
    );
    let running = docker(&[
        "service",
        "ls",
        "--filter",
        &format!("name={stack}_web"),
        "--format",
        "{{.Replicas}}",
    ]);
    assert_eq!(running.trim(), "1/1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_fails_its_gate_is_rolled_back_from_the_wizard() {
    require_lab!();
    let id = format!("ldwr{}", std::process::id());
    let (net, stack) = (format!("{id}-net"), format!("{id}s"));
    let _cleanup = Cleanup(vec![
        vec!["stack".into(), "rm".into(), stack.clone()],
        vec!["network".into(), "rm".into(), net.clone()],
    ]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.yaml"), compose(Some(0))).unwrap();
    let path = bootstrap(dir.path(), &net, &stack, 40);
    let (code, out, err) = run_cli(
        &["bootstrap", "apply", "--yes", "-f", &path],
        &format!("unix://{}", lab::SOCKET),
    );
    assert_eq!(code, 0, "{out}{err}");
    let command = || {
        docker(&[
            "service",
            "inspect",
            "-f",
            "{{json .Spec.TaskTemplate.ContainerSpec.Args}}",
            &format!("{stack}_web"),
        ])
    };
    let healthy = command();
    // The update never becomes healthy.
    std::fs::write(dir.path().join("web.yaml"), compose(None)).unwrap();

    let host = format!("unix://{}", lab::SOCKET);
    let app = Labdeck::start(&[], &[("DOCKER_HOST", &host)], 120, 32);
    to_review(&app, &path, &format!("~ deploy stack {stack}"));
    app.press("Enter", "the confirmation", |s| s.contains("Confirm"));
    let end = app.press("y", "the failed gate", |s| {
        s.contains("Bootstrap: 4 failed")
    });
    assert!(
        end.contains(&format!("{stack}_web")),
        "which service: {end}"
    );
    assert!(
        end.lines()
            .any(|l| l.contains("✗") && l.contains(&format!("deploy stack {stack}"))),
        "{end}"
    );
    assert!(
        end.contains(&format!("r: roll back {stack}_web of stack {stack}")),
        "{end}"
    );
    assert_ne!(command(), healthy, "the update was made");
    app.press("r", "the rollback's confirmation", |s| {
        s.contains("Confirm") && s.contains("roll back")
    });
    app.press("y", "the rollback done", |s| {
        s.contains("done: rolled back")
    });
    assert_eq!(command(), healthy, "back to the spec before the update");
    app.press("Escape", "the wizard closed", |s| !s.contains("Bootstrap:"));
}
