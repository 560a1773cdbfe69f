//! The kernel's ZFS statistics on Linux (`/proc/spl/kstat/zfs/`), read as files: no
//! command runs for them. Only on the host labdeck runs on; zfs-fuse has none.

use super::model::ArcStats;
use std::collections::HashMap;
use std::path::Path;

/// Where the kernel's ZFS statistics are, unless the host says otherwise
/// (`kstat_root`).
pub const ROOT: &str = "/proc/spl/kstat/zfs";

/// A pool's bytes read and written since it was imported: counters, not rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoCounters {
    pub read: u64,
    pub written: u64,
}

/// `arcstats`: a kstat header line, a `name type data` line, then one `name type value`
/// per line. Unknown or broken lines are skipped; `None` when no figure was read.
pub fn parse_arcstats(text: &str) -> Option<ArcStats> {
    let values: HashMap<&str, u64> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (name, _kind, value) = (f.next()?, f.next()?, f.next()?);
            Some((name, value.parse().ok()?))
        })
        .collect();
    let get = |k: &str| values.get(k).copied().unwrap_or(0);
    if !values.contains_key("size") && !values.contains_key("hits") {
        return None;
    }
    Some(ArcStats {
        size: get("size"),
        target: get("c"),
        min: get("c_min"),
        max: get("c_max"),
        hits: get("hits"),
        misses: get("misses"),
        mru: get("mru_size"),
        mfu: get("mfu_size"),
        l2_size: get("l2_size"),
        l2_hits: get("l2_hits"),
        l2_misses: get("l2_misses"),
    })
}

/// This host's ARC, from the kstat directory `root`, if it has one.
pub fn read_arc(root: &Path) -> Option<ArcStats> {
    parse_arcstats(&std::fs::read_to_string(root.join("arcstats")).ok()?)
}

/// Would the pools and header show these two ARCs alike? Sizes as shown (`24.0 GiB`),
/// hit ratios to a tenth of a percent. The kernel's counters move on every read of a
/// busy or idle host; what is shown mostly does not, and an idle pane stays quiet.
pub fn arc_looks_the_same(a: &ArcStats, b: &ArcStats) -> bool {
    use crate::core::stats::bytes;
    let sizes = |x: &ArcStats| [x.size, x.target, x.min, x.max, x.mru, x.mfu, x.l2_size].map(bytes);
    let tenths = |h: u64, m: u64| (h * 1000).checked_div(h + m);
    sizes(a) == sizes(b)
        && tenths(a.hits, a.misses) == tenths(b.hits, b.misses)
        && tenths(a.l2_hits, a.l2_misses) == tenths(b.l2_hits, b.l2_misses)
}

/// `<pool>/io` (OpenZFS 0.7 to 2.0): a kstat header, a line of column names
/// (`nread nwritten reads writes ...`), and one line of values under them.
pub fn parse_pool_io(text: &str) -> Option<IoCounters> {
    let mut lines = text.lines().skip_while(|l| !l.contains("nread"));
    let names: Vec<&str> = lines.next()?.split_whitespace().collect();
    let values: Vec<u64> = lines
        .next()?
        .split_whitespace()
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    let at = |k: &str| Some(*values.get(names.iter().position(|n| *n == k)?)?);
    Some(IoCounters {
        read: at("nread")?,
        written: at("nwritten")?,
    })
}

