//! Rows for each ZFS view, built from a host's snapshot when it arrives.

use super::view::ZfsView;
use crate::app::table::{Cell, Column, Row, Tone};
use crate::backend::zfs::model::*;
use crate::backend::zfs::watch::ZfsSnapshot;
use crate::core::stats::bytes;
use crate::core::text::SafeText;
use crate::core::time::{Timestamp, dur};

/// What the rows need besides the snapshot.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub now: Timestamp,
    pub scrub_warn_days: u64,
}

pub fn columns(view: &ZfsView) -> Vec<Column> {
    use Column as C;
    match view {
        // Health and the scan win at 80 columns; dedup and fragmentation go first.
        ZfsView::Pools => vec![
            C::flex("POOL", 10, 0),
            C::fixed("HEALTH", 8, 0),
            C::fixed("SIZE", 9, 3),
            C::fixed("ALLOC", 9, 4),
            C::fixed("FREE", 9, 2),
            C::fixed("FRAG", 4, 1),
            C::fixed("CAP", 13, 0),
            C::fixed("DEDUP", 5, 1),
            C::flex("SCAN", 26, 0),
            C::fixed("SCRUBBED", 8, 5),
            // Beside the rest where there is room; else in the selected pool's detail line.
            C::fixed("I/O", 36, 1),
        ],
        ZfsView::Vdevs { .. } => vec![
            C::flex("VDEV", 24, 0),
            C::fixed("STATE", 9, 0),
            C::fixed("READ", 5, 0),
            C::fixed("WRITE", 5, 0),
            C::fixed("CKSUM", 5, 0),
            C::flex("NOTE", 16, 1),
        ],
        ZfsView::Datasets => vec![
            C::flex("DATASET", 18, 0),
            C::fixed("USED", 9, 0),
            C::fixed("AVAIL", 9, 0),
            C::fixed("REFER", 9, 3),
            C::fixed("SNAPS", 9, 4),
            C::fixed("COUNT", 5, 3),
            C::fixed("NEWEST", 6, 2),
            C::fixed("RATIO", 5, 2),
            C::fixed("QUOTA", 13, 5),
            C::flex("MOUNTPOINT", 14, 1),
            C::fixed("RECSIZE", 7, 1),
            C::fixed("COMPRESS", 8, 1),
        ],
        ZfsView::Snapshots { .. } => vec![
            C::flex("SNAPSHOT", 28, 0),
            C::fixed("USED", 9, 0),
            C::fixed("REFER", 9, 1),
            C::fixed("AGE", 4, 0),
        ],
        ZfsView::Arc => vec![C::fixed("ARC", 14, 0), C::flex("VALUE", 20, 0)],
    }
}

fn size(n: u64) -> String {
    bytes(n)
}

fn health_tone(h: &str) -> Tone {
    match h {
        "ONLINE" | "AVAIL" | "INUSE" => Tone::Ok,
        "DEGRADED" => Tone::Warn,
        _ => Tone::Err,
    }
}

/// `▰▰▰▰▱▱▱▱ 45%`: a bar of eight, in the warning tone from 80 %.
fn cap_cell(cap: Option<u8>) -> Cell {
    let Some(c) = cap else {
        return Cell::own("-", Tone::Dim);
    };
    let full = (usize::from(c.min(100)) * 8).div_ceil(100);
    let bar: String = "▰".repeat(full) + &"▱".repeat(8 - full);
    let tone = match c {
        90.. => Tone::Err,
        80.. => Tone::Warn,
        _ => Tone::Normal,
    };
    Cell::own(format!("{bar} {c}%"), tone)
}

/// `scrub 44.9% · 19m left` (the recent rate's ETA, with ZFS's own when they differ
/// much), `resilver done`, `scrub paused`, `none`.
pub fn scan_text(s: Option<&Scan>, rolling_eta: Option<u64>) -> (String, Tone) {
    let Some(s) = s else {
        return ("none".into(), Tone::Dim);
    };
    let kind = match s.kind {
        ScanKind::Scrub => "scrub",
        ScanKind::Resilver => "resilver",
    };
    match s.state {
        ScanState::InProgress => {
            let mut t = kind.to_string();
            if let Some(p) = s.percent {
                t.push_str(&format!(" {p:.1}%"));
            }
            match (rolling_eta, s.zfs_eta_secs) {
                (Some(r), Some(z)) if differ(r, z) => {
                    t.push_str(&format!(" · {} (zfs {})", dur(r), dur(z)))
                }
                (Some(r), _) => t.push_str(&format!(" · {} left", dur(r))),
                (None, Some(z)) => t.push_str(&format!(" · {} left (zfs)", dur(z))),
                (None, None) => {}
            }
            (t, Tone::Warn)
        }
        ScanState::Paused => (format!("{kind} paused"), Tone::Warn),
        ScanState::Canceled => (format!("{kind} canceled"), Tone::Warn),
        ScanState::Finished => {
            let errors = s.errors.unwrap_or(0);
            if errors > 0 {
                (format!("{kind} found {errors} errors"), Tone::Err)
            } else {
                (format!("{kind} ok"), Tone::Ok)
            }
        }
    }
}

