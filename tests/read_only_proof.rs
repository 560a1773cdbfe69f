//! Read-only mode, proven on the wire: labdeck talks to the engine through a recording
//! proxy while every key of the default keymap is pressed in every Swarm view, with
//! confirmations after each; the engine must see nothing but GET and HEAD. The same
//! proxy then sees a write from a read-write labdeck, so it would have caught one.

mod support;

use std::path::Path;

use support::keys::{default_keymap, tmux_key};
use support::lab::{self, Stack, docker, wait_until};
use support::labdeck::{LAB, Labdeck, bottom_line, quiet, run_command, title_line};
use support::proxy::DockerProxy;

/// Sent after every key: confirm whatever it opened, with a count for a scale input.
/// The next `goto` then gets back to a known state (`:view`, Esc only if needed).
const CONFIRMATIONS: [&str; 5] = ["y", "Enter", "3", "Enter", "y"];
/// Wide enough that the status bar always shows every hint, `? Help` included.
const SIZE: (u16, u16) = (160, 40);

#[derive(Debug, Clone, Copy)]
enum View {
    Stacks,
    StackServices,
    Tasks,
    Logs,
    /// A top-level view: its `:` command, its breadcrumb, and whether to filter it to
    /// the test's stack (so the selected row is the test's own).
    Top(&'static str, &'static str, bool),
}

const VIEWS: [View; 9] = [
    View::Stacks,
    View::StackServices,
    View::Tasks,
    View::Logs,
    View::Top("services", "services", true),
    View::Top("swarm-nodes", "nodes", false),
    View::Top("networks", "networks", true),
    View::Top("secrets", "secrets", true),
    View::Top("configs", "configs", true),
];

#[test]
fn keymap_keys_become_tmux_key_names() {
    let cases = [
        ("ctrl-d", "C-d"),
        ("enter", "Enter"),
        ("esc", "Escape"),
        ("shift-tab", "BTab"),
        ("pageup", "PPage"),
        ("pagedown", "NPage"),
        ("home", "Home"),
        ("end", "End"),
        ("up", "Up"),
        ("G", "G"),
        ("/", "/"),
        ("f5", "F5"),
    ];
    for (key, tmux) in cases {
        assert_eq!(tmux_key(key), tmux, "{key}");
    }
    let keys = default_keymap();
    assert!(keys.iter().any(|b| b.key == "ctrl-d" && b.run == "remove"));
    assert!(keys.iter().any(|b| b.section == "logs" && b.key == "t"));
}

