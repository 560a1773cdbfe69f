//! Running `zpool` and `zfs` on one host: locally, or through a configured command
//! prefix (`["ssh", "nas2"]`, `["sudo", "-n"]`). Argument vectors only, never a shell
//! string; a timeout after which the command is killed; one run at a time per host (a
//! slow pool never has two `zpool status` queued behind each other).
//!
//! Reads and writes are apart by type: `Runner::read` refuses any subcommand that is
//! not a read, and only `ZfsWriter` (built from a `Writer`) can run the others.

use crate::core::access::Writer;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::process::Command;

/// The key of the ZFS hosts' table in config.toml.
pub const CONFIG_KEY: &str = "zfs";

/// config.toml as the ZFS pane reads it: its `[[zfs]]` hosts, nothing else.
#[derive(Debug, Default, Deserialize)]
pub struct ZfsTable {
    #[serde(default)]
    pub zfs: Vec<ZfsHost>,
}

/// A host whose pools labdeck watches (`[[zfs]]` in config.toml).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZfsHost {
    /// How labdeck names it (`nas`, `n5`).
    pub name: String,
    /// What runs the commands there: nothing for this host, `["ssh", "n5"]`, `["sudo", "-n"]`.
    #[serde(default)]
    pub prefix: Vec<String>,
    #[serde(default = "default_zpool")]
    pub zpool: String,
    #[serde(default = "default_zfs")]
    pub zfs: String,
    /// Seconds a command may take before it is killed and the source goes stale.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Seconds a write (snapshot, scrub, destroy) may take: longer than a read, since a
    /// recursive snapshot or a destroy on a busy pool is slow. One that runs out is
    /// reported as "outcome unknown" and the pools are read again, never as failed.
    #[serde(default = "default_write_timeout")]
    pub write_timeout_secs: u64,
    /// Poll intervals in seconds: pools (list and status), datasets, snapshots.
    #[serde(default = "default_pools_every")]
    pub pools_every: u64,
    #[serde(default = "default_datasets_every")]
    pub datasets_every: u64,
    #[serde(default = "default_snapshots_every")]
    pub snapshots_every: u64,
    /// A pool not scrubbed for this many days is warned about.
    #[serde(default = "default_scrub_warn_days")]
    pub scrub_warn_days: u64,
    /// This host's kernel statistics directory (ARC, I/O counters), read as files when
    /// the host is this machine; default `/proc/spl/kstat/zfs`.
    #[serde(default)]
    pub kstat_root: Option<String>,
}

fn default_scrub_warn_days() -> u64 {
    35
}

fn default_zpool() -> String {
    "zpool".into()
}
fn default_zfs() -> String {
    "zfs".into()
}
fn default_timeout() -> u64 {
    10
}
fn default_write_timeout() -> u64 {
    120
}
fn default_pools_every() -> u64 {
    5
}
fn default_datasets_every() -> u64 {
    30
}
fn default_snapshots_every() -> u64 {
    60
}

impl ZfsHost {
    /// This machine, with the defaults.
    pub fn local() -> ZfsHost {
        ZfsHost {
            name: "local".into(),
            prefix: Vec::new(),
            zpool: default_zpool(),
            zfs: default_zfs(),
            timeout_secs: default_timeout(),
            write_timeout_secs: default_write_timeout(),
            pools_every: default_pools_every(),
            datasets_every: default_datasets_every(),
            snapshots_every: default_snapshots_every(),
            scrub_warn_days: default_scrub_warn_days(),
            kstat_root: None,
        }
    }

    /// Where this host's kernel statistics can be read as files: on this machine only.
    pub fn kstat(&self) -> Option<std::path::PathBuf> {
        self.is_local().then(|| {
            self.kstat_root
                .as_deref()
                .unwrap_or(super::kstat::ROOT)
                .into()
        })
    }

    /// Is it this machine (so its kernel statistics can be read directly)? With no
    /// prefix, or only `sudo` / `doas` in front.
    pub fn is_local(&self) -> bool {
        let on_this_machine = |p: &String| {
            std::path::Path::new(p)
                .file_name()
                .is_some_and(|n| n == "sudo" || n == "doas")
        };
        self.prefix.first().is_none_or(on_this_machine) && !self.through_ssh()
    }

