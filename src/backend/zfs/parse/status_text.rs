//! `zpool status` text (OpenZFS 0.6 to 2.x, zfs-fuse): one or more pools, each a block
//! of `key: value` paragraphs and a `config:` tree.

use super::config::tree;
use super::scan::scan;
use super::sizes::count;
use crate::backend::zfs::model::Pool;
use crate::core::text::SafeText;

/// Every pool in the output; text outside a `pool:` block is ignored.
pub fn status_text(out: &str) -> Vec<Pool> {
    let mut pools = Vec::new();
    let mut current: Option<Block<'_>> = None;
    for line in out.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some((key, value)) = key_line(line) {
            if key == "pool" {
                pools.extend(current.take().map(Block::finish));
                current = Some(Block::new(value));
                continue;
            }
            if let Some(b) = current.as_mut() {
                b.sections.push((key, vec![value]));
            }
        } else if let Some(b) = current.as_mut()
            && let Some((_, lines)) = b.sections.last_mut()
        {
            lines.push(line);
        }
    }
    pools.extend(current.map(Block::finish));
    pools
}

/// `  pool: tank`, ` state: ONLINE`, `status: ...`: right-aligned keys, never after a tab.
fn key_line(line: &str) -> Option<(&str, &str)> {
    if line.starts_with('\t') {
        return None;
    }
    let trimmed = line.trim_start_matches(' ');
    let (key, rest) = trimmed.split_once(':')?;
    let ok = !key.is_empty()
        && key.len() <= 12
        && key.bytes().all(|b| b.is_ascii_lowercase())
        && (rest.is_empty() || rest.starts_with([' ', '\t']));
    ok.then(|| (key, rest.trim()))
}

struct Block<'a> {
    name: &'a str,
    sections: Vec<(&'a str, Vec<&'a str>)>,
}

impl<'a> Block<'a> {
    fn new(name: &'a str) -> Self {
        Block {
            name,
            sections: Vec::new(),
        }
    }

    fn finish(self) -> Pool {
        let mut pool = Pool {
            name: SafeText::new(self.name),
            ..Pool::default()
        };
        for (key, lines) in &self.sections {
            match *key {
                "state" => pool.health = SafeText::new(lines[0]),
                "status" => pool.status = paragraph(lines),
                "action" => pool.action = paragraph(lines),
                // ` scrub:` in zfs-fuse and other pre-0.6 dialects.
                "scan" | "scrub" => pool.scan = scan(lines),
                "config" => pool.vdevs = tree(&lines[1..]),
                "errors" => pool.data_errors = data_errors(lines[0]),
                _ => {}
            }
        }
        pool
    }
}

/// Continuation lines joined with single spaces.
pub(super) fn paragraph(lines: &[&str]) -> Option<SafeText> {
    let text = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then(|| SafeText::new(&text))
}

/// `No known data errors` → 0; `3 data errors, use '-v' for a list` → 3.
fn data_errors(value: &str) -> Option<u64> {
    if value.starts_with("No known data errors") {
        return Some(0);
    }
    let mut words = value.split_whitespace();
    let n = words.next()?;
    (words.next() == Some("data")).then(|| count(n)).flatten()
}
