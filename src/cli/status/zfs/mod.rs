//! The ZFS pane's part of `labdeck status`: one part per host, read at the same time.
//! Degraded (exit 1): a pool not ONLINE, a device with errors, a pool over 80 % full, a
//! dataset over 90 % of its quota. Unreachable (exit 2): a host whose pools cannot be
//! read. With no `[[zfs]]` host configured and no `zpool` here, there is no ZFS part.

pub mod report;

use super::Part;
use crate::backend::zfs::reader::ZfsReader;
use crate::backend::zfs::runner::{Runner, ZfsHost};
use futures::future::BoxFuture;

pub fn collect(
    settings: &crate::config::settings::Settings,
    _reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<Part>> {
    let configured: Vec<ZfsHost> = settings
        .table(crate::backend::zfs::runner::CONFIG_KEY)
        .unwrap_or_default();
    let hosts_named = !configured.is_empty();
    let hosts = if hosts_named {
        configured
    } else {
        vec![ZfsHost::local()]
    };
    let multi = hosts.len() > 1;
    Box::pin(async move {
        let reads = hosts.into_iter().map(|h| async move {
            let name = h.name.clone();
            let mut reader = ZfsReader::new(Runner::new(h));
            let pools = reader.pools().await;
            // A machine without ZFS that nobody asked about has nothing to report.
            if !hosts_named && pools.as_ref().is_err_and(|e| e.starts_with("cannot run")) {
                return None;
            }
            // Quotas cannot be checked without the datasets: that is said, not passed over.
            let datasets = match &pools {
                Ok(_) => reader.datasets().await,
                Err(_) => Ok(Vec::new()),
            };
            let r = report::build(
                &name,
                pools.as_deref().map_err(String::as_str),
                datasets.as_deref().map_err(String::as_str),
            );
            let key = if multi {
                format!("zfs:{name}")
            } else {
                "zfs".to_string()
            };
            Some(Part {
                key,
                health: r.health,
                sources: r.sources.clone(),
                json: serde_json::to_value(&r.zfs).unwrap_or_default(),
                text: report::text(&r),
                reasons: report::reasons(&r),
            })
        });
        futures::future::join_all(reads)
            .await
            .into_iter()
            .flatten()
            .collect()
    })
}
