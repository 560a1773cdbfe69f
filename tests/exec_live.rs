//! A shell in a task's container, as a person uses it: labdeck in tmux against the lab,
//! `e` on a task, commands typed into the container's shell, `exit`, and labdeck back
//! with the outcome. In read-only mode the key is refused and the engine never gets an
//! exec. Each test owns its stack (removed when dropped).

mod support;

use support::lab::{Stack, docker, wait_until};
use support::labdeck::{LAB, Labdeck, bottom_line, title_line};

const COMPOSE: &str = r#"
version: "3.8"
services:
  app:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 1
"#;

/// The test's own stack, deployed and running (removed when dropped).
fn converged(name: &str, compose: &str) -> Stack {
    let stack = Stack::deploy(name, compose);
    assert!(
        stack.wait_converged(LAB),
        "{} never converged",
        stack.name()
    );
    stack
}

/// The one container of `service` (the test's own: the name has the pid in it).
fn container_of(service: &str) -> String {
    let filter = format!("label=com.docker.swarm.service.name={service}");
    let mut id = String::new();
    assert!(
        wait_until(LAB, || {
            id = docker(&["ps", "-q", "--filter", &filter])
                .trim()
                .to_string();
            !id.is_empty() && !id.contains('\n')
        }),
        "{service} has no single running container: {id:?}"
    );
    id
}

/// Exec instances the engine holds for `container` (running or not yet cleaned up).
fn execs(container: &str) -> usize {
    let n = docker(&["inspect", "--format", "{{len .ExecIDs}}", container]);
    n.trim()
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {n:?}"))
}

/// labdeck showing `stack`'s one service's tasks, its task running.
fn open_tasks(app: &Labdeck, stack: &Stack) {
    let (name, service) = (stack.name(), stack.service("app"));
    app.expect(name);
    app.send_keys(&["/"]);
    app.send_text(name);
    app.press("Enter", "the filter", |s| {
        title_line(s).contains(&format!("/{name} ")) && bottom_line(s).contains("enter Open")
    });
    app.press("Enter", "the stack's services", |s| {
        title_line(s).contains(&format!("stacks › {name} ")) && s.contains(&service)
    });
    app.press("Enter", "the service's running task", |s| {
        title_line(s).contains(&format!("› {service} ")) && s.contains("running")
    });
}

#[test]
fn a_shell_in_a_task_runs_what_is_typed_and_gives_the_terminal_back() {
    require_lab!();
    let stack = converged("ldexec", COMPOSE);
    let service = stack.service("app");
    let container = container_of(&service);
    assert_eq!(execs(&container), 0, "a fresh container has no exec");

    let app = Labdeck::start(&[], &[], 100, 30);
    open_tasks(&app, &stack);
    let tui = app.capture();

    // busybox has no bash: the shell is sh, whose prompt for root ends in "# ".
    let banner = format!("labdeck: shell in {service}.1");
    app.press("e", "the container's shell", |s| {
        s.contains(&banner) && s.lines().any(|l| l.trim_end().ends_with('#'))
    });
    assert_eq!(
        execs(&container),
        1,
        "the shell is an exec in that container"
    );
    assert!(
        !app.capture().contains("Swarm ›"),
        "the TUI is suspended while the shell runs:\n{}",
        app.capture()
    );

    // Typed through to the shell, evaluated there: only the output says 42.
    app.send_text("echo labdeck-$((40+2))");
    app.press("Enter", "the shell's answer", |s| {
        s.lines().any(|l| l.trim_end() == "labdeck-42")
    });

    // The shell's terminal follows labdeck's: resized, `stty size` says rows and columns.
    app.resize(90, 26);
    app.send_text("stty size");
    app.press("Enter", "the shell's terminal size", |s| {
        s.lines().any(|l| l.trim_end() == "26 90")
    });

    app.send_text("exit");
    let back = app.press("Enter", "labdeck back with the outcome", |s| {
        title_line(s).contains(&format!("› {service} "))
            && s.contains(&format!("shell in {service}.1 ended (exit 0)"))
    });
    assert!(
        !back.contains("labdeck-42") && !back.contains(&banner),
        "the whole TUI is redrawn over the shell's screen:\n{back}"
    );
    assert!(
        back.contains("running") && tui.contains("running"),
        "the task row is there again:\n{back}"
    );
    assert!(app.is_alive(), "labdeck died:\n{}", app.log());

    // Keys reach labdeck again, not the finished shell.
    app.press("Escape", "the stack's services again", |s| {
        title_line(s).contains(&format!("stacks › {} ", stack.name()))
    });
}

