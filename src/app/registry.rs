//! Every pane, in tab order: the one place a pane is registered. Adding a pane is its
//! own files plus one line here.

use super::pane::Pane;
use super::{pending, swarm, zfs};
use crate::cli::status::Part;
use crate::config::settings::Settings;
use futures::future::BoxFuture;

/// Reads a pane's sources once for `labdeck status`: one part per source.
pub type Status = fn(&Settings) -> BoxFuture<'static, Vec<Part>>;

/// A pane's entry: how to make it, and its part of `labdeck status` (if it has sources).
pub struct Entry {
    pub make: fn(&Settings) -> Box<dyn Pane>,
    pub status: Option<Status>,
}

pub const PANES: &[Entry] = &[
    pending::NODES,
    pending::VLANS,
    zfs::ENTRY,
    swarm::ENTRY,
    pending::KUBE,
];

/// The pane shown at start.
pub const FIRST: &str = "swarm";

pub fn panes(settings: &Settings) -> Vec<Box<dyn Pane>> {
    PANES.iter().map(|e| (e.make)(settings)).collect()
}

/// Keymap sections the panes own, for checking user keymaps.
pub fn sections(panes: &[Box<dyn Pane>]) -> Vec<&'static str> {
    panes
        .iter()
        .flat_map(|p| p.own_sections())
        .copied()
        .collect()
}