/// `<pool>/objset-0x…` (OpenZFS 2.x, one per mounted dataset): `name type data` lines
/// with `nread` and `nwritten` among them. Datasets' bytes, so a pool's sum is what its
/// datasets read and wrote (not counting parity, scrubs or resilvers).
pub fn parse_objset(text: &str) -> Option<IoCounters> {
    let mut read = None;
    let mut written = None;
    for l in text.lines() {
        let mut f = l.split_whitespace();
        let (Some(name), Some(_kind), Some(value)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        match name {
            "nread" => read = value.parse().ok(),
            "nwritten" => written = value.parse().ok(),
            _ => {}
        }
    }
    Some(IoCounters {
        read: read?,
        written: written?,
    })
}

/// A pool's I/O counters from `root` (normally [`ROOT`]): its `io` file where the kernel
/// has one, else the sum of its datasets' `objset-*` files. `None` when the pool has
/// neither (not this host's pool, or ZFS without kstats, like zfs-fuse).
pub fn read_pool_io(root: &Path, pool: &str) -> Option<IoCounters> {
    // A pool name never holds a slash, but it comes from a command's output: keep the
    // read inside the pool's own directory.
    if pool.is_empty() || pool.contains('/') || pool.starts_with('.') {
        return None;
    }
    let dir = root.join(pool);
    if let Some(io) = std::fs::read_to_string(dir.join("io"))
        .ok()
        .and_then(|t| parse_pool_io(&t))
    {
        return Some(io);
    }
    let mut sum: Option<IoCounters> = None;
    for entry in std::fs::read_dir(&dir).ok()?.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("objset-") {
            continue;
        }
        let Some(c) = std::fs::read_to_string(entry.path())
            .ok()
            .and_then(|t| parse_objset(&t))
        else {
            continue;
        };
        let s = sum.get_or_insert(IoCounters {
            read: 0,
            written: 0,
        });
        s.read = s.read.saturating_add(c.read);
        s.written = s.written.saturating_add(c.written);
    }
    sum
}

/// Bytes per second between two readings `secs` apart; `None` when a counter went back
/// (the pool was exported and imported again) or no time passed.
pub fn rates(before: IoCounters, now: IoCounters, secs: f64) -> Option<(u64, u64)> {
    if secs <= 0.0 || now.read < before.read || now.written < before.written {
        return None;
    }
    let per_sec = |d: u64| (d as f64 / secs).round() as u64;
    Some((
        per_sec(now.read - before.read),
        per_sec(now.written - before.written),
    ))
}

