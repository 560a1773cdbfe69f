//! ZFS writes as plan steps: snapshot, scrub start / pause / stop, snapshot destroy.
//! Built and shown without write power; `apply` needs the `Writer`.

use super::runner::{RunError, Runner, Tool, ZfsHost, ZfsWriter};
use crate::core::access::Writer;
use crate::ops::plan::{Danger, Outcome, Progress, Step, StepError, Target, TargetKind};
use futures::future::BoxFuture;

/// The default snapshot name: `labdeck-` and the local time, `strftime`-style.
pub const SNAPSHOT_TEMPLATE: &str = "labdeck-%Y%m%d-%H%M%S";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZfsOp {
    Snapshot {
        dataset: String,
        name: String,
        recursive: bool,
    },
    Scrub {
        pool: String,
    },
    PauseScrub {
        pool: String,
    },
    StopScrub {
        pool: String,
    },
    DestroySnapshot {
        /// `pool/dataset@name`, exactly as listed.
        snapshot: String,
    },
}

impl ZfsOp {
    /// One sentence: what will happen.
    pub fn describe(&self) -> String {
        match self {
            ZfsOp::Snapshot {
                dataset,
                name,
                recursive,
            } => {
                let r = if *recursive {
                    " and of every dataset below it"
                } else {
                    ""
                };
                format!("Take snapshot {dataset}@{name} of {dataset}{r}.")
            }
            ZfsOp::Scrub { pool } => {
                format!("Start a scrub of pool {pool}: every block is read and checked.")
            }
            ZfsOp::PauseScrub { pool } => {
                format!("Pause the scrub of pool {pool} (a later scrub resumes it).")
            }
            ZfsOp::StopScrub { pool } => {
                format!("Stop the scrub of pool {pool}; its progress is lost.")
            }
            ZfsOp::DestroySnapshot { snapshot } => {
                format!(
                    "Destroy snapshot {snapshot} and free the space only it holds. This cannot be undone."
                )
            }
        }
    }

    /// The command, as an argument vector after the tool.
    pub fn args(&self) -> (Tool, Vec<String>) {
        match self {
            ZfsOp::Snapshot {
                dataset,
                name,
                recursive,
            } => {
                let mut v = vec!["snapshot".to_string()];
                if *recursive {
                    v.push("-r".into());
                }
                v.push(format!("{dataset}@{name}"));
                (Tool::Zfs, v)
            }
            ZfsOp::Scrub { pool } => (Tool::Zpool, vec!["scrub".into(), pool.clone()]),
            ZfsOp::PauseScrub { pool } => {
                (Tool::Zpool, vec!["scrub".into(), "-p".into(), pool.clone()])
            }
            ZfsOp::StopScrub { pool } => {
                (Tool::Zpool, vec!["scrub".into(), "-s".into(), pool.clone()])
            }
            ZfsOp::DestroySnapshot { snapshot } => {
                (Tool::Zfs, vec!["destroy".into(), snapshot.clone()])
            }
        }
    }
}

/// A destroy takes exactly one snapshot: `dataset@name` with one `@`, no `%` range
/// (`pool/fs@a%b` destroys every snapshot between), no `,` list, nothing that `zfs`
/// would read as an option. Without the `@` it would be a dataset, with all it holds.
/// No valid snapshot name has `%` or `,`, so this never refuses a real one.
pub fn one_snapshot(name: &str) -> Result<(), String> {
    let Some((dataset, snap)) = name.split_once('@') else {
        return Err(format!(
            "{name:?} is not a snapshot (no @): refusing to destroy it"
        ));
    };
    let why = if dataset.is_empty() || snap.is_empty() {
        "a snapshot needs a dataset and a name"
    } else if snap.contains('@') {
        "more than one @"
    } else if name.contains('%') {
        "a % range names many snapshots"
    } else if name.contains(',') {
        "a , list names many snapshots"
    } else if name.starts_with('-') {
        "it would be read as an option"
    } else {
        return Ok(());
    };
    Err(format!(
        "{name:?}: {why}; a destroy takes exactly one snapshot"
    ))
}

