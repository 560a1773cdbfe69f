//! Dates as `zpool` and `zfs` write them (`Sun Jul 25 16:07:49 2021`, `Tue Dec  1 12:00
//! 2026`), in the host's local time. Read with the `time` crate, treated as UTC (the
//! host's zone is not known here); the text itself is kept for display.

use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::sync::OnceLock;
use time::PrimitiveDateTime;
use time::format_description::BorrowedFormatItem;

const WITH_SECONDS: &str =
    "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] [year]";
const WITHOUT_SECONDS: &str =
    "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute] [year]";

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
/// are folded first.
pub fn timestamp(raw: &str) -> Option<Timestamp> {
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    formats()
        .iter()
        .find_map(|f| PrimitiveDateTime::parse(&folded, f).ok())
        .map(|t| Timestamp(t.assume_utc().unix_timestamp()))
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
    fn other_text_keeps_no_timestamp() {
        assert_eq!(timestamp("yesterday"), None);
        assert_eq!(timestamp("Sun Jul 32 16:07:49 2021"), None);
        assert_eq!(timestamp(""), None);
        let (text, at) = when("Di 1. Dez 12:00:00 2026");
        assert!(text.is_some() && at.is_none());
    }
}