/// Estimates a quarter apart (and a minute) are worth showing side by side.
fn differ(a: u64, b: u64) -> bool {
    a.abs_diff(b) > 60 && a.abs_diff(b) * 4 > a.max(b)
}

/// When the last scrub finished, warned about past `warn_days` or when never.
fn scrubbed_cell(p: &Pool, c: Context) -> Cell {
    let finished_scrub = p
        .scan
        .as_ref()
        .filter(|s| s.kind == ScanKind::Scrub && s.state == ScanState::Finished);
    match finished_scrub.and_then(|s| s.at) {
        Some(at) => {
            let days = (c.now.0 - at.0).max(0) as u64 / 86_400;
            let tone = if days > c.scrub_warn_days {
                Tone::Warn
            } else {
                Tone::Dim
            };
            Cell::age(Some(at), tone)
        }
        None if finished_scrub.is_some() => Cell::own("done", Tone::Dim),
        // zpool status keeps only the last scan: after anything but a finished scrub,
        // when the pool was last scrubbed whole is not known.
        None => match p.scan.as_ref().map(|s| (s.kind, s.state)) {
            None => Cell::own("never", Tone::Warn),
            Some((ScanKind::Scrub, ScanState::InProgress)) => Cell::own("now", Tone::Dim),
            Some((ScanKind::Scrub, ScanState::Paused)) => Cell::own("paused", Tone::Warn),
            Some((ScanKind::Scrub, _)) => Cell::own("canceled", Tone::Warn),
            // A resilver does not check every block: a scrub is due after it.
            Some((ScanKind::Resilver, _)) => Cell::own("unknown", Tone::Warn),
        },
    }
}

