//! The ZFS part of the status report as data (pure), and its text.

use super::super::{Health, SourceReport};
use crate::backend::zfs::model::{Dataset, Pool, ScanKind, ScanState, Vdev};
use crate::core::text::SafeText;
use serde::Serialize;

/// Fuller than this is degraded.
pub const CAPACITY_LIMIT: u8 = 80;
/// A dataset using more of its quota than this is degraded.
pub const QUOTA_LIMIT: f64 = 90.0;

#[derive(Debug)]
pub struct StatusReport {
    pub health: Health,
    pub sources: Vec<SourceReport>,
    pub zfs: Option<ZfsReport>,
}

#[derive(Debug, Serialize)]
pub struct ZfsReport {
    pub host: SafeText,
    pub pools: Vec<PoolReport>,
    /// Datasets over `QUOTA_LIMIT` % of their quota.
    pub over_quota: Vec<QuotaReport>,
}

#[derive(Debug, Serialize)]
pub struct PoolReport {
    pub name: SafeText,
    pub health: SafeText,
    /// Percent of the pool allocated.
    pub capacity: Option<u8>,
    /// Devices with read, write or checksum errors.
    pub devices_with_errors: Vec<SafeText>,
    /// Each device that is not well, and how: `sdd OFFLINE`, `sdc 3 checksum errors`.
    pub device_problems: Vec<SafeText>,
    pub data_errors: Option<u64>,
    pub scan: Option<ScanReport>,
}

