//! The ZFS pane: pools (with their vdev trees), datasets and snapshots, and the ARC,
//! of every configured host. The app knows it only through `Pane` and its registry line.
pub mod msg;
pub mod pane;
pub mod rows;
pub mod verbs;
pub mod view;
pub mod writes;

#[cfg(test)]
pub(crate) mod tests;

pub use pane::ZfsPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    make,
    config: Some(crate::config::settings::Table {
        key: crate::backend::zfs::runner::CONFIG_KEY,
        check: crate::config::settings::check_as::<crate::backend::zfs::runner::ZfsTable>,
    }),
};

/// One source per `[[zfs]]` host, else this machine.
fn make(settings: &Settings) -> Box<dyn Pane> {
    let mut hosts: Vec<crate::backend::zfs::runner::ZfsHost> = settings
        .table(crate::backend::zfs::runner::CONFIG_KEY)
        .unwrap_or_default();
    if hosts.is_empty() {
        hosts.push(crate::backend::zfs::runner::ZfsHost::local());
    }
    Box::new(ZfsPane::new(hosts))
}
