//! A container's status as the engine words it (`Up 3 minutes (healthy)`, `Exited (3)
//! 2 hours ago`), split around its duration so the screen can keep counting: the list
//! API says how long *when asked* and has no start time, so a status kept as text would
//! say "Up 1 second" for ever.
//!
//! The engine words durations with go-units' `HumanDuration`; this reads its phrases
//! back. Written here because no crate parses that wording; it is a handful of phrases.

use crate::core::time::Timestamp;

/// A status split around its duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The words before the duration (`Up `, `Exited (3) `).
    pub before: String,
    /// When the duration counts from, at `now`.
    pub since: Timestamp,
    /// The words after it (` (healthy)`, ` ago`).
    pub after: String,
}

/// `status` read at `now`; `None` when it holds no duration (`Created`, `Dead`).
pub fn split(status: &str, now: Timestamp) -> Option<Split> {
    // The duration follows `Up ` or a `(code) ` of `Exited` / `Restarting`.
    let start = if let Some(rest) = status.strip_prefix("Up ") {
        status.len() - rest.len()
    } else {
        status.find(") ").map(|i| i + 2)?
    };
    let (secs, len) = duration(&status[start..])?;
    Some(Split {
        before: status[..start].to_string(),
        since: Timestamp(now.0.saturating_sub(secs)),
        after: status[start + len..].to_string(),
    })
}

/// The duration phrase at the start of `s`: its seconds and its length in bytes.
fn duration(s: &str) -> Option<(i64, usize)> {
    const FIXED: [(&str, i64); 3] = [
        ("Less than a second", 0),
        ("About a minute", 60),
        ("About an hour", 3600),
    ];
    for (phrase, secs) in FIXED {
        if s.starts_with(phrase) {
            return Some((secs, phrase.len()));
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let n: i64 = s[..digits].parse().ok()?;
    let rest = s[digits..].strip_prefix(' ')?;
    const UNITS: [(&str, i64); 7] = [
        ("second", 1),
        ("minute", 60),
        ("hour", 3600),
        ("day", 86_400),
        ("week", 7 * 86_400),
        ("month", 30 * 86_400),
        ("year", 365 * 86_400),
    ];
    let (unit, secs) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
    let plural = usize::from(rest[unit.len()..].starts_with('s'));
    Some((n.saturating_mul(*secs), digits + 1 + unit.len() + plural))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_000_000);

    fn at(before: &str, ago: i64, after: &str) -> Option<Split> {
        Some(Split {
            before: before.into(),
            since: Timestamp(NOW.0 - ago),
            after: after.into(),
        })
    }

    #[test]
    fn the_engine_s_phrases_are_read_back() {
        assert_eq!(split("Up 11 seconds", NOW), at("Up ", 11, ""));
        assert_eq!(
            split("Up 11 seconds (health: starting)", NOW),
            at("Up ", 11, " (health: starting)")
        );
        assert_eq!(split("Up 1 second", NOW), at("Up ", 1, ""));
        assert_eq!(
            split("Up Less than a second", NOW),
            at("Up ", 0, ""),
            "the engine's wording, as odd as it is"
        );
        assert_eq!(
            split("Up About an hour (healthy)", NOW),
            at("Up ", 3600, " (healthy)")
        );
        assert_eq!(
            split("Up 3 days (Paused)", NOW),
            at("Up ", 3 * 86_400, " (Paused)")
        );
        assert_eq!(
            split("Exited (3) 1 second ago", NOW),
            at("Exited (3) ", 1, " ago")
        );
        assert_eq!(
            split("Restarting (1) About a minute ago", NOW),
            at("Restarting (1) ", 60, " ago")
        );
        assert_eq!(
            split("Exited (0) 2 weeks ago", NOW),
            at("Exited (0) ", 14 * 86_400, " ago")
        );
    }

    #[test]
    fn a_status_without_a_duration_is_none_and_nothing_panics() {
        for s in [
            "Created",
            "Dead",
            "Removal In Progress",
            "",
            "Up",
            "Up ",
            "Exited (3)",
            "Exited (3) ",
            "Up 99999999999999999999 seconds",
            "Up 3 fortnights",
            "Up 3",
            "Up é",
        ] {
            assert_eq!(split(s, NOW), None, "{s:?}");
        }
        assert!(
            split("Up 9223372036854775807 years", NOW).is_some(),
            "saturates"
        );
    }
}
