//! The kernel's ZFS statistics on Linux (`/proc/spl/kstat/zfs/`), read as files: no
//! command runs for them. Only on the host labdeck runs on; zfs-fuse has none.

use super::model::ArcStats;
use std::collections::HashMap;

/// Where the ARC's figures are.
pub const ARCSTATS: &str = "/proc/spl/kstat/zfs/arcstats";

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

/// This host's ARC, if it has one.
pub fn read_arc() -> Option<ArcStats> {
    parse_arcstats(&std::fs::read_to_string(ARCSTATS).ok()?)
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
    fn arcstats_read_as_their_figures() {
        let a = parse_arcstats(ARC).unwrap();
        assert_eq!(a.size, 4 << 30);
        assert_eq!((a.target, a.min, a.max), (6 << 30, 1 << 30, 8 << 30));
        assert_eq!((a.mru, a.mfu), (1 << 30, 2 << 30));
        assert_eq!(a.hit_ratio(), Some(90.0));
        assert_eq!((a.l2_hits, a.l2_misses, a.l2_size), (10, 90, 0));
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