    /// Does the prefix go through ssh, which hands the rest to a shell on the far side?
    pub fn through_ssh(&self) -> bool {
        self.prefix.iter().any(|p| {
            std::path::Path::new(p)
                .file_name()
                .is_some_and(|n| n == "ssh")
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Zpool,
    Zfs,
}

/// Subcommands that only look. Everything else needs a `ZfsWriter`.
const READS: &[&str] = &["list", "status", "get", "iostat", "version"];

/// Set to a file path, every command run is appended to it, one argument vector per
/// line (JSON): what the read-only proof checks from outside the process.
pub const RECORD_ENV: &str = "LABDECK_ZFS_RECORD";

#[derive(Clone)]
pub struct Runner {
    host: ZfsHost,
    one_at_a_time: Arc<tokio::sync::Mutex<()>>,
    record: Option<std::path::PathBuf>,
}

/// How a command went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// It could not be started, or ssh did not reach the host: the host did not answer.
    NoAnswer(String),
    /// It did not finish in time (killed): for a read, the host did not answer; for a
    /// write, nobody knows whether it happened.
    TimedOut(String),
    /// It ran and said no (a non-zero exit: an option this ZFS lacks, a missing pool).
    Failed(String),
}

impl From<RunError> for String {
    fn from(e: RunError) -> String {
        match e {
            RunError::NoAnswer(m) | RunError::TimedOut(m) | RunError::Failed(m) => m,
        }
    }
}

/// One lock per host, whatever `Runner` runs there: the watcher's reads and a write the
/// user confirmed take turns.
fn host_lock(host: &ZfsHost) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    > = std::sync::OnceLock::new();
    let key = format!(
        "{}\u{1f}{:?}\u{1f}{}\u{1f}{}",
        host.name, host.prefix, host.zpool, host.zfs
    );
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    locks.entry(key).or_default().clone()
}

/// A command's process group, signalled whole when the command is given up on: a
/// prefix (`sudo`, `ssh`) runs the tool as its child, which a signal to the prefix alone
/// would leave running. Dropped while armed (a timeout, or the watcher stopped mid-run),
/// it kills the group.
struct Group(Option<rustix::process::Pid>);

impl Group {
    fn of(pid: Option<u32>) -> Group {
        Group(
            pid.and_then(|p| i32::try_from(p).ok())
                .and_then(rustix::process::Pid::from_raw),
        )
    }

    fn signal(&self, sig: rustix::process::Signal) {
        if let Some(pid) = self.0 {
            let _ = rustix::process::kill_process_group(pid, sig);
        }
    }

    /// The command ended by itself: nothing to kill.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.signal(rustix::process::Signal::KILL);
    }
}

/// Start `cmd`. A program just written (a wrapper script) can be "busy" for a moment
/// while another thread's fork still holds it open for writing (ETXTBSY): that passes,
/// so it is tried again a few times before it counts.
async fn spawn(cmd: &mut Command) -> std::io::Result<tokio::process::Child> {
    let busy = rustix::io::Errno::TXTBSY.raw_os_error();
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(busy) && tries < 5 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => return other,
        }
    }
}

impl Runner {
    pub fn new(host: ZfsHost) -> Runner {
        Runner {
            one_at_a_time: host_lock(&host),
            host,
            record: std::env::var_os(RECORD_ENV).map(Into::into),
        }
    }

    pub fn host(&self) -> &ZfsHost {
        &self.host
    }

    /// Run a read (`zpool status`, `zfs list`, ...); anything else is refused here.
    pub async fn read(&self, tool: Tool, args: &[&str]) -> Result<String, String> {
        match args.first() {
            Some(sub) if READS.contains(sub) => self.run(tool, args).await,
            other => Err(format!(
                "refused: {} is not a read",
                other.copied().unwrap_or("(nothing)")
            )),
        }
    }

