//! `zpool status -j` (OpenZFS 2.3+), with `--json-int` (numbers as integers) or without
//! (numbers as strings, sizes humanized unless `-p`, times as local date strings).
//! Shape as `status_callback_json`/`vdev_stats_nvlist` in `cmd/zpool/zpool_main.c`
//! write it: `{"output_version": {..}, "pools": {"tank": {"name", "state", "status"?,
//! "action"?, "scan_stats"?, "vdevs": {"tank": {root, "vdevs": {..}}}, "logs"?,
//! "l2cache"?, "spares"?, "special"?, "dedup"?, "error_count"}}}`. The
//! `--json-flat-vdevs` form is not read (its tree is flat).

use super::json::J;
use super::status_text::paragraph;
use super::when::{timestamp, when};
use crate::backend::zfs::model::{Group, Pool, Scan, ScanKind, ScanState, Vdev};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

/// Every pool, with rates and estimates computed against the current time.
pub fn status_json(out: &str) -> Result<Vec<Pool>, String> {
    status_json_at(out, Timestamp::now())
}

/// As [`status_json`], with "now" given (rates are averages since the pass started).
pub fn status_json_at(out: &str, now: Timestamp) -> Result<Vec<Pool>, String> {
    let root = J::parse(out)?;
    let pools = match root.get("pools") {
        Some(p @ J::Obj(_)) => p,
        Some(J::Null) | None if root.get("output_version").is_some() => return Ok(Vec::new()),
        _ => return Err("no \"pools\" object in zpool status JSON".into()),
    };
    Ok(pools
        .entries()
        .iter()
        .map(|(key, p)| pool(key, p, now))
        .collect())
}

const GROUPS: [(&str, Group, &str); 5] = [
    ("logs", Group::Logs, "log"),
    ("l2cache", Group::Cache, "l2cache"),
    ("spares", Group::Spares, "spare"),
    ("special", Group::Special, "special"),
    ("dedup", Group::Dedup, "dedup"),
];

fn pool(key: &str, p: &J, now: Timestamp) -> Pool {
    let text = |k: &str| p.get(k).and_then(J::text).map(|s| SafeText::new(&s));
    let scan = p.get("scan_stats").and_then(|s| scan(s, now));
    let ctx = Ctx {
        scanning: scan
            .as_ref()
            .filter(|s| s.state == ScanState::InProgress)
            .map(|s| s.kind),
    };
    let mut vdevs = Vec::new();
    let has_group = |class: &str| {
        GROUPS
            .iter()
            .any(|(k, _, c)| *c == class && p.get(k).is_some())
    };
    for (_, v) in data_tops(p.get("vdevs"), key) {
        let class = v.get("class").and_then(J::str).unwrap_or("normal");
        let group = GROUPS
            .iter()
            .find(|(_, _, c)| *c == class)
            .map_or(Group::Data, |g| g.1);
        // Listed again under its own key: take it from there.
        if group != Group::Data && has_group(class) {
            continue;
        }
        vdevs.push(vdev(v, group, &ctx));
    }
    for (k, group, _) in GROUPS {
        for (_, v) in p.get(k).map(J::entries).unwrap_or(&[]) {
            vdevs.push(vdev(v, group, &ctx));
        }
    }
    Pool {
        name: text("name").unwrap_or_else(|| SafeText::new(key)),
        health: text("state").unwrap_or_default(),
        usage: None,
        // Multi-line like the text form's paragraphs: made one line the same way.
        status: p
            .get("status")
            .and_then(J::str)
            .and_then(|s| paragraph(&s.lines().collect::<Vec<_>>())),
        action: p
            .get("action")
            .and_then(J::str)
            .and_then(|s| paragraph(&s.lines().collect::<Vec<_>>())),
        scan,
        vdevs,
        data_errors: p.get("error_count").and_then(J::bytes),
    }
}

/// The root vdev's children; a map without a root (hand-made, older) as it is. The root
/// is the one entry keyed by the pool's name, or typed `root` (dRAID pools of 2.3.2 and
/// pre-release builds leave `vdev_type` out).
fn data_tops<'a>(vdevs: Option<&'a J>, pool: &str) -> &'a [(String, J)] {
    let entries = vdevs.map(J::entries).unwrap_or(&[]);
    match entries {
        [(key, root)]
            if root.get("vdev_type").and_then(J::str) == Some("root")
                || (key == pool && root.get("vdevs").is_some()) =>
        {
            root.get("vdevs").map(J::entries).unwrap_or(&[])
        }
        _ => entries,
    }
}