pub fn rows(view: &ZfsView, s: &ZfsSnapshot, c: Context) -> Vec<Row> {
    match view {
        ZfsView::Pools => s.pools.iter().map(|p| pool_row(p, s, c)).collect(),
        ZfsView::Vdevs { pool } => {
            let mut out = Vec::new();
            if let Some(p) = s.pools.iter().find(|p| p.name.as_str() == pool) {
                let mut group = Group::Data;
                for v in &p.vdevs {
                    if v.group != group {
                        group = v.group;
                        out.push(group_row(group));
                    }
                    let at = out.len().to_string();
                    // Under a group's heading (logs, spares, ...), one level in.
                    let depth = usize::from(v.group != Group::Data);
                    vdev_rows(v, depth, &mut out, &at);
                }
                // What ZFS itself says is wrong and what to do, after the tree.
                let said = [
                    ("status", &p.status, Tone::Warn),
                    ("action", &p.action, Tone::Normal),
                ];
                for (key, text, tone) in said {
                    let Some(text) = text.as_ref().filter(|t| !t.as_str().is_empty()) else {
                        continue;
                    };
                    out.push(Row {
                        key: key.into(),
                        cells: vec![
                            Cell::own(format!("{key}:"), Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::toned(text.clone(), tone),
                        ],
                    });
                }
                if let Some(n) = p.data_errors.filter(|n| *n > 0) {
                    out.push(Row {
                        key: "errors".into(),
                        cells: vec![
                            Cell::own("data errors", Tone::Err),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own("", Tone::Dim),
                            Cell::own(format!("{n} (zpool status -v lists the files)"), Tone::Err),
                        ],
                    });
                }
            }
            out
        }
        ZfsView::Datasets => {
            // Each dataset's snapshots: how many, and the newest one's time.
            let mut per: std::collections::HashMap<&str, (u64, Option<Timestamp>)> =
                Default::default();
            for x in &s.snapshots {
                if let Some((ds, _)) = x.raw_name.split_once('@') {
                    let e = per.entry(ds).or_default();
                    e.0 += 1;
                    e.1 = e.1.max(x.created);
                }
            }
            s.datasets
                .iter()
                .map(|d| dataset_row(d, per.get(d.name.as_str()).copied()))
                .collect()
        }
        ZfsView::Snapshots { dataset } => s
            .snapshots
            .iter()
            .filter(|x| {
                dataset
                    .as_deref()
                    .is_none_or(|d| x.raw_name.split_once('@').is_some_and(|(ds, _)| ds == d))
            })
            .map(|x| Row {
                key: x.raw_name.clone(),
                cells: vec![
                    Cell::new(x.name.clone()),
                    Cell::bytes(x.used, Tone::Normal),
                    Cell::bytes(x.refer, Tone::Dim),
                    Cell::age(x.created, Tone::Dim),
                ],
            })
            .collect(),
        ZfsView::Arc => arc_rows(s.arc.as_ref()),
    }
}

fn pool_row(p: &Pool, s: &ZfsSnapshot, c: Context) -> Row {
    let u = p.usage.unwrap_or_default();
    let known = p.usage.is_some();
    let num = |n: u64| {
        if known {
            Cell::bytes(n, Tone::Normal)
        } else {
            Cell::own("-", Tone::Dim)
        }
    };
    let (scan, tone) = scan_text(p.scan.as_ref(), s.etas.get(p.name.as_str()).copied());
    let health = p.health.as_str();
    // A pool with device errors is not fine, whatever its state says.
    let errors = p.vdevs.iter().any(Vdev::has_errors) || p.data_errors.unwrap_or(0) > 0;
    let health_tone = if errors && health == "ONLINE" {
        Tone::Warn
    } else {
        health_tone(health)
    };
    Row {
        key: p.name.to_string(),
        cells: vec![
            Cell::toned(
                p.name.clone(),
                if health == "ONLINE" {
                    Tone::Normal
                } else {
                    Tone::Err
                },
            ),
            Cell::toned(p.health.clone(), health_tone),
            num(u.size),
            num(u.alloc),
            num(u.free),
            Cell::own(u.frag.map_or("-".into(), |f| format!("{f}%")), Tone::Dim),
            cap_cell(u.cap),
            Cell::own(
                u.dedup.map_or("-".into(), |d| format!("{d:.2}x")),
                Tone::Dim,
            ),
            Cell::own(scan, tone),
            scrubbed_cell(p, c),
            io_cell(s.io.get(p.name.as_str())),
        ],
    }
}

/// `▁▂▅█ r 1.0 MiB/s w 300.0 MiB/s`: the recent samples of read + write as a small
/// chart, then the newest read and write rates. Empty where the host gives no rates.
fn io_cell(history: Option<&Vec<(u64, u64)>>) -> Cell {
    let Some(h) = history.filter(|h| !h.is_empty()) else {
        return Cell::own("", Tone::Dim);
    };
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let recent: Vec<u64> = h
        .iter()
        .rev()
        .take(8)
        .rev()
        .map(|(r, w)| r.saturating_add(*w))
        .collect();
    let peak = recent.iter().copied().max().unwrap_or(0).max(1);
    let spark: String = recent
        .iter()
        .map(|v| BARS[(u128::from(*v) * 7 / u128::from(peak)).min(7) as usize])
        .collect();
    let last = recent.last().copied().unwrap_or(0);
    let (read, write) = h.last().copied().unwrap_or_default();
    Cell::own(
        format!("{spark} r {}/s w {}/s", size(read), size(write)),
        Tone::Dim,
    )
    .ordered(last)
}

fn group_row(g: Group) -> Row {
    let name = match g {
        Group::Data => "data",
        Group::Logs => "logs",
        Group::Cache => "cache",
        Group::Spares => "spares",
        Group::Special => "special",
        Group::Dedup => "dedup",
    };
    Row {
        key: format!("group:{name}"),
        cells: vec![
            Cell::own(name, Tone::Dim),
            Cell::own("", Tone::Dim),
            Cell::own("", Tone::Dim),
            Cell::own("", Tone::Dim),
            Cell::own("", Tone::Dim),
            Cell::own("", Tone::Dim),
        ],
    }
}

/// A vdev and its children, indented by depth; errors in the error tone.
fn vdev_rows(v: &Vdev, depth: usize, out: &mut Vec<Row>, path: &str) {
    let count = |n: u64| Cell::own(n.to_string(), if n > 0 { Tone::Err } else { Tone::Dim });
    let name = format!("{}{}", "  ".repeat(depth), v.name);
    let state = v.state.as_str();
    let note_tone = if state == "ONLINE" {
        Tone::Dim
    } else {
        Tone::Warn
    };
    out.push(Row {
        key: format!("{path}/{}", v.name),
        cells: vec![
            Cell::toned(
                SafeText::new(&name),
                if state == "ONLINE" {
                    Tone::Normal
                } else {
                    Tone::Err
                },
            ),
            Cell::toned(v.state.clone(), health_tone(state)),
            count(v.read),
            count(v.write),
            count(v.cksum),
            Cell::toned(v.note.clone().unwrap_or_default(), note_tone),
        ],
    });
    for (i, child) in v.children.iter().enumerate() {
        vdev_rows(child, depth + 1, out, &format!("{path}/{}.{i}", v.name));
    }
}

fn dataset_row(d: &Dataset, snaps: Option<(u64, Option<Timestamp>)>) -> Row {
    let (count, newest) = snaps.unwrap_or((0, None));
    let quota = match d.quota {
        Some(q) if q > 0 => {
            let pct = d.used as f64 * 100.0 / q as f64;
            let tone = if pct >= 90.0 { Tone::Err } else { Tone::Normal };
            // Sorted by how full it is, the thing to watch.
            Cell::own(format!("{} {pct:.0}%", size(q)), tone).ordered((pct * 100.0) as u64)
        }
        _ => Cell::own("none", Tone::Dim),
    };
    Row {
        key: d.name.to_string(),
        cells: vec![
            Cell::new(d.name.clone()),
            Cell::bytes(d.used, Tone::Normal),
            Cell::bytes(d.avail, Tone::Normal),
            Cell::bytes(d.refer, Tone::Dim),
            d.used_by_snapshots
                .map_or(Cell::own("-", Tone::Dim), |n| Cell::bytes(n, Tone::Dim)),
            Cell::own(count.to_string(), Tone::Dim).ordered(count),
            Cell::age(newest, Tone::Dim),
            Cell::own(
                d.compress_ratio.map_or("-".into(), |r| format!("{r:.2}x")),
                Tone::Dim,
            ),
            quota,
            Cell::toned(d.mountpoint.clone(), Tone::Dim),
            Cell::own(d.block_size.map_or("-".into(), size), Tone::Dim),
            Cell::toned(d.compression.clone(), Tone::Dim),
        ],
    }
}

fn arc_rows(a: Option<&ArcStats>) -> Vec<Row> {
    let Some(a) = a else {
        return vec![Row {
            key: "none".into(),
            cells: vec![
                Cell::own("arc", Tone::Dim),
                Cell::own(
                    "no ARC statistics on this host (/proc/spl/kstat/zfs/arcstats)",
                    Tone::Dim,
                ),
            ],
        }];
    };
    let row = |k: &str, v: String| Row {
        key: k.into(),
        cells: vec![Cell::own(k, Tone::Dim), Cell::own(v, Tone::Normal)],
    };
    let ratio = |h: u64, m: u64| {
        if h + m == 0 {
            "-".to_string()
        } else {
            format!(
                "{:.1}% of {} reads",
                h as f64 * 100.0 / (h + m) as f64,
                h + m
            )
        }
    };
    vec![
        row(
            "size",
            format!("{} (target {})", size(a.size), size(a.target)),
        ),
        row("min / max", format!("{} / {}", size(a.min), size(a.max))),
        row("hit ratio", ratio(a.hits, a.misses)),
        row("MRU / MFU", format!("{} / {}", size(a.mru), size(a.mfu))),
        row(
            "L2ARC",
            if a.l2_size == 0 && a.l2_hits + a.l2_misses == 0 {
                "none".into()
            } else {
                format!(
                    "{} · hits {}",
                    size(a.l2_size),
                    ratio(a.l2_hits, a.l2_misses)
                )
            },
        ),
    ]
}

/// `ARC 4.0 GiB of 8.0 GiB · 90.0% hits`, for the header.
pub fn arc_line(a: &ArcStats) -> String {
    let hits = a
        .hit_ratio()
        .map_or(String::new(), |r| format!(" · {r:.1}% hits"));
    format!("ARC {} of {}{hits}", size(a.size), size(a.max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::zfs::sample::{NOW, nas};

    fn texts(r: &Row) -> Vec<String> {
        r.cells.iter().map(|c| c.shown(NOW).into_owned()).collect()
    }

    /// `zpool status`'s own `status:` and `action:` lines, under the pool's tree.
    #[test]
    fn a_pool_s_status_and_action_lines_are_shown_with_its_tree() {
        let s = nas();
        let c = Context {
            now: NOW,
            scrub_warn_days: 35,
        };
        let tree = |pool: &str| rows(&ZfsView::Vdevs { pool: pool.into() }, &s, c);
        let tank = tree("tank");
        let said = |rows: &[Row], key: &str| {
            rows.iter()
                .find(|r| r.key == key)
                .map(|r| (texts(r)[0].clone(), texts(r)[5].clone(), r.cells[5].tone))
        };
        assert_eq!(
            said(&tank, "status"),
            Some((
                "status:".into(),
                "One or more devices is currently being resilvered.".into(),
                Tone::Warn
            ))
        );
        assert_eq!(
            said(&tank, "action").map(|s| s.1),
            Some("Wait for the resilver to complete.".into())
        );
        let status_at = tank.iter().position(|r| r.key == "status").unwrap();
        assert!(status_at > 0, "after the tree");
        let ai = tree("ai");
        assert!(said(&ai, "status").is_none() && said(&ai, "action").is_none());
    }

    #[test]
    fn every_view_has_as_many_cells_as_columns() {
        let s = nas();
        let c = Context {
            now: NOW,
            scrub_warn_days: 35,
        };
        for v in ZfsView::TOP.iter().cloned().chain([
            ZfsView::Vdevs {
                pool: "tank".into(),
            },
            ZfsView::Snapshots {
                dataset: Some("tank/media".into()),
            },
        ]) {
            for r in rows(&v, &s, c) {
                assert_eq!(r.cells.len(), columns(&v).len(), "{v:?}: {:?}", texts(&r));
            }
        }
    }

    #[test]
    fn a_pool_s_io_is_a_small_chart_and_its_newest_rate() {
        let s = nas();
        let c = Context {
            now: NOW,
            scrub_warn_days: 35,
        };
        let r = rows(&ZfsView::Pools, &s, c);
        let tank = r.iter().find(|r| r.key == "tank").unwrap();
        assert_eq!(texts(tank).last().unwrap(), "▁▁▂█ r 300.0 MiB/s w 0 B/s");
        let vms = r.iter().find(|r| r.key == "vms").unwrap();
        assert_eq!(texts(vms).last().unwrap(), "", "no rates read for vms");
    }

    #[test]
    fn datasets_count_their_snapshots_and_warn_near_their_quota() {
        let s = nas();
        let c = Context {
            now: NOW,
            scrub_warn_days: 35,
        };
        let r = rows(&ZfsView::Datasets, &s, c);
        let media = r.iter().find(|r| r.key == "tank/media").unwrap();
        assert_eq!(texts(media)[5..7], ["1", "3d"]);
        let plex = r.iter().find(|r| r.key.ends_with("/plex")).unwrap();
        assert_eq!(texts(plex)[8], "100.0 GiB 95%");
        assert_eq!(plex.cells[8].tone, Tone::Err);
    }
}

#[cfg(test)]
mod scrub_age_tests {
    use super::*;
    use crate::backend::zfs::sample::{NOW, nas};

    fn cell(scan: Option<Scan>, warn_days: u64) -> Cell {
        let mut p = nas().pools.remove(0);
        p.scan = scan;
        scrubbed_cell(
            &p,
            Context {
                now: NOW,
                scrub_warn_days: warn_days,
            },
        )
    }

    fn scan(kind: ScanKind, state: ScanState, days_ago: i64) -> Scan {
        Scan {
            kind,
            state,
            at: Some(Timestamp(NOW.0 - days_ago * 86_400)),
            ..nas().pools[0].scan.clone().unwrap()
        }
    }

    #[test]
    fn the_last_scrub_warns_past_its_days_or_never_or_when_unknown() {
        let done = |days| Some(scan(ScanKind::Scrub, ScanState::Finished, days));
        assert_eq!(cell(done(10), 35).tone, Tone::Dim);
        assert_eq!(cell(done(36), 35).tone, Tone::Warn);
        // The days are the host's setting.
        assert_eq!(cell(done(10), 7).tone, Tone::Warn);
        let never = cell(None, 35);
        assert_eq!((never.text.as_str(), never.tone), ("never", Tone::Warn));
        let shown = |c: Cell| (c.text.as_str().to_string(), c.tone);
        assert_eq!(
            shown(cell(
                Some(scan(ScanKind::Scrub, ScanState::InProgress, 0)),
                35
            )),
            ("now".into(), Tone::Dim)
        );
        assert_eq!(
            shown(cell(
                Some(scan(ScanKind::Scrub, ScanState::Canceled, 1)),
                35
            )),
            ("canceled".into(), Tone::Warn)
        );
        assert_eq!(
            shown(cell(
                Some(scan(ScanKind::Resilver, ScanState::Finished, 1)),
                35
            )),
            ("unknown".into(), Tone::Warn),
            "after a resilver the last scrub is not known"
        );
    }
}
