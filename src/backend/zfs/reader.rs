//! Reads of one host's pools, datasets and snapshots, in the best format the host
//! offers: JSON (OpenZFS 2.3), else `-Hp` text (OpenZFS 2.x), else the old human form
//! (zfs-fuse, OpenZFS 0.x). Which one works is found once per host and kept.

use super::model::{Dataset, Pool, Snapshot};
use super::parse;
use super::runner::{RunError, Runner, Tool};

/// How a host answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `zpool status -jP --json-int`, `zpool list -j`, `zfs list -j` (OpenZFS 2.3).
    Json,
    /// `-Hp` lists and `zpool status` text (OpenZFS 2.0 to 2.2).
    Scriptable,
    /// `-H` lists with human sizes and `zpool status` text (zfs-fuse, old OpenZFS).
    Human,
}

const POOL_COLS: &str = "name,size,alloc,free,frag,cap,dedup,health";
/// Old ZFS (zfs-fuse) knows the long names only, and has no `frag`.
const POOL_COLS_OLD: &str = "name,size,allocated,free,capacity,dedupratio,health";
const DATASET_COLS: &str = "name,type,used,avail,refer,usedbysnapshots,compressratio,mountpoint,quota,recordsize,volblocksize,compression";
const SNAPSHOT_COLS: &str = "name,used,refer,creation";

pub struct ZfsReader {
    runner: Runner,
    dialect: Option<Dialect>,
}

impl ZfsReader {
    pub fn new(runner: Runner) -> ZfsReader {
        ZfsReader {
            runner,
            dialect: None,
        }
    }

    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    pub fn dialect(&self) -> Option<Dialect> {
        self.dialect
    }

    /// Find the host's dialect: the newest that answers.
    async fn detect(&mut self) -> Result<Dialect, String> {
        if let Some(d) = self.dialect {
            return Ok(d);
        }
        let r = &self.runner;
        // A host that does not answer has no dialect yet: asked again next time, not
        // taken for an old ZFS because it was slow.
        let json = match r.probe(Tool::Zpool, &["status", "-jP", "--json-int"]).await {
            Err(RunError::NoAnswer(e) | RunError::TimedOut(e)) => return Err(e),
            Err(RunError::Failed(_)) => false,
            Ok(out) => parse::status_json(&out).is_ok(),
        };
        let scriptable = || async {
            match r
                .probe(Tool::Zpool, &["list", "-Hp", "-o", POOL_COLS])
                .await
            {
                Err(RunError::NoAnswer(e) | RunError::TimedOut(e)) => Err(e),
                other => Ok(other.is_ok()),
            }
        };
        let d = if json {
            Dialect::Json
        } else if scriptable().await? {
            Dialect::Scriptable
        } else {
            // The last resort must answer, or the host has no ZFS we can read.
            r.read(Tool::Zpool, &["list", "-H", "-o", POOL_COLS_OLD])
                .await?;
            Dialect::Human
        };
        self.dialect = Some(d);
        Ok(d)
    }

    /// Every pool with its usage, state, scan and vdev tree.
    pub async fn pools(&mut self) -> Result<Vec<Pool>, String> {
        let d = self.detect().await?;
        let r = &self.runner;
        let (mut pools, usage) = match d {
            Dialect::Json => {
                let status = r
                    .read(Tool::Zpool, &["status", "-jP", "--json-int"])
                    .await?;
                let list = r.read(Tool::Zpool, &["list", "-j", "--json-int"]).await?;
                (parse::status_json(&status)?, parse::list_json(&list)?)
            }
            Dialect::Scriptable | Dialect::Human => {
                let cols = if d == Dialect::Human {
                    POOL_COLS_OLD
                } else {
                    POOL_COLS
                };
                let flags = if d == Dialect::Human { "-H" } else { "-Hp" };
                let list = r.read(Tool::Zpool, &["list", flags, "-o", cols]).await?;
                let status = r.read(Tool::Zpool, &["status"]).await?;
                (parse::status_text(&status), parse::list_text(&list))
            }
        };
        for (name, u, health) in usage {
            match pools.iter_mut().find(|p| p.name == name) {
                Some(p) => p.usage = Some(u),
                // Listed but not in status (it appeared in between): shown with its list.
                None => pools.push(Pool {
                    name,
                    health,
                    usage: Some(u),
                    ..Default::default()
                }),
            }
        }
        pools.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(pools)
    }

    /// Each pool's read and write bytes per second, over one second from now.
    pub async fn io(&mut self) -> Result<Vec<(crate::core::text::SafeText, u64, u64)>, String> {
        let d = self.detect().await?;
        let args: &[&str] = match d {
            Dialect::Human => &["iostat", "1", "2"],
            _ => &["iostat", "-Hp", "-y", "1", "1"],
        };
        let out = self.runner.read(Tool::Zpool, args).await?;
        Ok(parse::iostat_text(&out))
    }

    pub async fn datasets(&mut self) -> Result<Vec<Dataset>, String> {
        let mut v = self
            .zfs_list(
                "filesystem,volume",
                DATASET_COLS,
                parse::datasets_json,
                parse::datasets_text,
            )
            .await?;
        v.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(v)
    }

    pub async fn snapshots(&mut self) -> Result<Vec<Snapshot>, String> {
        let mut v = self
            .zfs_list(
                "snapshot",
                SNAPSHOT_COLS,
                parse::snapshots_json,
                parse::snapshots_text,
            )
            .await?;
        v.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(v)
    }

