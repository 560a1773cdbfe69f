//! The live ZFS source of one host: pools (list and status) every few seconds,
//! datasets and snapshots less often, the ARC from the kernel. ZFS has no event stream
//! labdeck can follow, so this polls, but it publishes only news: an idle healthy pool
//! wakes nothing else and draws nothing.

use super::beats::{Beats, Read};
use super::eta::RollingEta;
use super::io::IoReader;
use super::kstat;
use super::misses::{Kind, Misses};
use super::model::{ArcStats, Dataset, Pool, ScanState, Snapshot};
use super::reader::ZfsReader;
use super::runner::{Runner, ZfsHost};
use crate::backend::supervise::supervise;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

/// I/O samples kept per pool, for the sparkline.
pub const IO_KEPT: usize = 30;

/// Everything read from one host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZfsSnapshot {
    pub pools: Vec<Pool>,
    pub datasets: Vec<Dataset>,
    pub snapshots: Vec<Snapshot>,
    pub arc: Option<ArcStats>,
    /// Each scanning pool's ETA from the recent rate (seconds), by pool name.
    pub etas: HashMap<String, u64>,
    /// Why datasets or snapshots could not be read, while pools could: what is shown
    /// of them is stale (see `Misses`).
    pub partial: Option<SafeText>,
    /// Each pool's recent (read, write) bytes per second, oldest first, at most `IO_KEPT`.
    /// A sample equal to the last is not added again: a quiet pool's history stops
    /// changing, so it stops being news (and stops being drawn).
    pub io: HashMap<String, Vec<(u64, u64)>>,
    pub taken_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct ZfsFeed {
    pub snapshot: Option<Arc<ZfsSnapshot>>,
    pub status: SourceStatus,
}

#[derive(Clone)]
pub struct ZfsWatcher {
    pub feed: watch::Receiver<ZfsFeed>,
    refresh: Arc<Notify>,
    snapshots: Arc<Notify>,
    /// The ARC's own view is open: its every figure is news.
    exact_arc: Arc<AtomicBool>,
}

impl ZfsWatcher {
    pub fn spawn(host: ZfsHost, cancel: CancellationToken) -> ZfsWatcher {
        let (tx, feed) = watch::channel(ZfsFeed {
            snapshot: None,
            status: SourceStatus::Connecting,
        });
        let tx = Arc::new(tx);
        let refresh = Arc::new(Notify::new());
        let snapshots = Arc::new(Notify::new());
        let exact_arc = Arc::new(AtomicBool::new(false));
        let (t, r, sn, x) = (
            tx.clone(),
            refresh.clone(),
            snapshots.clone(),
            exact_arc.clone(),
        );
        let make = move || poll(host.clone(), t.clone(), r.clone(), sn.clone(), x.clone());
        let lost = move |reason: String, attempt| stale(&tx, &reason, attempt);
        tokio::spawn(supervise("zfs", cancel, make, lost));
        ZfsWatcher {
            feed,
            refresh,
            snapshots,
            exact_arc,
        }
    }

    /// Whether the ARC's view is open: then every change of its figures is published,
    /// else only what the header would show differently.
    pub fn show_arc(&self, open: bool) {
        self.exact_arc.store(open, Ordering::Relaxed);
    }

    /// Read everything now (the user pressed refresh).
    pub fn refresh(&self) {
        self.refresh.notify_one();
    }

    /// Read the snapshots now (the user opened their list): not a minute old.
    pub fn read_snapshots(&self) {
        self.snapshots.notify_one();
    }
}

fn stale(tx: &watch::Sender<ZfsFeed>, reason: &str, attempt: u32) {
    tx.send_modify(|f| {
        let taken_at = f.snapshot.as_ref().and_then(|s| s.taken_at);
        f.status = f.status.gone_stale(taken_at, reason, attempt);
    });
}

