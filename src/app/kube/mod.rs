//! The Kubernetes pane: workloads, pods, nodes, storage, Flux and more of every
//! cluster at once. The app knows it only through `Pane` and its registry line.
mod exec;
pub(crate) mod forwards;
mod hints;
pub mod jobs;
pub mod msg;
pub mod pane;
pub mod reads;
pub mod rows;
pub mod rows_infra;
pub mod storage;
mod summary;
pub mod verbs;
pub mod view;
pub mod writes;

#[cfg(test)]
pub(crate) mod tests;

pub use pane::KubePane;

use super::pane::Pane;
use super::registry::Entry;
use crate::backend::kube::config::{CONFIG_KEY, KubeContext, KubeTable, clusters};
use crate::config::settings::Settings;

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    make,
    config: Some(crate::config::settings::Table {
        key: CONFIG_KEY,
        check: crate::config::settings::check_as::<KubeTable>,
    }),
};

/// One source per `[[kube]]` context, else per context of the kubeconfig.
fn make(settings: &Settings) -> Box<dyn Pane> {
    let entries: Vec<KubeContext> = settings.table(CONFIG_KEY).unwrap_or_default();
    let mut pane = KubePane::new(clusters(&entries));
    pane.data = crate::app::data_sources::DataSources::from_settings(settings);
    Box::new(pane)
}
