//! The ZFS sources a workload pane reads to say where its workloads' data is (through
//! the hub, shared with the ZFS and Nodes panes), and this host's links for NFS
//! exports it serves. The join is `lab::storage`.

use crate::app::sources::Shared;
use crate::app::table::{Row, Tone};
use crate::backend::net::Link;
use crate::backend::zfs::runner::ZfsHost;
use crate::backend::zfs::watch::{ZfsFeed, ZfsSnapshot};
use crate::config::settings::Settings;
use crate::core::text::SafeText;
use crate::lab::storage::Use;
use crate::lab::storage::Workload;
use crate::lab::storage::{DatasetInfo, datasets_of};
use std::sync::Arc;

#[derive(Default)]
pub struct DataSources {
    pub zfs: Vec<Shared<ZfsHost, Arc<ZfsSnapshot>>>,
    /// This host's links: an NFS export from one of their addresses is this host's.
    pub links: Arc<Vec<Link>>,
}

impl DataSources {
    /// The ZFS pane's hosts (`[[zfs]]`, else this machine).
    pub fn from_settings(settings: &Settings) -> DataSources {
        let mut hosts: Vec<ZfsHost> = settings
            .table(crate::backend::zfs::runner::CONFIG_KEY)
            .unwrap_or_default();
        if hosts.is_empty() {
            hosts.push(ZfsHost::local());
        }
        DataSources::new(hosts)
    }

    pub fn new(hosts: Vec<ZfsHost>) -> DataSources {
        DataSources {
            zfs: hosts
                .into_iter()
                .map(|h| Shared::new(h.name.clone(), h))
                .collect(),
            links: Arc::default(),
        }
    }

    /// The ZFS hosts' feeds, through the hub (shared with the ZFS pane and any other
    /// reader), each message made by `wrap` from the host's name and its feed.
    pub fn zfs_feeds<M: std::any::Any + Send>(
        &self,
        hub: &mut crate::backend::hub::Hub,
        wrap: impl Fn(String, ZfsFeed) -> M + Clone + Send + 'static,
    ) -> Vec<crate::app::pane::Feed> {
        self.zfs
            .iter()
            .map(|z| {
                let (host, wrap) = (z.name.clone(), wrap.clone());
                crate::app::feed::feed_of(hub.zfs(&z.spec).feed, move |f| wrap(host.clone(), f))
            })
            .collect()
    }

    /// A host's feed; true when what it says of the datasets changed.
    pub fn feed(&mut self, host: &str, feed: ZfsFeed) -> bool {
        let Some(z) = self.zfs.iter_mut().find(|z| z.name == host) else {
            return false;
        };
        z.status = feed.status;
        let Some(snap) = feed.snapshot else {
            return false;
        };
        let same = |a: &ZfsSnapshot, b: &ZfsSnapshot| {
            a.datasets
                .iter()
                .map(|d| (&d.name, &d.mountpoint))
                .eq(b.datasets.iter().map(|d| (&d.name, &d.mountpoint)))
                && a.pools
                    .iter()
                    .map(|p| &p.health)
                    .eq(b.pools.iter().map(|p| &p.health))
        };
        let news = z.data.as_ref().is_none_or(|old| !same(old, &snap));
        z.data = Some(snap);
        news
    }

    /// This host's links; true when their addresses changed.
    pub fn links(&mut self, links: Arc<Vec<Link>>) -> bool {
        let addrs = |l: &[Link]| {
            l.iter()
                .flat_map(|x| x.addresses.clone())
                .collect::<Vec<_>>()
        };
        let news = addrs(&self.links) != addrs(&links);
        self.links = links;
        news
    }

    pub fn datasets(&self) -> Vec<DatasetInfo> {
        self.zfs
            .iter()
            .filter_map(|z| Some((z.name.as_str(), z.data.as_ref()?)))
            .flat_map(|(host, s)| datasets_of(host, &s.pools, &s.datasets))
            .collect()
    }

    /// This host's addresses and hostname, as NFS servers are named.
    pub fn here(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .links
            .iter()
            .flat_map(|l| l.addresses.iter().map(|a| a.addr().to_string()))
            .collect();
        if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            out.push(h.trim().to_string());
        }
        out
    }
}

/// Tell where each row's data is, the same way in every list that shows workloads:
/// its DATA cell (column `data`) says the first dataset (`tank/media (pool tank
/// DEGRADED)`, `+1` for more), and its name cell (column `name`) is flagged: the error
/// colour when any of it is on a pool that is not ONLINE, the warning colour for SQLite
/// on NFS. `uses_of` gives a row's uses, found once per rebuild by the caller.
pub fn tell_rows<'a>(
    rows: &mut [Row],
    name: usize,
    data: usize,
    uses_of: impl Fn(&Row) -> Vec<&'a Use>,
) {
    for row in rows.iter_mut() {
        let mine = uses_of(row);
        let Some(first) = mine.first() else {
            continue;
        };
        let more = match mine.len() {
            1 => String::new(),
            n => format!(" +{}", n - 1),
        };
        let flag = if mine.iter().any(|u| u.degraded()) {
            Tone::Err
        } else if mine.iter().any(|u| u.sqlite_on_nfs) {
            Tone::Warn
        } else {
            Tone::Normal
        };
        if let Some(cell) = row.cells.get_mut(data) {
            cell.text = SafeText::new(first.data_line().trim_start_matches("data: "));
            if !more.is_empty() {
                cell.text = SafeText::new(&format!("{}{more}", cell.text));
            }
            cell.tone = flag;
        }
        if flag != Tone::Normal
            && let Some(cell) = row.cells.get_mut(name)
        {
            cell.tone = flag;
        }
    }
}

/// The uses whose workload `is` says is this row's.
pub fn uses_where(uses: &[Use], is: impl Fn(&Workload) -> bool) -> Vec<&Use> {
    uses.iter().filter(|u| is(&u.workload)).collect()
}
