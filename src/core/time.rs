//! Timestamps as the engines send them (RFC 3339) and ages as people read them.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(unix_secs(SystemTime::now()))
    }

    /// Parse `2024-05-01T12:34:56.123456789Z` or with a `+02:00` offset.
    /// Returns `None` for anything else (and for Docker's zero time `0001-01-01T00:00:00Z`).
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if y < 1970
            || !(1..=12).contains(&mo)
            || !(1..=31).contains(&d)
            || h > 23
            || mi > 59
            || se > 60
        {
            return None;
        }
        let mut rest = s.get(19..)?;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            rest = &frac[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6
                && matches!(rest.as_bytes()[0], b'+' | b'-')
                && rest.as_bytes()[3] == b':' =>
            {
                let oh: i64 = rest.get(1..3)?.parse().ok()?;
                let om: i64 = rest.get(4..6)?.parse().ok()?;
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                sign * (oh * 3600 + om * 60)
            }
            _ => return None,
        };
        let days = days_from_civil(y, mo, d);
        Some(Timestamp(days * 86_400 + h * 3600 + mi * 60 + se - offset))
    }

    /// Seconds since the epoch as a Docker event reports them.
    pub fn from_unix(secs: i64) -> Self {
        Timestamp(secs)
    }
}

pub fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A compact age like `42s`, `5m`, `3h`, `2d`, `7w`; `-` when unknown.
pub fn age(then: Option<Timestamp>, now: Timestamp) -> String {
    let Some(then) = then else { return "-".into() };
    let s = (now.0 - then.0).max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        86_400..=1_209_599 => format!("{}d", s / 86_400),
        _ => format!("{}w", s / 604_800),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_timestamps() {
        assert_eq!(
            Timestamp::parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(Timestamp(0))
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2024-05-01T12:34:56.123456789Z"),
            Some(Timestamp(1_714_566_896))
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2024-05-01T14:34:56+02:00"),
            Some(Timestamp(1_714_566_896))
        );
    }

    #[test]
    fn rejects_zero_time_and_garbage() {
        assert_eq!(Timestamp::parse_rfc3339("0001-01-01T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_rfc3339(""), None);
        assert_eq!(Timestamp::parse_rfc3339("2024-13-01T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_rfc3339("2024-05-01T00:00:00Zjunk"), None);
        assert_eq!(Timestamp::parse_rfc3339("2024-05-01Té0:00:00Z"), None);
    }

    #[test]
    fn ages_read_like_a_person_would() {
        let now = Timestamp(1_000_000);
        assert_eq!(age(Some(Timestamp(1_000_000 - 5)), now), "5s");
        assert_eq!(age(Some(Timestamp(1_000_000 - 300)), now), "5m");
        assert_eq!(age(Some(Timestamp(1_000_000 - 7200)), now), "2h");
        assert_eq!(age(Some(Timestamp(1_000_000 - 3 * 86_400)), now), "3d");
        assert_eq!(age(Some(Timestamp(0)), Timestamp(30 * 86_400)), "4w");
        assert_eq!(age(None, now), "-");
        assert_eq!(age(Some(Timestamp(2_000_000)), now), "0s");
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in ".{0,40}") {
            let _ = Timestamp::parse_rfc3339(&s);
        }
    }
}
