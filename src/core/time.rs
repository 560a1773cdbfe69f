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

    /// Parse `2024-05-01T12:34:56.123456789Z` or with a `+02:00` offset (RFC 3339, by
    /// the `time` crate). Returns `None` for anything else, for impossible dates, and for
    /// Docker's zero time `0001-01-01T00:00:00Z` (and anything before 1970: "never").
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let t =
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
        let secs = t.unix_timestamp();
        (secs >= 0).then_some(Timestamp(secs))
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

/// A duration in seconds, to the minute past an hour: `45s`, `19m`, `2h05m`, `3d04h`
/// (an ETA, where `age`'s one unit would be too coarse).
pub fn dur(s: u64) -> String {
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h{:02}m", s / 3600, s / 60 % 60),
        _ => format!("{}d{:02}h", s / 86_400, s / 3600 % 24),
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

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(Timestamp::parse_rfc3339("2024-02-31T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_rfc3339("2023-02-29T00:00:00Z"), None);
        assert!(Timestamp::parse_rfc3339("2024-02-29T00:00:00Z").is_some());
    }

    proptest::proptest! {
        /// Generated well-formed stamps (every day of every month, fractions, offsets)
        /// parse to exactly the seconds computed independently from the parts.
        #[test]
        fn well_formed_stamps_parse_to_their_seconds(
            y in 1970i32..2200, mo in 1u8..=12, d in 1u8..=31, h in 0u8..24, mi in 0u8..60,
            se in 0u8..60, frac in proptest::option::of(0u32..1_000_000_000),
            off in proptest::option::of((-14i32..=14, 0i32..60)),
        ) {
            let month = time::Month::try_from(mo).unwrap();
            let valid = time::Date::from_calendar_date(y, month, d).ok();
            let f = frac.map_or(String::new(), |f| format!(".{f:09}"));
            let o = match off {
                None => "Z".to_string(),
                Some((oh, om)) => format!("{}{:02}:{om:02}", if oh < 0 { '-' } else { '+' }, oh.abs()),
            };
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{f}{o}");
            let offset = off.map_or(0, |(oh, om)| {
                let sign = if oh < 0 { -1 } else { 1 };
                sign * (oh.abs() * 3600 + om * 60)
            }) as i64;
            let got = Timestamp::parse_rfc3339(&s);
            match valid {
                None => proptest::prop_assert_eq!(got, None, "{}", s),
                Some(date) => {
                    let days = (date - time::Date::from_calendar_date(1970, time::Month::January, 1).unwrap()).whole_days();
                    let want = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(se) - offset;
                    if want >= 0 {
                        proptest::prop_assert_eq!(got, Some(Timestamp(want)), "{}", s);
                    }
                }
            }
        }
    }
}