    /// The whole argument vector for `tool args`: the prefix, the tool, the arguments.
    pub fn argv(&self, tool: Tool, args: &[&str]) -> Vec<String> {
        let program = match tool {
            Tool::Zpool => self.host.zpool.as_str(),
            Tool::Zfs => self.host.zfs.as_str(),
        };
        let mut v = self.host.prefix.clone();
        let words = std::iter::once(program).chain(args.iter().copied());
        if self.host.through_ssh() {
            // ssh joins the words after its host into one string for the remote shell:
            // each word is quoted for that shell, so a name with a space or a `;` is still
            // one argument there. (A NUL cannot be in an argument at all.)
            v.extend(
                words.map(|w| shlex::try_quote(w).map_or_else(|_| "''".into(), |q| q.into_owned())),
            );
        } else {
            v.extend(words.map(str::to_string));
        }
        v
    }

    async fn run(&self, tool: Tool, args: &[&str]) -> Result<String, String> {
        self.attempt(tool, args, self.read_limit())
            .await
            .map_err(String::from)
    }

    fn read_limit(&self) -> Duration {
        Duration::from_secs(self.host.timeout_secs.max(1))
    }

    /// A write's limit: its own, and never shorter than a read's.
    fn write_limit(&self) -> Duration {
        Duration::from_secs(
            self.host
                .write_timeout_secs
                .max(self.host.timeout_secs)
                .max(1),
        )
    }

    /// A read that tells "the host did not answer" from "it answered no" (the dialect
    /// probe must not take a slow host for an old one).
    pub async fn probe(&self, tool: Tool, args: &[&str]) -> Result<String, RunError> {
        match args.first() {
            Some(sub) if READS.contains(sub) => self.attempt(tool, args, self.read_limit()).await,
            _ => Err(RunError::Failed("refused: not a read".into())),
        }
    }

