//! Where each claim's data is on this host's ZFS: the Storage view's WHERE cell gains
//! the dataset and its pool's health (`nfs 192.168.4.5:/mnt/tank/media → tank/media
//! (pool tank DEGRADED)`), in the error colour on a degraded pool. The join is
//! `lab::storage`; the sources are the hub's, shared with the ZFS and Nodes panes.

use crate::app::data_sources::DataSources;
use crate::app::table::{Row, Tone};
use crate::backend::kube::data::ClusterData;
use crate::core::text::SafeText;
use crate::lab::storage::{Workload, map, pv_holders};

/// The WHERE column of the Storage view, before a source column is put in front.
const WHERE: usize = 5;

/// `rows` of the Storage view of `cluster`, each claim's data told.
pub fn annotate(rows: &mut [Row], cluster: &str, d: &ClusterData, sources: &DataSources) {
    let datasets = sources.datasets();
    if datasets.is_empty() {
        return;
    }
    let uses = map(
        &datasets,
        &pv_holders(cluster, d.pvs.values()),
        &sources.here(),
    );
    for row in rows.iter_mut() {
        let Some(claim) = d.pvcs.get(&row.key) else {
            continue;
        };
        let Some(u) = uses.iter().find(|u| {
            matches!(&u.workload, Workload::Pv { name, .. } if name.as_str() == claim.volume.as_str())
        }) else {
            continue;
        };
        let Some(cell) = row.cells.get_mut(WHERE) else {
            continue;
        };
        let told = u.data_line();
        cell.text = SafeText::new(&format!(
            "{} → {}",
            cell.text,
            told.trim_start_matches("data: ")
        ));
        if u.degraded() {
            cell.tone = Tone::Err;
        } else if u.sqlite_on_nfs {
            cell.tone = Tone::Warn;
        }
    }
}