/// Quitting after a shell leaves the main screen as a shell user expects: what was
/// there before labdeck, the container shell's session below it, and the next prompt
/// on a clean line under that, nothing written over.
#[test]
fn quitting_after_a_shell_puts_the_prompt_below_everything_printed() {
    require_lab!();
    let stack = converged("ldexec-quit", COMPOSE);
    let service = stack.service("app");
    // The shell's own "prompt" after labdeck ends: printed where labdeck left the cursor.
    let before = "printf 'before-%s\\n' 1 2 3";
    let after = "echo labdeck-quit-$?; exec sleep 600";
    let app = Labdeck::start_in_shell(before, after, &[], &[], 100, 30);
    open_tasks(&app, &stack);
    app.press("e", "the container's shell", |s| {
        s.lines().any(|l| l.trim_end().ends_with('#'))
    });
    app.send_text("echo labdeck-$((40+2))");
    app.press("Enter", "the shell's answer", |s| {
        s.lines().any(|l| l.trim_end() == "labdeck-42")
    });
    app.send_text("exit");
    app.press("Enter", "labdeck back with the outcome", |s| {
        s.contains(&format!("shell in {service}.1 ended (exit 0)"))
    });
    let screen = app.press("q", "the shell after labdeck", |s| {
        s.contains("labdeck-quit-")
    });

    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert_eq!(
        lines[..3],
        ["before-1", "before-2", "before-3"],
        "what was on the screen before labdeck is still there:\n{screen}"
    );
    let prompt = lines
        .iter()
        .position(|l| l.contains("labdeck-quit-"))
        .unwrap();
    assert_eq!(
        lines[prompt], "labdeck-quit-0",
        "the prompt has a line of its own:\n{screen}"
    );
    let session_end = lines
        .iter()
        .rposition(|l| l.ends_with("# exit"))
        .unwrap_or_else(|| panic!("the shell's session is gone:\n{screen}"));
    assert_eq!(
        prompt,
        session_end + 1,
        "the prompt comes right under the shell's session:\n{screen}"
    );
    assert!(
        lines[prompt + 1..].iter().all(|l| l.is_empty()),
        "nothing from labdeck below the prompt:\n{screen}"
    );
}

#[test]
fn read_only_refuses_the_shell_and_no_exec_reaches_the_engine() {
    require_lab!();
    let stack = converged("ldexec-ro", COMPOSE);
    let service = stack.service("app");
    let container = container_of(&service);

    let app = Labdeck::start(&["--read-only"], &[], 100, 30);
    app.expect(" RO ");
    open_tasks(&app, &stack);
    app.press("e", "the read-only refusal", |s| {
        s.contains("exec is unavailable: read-only mode")
    });
    // Anything the key started would be on the engine by now: the refusal comes after.
    assert_eq!(execs(&container), 0, "read-only labdeck created an exec");
    let screen = app.capture();
    assert!(
        title_line(&screen).contains(&format!("› {service} ")),
        "still labdeck's task view:\n{screen}"
    );
}

