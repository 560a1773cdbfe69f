//! A pane that reads several sources at once (Docker engines, ZFS hosts, and later
//! Kubernetes clusters) keeps each one's status and latest snapshot. What every such
//! pane does with them is here once: rows of every source keyed by their source, the
//! source's name in front of them, and the worst status for the tab bar.

use crate::app::table::{Cell, Column, Row, Tone};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;

/// Between a source's name and an object's id in the keys of rows that span sources
/// (a unit separator: no name has one). Sources are addressed by name, never by their
/// place in a list, so one can come or go (a kubeconfig reloaded, an engine added)
/// without another's rows, marks or prompts pointing at the wrong one.
pub const KEY_SEP: char = '\u{1f}';

/// One source of a pane, as this module needs it.
pub trait Source {
    /// How the user named it (`nas`, `lab`).
    fn name(&self) -> &str;
    fn status(&self) -> &SourceStatus;
}

/// A source a pane reads from the hub, as the source's own pane reads it: its name,
/// how to reach it, its status and its latest data.
pub struct Shared<S, D> {
    pub spec: S,
    pub name: String,
    pub status: SourceStatus,
    pub data: Option<D>,
}

impl<S, D> Shared<S, D> {
    pub fn new(name: String, spec: S) -> Shared<S, D> {
        Shared {
            spec,
            name,
            status: SourceStatus::Connecting,
            data: None,
        }
    }
}

impl<S, D> Source for Shared<S, D> {
    fn name(&self) -> &str {
        &self.name
    }
    fn status(&self) -> &SourceStatus {
        &self.status
    }
}

/// A row of `source` in a view of every source: its key says which source, and a
/// cell in front names it (in the warning tone while connecting, the error tone while
/// stale).
pub fn source_row(source: &impl Source, mut row: Row) -> Row {
    row.key = format!("{}{KEY_SEP}{}", source.name(), row.key);
    let tone = match source.status() {
        SourceStatus::Live => Tone::Dim,
        SourceStatus::Connecting => Tone::Warn,
        SourceStatus::Stale { .. } => Tone::Err,
    };
    // A new vector of the exact size: inserting in front of a full one would double
    // its capacity, and a view of 10,000 rows would carry 10,000 half-empty vectors.
    let mut cells = Vec::with_capacity(row.cells.len() + 1);
    cells.push(Cell::toned(SafeText::new(source.name()), tone));
    cells.append(&mut row.cells);
    row.cells = cells;
    row
}

/// The columns of a view: with a source column (`ENGINE`, `HOST`) in front when the view
/// spans several sources.
pub fn with_source_column(
    mut columns: Vec<Column>,
    title: &'static str,
    spans: bool,
) -> Vec<Column> {
    if spans {
        columns.insert(0, Column::fixed(title, 8, 0));
    }
    columns
}

/// A row key as (source name, id): a level about one source has plain ids, a level
/// that spans them has the source in each key. `only` names the pane's one source, for
/// keys without one.
pub fn split_key(source: Option<&str>, key: &str, only: &str) -> (String, String) {
    match (source, key.split_once(KEY_SEP)) {
        (Some(s), _) => (s.to_string(), key.to_string()),
        (None, Some((name, k))) => (name.to_string(), k.to_string()),
        (None, None) => (only.to_string(), key.to_string()),
    }
}

/// The source named `name`, with its place.
pub fn find<'a, S: Source>(sources: &'a [S], name: &str) -> Option<(usize, &'a S)> {
    sources.iter().enumerate().find(|(_, s)| s.name() == name)
}

/// The pane's status for the tab bar: a stale source's, else a connecting one's, else
/// live; and how many sources are live.
pub fn overall<S: Source>(sources: &[S]) -> (SourceStatus, usize) {
    let live = sources.iter().filter(|s| s.status().is_live()).count();
    let worst = sources
        .iter()
        .find(|s| matches!(s.status(), SourceStatus::Stale { .. }))
        .or_else(|| sources.iter().find(|s| !s.status().is_live()))
        .map_or(SourceStatus::Live, |s| s.status().clone());
    (worst, live)
}

/// `zfs`, or `zfs 1/2 live` when there are several.
pub fn summary_text<S: Source>(kind: &str, sources: &[S]) -> String {
    let (_, live) = overall(sources);
    if sources.len() > 1 {
        format!("{kind} {live}/{} live", sources.len())
    } else {
        kind.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::Timestamp;

    struct S(&'static str, SourceStatus);
    impl Source for S {
        fn name(&self) -> &str {
            self.0
        }
        fn status(&self) -> &SourceStatus {
            &self.1
        }
    }

    fn stale() -> SourceStatus {
        SourceStatus::Stale {
            since: Timestamp(0),
            reason: SafeText::new("gone"),
            attempt: 1,
        }
    }

    #[test]
    fn the_worst_status_speaks_for_the_pane() {
        let all = [
            S("a", SourceStatus::Live),
            S("b", SourceStatus::Connecting),
            S("c", stale()),
        ];
        assert_eq!(overall(&all), (stale(), 1));
        assert_eq!(overall(&all[..2]), (SourceStatus::Connecting, 1));
        assert_eq!(overall(&all[..1]), (SourceStatus::Live, 1));
        assert_eq!(summary_text("zfs", &all), "zfs 1/3 live");
        assert_eq!(summary_text("zfs", &all[..1]), "zfs");
    }

    #[test]
    fn a_row_of_one_source_among_many_is_keyed_and_named_by_it() {
        let row = Row {
            key: "tank".into(),
            cells: vec![Cell::own("tank", Tone::Normal)],
        };
        let r = source_row(&S("n5", stale()), row);
        assert_eq!(r.cells[0].text.as_str(), "n5");
        assert_eq!(r.cells[0].tone, Tone::Err);
        assert_eq!(r.cells[1].text.as_str(), "tank");
        // Thousands of rows pass through here: none keeps room it does not use.
        assert_eq!(r.cells.capacity(), 2);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        // By name, whatever its place: another source coming or going changes nothing.
        assert_eq!(split_key(None, &r.key, "nas"), pair("n5", "tank"));
        assert_eq!(split_key(Some("n5"), "tank", "nas"), pair("n5", "tank"));
        assert_eq!(split_key(None, "tank", "nas"), pair("nas", "tank"));
        let all = [S("nas", SourceStatus::Live), S("n5", stale())];
        assert_eq!(find(&all, "n5").map(|(i, _)| i), Some(1));
        assert!(find(&all, "gone").is_none());
    }
}
