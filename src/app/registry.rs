//! Every pane, in tab order: the one place a pane is registered. Adding a pane is its
//! own files plus one line here.

use super::pane::Pane;
use super::{kube, nodes, swarm, vlans, zfs};
use crate::config::keymap::{EMBEDDED, Vocab};
use crate::config::settings::{Settings, Table};

/// A pane's entry: how to make it. (Its part of `labdeck status` is the CLI's own list,
/// `cli::status::PARTS`: the headless command knows nothing of the TUI.)
pub struct Entry {
    pub make: fn(&Settings) -> Box<dyn Pane>,
    /// Its own table in config.toml, if it reads one.
    pub config: Option<Table>,
}

pub const PANES: &[Entry] = &[
    nodes::ENTRY,
    vlans::ENTRY,
    zfs::ENTRY,
    swarm::ENTRY,
    kube::ENTRY,
];

/// The pane shown at start.
pub const FIRST: &str = "swarm";

/// The panes' tables in config.toml, for loading and checking it.
pub fn tables() -> Vec<Table> {
    PANES.iter().filter_map(|e| e.config).collect()
}

pub fn panes(settings: &Settings) -> Vec<Box<dyn Pane>> {
    PANES.iter().map(|e| (e.make)(settings)).collect()
}

/// What keymaps may name, from the panes: their tabs in order, their sections' verbs
/// (and the log viewer's), and the keys each ships.
pub fn vocab(panes: &[Box<dyn Pane>]) -> Vocab {
    let mut v = Vocab {
        sections: vec![("logs", super::logs::LogVerb::all())],
        ..Vocab::default()
    };
    for p in panes {
        v.tabs.push((p.tab(), p.title()));
        v.sections
            .extend(p.own_sections().iter().map(|s| (*s, p.verbs())));
        for (name, _) in EMBEDDED {
            if let Some(text) = p.keys(name) {
                v.keys.push((p.id(), name, text));
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pane with sources of its own has its part in `labdeck status`, and only
    /// those: the two lists cannot drift apart.
    #[test]
    fn the_status_parts_are_the_panes_with_sources() {
        let now = crate::core::time::Timestamp(0);
        let with_sources: Vec<&str> = panes(&Settings::default())
            .iter()
            .filter(|p| p.summary(now).is_some())
            .map(|p| p.id())
            .collect();
        let mut parts: Vec<&str> = crate::cli::status::PARTS
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let mut panes = with_sources.clone();
        parts.sort();
        panes.sort();
        assert_eq!(parts, panes);
        assert!(panes.contains(&"swarm") && panes.contains(&"zfs"));
    }
}