#[test]
fn read_only_sends_no_write_whatever_is_pressed_and_read_write_does() {
    require_lab!();
    let files = tempfile::tempdir().unwrap();
    let token = files.path().join("token");
    std::fs::write(&token, "not a real secret\n").unwrap();
    let stack = Stack::deploy("ldro", &compose(&token));
    let service = stack.service("idle");
    assert!(stack.wait_converged(LAB), "{service} never ran");
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let host = proxy.docker_host();

    let app = Labdeck::start(&["--read-only"], &[("DOCKER_HOST", &host)], SIZE.0, SIZE.1);
    app.expect(" RO ");
    app.expect(stack.name());
    views_reachable_with_bracket_are_the_top_level_views(&app);
    goto(&app, &stack, View::StackServices);
    app.press("s", "the read-only refusal", |s| {
        s.contains("scale is unavailable")
    });

    // Every key but those that quit somewhere (`q` quits, except in the log viewer).
    let all = default_keymap();
    let quits: Vec<String> = all
        .iter()
        .filter(|b| b.run == "quit")
        .map(|b| b.key.clone())
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for b in all.into_iter().filter(|b| !quits.contains(&b.key)) {
        let key = tmux_key(&b.key);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for view in VIEWS {
        let started = std::time::Instant::now();
        for key in &keys {
            goto(&app, &stack, view);
            app.send_keys(&[key]);
            for k in CONFIRMATIONS {
                app.send_keys(&[k]);
            }
        }
        let took = started.elapsed();
        eprintln!("pressed {} keys in {view:?} in {took:.1?}", keys.len());
    }
    // `:stacks` shows only once the last keys were handled, so their requests are in.
    goto(&app, &stack, View::Stacks);
    assert!(app.is_alive(), "labdeck died:\n{}", app.log());

    let seen = proxy.requests();
    let writes: Vec<_> = seen
        .iter()
        .filter(|(method, _)| method != "GET" && method != "HEAD")
        .collect();
    assert!(
        writes.is_empty(),
        "read-only labdeck sent {} non-read requests: {writes:#?}",
        writes.len()
    );
    let gets = seen.iter().filter(|(m, _)| m == "GET").count();
    assert!(gets > 10, "the proxy saw only {gets} GETs: {seen:?}");
    assert!(
        seen.iter().any(|(_, p)| p.contains("/logs?")),
        "the logs view never read logs through the proxy: {seen:?}"
    );
    drop(app);

    // Control: the same proxy sees a read-write labdeck scale the service.
    proxy.clear();
    let app = Labdeck::start(&[], &[("DOCKER_HOST", &host)], SIZE.0, SIZE.1);
    // Keys typed before the first frame can reach a terminal not yet in raw mode.
    app.expect(stack.name());
    goto(&app, &stack, View::Top("services", "services", true));
    let prompt = format!("scale {service} (now 1) to:");
    app.press("s", "the scale prompt", |s| {
        bottom_line(s).starts_with(&prompt)
    });
    app.send_keys(&["BSpace"]);
    app.send_text("2");
    app.press("Enter", "the confirmation dialog", |s| {
        s.contains(&format!("Scale service {service} to 2 replicas."))
    });
    app.press("y", "the scale to be done", |s| {
        s.contains(&format!("scaled {service} to 2"))
    });
    let id = docker(&["service", "inspect", "--format", "{{.ID}}", &service]);
    let update = format!("/services/{}/update?version=", id.trim());
    let seen = proxy.requests();
    assert!(
        seen.iter().any(|(m, p)| m == "POST" && p.contains(&update)),
        "no POST …{update} recorded: {seen:#?}"
    );
    let replicas = || {
        let f = "{{.Spec.Mode.Replicated.Replicas}}";
        docker(&["service", "inspect", "--format", f, &service])
    };
    assert!(
        wait_until(LAB, || replicas().trim() == "2"),
        "{service} has {} replicas",
        replicas().trim()
    );
}

fn compose(secret_file: &Path) -> String {
    let file = secret_file.display();
    format!(
        r#"
version: "3.8"
services:
  idle:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 1
    secrets: [token]
    configs: [settings]
secrets:
  token:
    file: "{file}"
configs:
  settings:
    file: "{file}"
"#
    )
}

/// `]` cycles through exactly the top-level views this test visits, then wraps.
fn views_reachable_with_bracket_are_the_top_level_views(app: &Labdeck) {
    let cycle = [
        "services", "nodes", "networks", "secrets", "configs", "stacks",
    ];
    for label in cycle {
        let crumb = format!("Swarm › {label} ");
        app.press("]", &crumb, |s| title_line(s).contains(&crumb));
    }
}

/// Opens `view` afresh whatever the last keys left on screen: `:` + a view command
/// resets the pane, then `/` + the stack's name and drill-downs as needed.
fn goto(app: &Labdeck, stack: &Stack, view: View) {
    let (command, label, filter) = match view {
        View::Top(command, label, filter) => (command, label, filter),
        _ => ("stacks", "stacks", true),
    };
    run_command(app, command);
    let crumb = format!("Swarm › {label} ");
    app.expect_that(&crumb, |s| title_line(s).contains(&crumb) && quiet(s));
    let name = stack.name();
    if filter {
        app.send_keys(&["/"]);
        app.send_text(name);
        // A row with the name, not just the title's filter: keys sent before the rows
        // arrive find nothing selected (the read-write control once failed so).
        app.press("Enter", "the filter", |s| {
            title_line(s).contains(&format!("/{name} "))
                && quiet(s)
                && s.lines()
                    .skip(2)
                    .any(|l| l.contains(name) && !l.contains(&format!("/{name} ")))
        });
    }
    let service = stack.service("idle");
    if matches!(view, View::StackServices | View::Tasks | View::Logs) {
        app.press("Enter", "the stack's services", |s| {
            title_line(s).contains(&format!("stacks › {name} ")) && s.contains(&service)
        });
    }
    match view {
        View::Tasks => {
            app.press("Enter", "the service's tasks", |s| {
                title_line(s).contains(&format!("› {service} ")) && s.contains("running")
            });
        }
        View::Logs => {
            app.press("l", "the service's logs", |s| {
                title_line(s).contains(&format!("Logs › {service} "))
            });
        }
        _ => {}
    }
}
