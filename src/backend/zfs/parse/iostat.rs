//! `zpool iostat`: each pool's read and write bandwidth now. Two forms:
//! `zpool iostat -Hp -y 1 1` (OpenZFS: tab-separated exact numbers, one 1-second
//! sample) and `zpool iostat 1 2` (old ZFS, zfs-fuse: a table with human sizes; the
//! first block is since import, the last is the 1-second sample).

use super::sizes::size;
use crate::core::text::SafeText;

/// Per pool: (name, bytes read per second, bytes written per second), from the last
/// sample of each pool in `out`.
pub fn iostat_text(out: &str) -> Vec<(SafeText, u64, u64)> {
    let mut found: Vec<(SafeText, u64, u64)> = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = if line.contains('\t') {
            line.split('\t').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        // name alloc free read-ops write-ops read-bytes write-bytes
        let [name, _alloc, _free, _rops, _wops, rb, wb] = f[..] else {
            continue;
        };
        if name == "pool" || name.starts_with('-') {
            continue;
        }
        let (Some(r), Some(w)) = (size(rb), size(wb)) else {
            continue;
        };
        let name = SafeText::new(name);
        match found.iter_mut().find(|(n, _, _)| *n == name) {
            Some(e) => (e.1, e.2) = (r, w),
            None => found.push((name, r, w)),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_sample_of_each_pool_in_either_form() {
        // zfs-fuse, `zpool iostat 1 2` (recorded on the lab).
        let old = "               capacity     operations    bandwidth\n\
pool        alloc   free   read  write   read  write\n\
----------  -----  -----  -----  -----  -----  -----\n\
labtank     3.55M   366M      0      5  23.9K  43.7K\n\
labtank     3.55M   366M      0      2      0  1.50M\n";
        let v = iostat_text(old);
        assert_eq!(v, [(SafeText::new("labtank"), 0, 3 << 19)]);
        // OpenZFS, `zpool iostat -Hp -y 1 1`: exact numbers, tab-separated.
        let new = "tank\t1000\t2000\t3\t4\t524288\t1048576\nai\t1\t2\t0\t0\t0\t0\n";
        assert_eq!(
            iostat_text(new),
            [
                (SafeText::new("tank"), 524_288, 1_048_576),
                (SafeText::new("ai"), 0, 0)
            ]
        );
        assert!(iostat_text("garbage\n\u{1b}[2J\ta\tb").is_empty());
    }
}