/// A snapshot name from a template (`%Y %m %d %H %M %S`), at `now` in its own zone (the
/// pane gives this machine's local time, as snapshot tools do by default).
pub fn snapshot_name(template: &str, now: &jiff::Zoned) -> String {
    let two = |n: i8| format!("{n:02}");
    template
        .replace("%Y", &now.year().to_string())
        .replace("%m", &two(now.month()))
        .replace("%d", &two(now.day()))
        .replace("%H", &two(now.hour()))
        .replace("%M", &two(now.minute()))
        .replace("%S", &two(now.second()))
}

#[derive(Debug, Clone)]
pub struct ZfsStep {
    pub host: ZfsHost,
    pub op: ZfsOp,
}

impl Step for ZfsStep {
    fn describe(&self) -> String {
        self.op.describe()
    }

    fn danger(&self) -> Danger {
        match self.op {
            ZfsOp::DestroySnapshot { .. } | ZfsOp::StopScrub { .. } => Danger::Irreversible,
            _ => Danger::Reversible,
        }
    }

    fn target(&self) -> Target {
        let address = if self.host.prefix.is_empty() {
            "this machine".to_string()
        } else {
            self.host.prefix.join(" ")
        };
        Target {
            kind: TargetKind::Host,
            name: self.host.name.clone(),
            address,
        }
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            // The backend refuses what no dialog should have built.
            if let ZfsOp::DestroySnapshot { snapshot } = &self.op {
                one_snapshot(snapshot)?;
            }
            let w = ZfsWriter::new(writer, Runner::new(self.host.clone()));
            let (tool, args) = self.op.args();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            progress(format!("running {}", args.join(" ")));
            let done = w.run(tool, &args).await.map(|_| match &self.op {
                ZfsOp::Snapshot { dataset, name, .. } => format!("snapshot {dataset}@{name} taken"),
                ZfsOp::Scrub { pool } => format!("scrub of {pool} started"),
                ZfsOp::PauseScrub { pool } => format!("scrub of {pool} paused"),
                ZfsOp::StopScrub { pool } => format!("scrub of {pool} stopped"),
                ZfsOp::DestroySnapshot { snapshot } => format!("{snapshot} destroyed"),
            });
            let done = done.map_err(|e| match e {
                RunError::TimedOut(e) => StepError::Unknown(e),
                other => StepError::Failed(other.into()),
            });
            tracing::info!(op = ?self.op, result = ?done, "zfs write");
            done
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_op_is_one_argument_vector() {
        let s = ZfsOp::Snapshot {
            dataset: "tank/media".into(),
            name: "labdeck-1".into(),
            recursive: true,
        };
        assert_eq!(
            s.args(),
            (
                Tool::Zfs,
                vec![
                    "snapshot".into(),
                    "-r".into(),
                    "tank/media@labdeck-1".into()
                ]
            )
        );
        assert_eq!(
            ZfsOp::PauseScrub {
                pool: "tank".into()
            }
            .args()
            .1,
            ["scrub", "-p", "tank"]
        );
        let d = ZfsOp::DestroySnapshot {
            snapshot: "tank/a b@x; rm -rf /".into(),
        };
        assert_eq!(
            d.args().1,
            ["destroy", "tank/a b@x; rm -rf /"],
            "one argument, as it is"
        );
    }

    #[test]
    fn the_template_names_the_moment() {
        let at = jiff::Timestamp::from_second(1_796_115_907).unwrap();
        assert_eq!(
            snapshot_name(SNAPSHOT_TEMPLATE, &at.to_zoned(jiff::tz::TimeZone::UTC)),
            "labdeck-20261201-090507"
        );
        let plus_two = jiff::tz::TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(
            snapshot_name(SNAPSHOT_TEMPLATE, &at.to_zoned(plus_two)),
            "labdeck-20261201-110507",
            "the zone's own clock"
        );
    }

    #[test]
    fn destroying_and_stopping_cannot_be_undone() {
        let step = |op| ZfsStep {
            host: ZfsHost::local(),
            op,
        };
        assert_eq!(
            step(ZfsOp::DestroySnapshot {
                snapshot: "t@x".into()
            })
            .danger(),
            Danger::Irreversible
        );
        assert_eq!(
            step(ZfsOp::Scrub { pool: "t".into() }).danger(),
            Danger::Reversible
        );
    }

    #[test]
    fn a_destroy_takes_exactly_one_snapshot() {
        for ok in ["tank/a@x", "tank/a b@x", "tank@labdeck-20261201-090507"] {
            assert_eq!(one_snapshot(ok), Ok(()), "{ok}");
        }
        for bad in [
            "tank/a",
            "tank/a@x%y",
            "tank/a@x,y",
            "tank/a@x@y",
            "@x",
            "tank/a@",
            "-r@x",
            "tank/a@%",
        ] {
            let e = one_snapshot(bad).expect_err(bad);
            assert!(e.contains("snapshot"), "{bad}: {e}");
        }
    }

    /// A host whose `zfs` is a script that leaves a mark when it runs.
    fn marking(dir: &std::path::Path, body: &str, write_timeout: u64) -> ZfsHost {
        let script = dir.join("zfs");
        std::fs::write(
            &script,
            format!("#!/bin/sh\ntouch {}/ran\n{body}\n", dir.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        ZfsHost {
            zfs: script.display().to_string(),
            timeout_secs: 1,
            write_timeout_secs: write_timeout,
            ..ZfsHost::local()
        }
    }

    fn quiet() -> Progress {
        std::sync::Arc::new(|_| {})
    }

    #[tokio::test]
    async fn the_backend_refuses_a_destroy_of_anything_but_one_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let step = ZfsStep {
            host: marking(dir.path(), "exit 0", 5),
            op: ZfsOp::DestroySnapshot {
                snapshot: "tank/a".into(),
            },
        };
        let w = crate::core::access::test_writer();
        let Err(StepError::Failed(e)) = step.apply(&w, quiet()).await else {
            panic!("a dataset was given to destroy")
        };
        assert!(e.contains("not a snapshot"), "{e}");
        assert!(!dir.path().join("ran").exists(), "zfs never ran");
    }

    #[tokio::test]
    async fn a_write_has_its_own_longer_timeout_and_running_out_is_outcome_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let w = crate::core::access::test_writer();
        let snap = |host| ZfsStep {
            host,
            op: ZfsOp::Snapshot {
                dataset: "tank/a".into(),
                name: "x".into(),
                recursive: false,
            },
        };
        // Slower than a read may be (1 s), within a write's 5 s.
        let slow = snap(marking(dir.path(), "sleep 2", 5));
        assert_eq!(
            slow.apply(&w, quiet()).await,
            Ok("snapshot tank/a@x taken".into())
        );
        // Past the write's own limit: it may have happened.
        let hung = snap(marking(dir.path(), "sleep 30", 1));
        let Err(StepError::Unknown(e)) = hung.apply(&w, quiet()).await else {
            panic!("a write that ran out of time is not known to have failed")
        };
        assert!(e.contains("did not finish"), "{e}");
        // A refusal by zfs itself is a failure.
        let no = snap(marking(dir.path(), "echo 'no such pool' >&2; exit 1", 5));
        let Err(StepError::Failed(e)) = no.apply(&w, quiet()).await else {
            panic!("zfs said no")
        };
        assert!(e.contains("no such pool"), "{e}");
    }

    #[test]
    fn a_step_names_its_host() {
        let mut host = ZfsHost::local();
        host.name = "n5".into();
        host.prefix = vec!["ssh".into(), "n5".into()];
        let t = ZfsStep {
            host,
            op: ZfsOp::Scrub { pool: "ai".into() },
        }
        .target();
        assert_eq!(t.to_string(), "host n5 (ssh n5)");
    }
}
