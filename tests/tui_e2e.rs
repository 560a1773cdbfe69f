//! labdeck as a person uses it: the real binary in a real terminal (tmux) against the
//! lab's Swarm, driven with keys and read back from the screen.

mod support;

use std::time::Duration;

use support::lab::{Stack, wait_until};
use support::labdeck::{LAB, Labdeck, bottom_line, first_line, title_line};

const TAB_BAR: &str = " 1 Nodes  2 VLANs  3 ZFS  4 Swarm";

/// The tab bar is on the first line, whatever alert marks (`!`) a pane's tab has on
/// this machine.
fn tabs_first(s: &str) -> bool {
    first_line(s).replace('!', "").starts_with(TAB_BAR)
}

const COMPOSE: &str = r#"
version: "3.8"
services:
  hello:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "echo hello-from-labdeck; sleep 3600"]
    stop_grace_period: 1s
  web:
    image: local/busybox:1
    command: ["/bin/httpd", "-f", "-p", "8080"]
    stop_grace_period: 1s
"#;

#[test]
fn drills_from_a_stack_to_tasks_and_logs_then_quits_cleanly() {
    require_lab!();
    let stack = Stack::deploy("lde2e", COMPOSE);
    let name = stack.name();
    let (hello, web) = (stack.service("hello"), stack.service("web"));
    // Converged before labdeck starts: a task's move to running raises no engine event,
    // so a re-list right after the container's `start` event can leave it `starting`
    // on screen until some other event (a labdeck bug this test is not about).
    assert!(stack.wait_converged(LAB), "{name} never converged");
    let app = Labdeck::start(&[], &[], 80, 24);
    app.expect_that("the tab bar", tabs_first);
    app.expect(name);

    // `/` filters as you type; Enter keeps the filter and leaves the input line.
    app.send_keys(&["/"]);
    app.send_text(name);
    app.press("Enter", "the filter to be applied", |s| {
        title_line(s).contains(&format!("/{name} ")) && bottom_line(s).contains("enter Open")
    });

    app.press("Enter", "the stack's services", |s| {
        title_line(s).contains(&format!("Swarm › stacks › {name} "))
            && s.contains(&hello)
            && s.contains(&web)
    });

    // Rows are sorted by name: `hello` is selected first, `j` moves to `web`.
    app.send_keys(&["j"]);
    let tasks = app.press("Enter", "web's tasks with a running slot 1", |s| {
        title_line(s).contains(&format!("› {web} ")) && running_slot(s, 1)
    });
    assert!(!tasks.contains(&hello), "{tasks}");

    app.press("Escape", "the stack's services again", |s| {
        title_line(s).contains(&format!("› {name} ")) && !title_line(s).contains(&web)
    });
    app.send_keys(&["k"]);
    app.press("l", "hello's log line", |s| {
        title_line(s).contains(&format!("Logs › {hello} ")) && s.contains("hello-from-labdeck")
    });

    app.send_keys(&["/"]);
    app.send_text("from-lab");
    app.press("Enter", "the search in the title", |s| {
        title_line(s).contains("/from-lab ") && bottom_line(s).contains("esc Close logs")
    });
    app.press("t", "a timestamp before the log line", |s| {
        title_line(s).contains("timestamps") && s.lines().any(timestamped_hello)
    });
    // Esc clears the search first, as in less; the next Esc closes the log.
    app.press("Escape", "the search cleared, the log still open", |s| {
        title_line(s).contains("Logs › ") && !title_line(s).contains("/from-lab ")
    });
    app.press("Escape", "the services after closing the logs", |s| {
        title_line(s).contains(&format!("Swarm › stacks › {name} "))
    });

    // Help is generated from the keymap; Scale sits below the first page.
    app.press("?", "the help overlay", |s| s.contains("Keys (esc closes"));
    let mut help = app.capture();
    for _ in 0..10 {
        if help.contains("Scale") {
            break;
        }
        app.send_keys(&["NPage"]);
        help = app.expect_that("help to scroll", |s| s != help || s.contains("Scale"));
    }
    assert!(help.contains("Scale"), "help never listed Scale:\n{help}");
    app.press("Escape", "help to close", |s| {
        !s.contains("Keys (esc closes")
    });

    app.send_keys(&[":"]);
    app.send_text("secrets");
    app.press("Enter", "the secrets view", |s| {
        title_line(s).contains("Swarm › secrets ") && s.contains("USED BY")
    });

    app.send_keys(&["q"]);
    assert!(
        wait_until(LAB, || !app.is_alive()),
        "labdeck still runs after q:\n{}",
        app.capture()
    );
    // The alternate screen is gone: what labdeck drew is no longer on the terminal.
    let after = app.capture();
    assert!(
        !after.replace('!', "").contains(TAB_BAR) && !after.contains("Swarm ›"),
        "the terminal was not restored:\n{after}"
    );
    // tmux 3.3a sometimes loses the status of a pane whose terminal closed first.
    if let Some(code) = app.exit_status() {
        assert_eq!(code, 0, "labdeck exited with {code}\n{}", app.log());
    }
}

