//! `labdeck status`: exit codes, text and JSON against the lab.
//!
//! The lab is shared: parallel tests and other checkouts deploy stacks there, some
//! of them failing on purpose, so the lab as a whole is rarely healthy. What each
//! test can rely on is its own stack. So:
//! - exit 1 (degraded) is tested against the real lab, with a service of the test's
//!   own that can never be placed: whatever else runs, the lab is degraded;
//! - exit 0 (healthy) is tested through a [`StackView`]: the real engine, answering
//!   through a front that lists only the test's stack's services and tasks, i.e. the
//!   lab as if that stack were all it ran. Against the real lab, the same test also
//!   checks that the exit code agrees with the health the JSON reports;
//! - exit 2 needs no lab: an engine socket that does not exist.

mod support;

use std::path::Path;

use serde_json::Value;
use support::lab::{self, Stack};
use support::labdeck::{LAB, run_cli};
use support::stack_view::StackView;

const HEALTHY: &str = r#"
version: "3.8"
services:
  web:
    image: local/busybox:1
    command: ["/bin/httpd", "-f", "-p", "8080"]
    stop_grace_period: 1s
"#;

const STUCK: &str = r#"
version: "3.8"
services:
  stuck:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.labels.nowhere == true"]
"#;

fn lab_host() -> String {
    format!("unix://{}", lab::SOCKET)
}

#[test]
fn a_converged_stack_alone_is_healthy_exit_0() {
    require_lab!();
    let stack = Stack::deploy("ldstatus-ok", HEALTHY);
    assert!(
        stack.wait_converged(LAB),
        "{} never converged",
        stack.name()
    );
    let web = stack.service("web");
    let view = StackView::start(Path::new(lab::SOCKET), stack.name());

    let (code, text, err) = run_cli(&["status"], &view.docker_host());
    assert_eq!(code, 0, "{text}{err}");
    assert!(text.contains(&format!("\n{}\n", stack.name())), "{text}");
    let line = service_line(&text, &web);
    assert!(
        line.contains("1/1") && line.contains("replicated"),
        "{line:?}"
    );
    assert!(!line.contains("UNDER-REPLICATED"), "{line:?}");
    assert!(text.ends_with("status: healthy\n"), "{text}");

    let (code, json) = status_json(&view.docker_host());
    assert_eq!(code, 0);
    assert_eq!(json["health"], "healthy");
    assert_own_service(&json, stack.name(), &web, (1, 1, false));

    // The real lab (other tests' stacks come and go): reachable, and our service in it
    // read the same. Its exit code is checked where the health is known: above (0),
    // in the degraded test (1) and the unreachable one (2).
    let (code, json) = status_json(&lab_host());
    assert_ne!(code, 2, "the lab engine answers");
    assert_own_service(&json, stack.name(), &web, (1, 1, false));
}

#[test]
fn an_unplaceable_service_is_degraded_exit_1() {
    require_lab!();
    let stack = Stack::deploy("ldstatus-stuck", STUCK);
    let stuck = stack.service("stuck");
    let view = StackView::start(Path::new(lab::SOCKET), stack.name());
    // Degraded by this stack alone (the view), and so whatever else the lab runs.
    for host in [view.docker_host(), lab_host()] {
        let (code, text, err) = run_cli(&["status"], &host);
        assert_eq!(code, 1, "{host}: {text}{err}");
        let line = service_line(&text, &stuck);
        assert!(
            line.contains("0/1") && line.contains("UNDER-REPLICATED"),
            "{line:?}"
        );
        // The verdict names why: this service and its count.
        let verdict = text.lines().last().unwrap_or("");
        assert!(
            verdict.starts_with("status: DEGRADED: ")
                && verdict.contains(&format!("swarm: service {stuck} 0/1")),
            "{text}"
        );
        let (code, json) = status_json(&host);
        assert_eq!(code, 1);
        assert_eq!(json["health"], "degraded");
        assert_own_service(&json, stack.name(), &stuck, (0, 1, true));
    }
}

#[test]
fn a_usage_error_is_exit_64_not_unreachable() {
    let (code, text, err) = run_cli(&["status", "--jsn"], "unix:///nonexistent.sock");
    assert_eq!(code, 64, "{text}{err}");
    assert!(err.contains("--jsn"), "says what was wrong: {err}");
    let (code, text, _) = run_cli(&["--help"], "unix:///nonexistent.sock");
    assert_eq!(code, 0, "help is not an error");
    assert!(text.contains("status"), "{text}");
}

#[test]
fn an_unreachable_engine_is_exit_2() {
    let host = "unix:///nonexistent.sock";
    let (code, text, err) = run_cli(&["status"], host);
    assert_eq!(code, 2, "{text}{err}");
    assert!(text.contains("swarm: UNREACHABLE: "), "{text}");
    let verdict = text.lines().last().unwrap_or("");
    assert!(
        verdict.starts_with("status: UNREACHABLE: swarm: cannot reach engine"),
        "the verdict says which source and why: {text}"
    );

    let (code, json) = status_json(host);
    assert_eq!(code, 2);
    assert_eq!(json["health"], "unreachable");
    assert_eq!(swarm_source(&json)["name"], "swarm");
    assert_eq!(swarm_source(&json)["reachable"], false);
    assert!(
        swarm_source(&json)["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    assert!(json["swarm"].is_null(), "{json}");
}

/// `labdeck status --json` against `host`: exit code and the parsed report, whose
/// shape is checked on the way.
fn status_json(host: &str) -> (i32, Value) {
    let (code, out, err) = run_cli(&["status", "--json"], host);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    assert!(json["health"].is_string(), "{json}");
    assert_eq!(swarm_source(&json)["name"], "swarm", "{json}");
    for s in services(&json) {
        assert!(s["name"].is_string() && s["mode"].is_string(), "{s}");
        assert!(s["running"].is_u64() && s["desired"].is_u64(), "{s}");
        assert!(s["under_replicated"].is_boolean(), "{s}");
        assert!(s["failing_tasks"].is_array(), "{s}");
    }
    (code, json)
}

/// The Swarm source among the report's sources (ZFS and others come beside it).
fn swarm_source(json: &Value) -> &Value {
    json["sources"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "swarm"))
        .unwrap_or(&Value::Null)
}

fn services(json: &Value) -> impl Iterator<Item = &Value> {
    let stacks = json["swarm"]["stacks"].as_array().into_iter().flatten();
    stacks.flat_map(|st| st["services"].as_array().into_iter().flatten())
}

/// The test's own service in the report: (running, desired, under-replicated).
fn assert_own_service(json: &Value, stack: &str, name: &str, want: (u64, u64, bool)) {
    let stacks = json["swarm"]["stacks"].as_array().expect("stacks");
    let own = stacks
        .iter()
        .find(|s| s["name"] == stack)
        .unwrap_or_else(|| panic!("stack {stack} not in {json}"));
    let services = own["services"].as_array().expect("services");
    assert_eq!(services.len(), 1, "{own}");
    let s = &services[0];
    assert_eq!(s["name"], name);
    assert_eq!(s["mode"], "replicated");
    let got = (
        s["running"].as_u64().unwrap(),
        s["desired"].as_u64().unwrap(),
        s["under_replicated"].as_bool().unwrap(),
    );
    assert_eq!(got, want, "{s}");
    if !want.2 {
        assert_eq!(s["failing_tasks"], Value::Array(vec![]), "{s}");
    }
}

/// The text report's line for service `name`.
fn service_line<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no line for {name}:\n{text}"))
}
