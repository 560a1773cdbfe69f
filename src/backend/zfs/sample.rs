//! Hand-built ZFS snapshots for unit and snapshot tests, shaped like seed 002's NAS:
//! `tank` (raidz2 of HDDs, resilvering one), `vms` (an SSD mirror), `ai` (NVMe).

use super::model::*;
use super::watch::ZfsSnapshot;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

pub const NOW: Timestamp = Timestamp(1_764_000_000);
const GIB: u64 = 1 << 30;

fn t(s: &str) -> SafeText {
    SafeText::new(s)
}

fn disk(name: &str, state: &str) -> Vdev {
    Vdev {
        name: t(name),
        state: t(state),
        ..Default::default()
    }
}

fn usage(size_gib: u64, alloc_gib: u64, frag: u8) -> PoolUsage {
    PoolUsage {
        size: size_gib * GIB,
        alloc: alloc_gib * GIB,
        free: (size_gib - alloc_gib) * GIB,
        frag: Some(frag),
        cap: Some((alloc_gib * 100 / size_gib) as u8),
        dedup: Some(1.0),
    }
}

/// Three pools: `ai` healthy and scrubbed, `tank` DEGRADED and resilvering a disk
/// that replaces a failed one, `vms` scrubbing.
pub fn nas() -> ZfsSnapshot {
    let mut replacing = disk("replacing-2", "DEGRADED");
    let mut old = disk("sdc", "UNAVAIL");
    old.note = Some(t("was /dev/sdc1"));
    let mut new = disk("sdf", "ONLINE");
    new.note = Some(t("(resilvering)"));
    replacing.children = vec![old, new];
    let mut sdd = disk("sdd", "ONLINE");
    sdd.cksum = 3;
    let mut raidz = disk("raidz2-0", "DEGRADED");
    raidz.children = vec![disk("sda", "ONLINE"), disk("sdb", "ONLINE"), replacing, sdd];
    let mut log = disk("nvme1n1p1", "ONLINE");
    log.group = Group::Logs;
    let mut spare = disk("sde", "AVAIL");
    spare.group = Group::Spares;
    let tank = Pool {
        name: t("tank"),
        health: t("DEGRADED"),
        usage: Some(usage(21_000, 17_300, 12)),
        status: Some(t("One or more devices is currently being resilvered.")),
        action: Some(t("Wait for the resilver to complete.")),
        scan: Some(Scan {
            kind: ScanKind::Resilver,
            state: ScanState::InProgress,
            scanned: Some(9_000 * GIB),
            issued: Some(6_000 * GIB),
            total: Some(17_300 * GIB),
            rate: Some(400 << 20),
            percent: Some(34.7),
            zfs_eta_secs: Some(8 * 3600),
            repaired: None,
            errors: None,
            duration_secs: None,
            when: Some(t("Mon Nov 24 14:00:00 2025")),
            at: None,
        }),
        vdevs: vec![raidz, log, spare],
        data_errors: Some(0),
    };
    let mut mirror = disk("mirror-0", "ONLINE");
    mirror.children = vec![disk("sdg", "ONLINE"), disk("sdh", "ONLINE")];
    let vms = Pool {
        name: t("vms"),
        health: t("ONLINE"),
        usage: Some(usage(1_800, 1_500, 30)),
        scan: Some(Scan {
            kind: ScanKind::Scrub,
            state: ScanState::InProgress,
            scanned: Some(900 * GIB),
            issued: Some(700 * GIB),
            total: Some(1_500 * GIB),
            rate: Some(800 << 20),
            percent: Some(46.7),
            zfs_eta_secs: Some(1_200),
            repaired: Some(0),
            errors: None,
            duration_secs: None,
            when: None,
            at: None,
        }),
        vdevs: vec![mirror],
        data_errors: Some(0),
        ..Default::default()
    };
    let ai = Pool {
        name: t("ai"),
        health: t("ONLINE"),
        usage: Some(usage(3_600, 900, 2)),
        scan: Some(Scan {
            kind: ScanKind::Scrub,
            state: ScanState::Finished,
            scanned: None,
            issued: None,
            total: None,
            rate: None,
            percent: None,
            zfs_eta_secs: None,
            repaired: Some(0),
            errors: Some(0),
            duration_secs: Some(1_800),
            when: Some(t("Sun Oct 12 03:00:00 2025")),
            at: Some(Timestamp(NOW.0 - 40 * 86_400)),
        }),
        vdevs: vec![disk("nvme0n1", "ONLINE")],
        data_errors: Some(0),
        ..Default::default()
    };
    let ds = |name: &str, used: u64, quota: Option<u64>| Dataset {
        name: t(name),
        used: used * GIB,
        avail: 3_000 * GIB,
        refer: used * GIB / 2,
        used_by_snapshots: Some(used * GIB / 4),
        compress_ratio: Some(1.12),
        mountpoint: t(&format!("/mnt/{name}")),
        quota: quota.map(|q| q * GIB),
        block_size: Some(128 << 10),
        compression: t("lz4"),
        ..Default::default()
    };
    ZfsSnapshot {
        pools: vec![ai, tank, vms],
        datasets: vec![
            ds("tank", 17_000, None),
            ds("tank/media", 15_000, None),
            ds("tank/ix-apps/app_mounts/plex", 95, Some(100)),
        ],
        snapshots: vec![Snapshot {
            name: t("tank/media@labdeck-20251124-120000"),
            raw_name: "tank/media@labdeck-20251124-120000".into(),
            used: 12 * GIB,
            refer: 14_000 * GIB,
            created: Some(Timestamp(NOW.0 - 3 * 86_400)),
        }],
        arc: Some(ArcStats {
            size: 24 * GIB,
            target: 28 * GIB,
            min: 2 * GIB,
            max: 30 * GIB,
            hits: 9_700,
            misses: 300,
            mru: 10 * GIB,
            mfu: 14 * GIB,
            ..Default::default()
        }),
        etas: [("tank".to_string(), 2 * 3600)].into_iter().collect(),
        partial: None,
        io: [
            (
                "tank".to_string(),
                vec![
                    (0, 1 << 20),
                    (4 << 20, 2 << 20),
                    (80 << 20, 1 << 20),
                    (300 << 20, 0),
                ],
            ),
            (
                "ai".to_string(),
                vec![(1 << 20, 0), (12 << 20, 3 << 20), (40 << 20, 6 << 20)],
            ),
        ]
        .into_iter()
        .collect(),
        taken_at: Some(NOW),
    }
}
