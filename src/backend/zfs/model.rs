//! What `zpool` and `zfs` told us about one host, cleaned. Parsers build these from
//! any of the formats (OpenZFS 2.x JSON, `-Hp` text, `zpool status` text, the zfs-fuse
//! dialect); everything after them sees only this.

use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use serde::Serialize;

/// One pool: `zpool list` figures and `zpool status` state together.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pool {
    pub name: SafeText,
    /// `ONLINE`, `DEGRADED`, `FAULTED`, `OFFLINE`, `UNAVAIL`, `REMOVED`, `SUSPENDED`.
    pub health: SafeText,
    pub usage: Option<PoolUsage>,
    /// `status:` and `action:` paragraphs of `zpool status`, when the pool has them.
    pub status: Option<SafeText>,
    pub action: Option<SafeText>,
    pub scan: Option<Scan>,
    /// Top-level vdevs in `zpool status` order, each in its group (data, logs, ...).
    pub vdevs: Vec<Vdev>,
    /// `errors:` line: 0 for "No known data errors".
    pub data_errors: Option<u64>,
}

/// `zpool list` figures, in bytes and percent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PoolUsage {
    pub size: u64,
    pub alloc: u64,
    pub free: u64,
    /// Percent; `None` where the pool does not report it (`-`).
    pub frag: Option<u8>,
    pub cap: Option<u8>,
    pub dedup: Option<f64>,
}

/// Which section of the config a vdev is listed under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Group {
    #[default]
    Data,
    Logs,
    Cache,
    Spares,
    Special,
    Dedup,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vdev {
    /// `raidz1-0`, `mirror-1`, `replacing-0`, `spare-2`, `/dev/sdb`, `sdb1`, a GUID.
    pub name: SafeText,
    pub group: Group,
    /// Device state; for spares `AVAIL` or `INUSE`.
    pub state: SafeText,
    pub read: u64,
    pub write: u64,
    pub cksum: u64,
    /// What follows the counts: `was /dev/sdc`, `(resilvering)`, `too many errors`.
    pub note: Option<SafeText>,
    pub children: Vec<Vdev>,
}

impl Vdev {
    pub fn has_errors(&self) -> bool {
        self.read > 0
            || self.write > 0
            || self.cksum > 0
            || self.children.iter().any(Vdev::has_errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScanKind {
    Scrub,
    Resilver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScanState {
    InProgress,
    Paused,
    Finished,
    Canceled,
}

/// A scrub or resilver: in progress (with its figures) or the last one's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scan {
    pub kind: ScanKind,
    pub state: ScanState,
    /// Bytes scanned (read from disk's metadata walk) and issued (verified), of `total`.
    pub scanned: Option<u64>,
    pub issued: Option<u64>,
    pub total: Option<u64>,
    /// ZFS's own rate (bytes/s, an average since the start) and estimate.
    pub rate: Option<u64>,
    pub percent: Option<f64>,
    pub zfs_eta_secs: Option<u64>,
    /// Finished: bytes repaired, errors found, how long it took.
    pub repaired: Option<u64>,
    pub errors: Option<u64>,
    pub duration_secs: Option<u64>,
    /// When it started or ended, as ZFS wrote it (a local-time string) and, when that
    /// could be read, as a timestamp.
    pub when: Option<SafeText>,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum DatasetKind {
    #[default]
    Filesystem,
    Volume,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dataset {
    /// `tank/media`.
    pub name: SafeText,
    pub kind: DatasetKind,
    pub used: u64,
    pub avail: u64,
    pub refer: u64,
    /// Space held by its snapshots (`usedbysnapshots`), where reported.
    pub used_by_snapshots: Option<u64>,
    pub compress_ratio: Option<f64>,
    /// `none`, `legacy`, `-` for volumes, or a path.
    pub mountpoint: SafeText,
    /// Bytes; `None` for no quota.
    pub quota: Option<u64>,
    /// `recordsize` (filesystems) or `volblocksize` (volumes).
    pub block_size: Option<u64>,
    pub compression: SafeText,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snapshot {
    /// `tank/media@labdeck-20261201-120000`.
    pub name: SafeText,
    /// The raw name, for a destroy (what the user typed is compared with it).
    pub raw_name: String,
    pub used: u64,
    pub refer: u64,
    pub created: Option<Timestamp>,
}

/// ARC statistics from `/proc/spl/kstat/zfs/arcstats`, in bytes and counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ArcStats {
    pub size: u64,
    /// `c`: the target size.
    pub target: u64,
    pub min: u64,
    pub max: u64,
    pub hits: u64,
    pub misses: u64,
    pub mru: u64,
    pub mfu: u64,
    pub l2_size: u64,
    pub l2_hits: u64,
    pub l2_misses: u64,
}
