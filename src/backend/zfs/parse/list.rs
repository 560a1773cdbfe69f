//! `zpool list`: `-Hp -o name,size,alloc,free,frag,cap,dedup,health` (OpenZFS: exact
//! bytes, frag/cap plain numbers or `-`, dedup `1.00`), the zfs-fuse dialect
//! `-H -o name,size,used,avail,cap,dedup,health` (human sizes, `12%`, `1.00x`), and
//! `zpool list -j` (2.3+, integers or strings).

use super::json::J;
use super::sizes::size;
use super::units::{percent_u8, ratio};
use crate::backend::zfs::model::PoolUsage;
use crate::core::text::SafeText;

/// (name, usage, health) per pool; lines in neither column order are skipped.
pub fn list_text(out: &str) -> Vec<(SafeText, PoolUsage, SafeText)> {
    out.lines().filter_map(list_line).collect()
}

/// Tab-separated with `-H`; runs of spaces otherwise (a header line does not parse).
pub(super) fn columns(line: &str) -> Vec<&str> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.contains('\t') {
        line.split('\t').collect()
    } else {
        line.split_whitespace().collect()
    }
}

fn list_line(line: &str) -> Option<(SafeText, PoolUsage, SafeText)> {
    let c = columns(line);
    let (name, size_, alloc, free, frag, cap, dedup, health) = match c[..] {
        [n, s, a, f, fr, ca, d, h] => (n, s, a, f, Some(fr), ca, d, h),
        [n, s, u, av, ca, d, h] => (n, s, u, av, None, ca, d, h),
        _ => return None,
    };
    if name.is_empty() {
        return None;
    }
    let usage = PoolUsage {
        size: size(size_)?,
        alloc: size(alloc)?,
        free: size(free)?,
        frag: frag.and_then(percent_u8),
        cap: percent_u8(cap),
        dedup: ratio(dedup),
    };
    Some((SafeText::new(name), usage, SafeText::new(health)))
}

/// `{"pools": {"tank": {"name", "state", "properties": {"size": {"value": ..}, ..}}}}`.
pub fn list_json(out: &str) -> Result<Vec<(SafeText, PoolUsage, SafeText)>, String> {
    let root = J::parse(out)?;
    let Some(pools @ J::Obj(_)) = root.get("pools") else {
        return if root.get("output_version").is_some() {
            Ok(Vec::new())
        } else {
            Err("no \"pools\" object in zpool list JSON".into())
        };
    };
    Ok(pools
        .entries()
        .iter()
        .map(|(key, p)| {
            let bytes = |names: &[&str]| p.prop(names).and_then(J::bytes).unwrap_or(0);
            let pct = |names: &[&str]| {
                p.prop(names)
                    .and_then(J::float)
                    .map(|v| v.round().clamp(0.0, 255.0) as u8)
            };
            let usage = PoolUsage {
                size: bytes(&["size"]),
                alloc: bytes(&["allocated", "alloc"]),
                free: bytes(&["free"]),
                frag: pct(&["fragmentation", "frag"]),
                cap: pct(&["capacity", "cap"]),
                dedup: p.prop(&["dedupratio", "dedup"]).and_then(J::float),
            };
            let name = p
                .get("name")
                .and_then(J::text)
                .unwrap_or_else(|| key.clone());
            let health = p
                .prop(&["health"])
                .or_else(|| p.get("state"))
                .and_then(J::text)
                .unwrap_or_default();
            (SafeText::new(&name), usage, SafeText::new(&health))
        })
        .collect())
}