async fn poll(
    host: ZfsHost,
    tx: Arc<watch::Sender<ZfsFeed>>,
    refresh: Arc<Notify>,
    snapshots_now: Arc<Notify>,
    exact_arc: Arc<AtomicBool>,
) {
    let every = |s: u64| Duration::from_secs(s.max(1));
    // Everything is read once first (the first view is whole), then each on its beat.
    let mut beats = Beats::new(
        [host.pools_every, host.datasets_every, host.snapshots_every].map(every),
        Instant::now(),
    );
    if crate::core::fault::once("watcher") {
        panic!(
            "fault injected by {} in the ZFS watcher",
            crate::core::fault::FAULT_PANIC_ENV
        );
    }
    let kstat = host.kstat();
    let mut reader = ZfsReader::new(Runner::new(host));
    let mut io = IoReader::with_kstat(kstat.clone());
    let mut snap = ZfsSnapshot::default();
    let mut misses = Misses::default();
    let mut published: Option<ZfsSnapshot> = None;
    let mut etas: HashMap<String, RollingEta> = HashMap::new();
    let started = Instant::now();
    let mut attempt = 0u32;
    // Until one whole read has worked, every pools beat reads everything: a host that
    // was down at start shows its datasets as soon as it answers, not a tick later.
    let mut whole_read = false;
    let mut first = true;
    loop {
        let what = if std::mem::take(&mut first) {
            Read::All
        } else {
            let (due, at) = beats.next();
            // What the user asked for first, then the most overdue beat.
            let what = tokio::select! {
                biased;
                _ = refresh.notified() => Read::All,
                _ = snapshots_now.notified() => Read::Snapshots,
                _ = sleep_until(at) => due,
            };
            if whole_read { what } else { Read::All }
        };
        let arc = ArcRead {
            root: kstat.as_deref(),
            exact: exact_arc.load(Ordering::Relaxed),
        };
        let result = read(&mut reader, &mut io, &mut snap, &mut misses, what, arc).await;
        beats.done(what, Instant::now());
        match result {
            Err(e) => {
                attempt += 1;
                stale(&tx, &e, attempt);
                continue;
            }
            Ok(()) => {
                attempt = 0;
                whole_read |= misses.whole(what);
            }
        }
        let now = started.elapsed().as_secs_f64();
        follow_scans(&snap.pools, &mut etas, now);
        snap.etas = etas
            .iter()
            .filter_map(|(k, e)| e.eta_secs().map(|s| (k.clone(), s)))
            .collect();
        let news = published.as_ref() != Some(&without_time(&snap));
        let was_live = tx.borrow().status.is_live();
        if news || !was_live {
            snap.taken_at = Some(Timestamp::now());
            published = Some(without_time(&snap));
            tx.send_replace(ZfsFeed {
                snapshot: Some(Arc::new(snap.clone())),
                status: SourceStatus::Live,
            });
        }
    }
}

/// How to read the ARC: from which kstat directory (none: not this machine), and
/// exactly (its view is open) or only when it would look different.
#[derive(Clone, Copy)]
struct ArcRead<'a> {
    root: Option<&'a std::path::Path>,
    exact: bool,
}

/// Read `what` into `snap`. A pools failure is the source's; a datasets or snapshots
/// failure keeps the pools live and says so.
async fn read(
    r: &mut ZfsReader,
    io: &mut IoReader,
    snap: &mut ZfsSnapshot,
    misses: &mut Misses,
    what: Read,
    arc: ArcRead<'_>,
) -> Result<(), String> {
    if matches!(what, Read::Pools | Read::All) {
        snap.pools = r.pools().await?;
        if let Some(root) = arc.root {
            let fresh = kstat::read_arc(root);
            // Kept as it was while it would look the same: not news.
            let same = matches!((&fresh, &snap.arc), (Some(f), Some(o)) if kstat::arc_looks_the_same(f, o));
            if arc.exact || !same {
                snap.arc = fresh;
            }
        }
        // I/O rates are a nicety: a host that cannot give them keeps its pools live.
        let names: Vec<&str> = snap.pools.iter().map(|p| p.name.as_str()).collect();
        if let Ok(rates) = io.rates(r, &names).await {
            add_rates(&mut snap.io, &snap.pools, rates);
        }
    }
    // A list that fails keeps what was last read of it, said stale.
    if matches!(what, Read::Datasets | Read::All) {
        let got = r.datasets().await;
        misses.record(Kind::Datasets, &got);
        if let Ok(d) = got {
            snap.datasets = d;
        }
    }
    if matches!(what, Read::Snapshots | Read::All) {
        let got = r.snapshots().await;
        misses.record(Kind::Snapshots, &got);
        if let Ok(s) = got {
            snap.snapshots = s;
        }
    }
    snap.partial = misses.reason();
    Ok(())
}

