//! labdeck itself in a real terminal: the built binary in a [`Tmux`], with private
//! config and data directories (the user's files are never read or written) and the
//! engine pinned to the lab unless the test says otherwise.

use std::ops::Deref;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use super::lab::SOCKET;
use super::process;
use super::tmux::Tmux;

pub const BIN: &str = env!("CARGO_BIN_EXE_labdeck");
/// How long any wait for the screen may take: the lab can need this long to show a
/// change (a task starting), and other builds share the CPUs.
pub const LAB: Duration = Duration::from_secs(90);

pub struct Labdeck {
    tmux: Tmux,
    data: TempDir,
    _config: TempDir,
}

impl Labdeck {
    /// Runs `labdeck ARGS` in a `width` x `height` terminal; `env` adds to or
    /// overrides the defaults (`DOCKER_HOST` = the lab, read-only off).
    pub fn start(args: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Labdeck {
        Self::launch(args, env, width, height, None, &[], None)
    }

    /// [`Labdeck::start`] with these files (`config.toml`, `inventory.toml`) in its
    /// config dir.
    #[allow(dead_code)]
    pub fn start_with_files(
        files: &[(&str, &str)],
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Labdeck {
        Self::launch(args, env, width, height, None, files, None)
    }

    /// [`Labdeck::start`] from a shell, as a person starts it: the shell runs `before`,
    /// then labdeck, then `after` (`$?` is labdeck's exit code). What labdeck leaves on
    /// the main screen can then be compared with what was there.
    pub fn start_in_shell(
        before: &str,
        after: &str,
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Labdeck {
        Self::launch(args, env, width, height, None, &[], Some((before, after)))
    }

    /// [`Labdeck::start`] with this `config.toml`.
    pub fn start_with_config(
        config_toml: &str,
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Labdeck {
        Self::launch(
            args,
            env,
            width,
            height,
            None,
            &[("config.toml", config_toml)],
            None,
        )
    }

    /// [`Labdeck::start`], recording every byte labdeck writes to the terminal.
    pub fn start_recording(
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
        output: &Path,
    ) -> Labdeck {
        Self::launch(args, env, width, height, Some(output), &[], None)
    }

    /// [`Labdeck::start_recording`] with this `config.toml`.
    #[allow(dead_code)]
    pub fn start_recording_with_config(
        config_toml: &str,
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
        output: &Path,
    ) -> Labdeck {
        Self::launch(
            args,
            env,
            width,
            height,
            Some(output),
            &[("config.toml", config_toml)],
            None,
        )
    }

    fn launch(
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
        output: Option<&Path>,
        files: &[(&str, &str)],
        around: Option<(&str, &str)>,
    ) -> Labdeck {
        let config = tempfile::tempdir().expect("tempdir for LABDECK_CONFIG_DIR");
        for (name, text) in files {
            std::fs::write(config.path().join(name), text).expect("write a config file");
        }
        let data = tempfile::tempdir().expect("tempdir for LABDECK_DATA_DIR");
        let lab = format!("unix://{SOCKET}");
        let dirs = [
            ("LABDECK_CONFIG_DIR", path_str(config.path())),
            ("LABDECK_DATA_DIR", path_str(data.path())),
        ];
        let defaults = [("DOCKER_HOST", lab.as_str()), ("LABDECK_READ_ONLY", "0")];
        let mut all: Vec<(&str, &str)> = dirs.to_vec();
        all.extend(
            defaults
                .iter()
                .filter(|(k, _)| !env.iter().any(|(e, _)| e == k)),
        );
        all.extend(env);
        // labdeck and its arguments go to the shell as "$@": no quoting to get wrong.
        let script = around.map(|(before, after)| format!("{before}; \"$@\"; {after}"));
        let mut cmd = match &script {
            Some(script) => vec!["/bin/sh", "-c", script.as_str(), "sh", BIN],
            None => vec![BIN],
        };
        cmd.extend(args);
        let tmux = match output {
            Some(out) => Tmux::start_recording(&cmd, &all, width, height, out),
            None => Tmux::start(&cmd, &all, width, height),
        };
        Labdeck {
            tmux,
            data,
            _config: config,
        }
    }

    /// Waits until `text` is on screen and returns the screen; panics with the last
    /// screen and labdeck's log otherwise.
    pub fn expect(&self, text: &str) -> String {
        self.expect_that(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Waits until `pred` holds for the screen (within [`LAB`]); panics like [`Labdeck::expect`].
    pub fn expect_that(&self, what: &str, pred: impl FnMut(&str) -> bool) -> String {
        self.tmux.wait_until(pred, LAB).unwrap_or_else(|e| {
            panic!(
                "waiting for {what}: {e}\n--- labdeck.log ---\n{}",
                self.log()
            )
        })
    }

    /// labdeck's own log file (in the private data dir).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.path().join("labdeck.log")).unwrap_or_default()
    }

    /// Sends `key` (a tmux key name) and waits until `done` holds for the screen.
    pub fn press(&self, key: &str, what: &str, done: impl FnMut(&str) -> bool) -> String {
        self.tmux.send_keys(&[key]);
        self.expect_that(what, done)
    }
}

impl Deref for Labdeck {
    type Target = Tmux;
    fn deref(&self) -> &Tmux {
        &self.tmux
    }
}

/// Runs `labdeck ARGS` to completion (no terminal) with private config and data
/// dirs and `DOCKER_HOST`; returns (exit code, stdout, stderr).
pub fn run_cli(args: &[&str], docker_host: &str) -> (i32, String, String) {
    let config = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("DOCKER_HOST", docker_host)
        .env("LABDECK_CONFIG_DIR", config.path())
        .env("LABDECK_DATA_DIR", data.path())
        .env_remove("LABDECK_READ_ONLY");
    let done = process::run(&mut cmd, Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
    let code = done.status.code().expect("labdeck was killed by a signal");
    (code, done.stdout, done.stderr)
}

/// The screen's first line (the tab bar).
pub fn first_line(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// The screen's second line: the pane's top border with its breadcrumb title.
pub fn title_line(screen: &str) -> &str {
    screen.lines().nth(1).unwrap_or("")
}

/// The last non-empty line: key hints, or an input prompt while one is open.
pub fn bottom_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
}

/// Types `:command` and runs it once the command line shows exactly that, which also
/// proves every key sent before was handled. If something swallowed the keys (help,
/// a dialog, another input), Esc closes it first. Esc is never sent blindly: directly
/// followed by another key, a terminal delivers both in one read and it becomes
/// Alt+key, so after Esc the next key waits until the screen shows its effect.
pub fn run_command(app: &Labdeck, command: &str) {
    let typed = format!(":{command}");
    let short = Duration::from_secs(3);
    for _ in 0..10 {
        app.send_keys(&[":"]);
        app.send_text(command);
        if app.wait_until(|s| bottom_line(s) == typed, short).is_ok() {
            app.send_keys(&["Enter"]);
            return;
        }
        eprintln!("retrying :{command} after Esc:\n{}", app.capture());
        app.send_keys(&["Escape"]);
        let _ = app.wait_until(quiet, short);
    }
    panic!("could not run :{command}:\n{}", app.capture());
}

/// Nothing open: no help, no dialog, and the status bar shows hints, not an input.
pub fn quiet(screen: &str) -> bool {
    bottom_line(screen).contains("? Help")
        && !screen.contains("Keys (esc closes")
        && !screen.contains("n/esc cancel")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 tempdir path")
}
