//! ZFS writes as plan steps: snapshot, scrub start / pause / stop, snapshot destroy.
//! Built and shown without write power; `apply` needs the `Writer`.

use super::runner::{Runner, Tool, ZfsHost, ZfsWriter};
use crate::core::access::Writer;
use crate::ops::plan::{Danger, Progress, Step};
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

    fn apply<'a>(
        &'a self,
        writer: &'a Writer,
        progress: Progress,
    ) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
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
}