/// JSON gives a device's state by its enum name (`vdev_state_str`); the text form (and
/// everyone) says `UNAVAIL` for one that cannot be opened, `FAULTED` when its data is
/// corrupt, `OFFLINE` for a closed one.
fn state_name(state: &str, aux: Option<&str>) -> String {
    match (state, aux) {
        ("CANT_OPEN", Some("CORRUPT_DATA" | "BAD_LOG")) => "FAULTED".into(),
        ("CANT_OPEN", Some("SPLIT_POOL")) => "SPLIT".into(),
        ("CANT_OPEN", _) => "UNAVAIL".into(),
        ("CLOSED", _) => "OFFLINE".into(),
        ("HEALTHY", _) => "ONLINE".into(),
        (other, _) => other.into(),
    }
}

/// The words `zpool status` prints for a device's `aux` reason (JSON has its enum name).
fn aux_text(aux: &str) -> String {
    let words = match aux {
        "NONE" => return String::new(),
        "OPEN_FAILED" => "cannot open",
        "CORRUPT_DATA" => "corrupted data",
        "NO_REPLICAS" => "insufficient replicas",
        "BAD_GUID_SUM" => "missing device",
        "TOO_SMALL" => "device is too small",
        "BAD_LABEL" => "invalid label",
        "VERSION_NEWER" => "newer version",
        "VERSION_OLDER" => "older version",
        "UNSUP_FEAT" => "unsupported feature(s)",
        "SPARED" => "currently in use",
        "ERR_EXCEEDED" => "too many errors",
        "IO_FAILURE" => "experienced I/O failures",
        "BAD_LOG" => "bad intent log",
        "EXTERNAL" | "EXTERNAL_PERSIST" => "external device fault",
        "SPLIT_POOL" => "split into new pool",
        "CHILDREN_OFFLINE" => "all children offline",
        "ASHIFT_TOO_BIG" => "ashift too big",
        "BAD_ASHIFT" => "bad ashift",
        // Anything newer: its name, in words.
        other => return other.to_lowercase().replace('_', " "),
    };
    words.into()
}

struct Ctx {
    /// A scan in progress: devices with `scan_processed` are being repaired.
    scanning: Option<ScanKind>,
}

fn vdev(v: &J, group: Group, ctx: &Ctx) -> Vdev {
    let n = |k: &str| v.get(k).and_then(J::bytes).unwrap_or(0);
    let aux = v.get("aux").and_then(J::text);
    let note = if let Some(was) = v.get("was").and_then(J::text) {
        Some(format!("was {was}"))
    } else if let Some(aux) = aux.as_deref().map(aux_text).filter(|a| !a.is_empty()) {
        Some(aux)
    } else if v.get("scan_processed").and_then(J::bytes).unwrap_or(0) > 0 {
        ctx.scanning.map(|k| match k {
            ScanKind::Resilver => "(resilvering)".to_string(),
            ScanKind::Scrub => "(repairing)".to_string(),
        })
    } else {
        None
    };
    Vdev {
        name: SafeText::opt(v.get("name").and_then(J::text).as_deref()),
        group,
        state: SafeText::opt(
            v.get("state")
                .and_then(J::text)
                .map(|st| state_name(&st, aux.as_deref()))
                .as_deref(),
        ),
        read: n("read_errors"),
        write: n("write_errors"),
        cksum: n("checksum_errors"),
        note: note.map(|s| SafeText::new(&s)),
        children: v
            .get("vdevs")
            .map(J::entries)
            .unwrap_or(&[])
            .iter()
            .map(|(_, c)| vdev(c, group, ctx))
            .collect(),
    }
}

