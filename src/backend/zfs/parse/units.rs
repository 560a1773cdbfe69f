//! Durations, percents and ratios in the shapes `zpool` and `zfs` print them.

/// `00:19:58`, `0 days 00:00:38`, `1 days 02:03:04`, `0h1m`, `12h30m`, `1h2m3s`.
pub fn duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let (days, clock) = match s.split_once(" days ").or_else(|| s.split_once(" day ")) {
        Some((d, rest)) => (d.trim().parse::<u64>().ok()?, rest.trim()),
        None => (0, s),
    };
    let secs = if clock.contains(':') {
        let parts: Vec<u64> = clock
            .split(':')
            .map(|p| p.parse::<u64>().ok())
            .collect::<Option<_>>()?;
        match parts[..] {
            [h, m, sec] => h
                .checked_mul(3600)?
                .checked_add(m.checked_mul(60)?)?
                .checked_add(sec)?,
            [m, sec] => m.checked_mul(60)?.checked_add(sec)?,
            _ => return None,
        }
    } else {
        hms_letters(clock)?
    };
    days.checked_mul(86_400)?.checked_add(secs)
}

/// `0h1m`, `3h`, `1h2m3s`.
fn hms_letters(s: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c {
            'd' => 86_400,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        let n: u64 = num.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        num.clear();
        any = true;
    }
    (any && num.is_empty()).then_some(total)
}

/// `27.90%` or `27.90` → 27.9.
pub fn percent(s: &str) -> Option<f64> {
    let s = s.trim();
    let v: f64 = s.strip_suffix('%').unwrap_or(s).trim().parse().ok()?;
    (v.is_finite() && (0.0..=1000.0).contains(&v)).then_some(v)
}

/// A whole percent for `frag`/`cap` (`12%`, `12`, `-`) clamped into a `u8`.
pub fn percent_u8(s: &str) -> Option<u8> {
    percent(s).map(|v| v.round().min(255.0) as u8)
}

/// `1.00x`, `1.00` → 1.0.
pub fn ratio(s: &str) -> Option<f64> {
    let s = s.trim();
    let v: f64 = s.strip_suffix(['x', 'X']).unwrap_or(s).parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_of_every_generation() {
        assert_eq!(duration("00:00:01"), Some(1));
        assert_eq!(duration("00:19:58"), Some(1198));
        assert_eq!(duration("0 days 00:00:38"), Some(38));
        assert_eq!(duration("0 days 03:04:05"), Some(11_045));
        assert_eq!(duration("2 days 01:00:00"), Some(2 * 86_400 + 3600));
        assert_eq!(duration("0h1m"), Some(60));
        assert_eq!(duration("12h30m"), Some(45_000));
        assert_eq!(duration("1h2m3s"), Some(3723));
        for bad in [
            "",
            "h",
            "1x",
            "1:2:3:4",
            "a:b",
            "12",
            "days 1",
            "0:18446744073709551615:0",
            "18446744073709551615 days 00:00:00",
        ] {
            assert_eq!(duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn percents_and_ratios() {
        assert_eq!(percent("27.90%"), Some(27.9));
        assert_eq!(percent_u8("12%"), Some(12));
        assert_eq!(percent_u8("7"), Some(7));
        assert_eq!(percent_u8("-"), None);
        assert_eq!(ratio("1.00x"), Some(1.0));
        assert_eq!(ratio("2.50"), Some(2.5));
        assert_eq!(ratio("-"), None);
    }
}