#[derive(Debug, Serialize)]
pub struct ScanReport {
    /// `scrub`, `resilver`.
    pub kind: &'static str,
    /// `in_progress`, `paused`, `finished`, `canceled`.
    pub state: &'static str,
    pub percent: Option<f64>,
    pub eta_secs: Option<u64>,
    pub errors: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct QuotaReport {
    pub dataset: SafeText,
    pub used: u64,
    pub quota: u64,
    pub percent: f64,
}

fn errors_in(v: &[Vdev], out: &mut Vec<SafeText>) {
    for d in v {
        if d.read > 0 || d.write > 0 || d.cksum > 0 {
            out.push(d.name.clone());
        }
        errors_in(&d.children, out);
    }
}

/// Leaf devices not ONLINE (spares AVAIL or INUSE are well) or with error counts.
fn problems_in(v: &[Vdev], out: &mut Vec<SafeText>) {
    for d in v {
        if d.children.is_empty() {
            let mut said = Vec::new();
            if !matches!(d.state.as_str(), "ONLINE" | "AVAIL" | "INUSE" | "") {
                said.push(d.state.to_string());
            }
            for (n, what) in [(d.read, "read"), (d.write, "write"), (d.cksum, "checksum")] {
                if n > 0 {
                    said.push(format!("{n} {what} errors"));
                }
            }
            if !said.is_empty() {
                out.push(SafeText::new(&format!("{} {}", d.name, said.join(", "))));
            }
        }
        problems_in(&d.children, out);
    }
}

fn pool_report(p: &Pool) -> PoolReport {
    let mut devices_with_errors = Vec::new();
    errors_in(&p.vdevs, &mut devices_with_errors);
    let mut device_problems = Vec::new();
    problems_in(&p.vdevs, &mut device_problems);
    PoolReport {
        name: p.name.clone(),
        health: p.health.clone(),
        capacity: p.usage.and_then(|u| u.cap),
        devices_with_errors,
        device_problems,
        data_errors: p.data_errors,
        scan: p.scan.as_ref().map(|s| ScanReport {
            kind: match s.kind {
                ScanKind::Scrub => "scrub",
                ScanKind::Resilver => "resilver",
            },
            state: match s.state {
                ScanState::InProgress => "in_progress",
                ScanState::Paused => "paused",
                ScanState::Finished => "finished",
                ScanState::Canceled => "canceled",
            },
            percent: s.percent,
            eta_secs: s.zfs_eta_secs,
            errors: s.errors,
        }),
    }
}

/// The report of host `host`, from its pools (or why they could not be read).
/// The report of one host. Datasets that cannot be read leave the quotas unchecked: the
/// host counts as unreachable (exit 2) with the reason, its pools still reported.
pub fn build(
    host: &str,
    pools: Result<&[Pool], &str>,
    datasets: Result<&[Dataset], &str>,
) -> StatusReport {
    let source = |error: Option<&str>| SourceReport {
        name: format!("zfs:{host}"),
        reachable: error.is_none(),
        error: error.map(SafeText::new),
    };
    let pools = match pools {
        Ok(p) => p,
        Err(e) => {
            return StatusReport {
                health: Health::Unreachable,
                sources: vec![source(Some(e))],
                zfs: None,
            };
        }
    };
    let reports: Vec<PoolReport> = pools.iter().map(pool_report).collect();
    let datasets_error = datasets.err().map(|e| format!("datasets: {e}"));
    let over_quota: Vec<QuotaReport> = datasets
        .unwrap_or_default()
        .iter()
        .filter_map(|d| {
            let q = d.quota.filter(|q| *q > 0)?;
            let percent = d.used as f64 * 100.0 / q as f64;
            (percent > QUOTA_LIMIT).then(|| QuotaReport {
                dataset: d.name.clone(),
                used: d.used,
                quota: q,
                percent,
            })
        })
        .collect();
    let degraded = reports.iter().any(|p| {
        p.health.as_str() != "ONLINE"
            || !p.devices_with_errors.is_empty()
            || p.data_errors.unwrap_or(0) > 0
            || p.capacity.is_some_and(|c| c > CAPACITY_LIMIT)
    }) || !over_quota.is_empty();
    StatusReport {
        health: if datasets_error.is_some() {
            Health::Unreachable
        } else if degraded {
            Health::Degraded
        } else {
            Health::Healthy
        },
        sources: vec![source(datasets_error.as_deref())],
        zfs: Some(ZfsReport {
            host: SafeText::new(host),
            pools: reports,
            over_quota,
        }),
    }
}

/// Why the host is not healthy, one reason each: what `status: DEGRADED` says.
pub fn reasons(r: &StatusReport) -> Vec<String> {
    let Some(z) = &r.zfs else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in &z.pools {
        let at = format!("zfs {}: pool {}", z.host, p.name);
        let devices: Vec<&str> = p.device_problems.iter().map(SafeText::as_str).collect();
        let devices = devices.join(", ");
        if p.health.as_str() != "ONLINE" {
            let how = if devices.is_empty() {
                String::new()
            } else {
                format!(" ({devices})")
            };
            out.push(format!("{at} is {}{how}", p.health));
        } else if !devices.is_empty() {
            out.push(format!("{at}: {devices}"));
        }
        if let Some(n) = p.data_errors.filter(|n| *n > 0) {
            out.push(format!("{at} has {n} data errors"));
        }
        if let Some(c) = p.capacity.filter(|c| *c > CAPACITY_LIMIT) {
            out.push(format!("{at} is {c}% full"));
        }
    }
    for q in &z.over_quota {
        out.push(format!(
            "zfs {}: dataset {} at {:.0}% of its quota",
            z.host, q.dataset, q.percent
        ));
    }
    out
}

/// `zfs lab: pool labtank ONLINE 25% full, scrub finished` lines.
pub fn text(r: &StatusReport) -> String {
    let Some(z) = &r.zfs else {
        let why = r
            .sources
            .first()
            .and_then(|s| s.error.as_ref())
            .map_or(String::new(), |e| e.to_string());
        let name = r.sources.first().map_or("zfs", |s| s.name.as_str());
        return format!("{name}: UNREACHABLE: {why}\n");
    };
    let mut out = String::new();
    if z.pools.is_empty() {
        out.push_str(&format!("zfs {}: no pools\n", z.host));
    }
    for p in &z.pools {
        let cap = p.capacity.map_or(String::new(), |c| format!(" {c}% full"));
        let scan = p.scan.as_ref().map_or(String::new(), |s| {
            let pct = s.percent.map_or(String::new(), |x| format!(" {x:.1}%"));
            let eta = s.eta_secs.map_or(String::new(), |e| {
                format!(" ({} left)", crate::core::time::dur(e))
            });
            format!(", {} {}{pct}{eta}", s.kind, s.state.replace('_', " "))
        });
        let errs = if p.devices_with_errors.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = p.devices_with_errors.iter().map(SafeText::as_str).collect();
            format!(", errors on {}", names.join(", "))
        };
        out.push_str(&format!(
            "zfs {}: pool {} {}{cap}{scan}{errs}\n",
            z.host, p.name, p.health
        ));
    }
    for q in &z.over_quota {
        out.push_str(&format!(
            "zfs {}: dataset {} at {:.0}% of its quota\n",
            z.host, q.dataset, q.percent
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::zfs::sample::nas;

    #[test]
    fn a_degraded_pool_errors_and_a_full_quota_degrade_and_are_named() {
        let s = nas();
        let r = build("nas", Ok(&s.pools), Ok(&s.datasets));
        assert_eq!(r.health, Health::Degraded);
        let z = r.zfs.as_ref().unwrap();
        let tank = z.pools.iter().find(|p| p.name.as_str() == "tank").unwrap();
        assert_eq!(tank.devices_with_errors, [SafeText::new("sdd")]);
        let scan = tank.scan.as_ref().unwrap();
        assert_eq!(
            (scan.kind, scan.state, scan.percent),
            ("resilver", "in_progress", Some(34.7))
        );
        assert_eq!(z.over_quota.len(), 1);
        let t = text(&r);
        assert!(
            t.contains(
                "zfs nas: pool tank DEGRADED 82% full, resilver in progress 34.7% (8h00m left), errors on sdd"
            ),
            "{t}"
        );
        assert!(
            t.contains("dataset tank/ix-apps/app_mounts/plex at 95% of its quota"),
            "{t}"
        );
        // Each reason named, for the verdict line.
        let why = reasons(&r);
        assert!(
            why.iter()
                .any(|w| w.starts_with("zfs nas: pool tank is DEGRADED (") && w.contains("sdd")),
            "{why:?}"
        );
        assert!(
            why.contains(&"zfs nas: pool tank is 82% full".to_string()),
            "{why:?}"
        );
        assert!(
            why.contains(
                &"zfs nas: dataset tank/ix-apps/app_mounts/plex at 95% of its quota".to_string()
            ),
            "{why:?}"
        );
        assert!(
            !why.iter().any(|w| w.contains("pool ai")),
            "a healthy pool: {why:?}"
        );
    }

    #[test]
    fn healthy_pools_under_their_limits_are_healthy() {
        let mut s = nas();
        s.pools.retain(|p| p.name.as_str() == "ai");
        s.datasets.clear();
        let r = build("nas", Ok(&s.pools), Ok(&s.datasets));
        assert_eq!(r.health, Health::Healthy);
        // Over 80 % full degrades even an ONLINE pool.
        s.pools[0].usage.as_mut().unwrap().cap = Some(81);
        assert_eq!(build("nas", Ok(&s.pools), Ok(&[])).health, Health::Degraded);
    }

    #[test]
    fn each_limit_alone_degrades_an_online_pool() {
        let mut s = nas();
        s.pools.retain(|p| p.name.as_str() == "ai");
        let healthy = s.pools.clone();
        let no_quota: Vec<Dataset> = s
            .datasets
            .iter()
            .filter(|d| d.quota.is_none())
            .cloned()
            .collect();
        assert_eq!(
            build("nas", Ok(&healthy), Ok(&no_quota)).health,
            Health::Healthy
        );
        // A device with errors, on a pool that says ONLINE.
        let mut errs = healthy.clone();
        fn first_leaf(v: &mut Vdev) -> &mut Vdev {
            if v.children.is_empty() {
                v
            } else {
                first_leaf(&mut v.children[0])
            }
        }
        first_leaf(&mut errs[0].vdevs[0]).cksum = 1;
        let r = build("nas", Ok(&errs), Ok(&no_quota));
        assert_eq!(r.health, Health::Degraded);
        assert_eq!(r.zfs.unwrap().pools[0].devices_with_errors.len(), 1);
        // A dataset at 95 % of its quota, the pools fine.
        let r = build("nas", Ok(&healthy), Ok(&s.datasets));
        assert_eq!(r.health, Health::Degraded);
        assert_eq!(r.zfs.unwrap().over_quota.len(), 1);
        // Datasets unreadable: the quotas are unchecked, which is said (exit 2).
        let r = build("nas", Ok(&healthy), Err("`zfs list` failed (exit 1): oops"));
        assert_eq!(r.health, Health::Unreachable);
        assert!(
            r.sources[0]
                .error
                .as_ref()
                .unwrap()
                .as_str()
                .starts_with("datasets: ")
        );
        assert_eq!(
            r.zfs.unwrap().pools.len(),
            1,
            "the pools are still reported"
        );
    }

    #[test]
    fn a_scan_under_way_says_its_eta() {
        let s = nas();
        let t = text(&build("nas", Ok(&s.pools), Ok(&s.datasets)));
        assert!(t.contains("resilver in progress 34.7% ("), "{t}");
        assert!(t.contains(" left)"), "{t}");
    }

    #[test]
    fn an_unreadable_host_is_unreachable_with_its_reason() {
        let r = build(
            "n5",
            Err("`ssh n5 zpool list` did not finish in 10 s (killed)"),
            Ok(&[]),
        );
        assert_eq!(r.health, Health::Unreachable);
        assert!(!r.sources[0].reachable);
        assert!(text(&r).starts_with("zfs:n5: UNREACHABLE: `ssh n5 zpool list` did not finish"));
    }
}
