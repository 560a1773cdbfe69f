//! Where each service's data is: the ZFS sources (read through the hub, shared with
//! the ZFS and Nodes panes) joined with the services' host paths by `lab::storage`.
//! A service's describe view says `data: tank/media (pool tank DEGRADED)`.

use super::rows::columns;
use super::view::SwarmView;
use crate::app::data_sources::{tell_rows, uses_where};
use crate::app::table::{Cell, Row, Tone};
use crate::backend::swarm::model::SwarmSnapshot;
use crate::core::text::SafeText;
use crate::lab::storage::{Use, Workload, map, swarm_holders};

/// The ZFS sources the services' data may be on.
pub type Storage = crate::app::data_sources::DataSources;

/// Where the services' data is.
pub trait ServiceData {
    fn uses(&self, engine: &str, snap: &SwarmSnapshot) -> Vec<Use>;
    fn rows(&self, engine: &str, snap: &SwarmSnapshot, id: &str) -> Vec<Row>;
    /// The services and containers views' rows with their DATA cell filled, and their
    /// name flagged when the data is on a degraded pool.
    fn fill(&self, view: &SwarmView, engine: &str, snap: &SwarmSnapshot, rows: &mut [Row]);
}

impl ServiceData for Storage {
    /// The uses of `engine`'s services: only paths on this engine's host count, so NFS
    /// does not come into it.
    fn uses(&self, engine: &str, snap: &SwarmSnapshot) -> Vec<Use> {
        let datasets = self.datasets();
        if datasets.is_empty() {
            return Vec::new();
        }
        let holders = swarm_holders(engine, &snap.services, &snap.containers);
        map(&datasets, &holders, &[])
    }

    fn fill(&self, view: &SwarmView, engine: &str, snap: &SwarmSnapshot, rows: &mut [Row]) {
        let data = match view {
            SwarmView::Services { .. } | SwarmView::Containers { .. } => {
                columns(view).iter().position(|c| c.title == "DATA")
            }
            _ => None,
        };
        let Some(data) = data else { return };
        let uses = self.uses(engine, snap);
        if uses.is_empty() {
            return;
        }
        match view {
            SwarmView::Services { .. } => tell_rows(rows, 0, data, |row| {
                let name = snap.service(&row.key).map(|s| s.name.as_str());
                uses_where(
                    &uses,
                    |w| matches!(w, Workload::Swarm { service, .. } if Some(service.as_str()) == name),
                )
            }),
            _ => tell_rows(rows, 0, data, |row| {
                let name = snap
                    .containers
                    .iter()
                    .find(|c| c.id == row.key)
                    .map(|c| c.name.as_str());
                uses_where(
                    &uses,
                    |w| matches!(w, Workload::Container { name: n, .. } if Some(n.as_str()) == name),
                )
            }),
        }
    }

    /// The describe view's `data` rows for service `id` of `engine`.
    fn rows(&self, engine: &str, snap: &SwarmSnapshot, id: &str) -> Vec<Row> {
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
    use crate::backend::zfs::runner::ZfsHost;
    use crate::backend::zfs::watch::ZfsFeed;
    use crate::core::status::SourceStatus;
    use std::sync::Arc;

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

    #[test]
    fn a_truenas_app_container_shows_its_data_in_the_containers_view() {
        let mut st = Storage::new(vec![ZfsHost::local()]);
        st.feed(
            "local",
            ZfsFeed {
                snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
                status: SourceStatus::Live,
            },
        );
        let plex = crate::backend::swarm::model::Container {
            id: "c1".into(),
            name: SafeText::new("ix-plex-plex-1"),
            project: Some(SafeText::new("ix-plex")),
            compose_service: None,
            image: SafeText::new("plexinc/pms-docker"),
            state: SafeText::new("running"),
            status: SafeText::default(),
            status_after: SafeText::default(),
            status_since: None,
            created: None,
            host_paths: Vec::new(),
        };
        let snap = SwarmSnapshot {
            containers: vec![plex],
            ..SwarmSnapshot::default()
        };
        let view = crate::app::swarm::view::SwarmView::Containers {
            project: Some("ix-plex".into()),
        };
        let mut rows = crate::app::swarm::rows::rows(&view, &snap, crate::core::time::Timestamp(0));
        st.fill(&view, "local", &snap, &mut rows);
        let data = rows[0].cells.last().unwrap();
        assert_eq!(
            data.text.as_str(),
            "tank/ix-apps/app_mounts/plex (pool tank DEGRADED)"
        );
        assert_eq!(data.tone, Tone::Err);
    }

    #[test]
    fn a_service_on_a_degraded_pool_is_flagged_in_the_services_list() {
        let mut st = Storage::new(vec![ZfsHost::local()]);
        st.feed(
            "local",
            ZfsFeed {
                snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
                status: SourceStatus::Live,
            },
        );
        let mut sonarr = sample::service("s1", "media_sonarr", Some("media"), 1);
        sonarr.host_paths = vec![SafeText::new("/mnt/tank/media/tv")];
        let other = sample::service("s2", "media_other", Some("media"), 1);
        let snap = SwarmSnapshot {
            services: vec![sonarr, other],
            ..SwarmSnapshot::default()
        };
        let view = SwarmView::Services { stack: None };
        let mut rows = crate::app::swarm::rows::rows(&view, &snap, crate::core::time::Timestamp(0));
        st.fill(&view, "local", &snap, &mut rows);
        let data = columns(&view)
            .iter()
            .position(|c| c.title == "DATA")
            .unwrap();
        let row = |k: &str| rows.iter().find(|r| r.key == k).unwrap();
        assert_eq!(
            row("s1").cells[data].text.as_str(),
            "tank/media (pool tank DEGRADED)"
        );
        assert_eq!(row("s1").cells[0].tone, Tone::Err, "the name is flagged");
        assert_eq!(row("s2").cells[data].text.as_str(), "");
        assert_ne!(row("s2").cells[0].tone, Tone::Err);
    }
}