    /// `zfs list -t TYPES -o COLS` in the host's dialect, read by the matching parser.
    async fn zfs_list<T>(
        &mut self,
        types: &str,
        cols: &str,
        json: fn(&str) -> Result<Vec<T>, String>,
        text: fn(&str) -> Vec<T>,
    ) -> Result<Vec<T>, String> {
        let d = self.detect().await?;
        let flags: &[&str] = match d {
            Dialect::Json => &["-j", "--json-int"],
            Dialect::Scriptable => &["-Hp"],
            Dialect::Human => &["-H"],
        };
        let mut args = vec!["list"];
        args.extend_from_slice(flags);
        args.extend(["-t", types, "-o", cols]);
        let out = self.runner.read(Tool::Zfs, &args).await?;
        match d {
            Dialect::Json => json(&out),
            _ => Ok(text(&out)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    /// What the lab's zfs-fuse prints, recorded (tests/fixtures/zfs-fuse): the old
    /// dialect reads like the new.
    #[test]
    fn the_zfs_fuse_dialect_reads() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zfs-fuse/");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
        let pools = parse::status_text(&read("status_degraded_offline.txt"));
        assert_eq!(pools.len(), 1, "{pools:?}");
        let p = &pools[0];
        assert_eq!(
            (p.name.as_str(), p.health.as_str()),
            ("labtank", "DEGRADED")
        );
        assert_eq!(p.vdevs[0].name.as_str(), "raidz1-0");
        let states: Vec<&str> = p.vdevs[0]
            .children
            .iter()
            .map(|v| v.state.as_str())
            .collect();
        assert_eq!(states, ["ONLINE", "OFFLINE", "ONLINE"]);
        let done = parse::status_text(&read("status_scrub_done.txt"));
        let scan = done[0].scan.as_ref().expect("the finished scrub");
        assert_eq!(scan.kind, crate::backend::zfs::model::ScanKind::Scrub);
        let list = parse::list_text("labtank\t370M\t4.13M\t366M\t1%\t1.00x\tONLINE\n");
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].1.size, 370 << 20);
        assert_eq!(list[0].1.cap, Some(1));
        let ds = parse::datasets_text(
            "labtank\tfilesystem\t1.80M\t213M\t160K\t0\t1.00x\t/labtank\tnone\t128K\t-\toff\n",
        );
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].mountpoint.as_str(), "/labtank");
        assert_eq!(ds[0].quota, None);
    }
}

#[cfg(test)]
mod dialect_tests {
    use super::*;
    use crate::backend::zfs::runner::ZfsHost;

    /// A `zpool` that answers what `script` (sh, with the arguments in "$*") says.
    fn reader(name: &str, script: &str, timeout_secs: u64) -> (tempfile::TempDir, ZfsReader) {
        let dir = tempfile::tempdir().unwrap();
        let zpool = dir.path().join("zpool");
        std::fs::write(&zpool, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&zpool, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let host = ZfsHost {
            name: name.into(),
            zpool: zpool.to_str().unwrap().into(),
            timeout_secs,
            ..ZfsHost::local()
        };
        (dir, ZfsReader::new(Runner::new(host)))
    }

    #[tokio::test]
    async fn the_newest_dialect_that_answers_is_kept() {
        let json = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/zfs/v23_status_pair_int.json"
        );
        let (_d, mut r) = reader(
            "json-host",
            &format!("case \"$*\" in 'status -jP --json-int') cat {json};; *) exit 2;; esac"),
            5,
        );
        assert_eq!(r.detect().await, Ok(Dialect::Json));
        let (_d, mut r) = reader(
            "scriptable-host",
            "case \"$*\" in 'list -Hp '*) exit 0;; *) echo \"invalid option\" >&2; exit 2;; esac",
            5,
        );
        assert_eq!(r.detect().await, Ok(Dialect::Scriptable));
        let (_d, mut r) = reader(
            "human-host",
            "case \"$*\" in 'list -H -o '*) exit 0;; *) exit 2;; esac",
            5,
        );
        assert_eq!(r.detect().await, Ok(Dialect::Human));
    }

    #[tokio::test]
    async fn a_host_that_does_not_answer_gets_no_dialect_and_one_timeout() {
        let (_d, mut r) = reader("asleep-host", "exec sleep 30", 1);
        let started = std::time::Instant::now();
        let e = r.detect().await.unwrap_err();
        assert!(e.contains("did not finish in 1 s"), "{e}");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "one timeout, not three"
        );
        assert_eq!(r.dialect(), None, "asked again next time");
    }

    use std::time::Duration;
}

#[cfg(test)]
mod old_scan_tests {
    use super::parse;
    use crate::backend::zfs::model::{ScanKind, ScanState};

    fn scan_of(line: &str) -> crate::backend::zfs::model::Scan {
        let text = format!(
            "  pool: t\n state: ONLINE\n scrub: {line}\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\tt ONLINE 0 0 0\n\nerrors: No known data errors\n"
        );
        parse::status_text(&text)[0].scan.clone().expect("a scan")
    }

    #[test]
    fn the_old_scrub_lines_read_too() {
        let s = scan_of("scrub completed after 0h5m with 2 errors on Tue Dec  1 23:14:20 2026");
        assert_eq!(
            (s.kind, s.state, s.errors, s.duration_secs),
            (ScanKind::Scrub, ScanState::Finished, Some(2), Some(300))
        );
        let s = scan_of("resilver completed after 1h0m with 0 errors on Tue Dec  1 23:14:17 2026");
        assert_eq!((s.kind, s.state), (ScanKind::Resilver, ScanState::Finished));
        let s = scan_of("scrub in progress for 0h1m, 12.34% done, 0h7m to go");
        assert_eq!(
            (s.state, s.percent, s.zfs_eta_secs),
            (ScanState::InProgress, Some(12.34), Some(420))
        );
        assert_eq!(
            scan_of("scrub stopped after 0h1m").state,
            ScanState::Canceled
        );
    }
}
