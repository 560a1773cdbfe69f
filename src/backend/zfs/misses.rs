//! What could not be read of one host, kind by kind. Datasets and snapshots are read on
//! beats of their own; each keeps its own failure until its own next read, so the
//! reason shown does not flip as the other kind is read (a flip is news: a redraw
//! every beat), and a kind that keeps failing is said the same way every time.

use super::beats::Read;
use crate::core::text::SafeText;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Misses {
    datasets: Option<String>,
    snapshots: Option<String>,
}

/// One kind whose list can fail while the pools are live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Datasets,
    Snapshots,
}

impl Misses {
    /// How reading `kind` went just now: its failure, or none.
    pub fn record<T>(&mut self, kind: Kind, result: &Result<T, String>) {
        let slot = match kind {
            Kind::Datasets => &mut self.datasets,
            Kind::Snapshots => &mut self.snapshots,
        };
        *slot = result.as_ref().err().cloned();
    }

    /// What is stale and why, datasets first; `None` when everything was read.
    pub fn reason(&self) -> Option<SafeText> {
        let parts: Vec<String> = [("datasets", &self.datasets), ("snapshots", &self.snapshots)]
            .into_iter()
            .filter_map(|(what, e)| e.as_ref().map(|e| format!("{what}: {e}")))
            .collect();
        (!parts.is_empty()).then(|| SafeText::new(&parts.join("; ")))
    }

    /// A read of everything that gave the pools and the datasets counts as whole: the
    /// host is then read on its beats. Snapshots that keep failing are shown stale
    /// with their reason, and do not make every pools beat re-read everything.
    pub fn whole(&self, what: Read) -> bool {
        what == Read::All && self.datasets.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(m: &Misses) -> Option<String> {
        m.reason().map(|r| r.to_string())
    }

    #[test]
    fn a_snapshot_listing_that_keeps_failing_reads_as_whole_with_one_steady_reason() {
        let mut m = Misses::default();
        let fail: Result<(), String> = Err("timed out after 10 s".into());
        // Everything, the first time: pools and datasets read, snapshots not.
        m.record(Kind::Datasets, &Ok(()));
        m.record(Kind::Snapshots, &fail);
        assert!(m.whole(Read::All), "pools and datasets shown: read");
        let said = reason(&m);
        assert_eq!(said.as_deref(), Some("snapshots: timed out after 10 s"));
        // Then each on its beat: the reason stays as the other kind is read.
        for _ in 0..3 {
            m.record(Kind::Datasets, &Ok(()));
            assert_eq!(reason(&m), said, "a datasets read does not clear it");
            m.record(Kind::Snapshots, &fail);
            assert_eq!(reason(&m), said);
        }
        m.record(Kind::Snapshots, &Ok(()));
        assert_eq!(reason(&m), None, "read again: nothing stale");
    }

    #[test]
    fn two_failing_kinds_are_said_together_in_one_order() {
        let mut m = Misses::default();
        let fail = |e: &str| -> Result<(), String> { Err(e.into()) };
        m.record(Kind::Snapshots, &fail("s"));
        m.record(Kind::Datasets, &fail("d"));
        let both = Some("datasets: d; snapshots: s".to_string());
        assert_eq!(reason(&m), both);
        m.record(Kind::Snapshots, &fail("s"));
        assert_eq!(reason(&m), both, "no flip between the two");
        assert!(!m.whole(Read::All), "no datasets: not yet read whole");
        assert!(!m.whole(Read::Pools));
    }
}