/// The backend alone, over ssh (`docker system dial-stdio` on the other side, as for a
/// NAS): the upgraded stream is raw both ways and the exit code is the shell's own.
#[test]
fn exec_over_ssh_streams_both_ways_and_reads_the_exit_code() {
    require_lab!();
    use labdeck::backend::swarm::connect::Endpoint;
    use labdeck::backend::swarm::exec::{self, ExecRequest};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let stack = converged("ldexec-ssh", COMPOSE);
    let container = container_of(&stack.service("app"));
    let writer = support::writer();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ssh = Endpoint::from_value(Some(support::lab::SSH_HOST));
        let req = ExecRequest {
            container_id: container.clone(),
            cmd: exec::shell_command(),
            env: vec!["TERM=dumb".into()],
            size: (80, 24),
        };
        let mut s = exec::start(&writer, &ssh, &req)
            .await
            .expect("exec over ssh");
        s.stream
            .write_all(b"echo labdeck-$((40+2)); exit 3\n")
            .await
            .unwrap();
        let mut out = Vec::new();
        let read = tokio::time::timeout(LAB, s.stream.read_to_end(&mut out)).await;
        assert!(read.is_ok(), "the stream never ended: {out:?}");
        let out = String::from_utf8_lossy(&out);
        assert!(out.lines().any(|l| l.trim_end() == "labdeck-42"), "{out:?}");
        assert_eq!(s.control.exit_code().await, Ok(Some(3)));

        // An engine's refusal is its own words, and nothing is attached.
        let local = Endpoint::from_value(Some(&format!("unix://{}", support::lab::SOCKET)));
        let gone = ExecRequest {
            container_id: "labdeck-no-such-container".into(),
            ..req
        };
        let Err(e) = exec::start(&writer, &local, &gone).await else {
            panic!("an exec in a missing container started")
        };
        assert!(e.starts_with("engine said 404: No such container"), "{e}");
    });
}

/// An image without a shell: the runtime cannot start one, the TUI comes back at once
/// and the flash says why, in the runtime's words.
#[test]
fn no_shell_in_the_image_is_said_and_the_tui_comes_back() {
    require_lab!();
    // The task's own shell removes every shell but the one already running.
    let compose = r#"
version: "3.8"
services:
  app:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "rm /bin/sh /bin/ash /bin/bash 2>/dev/null; exec sleep 3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 1
"#;
    let stack = converged("ldexec-nosh", compose);
    let service = stack.service("app");
    // Wide: the flash is the runtime's whole sentence.
    let app = Labdeck::start(&[], &[], 220, 30);
    open_tasks(&app, &stack);
    let back = app.press("e", "the failure, with labdeck back", |s| {
        title_line(s).contains(&format!("› {service} "))
            && s.contains(&format!("shell in {service}.1 failed (exit"))
    });
    assert!(
        back.contains("/bin/sh"),
        "the runtime's reason names it:\n{back}"
    );
    app.press("Escape", "keys reach labdeck", |s| {
        title_line(s).contains(&format!("stacks › {} ", stack.name()))
    });
}

/// A panic while the shell has the terminal: the report is printed below the banner,
/// not over it (the alternate screen is not left a second time, which would move the
/// cursor back to where labdeck entered it).
#[test]
fn a_panic_while_the_terminal_is_lent_reports_below_the_banner() {
    require_lab!();
    let stack = converged("ldexecpanic", COMPOSE);
    // No backtrace: the report stays on one screen.
    let env = [
        ("LABDECK_FAULT_PANIC", "handover"),
        ("RUST_BACKTRACE", "0"),
        ("RUST_LIB_BACKTRACE", "0"),
    ];
    let app = Labdeck::start(&[], &env, 100, 30);
    open_tasks(&app, &stack);
    app.send_keys(&["e"]);
    let screen = app.expect_that("the panic report", |s| {
        s.contains("while the terminal is lent")
    });
    let lines: Vec<&str> = screen.lines().collect();
    let banner = lines
        .iter()
        .position(|l| l.contains("(exit it to come back)"))
        .unwrap_or_else(|| panic!("the banner was written over:\n{screen}"));
    let report = lines
        .iter()
        .position(|l| l.contains("while the terminal is lent"))
        .unwrap();
    assert!(report > banner, "the report is above the banner:\n{screen}");
}