#[test]
fn a_tiny_terminal_says_so_and_survives_a_resize_storm() {
    require_lab!();
    let app = Labdeck::start(&[], &[], 20, 6);
    app.expect("terminal too small");
    assert!(!app.capture().contains("Nodes"));

    app.resize(80, 24);
    let screen = app.expect_that("the tab bar", tabs_first);
    assert!(!screen.contains("terminal too small"), "{screen}");

    for i in 0..20u16 {
        if i % 2 == 0 {
            app.resize(20 + i, 6);
        } else {
            app.resize(100 + i, 30);
        }
    }
    app.resize(90, 26);
    // Redrawn for the final size: the pane's top border spans exactly 90 columns.
    let screen = app.expect_that("a frame 90 columns wide", |s| {
        tabs_first(s)
            && title_line(s).chars().count() == 90
            && s.lines().count() >= 25
            && !s.contains("terminal too small")
    });
    assert!(
        app.is_alive(),
        "labdeck died in the resize storm:\n{screen}"
    );
    assert_eq!(app.size(), (90, 26));
}

/// Keys take effect at once even when nothing else happens. With the engine gone, the
/// only other wake-ups are reconnect attempts, 10 s apart once backed off; labdeck
/// once handled every key after the first only at the next one.
#[test]
fn keys_are_handled_at_once_while_the_engine_is_unreachable() {
    let gone = [("DOCKER_HOST", "unix:///nonexistent.sock")];
    let app = Labdeck::start(&[], &gone, 160, 24);
    // The sixth attempt is followed by the longest wait: 10 s.
    app.expect("retry #6");
    for i in 0..6 {
        let (key, pane) = if i % 2 == 0 {
            ("3", "┌ ZFS ")
        } else {
            ("4", "┌ Swarm ›")
        };
        app.send_keys(&[key]);
        let shown = app.wait_until(|s| title_line(s).starts_with(pane), Duration::from_secs(4));
        if let Err(e) = shown {
            panic!("key {key} (#{i}) not handled within 4 s: {e}");
        }
    }
}

/// A task row of slot `slot` whose desired and current state are both running.
fn running_slot(screen: &str, slot: u32) -> bool {
    screen.lines().any(|l| {
        let cells: Vec<&str> = l.trim_matches('│').split_whitespace().collect();
        cells.first() == Some(&slot.to_string().as_str())
            && cells.iter().filter(|c| **c == "running").count() == 2
    })
}

/// `│2026-11-22T00:25:37.717126387Z hello-from-labdeck`: the engine's timestamp.
fn timestamped_hello(line: &str) -> bool {
    let line = line.trim_start_matches('│');
    let b = line.as_bytes();
    b.len() > 11
        && line.starts_with("20")
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[10] == b'T'
        && line.contains("hello-from-labdeck")
}

