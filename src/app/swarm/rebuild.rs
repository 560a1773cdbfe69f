//! The Swarm pane's rows rebuilt from the engines' snapshots: only the levels that
//! show an engine that changed, each list's data told (`storage`), a describe view's
//! spec once read.

use super::pane::{Raw, SwarmPane};
use super::view::SwarmView;
use crate::app::sources;
use crate::backend::swarm::SwarmSnapshot;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

impl SwarmPane {
    /// Rebuild every level's rows from the current snapshots; true if any row changed.
    pub fn rebuild(&mut self, now: Timestamp) -> bool {
        self.rebuild_for(now, |_| true)
    }

    /// Rebuild the levels that show an engine for which `changed` holds (a level about
    /// every engine shows them all); true if any row changed.
    pub(super) fn rebuild_for(
        &mut self,
        now: Timestamp,
        changed_engine: impl Fn(&str) -> bool,
    ) -> bool {
        let mut changed = false;
        let multi = self.multi();
        let any = self
            .engines
            .iter()
            .any(|e| changed_engine(&e.endpoint.name));
        for l in self.levels.iter_mut() {
            let shows_change = match &l.source {
                Some(s) => changed_engine(s),
                None => any,
            };
            if !shows_change {
                continue;
            }
            let spans = l.source.is_none() && multi;
            let mut rows = Vec::new();
            for e in &self.engines {
                if l.source.as_ref().is_some_and(|s| *s != e.endpoint.name) {
                    continue;
                }
                let Some(snap) = &e.snapshot else { continue };
                let health = if multi { &self.health } else { &snap.health };
                let mut mine = super::rows::rows_with(&l.view, snap, now, self.options, health);
                {
                    use super::storage::ServiceData;
                    self.storage
                        .fill(&l.view, &e.endpoint.name, snap, &mut mine);
                }
                if let SwarmView::Describe { kind, id, .. } = &l.view {
                    if *kind == super::view::Described::Service {
                        use super::storage::ServiceData;
                        mine.extend(self.storage.rows(&e.endpoint.name, snap, id));
                    }
                    mine.extend(describe_spec(*kind, id, self.raw.as_ref(), snap));
                }
                if spans {
                    rows.extend(mine.into_iter().map(|r| sources::source_row(e, r)));
                } else {
                    rows.extend(mine);
                }
            }
            if self.engines.iter().all(|e| e.snapshot.is_none()) {
                continue;
            }
            changed |= l.table.set_rows(rows);
        }
        changed
    }
}

/// The spec rows of the object a describe view shows, once it has been read.
fn describe_spec(
    kind: super::view::Described,
    id: &str,
    raw: Option<&Raw>,
    snap: &SwarmSnapshot,
) -> Vec<crate::app::table::Row> {
    use crate::app::describe::row;
    use crate::app::table::{Cell, Tone};
    match raw.filter(|r| r.id == id).map(|r| &r.value) {
        Some(Ok(Some(v))) => super::spec::rows(kind, v, snap),
        Some(Ok(None)) => vec![row(
            "spec",
            Cell::own("reading from the engine…", Tone::Dim),
        )],
        Some(Err(e)) => vec![row(
            "spec",
            Cell::toned(
                SafeText::new(&format!("could not be read: {e}")),
                Tone::Warn,
            ),
        )],
        None => Vec::new(),
    }
}