/// Each pool's new rate onto its history. A pool's history goes with the pool, not with
/// one poll that gave it no rate (its counters went back, a dataset was unmounted); a
/// rate equal to the last is not news.
fn add_rates(io: &mut HashMap<String, Vec<(u64, u64)>>, pools: &[Pool], rates: super::io::Rates) {
    io.retain(|name, _| pools.iter().any(|p| p.name.as_str() == name));
    for (name, rate) in rates {
        let h = io.entry(name).or_default();
        if h.last() != Some(&rate) {
            h.push(rate);
            if h.len() > IO_KEPT {
                h.remove(0);
            }
        }
    }
}

/// Feed each scanning pool's progress to its rolling ETA; forget the ones that stopped.
fn follow_scans(pools: &[Pool], etas: &mut HashMap<String, RollingEta>, now: f64) {
    etas.retain(|name, _| {
        pools.iter().any(|p| {
            p.name.as_str() == name
                && p.scan
                    .as_ref()
                    .is_some_and(|s| s.state == ScanState::InProgress)
        })
    });
    for p in pools {
        let Some(s) = p.scan.as_ref().filter(|s| s.state == ScanState::InProgress) else {
            continue;
        };
        // Text gives sizes humanized (`1.12T`, steps of 10 GiB) but the percent to 0.01 %:
        // the percent of the total is the finer measure of progress; JSON's exact bytes
        // give the same number.
        let Some(total) = s.total else { continue };
        let done = match s.percent {
            Some(pct) => (pct / 100.0 * total as f64) as u64,
            None => match s.issued.or(s.scanned) {
                Some(d) => d,
                None => continue,
            },
        };
        etas.entry(p.name.to_string())
            .or_default()
            .push(now, done, total);
    }
}

/// The snapshot without its read time, for "is this news?".
fn without_time(s: &ZfsSnapshot) -> ZfsSnapshot {
    ZfsSnapshot {
        taken_at: None,
        ..s.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::zfs::model::{Scan, ScanKind};
    use crate::backend::zfs::sample::nas;

    /// The pool `vms` scrubbing, `pct` done of 1 TiB, as a text host reports it: the
    /// issued bytes humanized (`0.5T`, a coarse step), the percent to 0.01.
    fn scrubbing(pct: f64, coarse_issued: u64) -> Vec<Pool> {
        let mut pools = nas().pools;
        for p in &mut pools {
            p.scan = (p.name.as_str() == "vms").then_some(Scan {
                kind: ScanKind::Scrub,
                state: ScanState::InProgress,
                scanned: Some(coarse_issued),
                issued: Some(coarse_issued),
                total: Some(1 << 40),
                rate: None,
                percent: Some(pct),
                zfs_eta_secs: None,
                repaired: None,
                errors: None,
                duration_secs: None,
                when: None,
                at: None,
            });
        }
        pools
    }

    #[test]
    fn a_pool_keeps_its_io_history_through_a_poll_without_a_rate_and_loses_it_when_gone() {
        let pools = nas().pools;
        let mut io = HashMap::new();
        let rate = |r: u64| super::super::io::Rates::from([("tank".to_string(), (r, 0))]);
        add_rates(&mut io, &pools, rate(1));
        add_rates(&mut io, &pools, rate(1));
        add_rates(&mut io, &pools, rate(2));
        assert_eq!(io["tank"], [(1, 0), (2, 0)], "a repeat is not news");
        add_rates(&mut io, &pools, Default::default());
        assert_eq!(io["tank"].len(), 2, "kept through a poll without a rate");
        for i in 0..40 {
            add_rates(&mut io, &pools, rate(i + 10));
        }
        assert_eq!(io["tank"].len(), IO_KEPT);
        add_rates(&mut io, &[], Default::default());
        assert!(io.is_empty(), "the pool is gone");
    }

    #[test]
    fn scans_feed_their_rolling_eta_from_the_percent_and_stopped_ones_are_forgotten() {
        let mut etas = HashMap::new();
        // 1 % of 1 TiB every 10 s, while the humanized figure stays at 0.5T.
        for i in 0..6 {
            let pools = scrubbing(50.0 + i as f64, 1 << 39);
            follow_scans(&pools, &mut etas, i as f64 * 10.0);
        }
        let eta = etas["vms"].eta_secs().expect("an estimate");
        // 45 % to go at 1 % per 10 s: 450 s.
        assert!((440..=460).contains(&eta), "{eta}");
        assert_eq!(etas.len(), 1, "only the scanning pool");
        let mut ended = nas().pools;
        for p in &mut ended {
            p.scan = None;
        }
        follow_scans(&ended, &mut etas, 70.0);
        assert!(
            !etas.contains_key("vms"),
            "the scan ended: its estimate goes"
        );
    }
}
