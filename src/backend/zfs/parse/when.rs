//! Dates as `zpool` and `zfs` write them (`Sun Jul 25 16:07:49 2021`, `Tue Dec  1 12:00
//! 2026`), in the host's local time. Read with the `time` crate and placed in this
//! machine's time zone (jiff reads it from `TZ` or `/etc/localtime`): the machines of a
//! lab share one. A date that names UTC is exact. The text itself is kept for display.

use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use jiff::tz::TimeZone;
use std::sync::OnceLock;
use time::PrimitiveDateTime;
use time::format_description::BorrowedFormatItem;

// `zfs` pads the hour with a space (`%k`), which folding makes one digit.
const WITH_SECONDS: &str = "[weekday repr:short] [month repr:short] [day padding:none] [hour padding:none]:[minute]:[second] [year]";
const WITHOUT_SECONDS: &str = "[weekday repr:short] [month repr:short] [day padding:none] [hour padding:none]:[minute] [year]";

fn formats() -> &'static [Vec<BorrowedFormatItem<'static>>] {
    static FORMATS: OnceLock<Vec<Vec<BorrowedFormatItem<'static>>>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        [WITH_SECONDS, WITHOUT_SECONDS]
            .iter()
            .filter_map(|f| time::format_description::parse_borrowed::<1>(f).ok())
            .collect()
    })
}

/// The text as written and, when it reads as a ZFS date, the timestamp (UTC assumed).
pub fn when(raw: &str) -> (Option<SafeText>, Option<Timestamp>) {
    let raw = raw.trim();
    if raw.is_empty() {
        return (None, None);
    }
    (Some(SafeText::new(raw)), timestamp(raw))
}

/// `Sun Jul 25 16:07:49 2021` or without seconds; runs of spaces (ctime pads the day)
/// are folded first. `zpool status -j` without `--json-int` writes its own form,
/// `Wed Jan  7 02:35:05 AM PST 2026` or `Mon Dec  1 14:40:00 UTC 2025`: a zone name
/// (read as UTC, like the rest: its offset is not known here) and AM/PM are taken out,
/// the hour made 24-hour.
pub fn timestamp(raw: &str) -> Option<Timestamp> {
    timestamp_in(raw, local_zone())
}

/// This machine's zone, read once. Under test, UTC: the fixtures' dates do not move with
/// the zone of the machine the tests run on.
fn local_zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| {
        if cfg!(test) {
            TimeZone::UTC
        } else {
            TimeZone::system()
        }
    })
}

/// As [`timestamp`], the date taken in `zone` unless it names UTC.
pub fn timestamp_in(raw: &str, zone: &TimeZone) -> Option<Timestamp> {
    let mut utc = false;
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    let meridiem = words
        .iter()
        .position(|w| *w == "AM" || *w == "PM")
        .map(|i| words.remove(i) == "PM");
    // A zone: letters only, after the time (the weekday and month come before it).
    if let Some(i) = words.iter().position(|w| w.contains(':'))
        && words
            .get(i + 1)
            .is_some_and(|z| z.len() <= 5 && z.chars().all(|c| c.is_ascii_alphabetic()))
    {
        utc = matches!(words.remove(i + 1), "UTC" | "GMT" | "Z");
    }
    let folded = words.join(" ");
    let t = formats()
        .iter()
        .find_map(|f| PrimitiveDateTime::parse(&folded, f).ok())?;
    let t = match (meridiem, t.hour()) {
        (Some(false), 12) => t.replace_hour(0).ok()?,
        (Some(true), h @ 1..=11) => t.replace_hour(h + 12).ok()?,
        (Some(_), 0 | 13..) => return None,
        _ => t,
    };
    let civil = jiff::civil::DateTime::new(
        i16::try_from(t.year()).ok()?,
        i8::try_from(u8::from(t.month())).ok()?,
        i8::try_from(t.day()).ok()?,
        i8::try_from(t.hour()).ok()?,
        i8::try_from(t.minute()).ok()?,
        i8::try_from(t.second()).ok()?,
        0,
    )
    .ok()?;
    let zone = if utc { &TimeZone::UTC } else { zone };
    // A time that a change of clocks skips or repeats is placed as most tools do
    // (jiff's "compatible" rule).
    let at = zone.to_ambiguous_zoned(civil).compatible().ok()?;
    Some(Timestamp(at.timestamp().as_second()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ctime_dates_as_utc() {
        assert_eq!(
            timestamp("Sun Jul 25 16:07:49 2021"),
            Some(Timestamp(1_627_229_269))
        );
        assert_eq!(
            timestamp("Tue Dec  1 12:00 2026"),
            Some(Timestamp(1_796_126_400))
        );
        let (text, at) = when("  Sun Jul 25 16:07:49 2021 ");
        assert_eq!(text.unwrap().as_str(), "Sun Jul 25 16:07:49 2021");
        assert!(at.is_some());
    }

    #[test]
    fn reads_the_json_string_form_and_a_space_padded_hour() {
        let utc = timestamp("Sun Jul 25 16:07:49 2021");
        assert_eq!(timestamp("Sun Jul 25 16:07:49 UTC 2021"), utc);
        assert_eq!(timestamp("Sun Jul 25 04:07:49 PM PST 2021"), utc);
        assert_eq!(
            timestamp("Sun Jul 25 12:07:49 AM UTC 2021"),
            timestamp("Sun Jul 25 00:07:49 2021")
        );
        assert_eq!(
            timestamp("Sun Jul 25 12:07:49 PM 2021"),
            timestamp("Sun Jul 25 12:07:49 2021")
        );
        // `zfs get creation`: `%a %b %e %k:%M %Y`.
        assert_eq!(
            timestamp("Tue Dec  1  7:05 2026"),
            Some(Timestamp(1_796_126_400 - 4 * 3600 - 55 * 60))
        );
        assert_eq!(timestamp("Sun Jul 25 13:07:49 PM 2021"), None);
    }

    #[test]
    fn a_date_is_the_local_time_of_the_zone_unless_it_names_utc() {
        let berlin_winter = TimeZone::fixed(jiff::tz::offset(1));
        assert_eq!(
            timestamp_in("Tue Dec  1 13:00 2026", &berlin_winter),
            Some(Timestamp(1_796_126_400)),
            "13:00 at +01 is 12:00 UTC"
        );
        assert_eq!(
            timestamp_in("Tue Dec  1 12:00:00 UTC 2026", &berlin_winter),
            Some(Timestamp(1_796_126_400))
        );
        assert_eq!(
            timestamp_in("Tue Dec  1 01:00:00 PM CET 2026", &berlin_winter),
            Some(Timestamp(1_796_126_400)),
            "another zone's name: this machine's zone"
        );
    }

    #[test]
    fn other_text_keeps_no_timestamp() {
        assert_eq!(timestamp("yesterday"), None);
        assert_eq!(timestamp("Sun Jul 32 16:07:49 2021"), None);
        assert_eq!(timestamp(""), None);
        let (text, at) = when("Di 1. Dez 12:00:00 2026");
        assert!(text.is_some() && at.is_none());
    }
}
