//! A program in a real terminal: a detached tmux session of a fixed size on a private
//! tmux server (own socket and config in a tempdir, so the user's tmux is never
//! touched), driven with keys and read back as screen text, as a person would use it.
//!
//! tmux 3.3a notes: `window-size manual` in the config file crashes the server on
//! `new-session -d`, so it is set just after the session exists; once a program exits,
//! its dead pane scrolls up one line for a "Pane is dead" message (not always shown).

mod quote;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::process;
pub use quote::{sh_quote, tmux_arg};

const SESSION: &str = "labdeck";
/// One tmux command; they answer in milliseconds unless the server is stuck.
const TMUX_TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// The status line would take a row from the pane; a dead pane stays readable; a
/// single-string command runs under a known shell whatever `$SHELL` is; a program's
/// OSC 52 copy lands in a tmux paste buffer, where a test can read it.
const CONFIG: &str = "\
set -g status off
set -g set-clipboard on
set -g remain-on-exit on
set -g default-shell /bin/sh
set -g escape-time 0
";

pub struct Tmux {
    socket: PathBuf,
    _dir: TempDir,
}

impl Tmux {
    /// Runs `cmd` (program and arguments, no shell) in a `width` x `height` terminal,
    /// with `env` added to its environment.
    pub fn start(cmd: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Tmux {
        Self::launch(cmd, env, width, height, None)
    }

    /// [`Tmux::start`], recording every byte the program writes to `output` from its
    /// very first one (the pipe is opened in the same tmux command as the session,
    /// before the server reads the pane).
    pub fn start_recording(
        cmd: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
        output: &Path,
    ) -> Tmux {
        Self::launch(cmd, env, width, height, Some(output))
    }

    fn launch(
        cmd: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
        output: Option<&Path>,
    ) -> Tmux {
        assert!(!cmd.is_empty(), "Tmux::start needs a program");
        let dir = tempfile::tempdir().expect("tempdir for the tmux server");
        let config = dir.path().join("tmux.conf");
        std::fs::write(&config, CONFIG).expect("write tmux.conf");
        let tmux = Tmux {
            socket: dir.path().join("tmux.sock"),
            _dir: dir,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let config = config.to_str().expect("UTF-8 tempdir path");
        let mut args = vec![
            "-f",
            config,
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &w,
            "-y",
            &h,
        ];
        let env: Vec<String> = env
            .iter()
            .map(|(k, v)| tmux_arg(&format!("{k}={v}")))
            .collect();
        for var in &env {
            args.extend(["-e", var.as_str()]);
        }
        // tmux execs two or more arguments directly but hands a single one to the
        // shell: quote a lone program so its path is taken literally.
        let cmd: Vec<String> = match cmd {
            [program] => vec![format!("exec {}", sh_quote(program))],
            _ => cmd.iter().map(|arg| tmux_arg(arg)).collect(),
        };
        args.push("--");
        args.extend(cmd.iter().map(String::as_str));
        args.extend([";", "set", "-g", "window-size", "manual"]);
        let pipe = output.map(pipe_command);
        if let Some(pipe) = &pipe {
            args.extend([";", "pipe-pane", "-t", SESSION, pipe.as_str()]);
        }
        tmux.run(&args).unwrap_or_else(|e| panic!("{e}"));
        tmux
    }

    /// The private server's socket: `tmux -S <socket> attach` to watch a test live.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// Sends tmux key names ("Enter", "Escape", "C-c", "Up", "F5"); an argument that
    /// is no key name is typed as its characters.
    pub fn send_keys(&self, keys: &[&str]) {
        let keys: Vec<String> = keys.iter().map(|key| tmux_arg(key)).collect();
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend(keys.iter().map(String::as_str));
        self.run_ok(&args);
    }

    /// Types `text` literally, even when it spells a key name ("Enter").
    pub fn send_text(&self, text: &str) {
        self.run_ok(&["send-keys", "-t", SESSION, "-l", &tmux_arg(text)]);
    }

    /// The newest paste buffer (what a program copied with OSC 52), if there is one.
    pub fn clipboard(&self) -> Option<String> {
        self.run(&["show-buffer"]).ok()
    }

    /// The visible screen as text: one line per row, trailing blanks trimmed.
    pub fn capture(&self) -> String {
        self.run_ok(&["capture-pane", "-p", "-t", SESSION])
    }

    /// The visible screen with colours and attributes as escape sequences.
    pub fn capture_with_escapes(&self) -> String {
        self.run_ok(&["capture-pane", "-p", "-e", "-t", SESSION])
    }

    /// Waits until `text` is on screen; returns the screen, or an error with the last one.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Result<String, String> {
        self.wait_until(|screen| screen.contains(text), timeout)
            .map_err(|e| format!("{text:?} not on screen: {e}"))
    }

    /// Waits until `pred` holds for the screen; returns it, or an error with the last one.
    pub fn wait_until(
        &self,
        mut pred: impl FnMut(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.run(&["capture-pane", "-p", "-t", SESSION]);
            match screen {
                Ok(screen) if pred(&screen) => return Ok(screen),
                Ok(screen) if Instant::now() >= deadline => {
                    return Err(format!(
                        "timed out after {timeout:?}; last screen:\n{screen}"
                    ));
                }
                Err(e) => return Err(format!("cannot read the screen: {e}")),
                Ok(_) => thread::sleep(POLL),
            }
        }
    }

    /// Appends every byte the program writes to the terminal from now on to `path`
    /// (replacing any earlier pipe). Bytes land in the file shortly after they are
    /// written: poll the file.
    pub fn pipe_output(&self, path: &Path) {
        self.run_ok(&["pipe-pane", "-t", SESSION, &pipe_command(path)]);
    }

    /// Resizes the terminal; the program gets SIGWINCH.
    pub fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.run_ok(&["resize-window", "-t", SESSION, "-x", &w, "-y", &h]);
    }