/// A time field: epoch seconds (integer or digits) or a date string as ZFS prints it.
fn time_of(j: Option<&J>) -> (Option<SafeText>, Option<Timestamp>) {
    match j {
        Some(J::Int(0)) | None => (None, None),
        Some(J::Int(n)) => (None, i64::try_from(*n).ok().map(Timestamp)),
        Some(J::Str(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            let t = s.parse::<i64>().ok().filter(|t| *t > 0).map(Timestamp);
            (None, t)
        }
        Some(J::Str(s)) if s == "-" => (None, None),
        Some(J::Str(s)) => when(s),
        Some(_) => (None, None),
    }
}

fn secs(j: Option<&J>) -> Option<i64> {
    match time_of(j) {
        (_, Some(t)) => Some(t.0),
        (Some(text), None) => timestamp(text.as_str()).map(|t| t.0),
        _ => None,
    }
}

/// A sequential resilver (`attach -s`, dRAID) keeps its progress apart, per top-level
/// vdev in `rebuild_stats`; while one is active it is the pool's scan.
fn rebuild(s: &J) -> Option<Scan> {
    let active: Vec<&J> = s
        .get("rebuild_stats")?
        .entries()
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.get("state").and_then(J::str) == Some("ACTIVE"))
        .collect();
    if active.is_empty() {
        return None;
    }
    let sum = |k: &str| {
        active
            .iter()
            .map(|r| r.get(k).and_then(J::bytes).unwrap_or(0))
            .fold(0u64, u64::saturating_add)
    };
    let (scanned, total) = (sum("scanned"), sum("to_scan"));
    // Nanoseconds of this pass, as the kernel counts them.
    let pass_secs = active
        .iter()
        .filter_map(|r| r.get("pass_time").and_then(J::bytes))
        .max()
        .unwrap_or(0)
        / 1_000_000_000;
    let rate = (pass_secs > 0).then(|| sum("pass_scanned") / pass_secs);
    let at = active
        .iter()
        .filter_map(|r| secs(r.get("start_time")))
        .filter(|t| *t > 0)
        .min()
        .map(Timestamp);
    Some(Scan {
        kind: ScanKind::Resilver,
        state: ScanState::InProgress,
        scanned: Some(scanned),
        issued: Some(sum("issued")),
        total: Some(total),
        rate,
        percent: (total > 0).then(|| scanned as f64 * 100.0 / total as f64),
        zfs_eta_secs: rate
            .filter(|r| *r > 0)
            .map(|r| total.saturating_sub(scanned) / r),
        repaired: Some(sum("rebuilt")),
        errors: Some(sum("errors")),
        duration_secs: None,
        when: None,
        at,
    })
}

fn scan(s: &J, now: Timestamp) -> Option<Scan> {
    if let Some(r) = rebuild(s) {
        return Some(r);
    }
    let kind = match s.get("function").and_then(J::str)? {
        "SCRUB" | "ERRORSCRUB" => ScanKind::Scrub,
        "RESILVER" => ScanKind::Resilver,
        _ => return None,
    };
    let n = |k: &str| s.get(k).and_then(J::bytes);
    let paused = secs(s.get("scrub_pause")).filter(|t| *t > 0);
    let state = match s.get("state").and_then(J::str)? {
        "SCANNING" if paused.is_some() => ScanState::Paused,
        "SCANNING" => ScanState::InProgress,
        "FINISHED" => ScanState::Finished,
        "CANCELED" => ScanState::Canceled,
        _ => return None,
    };
    let (to_examine, issued) = (n("to_examine"), n("issued"));
    let total_i = to_examine.map(|t| t.saturating_sub(n("skipped").unwrap_or(0)));
    let (start, end) = (s.get("start_time"), s.get("end_time"));
    let (when, at) = match state {
        ScanState::InProgress => time_of(start),
        ScanState::Paused => time_of(s.get("scrub_pause")),
        ScanState::Finished | ScanState::Canceled => time_of(end),
    };
    let mut out = Scan {
        kind,
        state,
        scanned: n("examined"),
        issued,
        total: to_examine,
        rate: None,
        percent: None,
        zfs_eta_secs: None,
        repaired: n("processed"),
        errors: n("errors"),
        duration_secs: None,
        when,
        at,
    };
    match state {
        ScanState::InProgress | ScanState::Paused => {
            if let (Some(t), Some(i)) = (total_i, issued)
                && t > 0
            {
                out.percent = Some(i as f64 * 100.0 / t as f64);
            }
            if state == ScanState::InProgress
                && let Some(pass_start) = secs(s.get("pass_start"))
            {
                // As zpool does: the pass's bytes over its unpaused seconds.
                let paused_for = secs(s.get("scrub_spent_paused")).unwrap_or(0);
                let elapsed = now
                    .0
                    .saturating_sub(pass_start)
                    .saturating_sub(paused_for)
                    .max(1) as u64;
                let rate = n("issued_bytes_per_scan").unwrap_or(0) / elapsed;
                out.rate = Some(rate);
                if let (Some(t), Some(i)) = (total_i, issued)
                    && rate > 0
                    && t >= i
                {
                    out.zfs_eta_secs = Some((t - i) / rate);
                }
            }
        }
        ScanState::Finished => {
            if let (Some(a), Some(b)) = (secs(start), secs(end)) {
                out.duration_secs = b.checked_sub(a).and_then(|d| u64::try_from(d).ok());
            }
        }
        ScanState::Canceled => {}
    }
    Some(out)
}
