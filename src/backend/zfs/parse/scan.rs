//! The `scan:` paragraph of `zpool status`, every generation:
//! before 0.8 (`1.18G scanned out of 4.23G at 40.2M/s, 0h1m to go`), 0.8 to 2.1
//! (`3.42G scanned at 357M/s, 1.14G issued at 119M/s, 5.68G total`) and 2.2 on
//! (`1.12T / 1.62T scanned at 1.15G/s, 745G / 1.62T issued at 764M/s`); and the older
//! one-line ` scrub:` form zfs-fuse prints (`scrub in progress for 0h1m, 12.34% done,
//! 0h7m to go`, `resilver completed after 0h0m with 0 errors on <date>`, `stopped`).

use super::sizes::size;
use super::units::{duration, percent};
use super::when::when;
use crate::backend::zfs::model::{Scan, ScanKind, ScanState};

/// `lines[0]` is what follows `scan:`; the rest are its continuation lines.
pub fn scan(lines: &[&str]) -> Option<Scan> {
    let head = lines.first()?.trim();
    let kind = if head.contains("resilver") {
        ScanKind::Resilver
    } else if head.contains("scrub") {
        ScanKind::Scrub
    } else {
        return None;
    };
    let mut s = empty(kind, ScanState::InProgress);
    if let Some((_, date)) = head.split_once(" in progress since ") {
        set_when(&mut s, date);
    } else if let Some((_, date)) = head.split_once(" paused since ") {
        s.state = ScanState::Paused;
        set_when(&mut s, date);
    } else if let Some((_, date)) = head.split_once(" canceled on ") {
        s.state = ScanState::Canceled;
        set_when(&mut s, date);
    } else if let Some((_, rest)) = head.split_once(" in progress for ") {
        // zfs-fuse: the figures follow on the same line.
        for clause in rest.split(',').skip(1) {
            progress(&mut s, clause.trim());
        }
    } else if let Some((_, rest)) = head
        .split_once(" completed after ")
        .or_else(|| head.split_once(" stopped after "))
    {
        if head.contains(" stopped after ") {
            s.state = ScanState::Canceled;
        } else {
            s.state = ScanState::Finished;
        }
        let (took, after_with) = rest.split_once(" with ").unwrap_or((rest, ""));
        s.duration_secs = duration(took);
        outcome(&mut s, after_with);
        return Some(s);
    } else if head.contains(" with ") && head.contains(" in ") {
        finished(&mut s, head);
        return Some(s);
    } else {
        return None;
    }
    for line in &lines[1..] {
        for clause in line.split(',') {
            progress(&mut s, clause.trim());
        }
    }
    Some(s)
}

fn empty(kind: ScanKind, state: ScanState) -> Scan {
    Scan {
        kind,
        state,
        scanned: None,
        issued: None,
        total: None,
        rate: None,
        percent: None,
        zfs_eta_secs: None,
        repaired: None,
        errors: None,
        duration_secs: None,
        when: None,
        at: None,
    }
}

fn set_when(s: &mut Scan, date: &str) {
    (s.when, s.at) = when(date);
}

/// `scrub repaired 0B in 00:00:01 with 0 errors on <date>`,
/// `resilvered 1.23G in 0 days 00:10:11 with 0 errors on <date>`.
fn finished(s: &mut Scan, head: &str) {
    s.state = ScanState::Finished;
    let (before_in, after_in) = head.split_once(" in ").unwrap_or((head, ""));
    s.repaired = before_in.split_whitespace().last().and_then(size);
    let (took, after_with) = after_in.split_once(" with ").unwrap_or((after_in, ""));
    s.duration_secs = duration(took);
    outcome(s, after_with);
}

/// `0 errors on <date>`.
fn outcome(s: &mut Scan, after_with: &str) {
    let (errors, date) = after_with.split_once(" on ").unwrap_or((after_with, ""));
    s.errors = errors
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok());
    set_when(s, date);
}

/// One comma-separated clause of a progress line.
fn progress(s: &mut Scan, clause: &str) {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let at_rate = |w: &[&str]| match w {
        [.., "at", r] => size(r),
        _ => None,
    };
    match words[..] {
        // 2.2+: `1.12T / 1.62T scanned at 1.15G/s`, `745G / 1.62T issued at 764M/s`.
        [a, "/", t, what, ..] if what == "scanned" || what == "issued" => {
            set_amount(s, what, size(a), at_rate(&words));
            s.total = size(t).or(s.total);
        }
        // <0.8: `1.18G scanned out of 4.23G at 40.2M/s`.
        [a, "scanned", "out", "of", t, ..] => {
            set_amount(s, "scanned", size(a), at_rate(&words));
            s.total = size(t).or(s.total);
        }
        [a, "scanned" | "issued", ..] => set_amount(s, words[1], size(a), at_rate(&words)),
        [t, "total"] => s.total = size(t).or(s.total),
        [r, "repaired" | "resilvered"] => s.repaired = size(r),
        [p, "done"] => s.percent = percent(p),
        ["no", "estimated", "completion", "time"] => s.zfs_eta_secs = None,
        [.., "to", "go"] => s.zfs_eta_secs = duration(&words[..words.len() - 2].join(" ")),
        _ => {}
    }
}

fn set_amount(s: &mut Scan, what: &str, amount: Option<u64>, rate: Option<u64>) {
    if what == "issued" {
        s.issued = amount;
        // The issue rate drives ZFS's estimate: it wins over the scan rate.
        s.rate = rate.or(s.rate);
    } else {
        s.scanned = amount;
        if s.issued.is_none() {
            s.rate = rate.or(s.rate);
        }
    }
}
