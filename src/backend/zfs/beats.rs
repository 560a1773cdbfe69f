//! When to read what: pools, datasets and snapshots each on their own beat, earliest
//! due first. Reads can take longer than a beat (a slow host, `zpool iostat` over a
//! second); a random pick among ready beats could then skip one for many rounds, so the
//! most overdue read always goes next, and a kind read just now waits its whole beat.

use tokio::time::{Duration, Instant};

/// What one round reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Pools,
    Datasets,
    Snapshots,
    All,
}

const KINDS: [Read; 3] = [Read::Pools, Read::Datasets, Read::Snapshots];

#[derive(Debug, Clone)]
pub struct Beats {
    every: [Duration; 3],
    due: [Instant; 3],
}

impl Beats {
    /// Beats of pools, datasets and snapshots, each first due one beat after `now`.
    pub fn new(every: [Duration; 3], now: Instant) -> Beats {
        Beats {
            every,
            due: every.map(|e| now + e),
        }
    }

    /// The read due first and when; on a tie, the order of `KINDS` (pools first).
    pub fn next(&self) -> (Read, Instant) {
        let i = (0..3).min_by_key(|&i| (self.due[i], i)).unwrap_or(0);
        (KINDS[i], self.due[i])
    }

    /// `what` was read, ending at `now`: its beat starts again from then.
    pub fn done(&mut self, what: Read, now: Instant) {
        for (i, kind) in KINDS.iter().enumerate() {
            if what == Read::All || what == *kind {
                self.due[i] = now + self.every[i];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rounds where every read takes `read` and nothing else happens; when each kind
    /// was read.
    fn run(every: [u64; 3], read: f64, rounds: usize) -> [Vec<f64>; 3] {
        let t0 = Instant::now();
        let secs = |t: Instant| (t - t0).as_secs_f64();
        let mut beats = Beats::new(every.map(Duration::from_secs), t0);
        let mut now = t0;
        let mut seen: [Vec<f64>; 3] = Default::default();
        for _ in 0..rounds {
            let (kind, at) = beats.next();
            now = now.max(at) + Duration::from_secs_f64(read);
            seen[KINDS.iter().position(|k| *k == kind).unwrap()].push(secs(now));
            beats.done(kind, now);
        }
        seen
    }

    fn longest_gap(times: &[f64]) -> f64 {
        times
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(times[0], f64::max)
    }

    #[test]
    fn reads_slower_than_every_beat_take_turns() {
        // 1 s beats, 2.5 s reads: every beat is always overdue.
        let seen = run([1, 1, 1], 2.5, 300);
        for (kind, times) in KINDS.iter().zip(&seen) {
            assert!(times.len() >= 99, "{kind:?} read {} times", times.len());
            let gap = longest_gap(times);
            assert!(gap <= 3.0 * 2.5 + 1.0, "{kind:?} waited {gap} s");
        }
    }

    #[test]
    fn a_slow_beat_still_comes_when_reads_are_slow() {
        // The lab's shape under load: pools every 5 s, snapshots every 60 s, reads 6 s.
        let seen = run([5, 30, 60], 6.0, 200);
        let gap = longest_gap(&seen[2]);
        assert!(gap <= 60.0 + 2.0 * 6.0, "snapshots waited {gap} s");
        assert!(seen[1].len() > 10 && seen[2].len() > 5);
    }

    #[test]
    fn a_whole_read_restarts_every_beat() {
        let t0 = Instant::now();
        let mut b = Beats::new([5, 30, 60].map(Duration::from_secs), t0);
        assert_eq!(b.next(), (Read::Pools, t0 + Duration::from_secs(5)));
        let later = t0 + Duration::from_secs(100);
        b.done(Read::All, later);
        assert_eq!(b.next(), (Read::Pools, later + Duration::from_secs(5)));
        b.done(Read::Pools, later + Duration::from_secs(5));
        b.done(Read::Pools, later + Duration::from_secs(10));
        b.done(Read::Pools, later + Duration::from_secs(30));
        assert_eq!(b.next(), (Read::Datasets, later + Duration::from_secs(30)));
    }
}
