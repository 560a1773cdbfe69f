//! Numbers as ZFS prints them: `1.50G`, `984M`, `12K`, `0B`, `1.2T`, `-`, and counts
//! humanized the same way (`1.2K` errors).
//!
//! Hand-written on purpose: this is ZFS's own suffix form (`zfs_nicenum`: binary
//! multiples, one letter, optional `B`, at most a few digits), which no crate reads;
//! the common size crates want `KiB`/`KB` spellings and decimal multiples.

/// A humanized or exact size in bytes. `-`, `none`, empty text and garbage give `None`.
pub fn size(s: &str) -> Option<u64> {
    let s = s.trim();
    let mut body = s.strip_suffix("/s").unwrap_or(s);
    // `2GiB` and `1.5KB` (other tools) as well as ZFS's `2G` and `0B`.
    if let Some(r) = body.strip_suffix("iB") {
        body = r;
    } else if let Some(r) = body.strip_suffix('B')
        && r.ends_with(|c: char| suffix_shift(c).is_some())
    {
        body = r;
    }
    let last = body.chars().last()?;
    if let Some(shift) = suffix_shift(last) {
        scaled(&body[..body.len() - 1], shift)
    } else if last == 'B' {
        scaled(&body[..body.len() - 1], 0)
    } else {
        scaled(body, 0)
    }
}

fn suffix_shift(c: char) -> Option<u32> {
    Some(match c.to_ascii_uppercase() {
        'K' => 10,
        'M' => 20,
        'G' => 30,
        'T' => 40,
        'P' => 50,
        'E' => 60,
        _ => return None,
    })
}

fn scaled(num: &str, shift: u32) -> Option<u64> {
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if !num.contains('.') {
        let n: u64 = num.parse().ok()?;
        return n.checked_mul(1u64.checked_shl(shift)?);
    }
    let f: f64 = num.parse().ok()?;
    let v = f * (1u64 << shift) as f64;
    (v.is_finite() && v >= 0.0 && v < u64::MAX as f64).then(|| v.round() as u64)
}

/// An error count from `zpool status`: plain or humanized like a size (`1.2K`, `12M`).
pub fn count(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.ends_with(['B', 'b']) {
        return None;
    }
    size(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_zfs_suffixes_as_binary_multiples() {
        assert_eq!(size("0B"), Some(0));
        assert_eq!(size("0"), Some(0));
        assert_eq!(size("512"), Some(512));
        assert_eq!(size("12K"), Some(12 * 1024));
        assert_eq!(size("984M"), Some(984 * 1024 * 1024));
        assert_eq!(size("1.50G"), Some(1_610_612_736));
        assert_eq!(size("1.2T"), Some(1_319_413_953_331));
        assert_eq!(size("40.2M/s"), Some(42_152_755));
        assert_eq!(size("1.5KB"), Some(1536));
        assert_eq!(size("2GiB"), Some(2 << 30));
        assert_eq!(size("16E"), None, "overflow is not a size");
    }

    #[test]
    fn refuses_what_is_not_a_size() {
        for s in [
            "-", "", "none", "1.2.3G", "G", "12X", "-5", "1e9", "NaN", "inf",
        ] {
            assert_eq!(size(s), None, "{s:?}");
        }
    }

    #[test]
    fn counts_are_humanized_too() {
        assert_eq!(count("0"), Some(0));
        assert_eq!(count("17"), Some(17));
        assert_eq!(count("1.2K"), Some(1229));
        assert_eq!(count("12M"), Some(12 << 20));
        assert_eq!(count("3B"), None);
        assert_eq!(count("-"), None);
    }
}