    /// The pane's size as tmux reports it: (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        let out = self.run_ok(&[
            "display-message",
            "-p",
            "-t",
            SESSION,
            "#{pane_width} #{pane_height}",
        ]);
        let mut it = out
            .split_whitespace()
            .map(|n| n.parse().expect("tmux pane size"));
        (it.next().expect("width"), it.next().expect("height"))
    }

    /// True while the program runs (the session exists and its pane is not dead).
    pub fn is_alive(&self) -> bool {
        self.run(&["display-message", "-p", "-t", SESSION, "#{pane_dead}"])
            .is_ok_and(|out| out.trim() == "0")
    }

    /// The program's exit status once it has exited, when tmux learnt it: with tmux
    /// 3.3a it is sometimes empty when the terminal closed before the exit was reaped.
    pub fn exit_status(&self) -> Option<i32> {
        self.run(&[
            "display-message",
            "-p",
            "-t",
            SESSION,
            "#{pane_dead_status}",
        ])
        .ok()?
        .trim()
        .parse()
        .ok()
    }

    fn run_ok(&self, args: &[&str]) -> String {
        self.run(args).unwrap_or_else(|e| panic!("{e}"))
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let mut cmd = Command::new("tmux");
        // Inside a developer's tmux these would point at their session.
        cmd.arg("-S")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE");
        let done = process::run(&mut cmd, TMUX_TIMEOUT)?;
        if done.status.success() {
            Ok(done.stdout)
        } else {
            Err(format!(
                "tmux {}: {}: {}",
                args.join(" "),
                done.status,
                done.stderr.trim()
            ))
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Hangs up the program and ends the private server; the tempdir goes after.
        let _ = self.run(&["kill-server"]);
    }
}

/// `pipe-pane` runs its command with /bin/sh: quote the path for it.
fn pipe_command(path: &Path) -> String {
    format!(
        "cat >> {}",
        sh_quote(path.to_str().expect("UTF-8 output path"))
    )
}
