//! `zfs list`: datasets from `-Hp -t filesystem,volume -o name,type,used,avail,refer,
//! usedbysnapshots,compressratio,mountpoint,quota,recordsize,volblocksize,compression`
//! (or the same columns without `-p`, as zfs-fuse prints them: `1.50G`, `1.00x`),
//! snapshots from `-Hp -t snapshot -o name,used,refer,creation`, and `zfs list -j`.

use super::json::J;
use super::list::columns;
use super::sizes::size;
use super::units::ratio;
use super::when::timestamp;
use crate::backend::zfs::model::{Dataset, DatasetKind, Snapshot};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

/// Filesystems and volumes; other lines (a header, snapshots, garbage) are skipped.
pub fn datasets_text(out: &str) -> Vec<Dataset> {
    out.lines().filter_map(dataset_line).collect()
}

fn dataset_line(line: &str) -> Option<Dataset> {
    let c = columns(line);
    let col = |i: usize| c.get(i).copied().filter(|v| *v != "-");
    let kind = kind_of(col(1)?)?;
    let name = col(0)?;
    Some(Dataset {
        name: SafeText::new(name),
        kind,
        used: size(col(2)?)?,
        avail: size(col(3)?)?,
        refer: size(col(4)?)?,
        used_by_snapshots: col(5).and_then(size),
        compress_ratio: col(6).and_then(ratio),
        mountpoint: SafeText::new(c.get(7).copied().unwrap_or("-")),
        quota: col(8).and_then(quota),
        block_size: match kind {
            DatasetKind::Filesystem => col(9).or(col(10)),
            DatasetKind::Volume => col(10).or(col(9)),
        }
        .and_then(size),
        compression: SafeText::new(c.get(11).copied().unwrap_or("-")),
    })
}

fn kind_of(t: &str) -> Option<DatasetKind> {
    match t.to_ascii_lowercase().as_str() {
        "filesystem" => Some(DatasetKind::Filesystem),
        "volume" => Some(DatasetKind::Volume),
        _ => None,
    }
}

/// `0` and `none` mean no quota.
fn quota(s: &str) -> Option<u64> {
    size(s).filter(|q| *q > 0)
}

/// `name used refer creation`; creation as epoch seconds (`-p`) or `Tue Dec  1 12:00 2026`.
pub fn snapshots_text(out: &str) -> Vec<Snapshot> {
    out.lines().filter_map(snapshot_line).collect()
}

fn snapshot_line(line: &str) -> Option<Snapshot> {
    let c = columns(line);
    let name = *c.first()?;
    if !name.contains('@') || c.len() < 3 {
        return None;
    }
    let creation = c.get(3..).map(|rest| rest.join(" ")).unwrap_or_default();
    Some(Snapshot {
        name: SafeText::new(name),
        raw_name: name.to_string(),
        used: size(c[1])?,
        refer: size(c[2])?,
        created: created(&creation),
    })
}

fn created(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().map(Timestamp);
    }
    timestamp(s)
}

/// `{"datasets": {"tank": {"name", "type": "FILESYSTEM", "properties": {..}}}}`.
fn json_entries(out: &str) -> Result<Vec<J>, String> {
    let root = J::parse(out)?;
    match root.get("datasets") {
        Some(d @ J::Obj(_)) => Ok(d.entries().iter().map(|(_, v)| v.clone()).collect()),
        Some(J::Null) | None if root.get("output_version").is_some() => Ok(Vec::new()),
        _ => Err("no \"datasets\" object in zfs list JSON".into()),
    }
}

fn json_type(d: &J) -> String {
    d.get("type")
        .and_then(J::text)
        .or_else(|| d.prop(&["type"]).and_then(J::text))
        .unwrap_or_default()
        .to_ascii_lowercase()
}

pub fn datasets_json(out: &str) -> Result<Vec<Dataset>, String> {
    Ok(json_entries(out)?
        .iter()
        .filter_map(|d| {
            let kind = kind_of(&json_type(d))?;
            let bytes = |names: &[&str]| d.prop(names).and_then(J::bytes);
            let text = |names: &[&str]| {
                SafeText::new(
                    &d.prop(names)
                        .and_then(J::text)
                        .unwrap_or_else(|| "-".into()),
                )
            };
            let (fs_block, vol_block) = (bytes(&["recordsize"]), bytes(&["volblocksize"]));
            Some(Dataset {
                name: SafeText::opt(d.get("name").and_then(J::str)),
                kind,
                used: bytes(&["used"]).unwrap_or(0),
                avail: bytes(&["available", "avail"]).unwrap_or(0),
                refer: bytes(&["referenced", "refer"]).unwrap_or(0),
                used_by_snapshots: bytes(&["usedbysnapshots", "usedsnap"]),
                compress_ratio: d.prop(&["compressratio", "ratio"]).and_then(J::float),
                mountpoint: text(&["mountpoint"]),
                quota: d
                    .prop(&["quota"])
                    .and_then(|q| {
                        if q.str() == Some("none") {
                            None
                        } else {
                            q.bytes()
                        }
                    })
                    .filter(|q| *q > 0),
                block_size: match kind {
                    DatasetKind::Filesystem => fs_block.or(vol_block),
                    DatasetKind::Volume => vol_block.or(fs_block),
                },
                compression: text(&["compression", "compress"]),
            })
        })
        .collect())
}

pub fn snapshots_json(out: &str) -> Result<Vec<Snapshot>, String> {
    Ok(json_entries(out)?
        .iter()
        .filter(|d| json_type(d) == "snapshot")
        .filter_map(|d| {
            let name = d.get("name").and_then(J::str)?;
            let bytes = |names: &[&str]| d.prop(names).and_then(J::bytes).unwrap_or(0);
            let created = match d.prop(&["creation"]) {
                Some(J::Int(n)) => i64::try_from(*n).ok().map(Timestamp),
                Some(J::Str(s)) => created(s),
                _ => None,
            };
            Some(Snapshot {
                name: SafeText::new(name),
                raw_name: name.to_string(),
                used: bytes(&["used"]),
                refer: bytes(&["referenced", "refer"]),
                created,
            })
        })
        .collect())
}