/// `c` and `C` copy the selected service's name and ID with labdeck's own OSC 52, which
/// tmux (like a terminal over ssh) takes for its clipboard.
#[test]
fn c_copies_the_selected_name_and_id_through_the_terminal() {
    require_lab!();
    let stack = Stack::deploy("ldcopy", COMPOSE);
    let name = stack.name();
    let hello = stack.service("hello");
    let id = support::lab::docker(&["service", "inspect", "-f", "{{.ID}}", &hello]);
    let app = Labdeck::start(&["--read-only"], &[], 80, 24);
    app.expect(name);
    app.send_keys(&[":"]);
    app.send_text("services");
    app.send_keys(&["Enter", "/"]);
    app.send_text(&hello);
    app.press("Enter", "hello alone in the services view", |s| {
        title_line(s).contains(&format!("/{hello} ")) && s.contains(" 1/1 ")
    });
    app.press("c", "the copy's flash", |s| {
        s.contains(&format!("copied name {hello}"))
    });
    assert!(
        wait_until(Duration::from_secs(5), || app.clipboard().as_deref()
            == Some(hello.as_str())),
        "tmux's buffer: {:?}",
        app.clipboard()
    );
    app.press("C", "the ID's flash", |s| s.contains("copied ID"));
    assert!(
        wait_until(Duration::from_secs(5), || app.clipboard().as_deref()
            == Some(id.trim())),
        "tmux's buffer: {:?}, the ID: {id}",
        app.clipboard()
    );
}

const WITH_ENV: &str = r#"
version: "3.8"
services:
  app:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    environment:
      TZ: Europe/Paris
      DB_PASSWORD: hunter2-do-not-show
"#;

/// `d` shows the spec the engine has (command, env) and `y` the whole object as YAML;
/// a secret-looking variable's value is in neither.
#[test]
fn describe_and_yaml_show_the_engine_s_spec_with_secret_values_hidden() {
    require_lab!();
    let stack = Stack::deploy("ldspec", WITH_ENV);
    let app_svc = stack.service("app");
    let app = Labdeck::start(&[], &[], 100, 40);
    app.expect(stack.name());
    app.send_keys(&[":"]);
    app.send_text("services");
    app.send_keys(&["Enter", "/"]);
    app.send_text(&app_svc);
    app.press("Enter", "the service alone", |s| {
        title_line(s).contains(&format!("/{app_svc} ")) && s.contains(" 1/1 ")
    });
    let described = app.press("d", "the spec fields", |s| {
        s.contains("TZ=Europe/Paris") && s.contains("DB_PASSWORD=(hidden)")
    });
    assert!(described.contains("sleep 3600"), "{described}");
    assert!(!described.contains("hunter2"), "{described}");
    let yaml = app.press("y", "the YAML view", |s| {
        title_line(s).contains("YAML ›") && s.contains("ContainerSpec:")
    });
    assert!(yaml.contains("DB_PASSWORD=(hidden)"), "{yaml}");
    assert!(!yaml.contains("hunter2"), "{yaml}");
    // It is searchable like a log; esc goes back to describe.
    app.press("Escape", "describe again", |s| {
        title_line(s).contains("(describe)")
    });
}

const TWO_REPLICAS: &str = r#"
version: "3.8"
services:
  talk:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "echo said-by-$$(hostname); sleep 3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 2
"#;

/// A service's log names each line's task as `docker service logs` does
/// (`stack_talk.1@host | ...`); `p` hides the names.
#[test]
fn service_logs_name_each_line_s_task_and_p_hides_them() {
    require_lab!();
    let stack = Stack::deploy("ldprefix", TWO_REPLICAS);
    let talk = stack.service("talk");
    assert!(
        stack.wait_converged(LAB),
        "{} never converged",
        stack.name()
    );
    let host =
        support::lab::docker(&["node", "inspect", "-f", "{{.Description.Hostname}}", "self"]);
    let host = host.trim().to_string();
    let app = Labdeck::start(&["--read-only"], &[], 100, 30);
    app.expect(stack.name());
    app.send_keys(&[":"]);
    app.send_text("services");
    app.send_keys(&["Enter", "/"]);
    app.send_text(&talk);
    app.press("Enter", "talk alone", |s| s.contains(" 2/2 "));
    let named = |slot: u32| format!("{talk}.{slot}@{host} | said-by-");
    app.press("l", "both tasks' lines, each named", |s| {
        s.contains(&named(1)) && s.contains(&named(2))
    });
    app.press("p", "the lines without names", |s| {
        !s.contains(" | said-by-") && s.lines().filter(|l| l.contains("said-by-")).count() == 2
    });
}
