//! A scrub or resilver estimate from the recent rate. ZFS's own estimate divides by the
//! average since the pass started, so after a burst (metadata, cached blocks) it stays
//! optimistic long after the rate has dropped; this one follows the last minute.

use std::collections::VecDeque;

/// At most this many samples...
const MAX_SAMPLES: usize = 10;
/// ...and none older than this many seconds before the newest.
const MAX_AGE_SECS: f64 = 60.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Sample {
    at: f64,
    issued: u64,
    total: u64,
}

/// Samples of `(time, issued, total)` for one scan; see [`RollingEta::push`].
#[derive(Debug, Clone, Default)]
pub struct RollingEta {
    window: VecDeque<Sample>,
}

impl RollingEta {
    pub fn new() -> Self {
        Self::default()
    }

    /// A reading at `at_secs` (any monotonic clock in seconds). A reading with less
    /// issued than the last one, or from before it, means a new scan: start over.
    pub fn push(&mut self, at_secs: f64, issued: u64, total: u64) {
        if !at_secs.is_finite() {
            return;
        }
        if let Some(last) = self.window.back()
            && (issued < last.issued || at_secs < last.at)
        {
            self.window.clear();
        }
        self.window.push_back(Sample {
            at: at_secs,
            issued,
            total,
        });
        while self.window.len() > MAX_SAMPLES
            || self
                .window
                .front()
                .is_some_and(|f| at_secs - f.at > MAX_AGE_SECS)
        {
            self.window.pop_front();
        }
    }

    /// Bytes per second over the window; `None` until two readings apart in time.
    pub fn rate(&self) -> Option<f64> {
        let (first, last) = (self.window.front()?, self.window.back()?);
        let dt = last.at - first.at;
        // Readings closer than a millisecond say nothing about a rate (and would make
        // one infinite).
        (dt.is_finite() && dt >= 1e-3)
            .then(|| (last.issued - first.issued) as f64 / dt)
            .filter(|r| r.is_finite())
    }

    /// Seconds left at the window's rate; 0 when done; `None` when stalled or unknown.
    pub fn eta_secs(&self) -> Option<u64> {
        let last = self.window.back()?;
        if last.issued >= last.total {
            return Some(0);
        }
        let rate = self.rate().filter(|r| *r > 0.0)?;
        let secs = (last.total - last.issued) as f64 / rate;
        (secs < u64::MAX as f64).then(|| secs.ceil() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1 << 20;

    #[test]
    fn needs_two_readings() {
        let mut e = RollingEta::new();
        assert_eq!((e.rate(), e.eta_secs()), (None, None));
        e.push(0.0, 0, 100 * MB);
        assert_eq!(e.eta_secs(), None);
        e.push(10.0, 10 * MB, 100 * MB);
        assert_eq!(e.rate(), Some(MB as f64));
        assert_eq!(e.eta_secs(), Some(90));
        e.push(20.0, 100 * MB, 100 * MB);
        assert_eq!(e.eta_secs(), Some(0));
    }

    #[test]
    fn readings_a_hair_apart_give_no_rate() {
        let mut e = RollingEta::new();
        e.push(-1e-308, 0, 0);
        e.push(0.0, 1, 1);
        assert_eq!(e.rate(), None);
        e.push(1e-4, 5, 100);
        assert_eq!((e.rate(), e.eta_secs()), (None, None));
    }

    #[test]
    fn a_stall_has_no_estimate() {
        let mut e = RollingEta::new();
        e.push(0.0, 5 * MB, 100 * MB);
        e.push(5.0, 5 * MB, 100 * MB);
        assert_eq!(e.rate(), Some(0.0));
        assert_eq!(e.eta_secs(), None);
    }

    #[test]
    fn a_restarted_scan_starts_over() {
        let mut e = RollingEta::new();
        e.push(0.0, 0, 100 * MB);
        e.push(10.0, 50 * MB, 100 * MB);
        e.push(11.0, MB, 100 * MB);
        assert_eq!(e.rate(), None, "only the new scan's one reading is left");
        e.push(12.0, 3 * MB, 100 * MB);
        assert_eq!(e.rate(), Some(2.0 * MB as f64));
        e.push(5.0, 4 * MB, 100 * MB);
        assert_eq!(e.rate(), None, "time going back starts over too");
    }

    #[test]
    fn the_window_is_bounded() {
        let mut e = RollingEta::new();
        for i in 0..100u64 {
            e.push(i as f64, i * MB, 1000 * MB);
        }
        assert_eq!(e.window.len(), MAX_SAMPLES);
        let mut e = RollingEta::new();
        for i in 0..10u64 {
            e.push(i as f64 * 30.0, i * MB, 1000 * MB);
        }
        assert!(
            e.window.len() <= 3,
            "older than 60 s dropped: {}",
            e.window.len()
        );
    }

    /// A recorded resilver: 200 MB/s for two minutes (metadata and small blocks), then
    /// 20 MB/s. ZFS's since-start average stays optimistic; the window follows.
    #[test]
    fn follows_a_change_of_rate_that_the_average_hides() {
        let total = 60_000 * MB;
        let mut e = RollingEta::new();
        let mut issued = 0u64;
        let mut t = 0u64;
        while t < 300 {
            e.push(t as f64, issued, total);
            issued += if t < 120 { 200 * MB } else { 20 * MB } * 10;
            t += 10;
        }
        e.push(t as f64, issued, total);
        let recent = e.rate().unwrap();
        assert!((recent - (20 * MB) as f64).abs() < 1.0, "{recent}");
        let left = total - issued;
        let zfs_avg = issued / t; // what zpool divides by
        let zfs_eta = left / zfs_avg;
        let eta = e.eta_secs().unwrap();
        assert_eq!(eta, left.div_ceil(20 * MB));
        assert!(eta > zfs_eta * 3, "rolling {eta} s vs zfs {zfs_eta} s");
    }
}
