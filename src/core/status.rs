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
}
