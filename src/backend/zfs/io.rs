//! Each pool's read and write rates. On the host labdeck runs on they come from the
//! kernel's counters (`/proc/spl/kstat/zfs/<pool>/`), read as files between two polls:
//! no command runs and nothing waits. A pool without counters there (another host, or
//! zfs-fuse) is measured by `zpool iostat` over a second instead.

use super::kstat::{self, IoCounters};
use super::reader::ZfsReader;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// A pool's (read, write) bytes per second.
pub type Rates = HashMap<String, (u64, u64)>;

pub struct IoReader {
    /// The kstat directory, on the local host only.
    kstat: Option<PathBuf>,
    last: HashMap<String, (Instant, IoCounters)>,
}

impl IoReader {
    pub fn with_kstat(kstat: Option<PathBuf>) -> IoReader {
        IoReader {
            kstat,
            last: HashMap::new(),
        }
    }

    /// The rates of `pools`, from the counters where the kernel has them, else from
    /// `zpool iostat`. A pool read from counters the first time has no rate yet.
    pub async fn rates(&mut self, reader: &mut ZfsReader, pools: &[&str]) -> Result<Rates, String> {
        let (mut rates, missing) = self.from_counters(pools, Instant::now());
        if missing {
            for (name, rd, wr) in reader.io().await? {
                rates.entry(name.to_string()).or_insert((rd, wr));
            }
        }
        Ok(rates)
    }

    /// Rates since the last reading of each pool's counters, and whether some pool had
    /// none (so another way is needed).
    pub fn from_counters(&mut self, pools: &[&str], now: Instant) -> (Rates, bool) {
        let mut rates = Rates::new();
        let Some(root) = &self.kstat else {
            return (rates, !pools.is_empty());
        };
        let mut missing = false;
        self.last.retain(|name, _| pools.contains(&name.as_str()));
        for &pool in pools {
            let Some(c) = kstat::read_pool_io(root, pool) else {
                missing = true;
                continue;
            };
            if let Some((at, before)) = self.last.insert(pool.to_string(), (now, c))
                && let Some(r) = kstat::rates(before, c, (now - at).as_secs_f64())
            {
                rates.insert(pool.to_string(), r);
            }
        }
        (rates, missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn objset(read: u64, written: u64) -> String {
        format!("1 1 0x01\nname type data\nnread 4 {read}\nnwritten 4 {written}\n")
    }

    #[test]
    fn counters_between_two_polls_give_the_rate_and_a_pool_without_asks_for_iostat() {
        let root = tempfile::tempdir().unwrap();
        let tank = root.path().join("tank");
        std::fs::create_dir(&tank).unwrap();
        std::fs::write(tank.join("objset-0x1"), objset(0, 0)).unwrap();
        let mut io = IoReader::with_kstat(Some(root.path().to_path_buf()));
        let t0 = Instant::now();
        // The first reading is only a starting point.
        assert_eq!(io.from_counters(&["tank"], t0), (Rates::new(), false));
        std::fs::write(tank.join("objset-0x1"), objset(10_000, 50_000)).unwrap();
        let (r, missing) = io.from_counters(&["tank"], t0 + Duration::from_secs(5));
        assert_eq!(r.get("tank"), Some(&(2000, 10_000)));
        assert!(!missing);
        // A pool the kernel does not count (another host's, or zfs-fuse's).
        let (r, missing) = io.from_counters(&["tank", "fuse"], t0 + Duration::from_secs(10));
        assert_eq!(r.get("tank"), Some(&(0, 0)));
        assert!(missing);
    }

    #[test]
    fn a_remote_host_always_asks_for_iostat() {
        let mut io = IoReader::with_kstat(None);
        assert!(io.from_counters(&["tank"], Instant::now()).1);
        assert!(!io.from_counters(&[], Instant::now()).1);
    }
}
