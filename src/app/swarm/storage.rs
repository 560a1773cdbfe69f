//! Where each service's data is: the ZFS sources (read through the hub, shared with
//! the ZFS and Nodes panes) joined with the services' host paths by `lab::storage`.
//! A service's describe view says `data: tank/media (pool tank DEGRADED)`.

use crate::app::sources::Shared;
use crate::app::table::{Cell, Row, Tone};
use crate::backend::swarm::model::SwarmSnapshot;
use crate::backend::zfs::runner::ZfsHost;
use crate::backend::zfs::watch::{ZfsFeed, ZfsSnapshot};
use crate::core::text::SafeText;
use crate::lab::storage::{Use, Workload, datasets_of, map, swarm_holders};
use std::sync::Arc;

#[derive(Default)]
pub struct Storage {
    pub zfs: Vec<Shared<ZfsHost, Arc<ZfsSnapshot>>>,
}

impl Storage {
    pub fn new(hosts: Vec<ZfsHost>) -> Storage {
        Storage {
            zfs: hosts
                .into_iter()
                .map(|h| Shared::new(h.name.clone(), h))
                .collect(),
        }
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
        let news = z.data.as_ref().is_none_or(|old| {
            old.datasets
                .iter()
                .map(|d| (&d.name, &d.mountpoint))
                .ne(snap.datasets.iter().map(|d| (&d.name, &d.mountpoint)))
                || old
                    .pools
                    .iter()
                    .map(|p| &p.health)
                    .ne(snap.pools.iter().map(|p| &p.health))
        });
        z.data = Some(snap);
        news
    }

    /// The uses of `engine`'s services: only paths on this engine's host count, so NFS
    /// does not come into it.
    pub fn uses(&self, engine: &str, snap: &SwarmSnapshot) -> Vec<Use> {
        let datasets: Vec<_> = self
            .zfs
            .iter()
            .filter_map(|z| Some((z.name.as_str(), z.data.as_ref()?)))
            .flat_map(|(host, s)| datasets_of(host, &s.pools, &s.datasets))
            .collect();
        if datasets.is_empty() {
            return Vec::new();
        }
        let holders = swarm_holders(engine, &snap.services, &[]);
        map(&datasets, &holders, &[])
    }

    /// The describe view's `data` rows for service `id` of `engine`.
    pub fn rows(&self, engine: &str, snap: &SwarmSnapshot, id: &str) -> Vec<Row> {
        let Some(svc) = snap.service(id) else {
            return Vec::new();
        };
        self.uses(engine, snap)
            .into_iter()
            .filter(|u| matches!(&u.workload, Workload::Swarm { service, .. } if service == svc.name.as_str()))
            .enumerate()
            .map(|(i, u)| Row {
                key: format!("data:{i}"),
                cells: vec![
                    Cell::own("data", Tone::Dim),
                    Cell::toned(
                        SafeText::new(&format!(
                            "{} ({})",
                            u.data_line().trim_start_matches("data: "),
                            u.via
                        )),
                        if u.degraded() { Tone::Err } else { Tone::Normal },
                    ),
                ],
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample;
    use crate::core::status::SourceStatus;

    #[test]
    fn a_service_describes_where_its_data_is_and_flags_a_degraded_pool() {
        let mut st = Storage::new(vec![ZfsHost::local()]);
        let mut svc = sample::service("s1", "media_sonarr", Some("media"), 1);
        svc.host_paths = vec![SafeText::new("/mnt/tank/media/tv"), SafeText::new("/srv/x")];
        let snap = SwarmSnapshot {
            services: vec![svc],
            ..SwarmSnapshot::default()
        };
        assert!(
            st.rows("local", &snap, "s1").is_empty(),
            "no datasets read yet"
        );
        let feed = ZfsFeed {
            snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
            status: SourceStatus::Live,
        };
        assert!(st.feed("local", feed.clone()), "datasets are news");
        assert!(!st.feed("local", feed), "the same again is not");
        let rows = st.rows("local", &snap, "s1");
        assert_eq!(rows.len(), 1, "/srv/x is on no dataset");
        assert_eq!(
            rows[0].cells[1].text.as_str(),
            "tank/media (pool tank DEGRADED) (/mnt/tank/media/tv)"
        );
        assert_eq!(rows[0].cells[1].tone, Tone::Err);
    }
}