impl ArcStats {
    /// Hits of all reads, in percent; `None` before any read.
    pub fn hit_ratio(&self) -> Option<f64> {
        let all = self.hits + self.misses;
        (all > 0).then(|| self.hits as f64 * 100.0 / all as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of arcstats on OpenZFS 2.2 (Debian trixie), values made up.
    const ARC: &str = "13 1 0x01 147 39984 5183451012 943117201386\n\
name                            type data\n\
hits                            4    9000\n\
misses                          4    1000\n\
mru_size                        4    1073741824\n\
mfu_size                        4    2147483648\n\
size                            4    4294967296\n\
c                               4    6442450944\n\
c_min                           4    1073741824\n\
c_max                           4    8589934592\n\
l2_hits                         4    10\n\
l2_misses                       4    90\n\
l2_size                         4    0\n";

    #[test]
    fn an_arc_that_moves_less_than_is_shown_looks_the_same() {
        let a = parse_arcstats(ARC).unwrap();
        let mut b = a;
        b.hits += 3;
        b.size += 4096;
        assert!(
            arc_looks_the_same(&a, &b),
            "counters moved, nothing shown changed"
        );
        b.size += 300 << 20;
        assert!(!arc_looks_the_same(&a, &b), "300 MiB more is shown");
        let mut c = a;
        c.misses += c.hits;
        assert!(!arc_looks_the_same(&a, &c), "the hit ratio halved");
        let empty = ArcStats {
            hits: 0,
            misses: 0,
            ..a
        };
        assert!(arc_looks_the_same(&empty, &empty), "no reads: no ratio");
    }

    #[test]
    fn arcstats_read_as_their_figures() {
        let a = parse_arcstats(ARC).unwrap();
        assert_eq!(a.size, 4 << 30);
        assert_eq!((a.target, a.min, a.max), (6 << 30, 1 << 30, 8 << 30));
        assert_eq!((a.mru, a.mfu), (1 << 30, 2 << 30));
        assert_eq!(a.hit_ratio(), Some(90.0));
        assert_eq!((a.l2_hits, a.l2_misses, a.l2_size), (10, 90, 0));
    }

    /// `<pool>/io` as OpenZFS 0.8 prints it (KSTAT_TYPE_IO), values made up.
    const POOL_IO: &str = "22 3 0x00 1 80 6047866545 118632487498914\n\
nread    nwritten reads    writes   wtime    wlentime wupdate  rtime    rlentime rupdate  wcnt     rcnt\n\
1048576  2097152  10       20       1        2        3        4        5        6        0        0\n";

    /// One dataset's `objset-0x36` as OpenZFS 2.1 prints it (KSTAT_TYPE_NAMED).
    fn objset(name: &str, read: u64, written: u64) -> String {
        format!(
            "49 1 0x01 7 2160 6165792836 1758210812014\n\
name                            type data\n\
dataset_name                    7    {name}\n\
writes                          4    3\n\
nwritten                        4    {written}\n\
reads                           4    2\n\
nread                           4    {read}\n\
nunlinks                        4    0\n\
nunlinked                       4    0\n"
        )
    }

    #[test]
    fn pool_io_and_objsets_read_as_counters() {
        assert_eq!(
            parse_pool_io(POOL_IO),
            Some(IoCounters {
                read: 1 << 20,
                written: 2 << 20
            })
        );
        assert_eq!(
            parse_objset(&objset("tank/apps", 7, 9)),
            Some(IoCounters {
                read: 7,
                written: 9
            })
        );
        assert_eq!(parse_pool_io("nread nwritten\nx y\n"), None);
        assert_eq!(parse_objset("name type data\nreads 4 1\n"), None);
        proptest::proptest!(|(s in ".*")| {
            let _ = parse_pool_io(&s);
            let _ = parse_objset(&s);
        });
    }

    #[test]
    fn a_pool_sums_its_datasets_unless_it_has_an_io_file() {
        let root = tempfile::tempdir().unwrap();
        let tank = root.path().join("tank");
        std::fs::create_dir(&tank).unwrap();
        std::fs::write(tank.join("objset-0x36"), objset("tank", 100, 1000)).unwrap();
        std::fs::write(tank.join("objset-0x90"), objset("tank/apps", 5, 50)).unwrap();
        std::fs::write(tank.join("state"), "ONLINE\n").unwrap();
        std::fs::write(tank.join("objset-0x91"), "broken").unwrap();
        assert_eq!(
            read_pool_io(root.path(), "tank"),
            Some(IoCounters {
                read: 105,
                written: 1050
            })
        );
        std::fs::write(tank.join("io"), POOL_IO).unwrap();
        assert_eq!(read_pool_io(root.path(), "tank").unwrap().read, 1 << 20);
        assert_eq!(read_pool_io(root.path(), "ghost"), None);
        assert_eq!(read_pool_io(root.path(), "../tank"), None);
        assert_eq!(read_pool_io(root.path(), ".."), None);
    }

    #[test]
    fn rates_are_the_counters_change_per_second() {
        let c = |read, written| IoCounters { read, written };
        assert_eq!(rates(c(0, 0), c(5000, 10_000), 5.0), Some((1000, 2000)));
        assert_eq!(rates(c(10, 10), c(10, 10), 5.0), Some((0, 0)));
        // Exported and imported again: the counters start over; no made-up rate.
        assert_eq!(rates(c(5000, 5000), c(10, 6000), 5.0), None);
        assert_eq!(rates(c(0, 0), c(1, 1), 0.0), None);
    }

    #[test]
    fn anything_else_is_none_and_never_a_panic() {
        assert_eq!(parse_arcstats(""), None);
        assert_eq!(
            parse_arcstats("garbage\n\u{0}\u{1b}[2J\nsize 4 notanumber"),
            None
        );
        proptest::proptest!(|(s in ".*")| { let _ = parse_arcstats(&s); });
    }
}
