//! How fresh a source's data is, as every pane shows it.

use super::text::SafeText;
use super::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceStatus {
    /// Not connected yet (first attempt under way).
    Connecting,
    /// Connected; data follows the source.
    Live,
    /// Lost the source; data (if any) is from `since`. Retrying.
    Stale {
        since: Timestamp,
        reason: SafeText,
        attempt: u32,
    },
}

impl SourceStatus {
    pub fn is_live(&self) -> bool {
        matches!(self, SourceStatus::Live)
    }

    /// Stale now for `reason`: since the source went stale if it already was, else since
    /// the data in hand was read (`taken_at`), else since now. The data stays.
    pub fn gone_stale(
        &self,
        taken_at: Option<Timestamp>,
        reason: &str,
        attempt: u32,
    ) -> SourceStatus {
        let since = match self {
            SourceStatus::Stale { since, .. } => *since,
            _ => taken_at.unwrap_or_else(Timestamp::now),
        };
        SourceStatus::Stale {
            since,
            reason: SafeText::new(reason),
            attempt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_since_the_data_was_read_and_that_moment_is_kept_across_retries() {
        let first = SourceStatus::Live.gone_stale(Some(Timestamp(100)), "refused", 1);
        let SourceStatus::Stale { since, attempt, .. } = &first else {
            panic!("{first:?}")
        };
        assert_eq!((*since, *attempt), (Timestamp(100), 1));
        let again = first.gone_stale(Some(Timestamp(500)), "timed out", 2);
        let SourceStatus::Stale {
            since,
            reason,
            attempt,
        } = again
        else {
            panic!()
        };
        assert_eq!((since, attempt), (Timestamp(100), 2));
        assert_eq!(reason.as_str(), "timed out");
        let never_read = SourceStatus::Connecting.gone_stale(None, "no socket", 1);
        assert!(matches!(never_read, SourceStatus::Stale { since, .. } if since.0 > 1_700_000_000));
    }
}
