//! One line of any log (a container, a pod, a command's output), already cleaned.

use super::text::SafeText;
use super::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: Option<Timestamp>,
    /// The source's own timestamp text (RFC 3339, nanoseconds), shown when asked.
    pub stamp: SafeText,
    pub stderr: bool,
    pub text: SafeText,
}