    async fn attempt(
        &self,
        tool: Tool,
        args: &[&str],
        limit: Duration,
    ) -> Result<String, RunError> {
        let argv = self.argv(tool, args);
        let _turn = self.one_at_a_time.lock().await;
        self.note(&argv);
        let what = argv.join(" ");
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            // Its own process group, so a timeout reaches the tool behind a prefix.
            .process_group(0)
            .kill_on_drop(true)
            .env("LC_ALL", "C");
        let mut child = spawn(&mut cmd)
            .await
            .map_err(|e| RunError::NoAnswer(format!("cannot run `{what}`: {e}")))?;
        let group = Group::of(child.id());
        let (mut stdout, mut stderr) = (child.stdout.take(), child.stderr.take());
        let run = async {
            use tokio::io::AsyncReadExt;
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let read_out = async {
                if let Some(o) = stdout.as_mut() {
                    let _ = o.read_to_end(&mut out).await;
                }
            };
            let read_err = async {
                if let Some(e) = stderr.as_mut() {
                    let _ = e.read_to_end(&mut err).await;
                }
            };
            let ((), (), status) = tokio::join!(read_out, read_err, child.wait());
            status.map(|st| (st, out, err))
        };
        let (status, out, err) = match tokio::time::timeout(limit, run).await {
            Err(_) => {
                // TERM first, which sudo passes on to the command; KILL for whatever is
                // left once it had a moment (the group's drop).
                group.signal(rustix::process::Signal::TERM);
                let _ = tokio::time::timeout(Duration::from_millis(500), child.wait()).await;
                drop(group);
                return Err(RunError::TimedOut(format!(
                    "`{what}` did not finish in {} s (killed)",
                    limit.as_secs()
                )));
            }
            Ok(Err(e)) => return Err(RunError::NoAnswer(format!("cannot run `{what}`: {e}"))),
            Ok(Ok(done)) => done,
        };
        group.disarm();
        // ssh's own failures (no route, refused, a bad key) exit 255: the host did not
        // answer, which is not the tool saying no.
        if self.host.through_ssh() && status.code() == Some(255) {
            let e = String::from_utf8_lossy(&err);
            let first = e.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(RunError::NoAnswer(format!("`{what}`: {}", first.trim())));
        }
        let out = std::process::Output {
            status,
            stdout: out,
            stderr: err,
        };
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let code = out
                .status
                .code()
                .map_or("a signal".to_string(), |c| format!("exit {c}"));
            return Err(RunError::Failed(format!(
                "`{what}` failed ({code}): {}",
                first.trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn note(&self, argv: &[String]) {
        let Some(path) = &self.record else { return };
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{}", serde_json::to_string(argv).unwrap_or_default());
        }
    }
}

/// The one way to run a ZFS write (snapshot, scrub, destroy): it needs a `Writer`,
/// which read-only start-up never has.
///
/// ```compile_fail
/// # fn f(r: labdeck::backend::zfs::runner::Runner) {
/// let w = labdeck::backend::zfs::runner::ZfsWriter::new(r);
/// # }
/// ```
/// ```
/// # fn f(w: &labdeck::core::access::Writer, r: labdeck::backend::zfs::runner::Runner) {
/// let w = labdeck::backend::zfs::runner::ZfsWriter::new(w, r);
/// # }
/// ```
pub struct ZfsWriter {
    runner: Runner,
}

impl ZfsWriter {
    pub fn new(_w: &Writer, runner: Runner) -> ZfsWriter {
        ZfsWriter { runner }
    }

    /// Run a write with the write timeout. `TimedOut` means it may have happened.
    pub async fn run(&self, tool: Tool, args: &[&str]) -> Result<String, RunError> {
        self.runner
            .attempt(tool, args, self.runner.write_limit())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::test_writer;

    /// A host whose `zpool` is another program (`sh -c` scripts stand in for slow or
    /// failing commands).
    fn host(program: &str, prefix: &[&str], timeout: u64) -> ZfsHost {
        ZfsHost {
            prefix: prefix.iter().map(|s| s.to_string()).collect(),
            zpool: program.into(),
            timeout_secs: timeout,
            ..ZfsHost::local()
        }
    }

    #[tokio::test]
    async fn a_command_that_hangs_is_killed_at_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let script = format!("echo $$ > {}; exec sleep 30", pidfile.display());
        let r = Runner::new(host("sh", &[], 1));
        let started = std::time::Instant::now();
        // `sh -c SCRIPT status`: status is the read subcommand, passed as $0.
        let e = r
            .run(Tool::Zpool, &["-c", &script, "status"])
            .await
            .unwrap_err();
        assert!(e.contains("did not finish in 1 s (killed)"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The child is gone (a zombie is reaped by tokio soon after the kill).
        let mut gone = false;
        for _ in 0..50 {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if stat.is_empty() || stat.contains(") Z ") {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(gone, "sleep {pid} still runs");
    }

    /// Gone, or a zombie waiting for its parent.
    async fn gone(pid: i32) -> bool {
        for _ in 0..60 {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if stat.is_empty() || stat.contains(") Z ") {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    #[tokio::test]
    async fn a_timeout_reaches_the_tool_behind_a_prefix_too() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let tool = dir.path().join("zpool");
        std::fs::write(
            &tool,
            format!(
                "#!/bin/sh\necho $$ > {}\nexec sleep 30\n",
                pidfile.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&tool, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        // Like sudo: the prefix runs the tool as its child and waits for it.
        let r = Runner::new(ZfsHost {
            name: "behind-a-prefix".into(),
            ..host(
                tool.to_str().unwrap(),
                &["sh", "-c", "\"$@\"; echo after", "sh"],
                1,
            )
        });
        let e = r.read(Tool::Zpool, &["status"]).await.unwrap_err();
        assert!(e.contains("did not finish in 1 s (killed)"), "{e}");
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(gone(pid).await, "the tool {pid} outlived its prefix");
    }

    #[tokio::test]
    async fn a_slow_host_is_no_answer_and_a_refusal_is_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let tool = |name: &str, body: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
            p.to_str().unwrap().to_string()
        };
        let slow = Runner::new(ZfsHost {
            name: "slow".into(),
            ..host(&tool("slow", "exec sleep 5"), &[], 1)
        });
        let e = slow.probe(Tool::Zpool, &["status"]).await.unwrap_err();
        assert!(matches!(e, RunError::TimedOut(_)), "{e:?}");
        let e = Runner::new(host("/nonexistent/zpool", &[], 5))
            .probe(Tool::Zpool, &["status"])
            .await
            .unwrap_err();
        assert!(matches!(e, RunError::NoAnswer(_)), "{e:?}");
        let e = Runner::new(host(&tool("no", "exit 2"), &[], 5))
            .probe(Tool::Zpool, &["status"])
            .await
            .unwrap_err();
        assert!(matches!(e, RunError::Failed(_)), "{e:?}");
    }

    #[tokio::test]
    async fn a_prefix_comes_first_and_arguments_are_never_a_shell_string() {
        let r = Runner::new(host("echo", &["env", "X=1"], 5));
        assert_eq!(
            r.argv(Tool::Zpool, &["list", "-H"]),
            ["env", "X=1", "echo", "list", "-H"]
        );
        // A name with shell syntax arrives as one argument, untouched.
        let out = r
            .read(Tool::Zpool, &["list", "$(reboot); `id`"])
            .await
            .unwrap();
        assert_eq!(out, "list $(reboot); `id`\n");
    }

    #[test]
    fn over_ssh_every_word_is_quoted_for_the_remote_shell() {
        let r = Runner::new(host(
            "zpool",
            &["/usr/bin/ssh", "-o", "BatchMode=yes", "n5"],
            5,
        ));
        assert_eq!(
            r.argv(Tool::Zpool, &["list", "tank/a b@x; reboot", "it's"]),
            [
                "/usr/bin/ssh",
                "-o",
                "BatchMode=yes",
                "n5",
                "zpool",
                "list",
                "'tank/a b@x; reboot'",
                "\"it's\"",
            ]
        );
        // Parsed back the way the remote shell reads them: the same words.
        let argv = r.argv(Tool::Zpool, &["destroy", "tank/a b@x; reboot", "$(id)"]);
        assert_eq!(
            shlex::split(&argv[4..].join(" ")).unwrap(),
            ["zpool", "destroy", "tank/a b@x; reboot", "$(id)"]
        );
        let sudo = Runner::new(host("zpool", &["sudo", "-n"], 5));
        assert_eq!(sudo.argv(Tool::Zpool, &["list", "a b"])[4], "a b");
    }

    #[tokio::test]
    async fn reads_refuse_writes_and_the_writer_runs_them() {
        let r = Runner::new(host("echo", &[], 5));
        for sub in ["scrub", "destroy", "snapshot", "offline", "create"] {
            let e = r.read(Tool::Zpool, &[sub, "tank"]).await.unwrap_err();
            assert!(e.starts_with("refused"), "{e}");
        }
        let w = test_writer();
        let out = ZfsWriter::new(&w, r)
            .run(Tool::Zpool, &["scrub", "tank"])
            .await;
        assert_eq!(out.unwrap(), "scrub tank\n");
    }

    #[tokio::test]
    async fn a_failure_says_the_command_its_exit_and_its_first_error_line() {
        let r = Runner::new(host("sh", &[], 5));
        let e = r
            .run(
                Tool::Zpool,
                &[
                    "-c",
                    "echo; echo 'cannot open tank: no such pool' >&2; exit 1",
                ],
            )
            .await
            .unwrap_err();
        assert!(
            e.contains("(exit 1): cannot open tank: no such pool"),
            "{e}"
        );
        let missing = Runner::new(host("/nonexistent/zpool", &[], 5));
        let e = missing.read(Tool::Zpool, &["list"]).await.unwrap_err();
        assert!(e.starts_with("cannot run `/nonexistent/zpool list`"), "{e}");
    }

    #[tokio::test]
    async fn runs_of_one_host_never_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = format!(
            "echo start >> {l}; sleep 0.2; echo end >> {l}",
            l = log.display()
        );
        // Two runners of one host (the watcher's and a write's) take turns too.
        let r = Runner::new(host("sh", &[], 5));
        let w = Runner::new(host("sh", &[], 5));
        let args = ["-c", script.as_str()];
        let (a, b) = tokio::join!(r.run(Tool::Zpool, &args), w.run(Tool::Zpool, &args));
        a.unwrap();
        b.unwrap();
        let text = std::fs::read_to_string(&log).unwrap();
        assert_eq!(text, "start\nend\nstart\nend\n");
    }
}
