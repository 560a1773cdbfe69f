//! The storage map on seed 002's and 003's shapes: bind mounts, hostPath and NFS PVs
//! under a dataset, OpenEBS ZFS LocalPVs by their dataset, TrueNAS apps by name; the
//! reverse line; the flags.

use super::storage::{Data, DatasetInfo, Holder, Workload, flagged, keeps_sqlite, map};

fn ds(name: &str, mountpoint: &str, health: &str) -> DatasetInfo {
    DatasetInfo {
        host: "local".into(),
        name: name.into(),
        mountpoint: mountpoint.into(),
        pool_health: health.into(),
    }
}

fn holder(w: Workload, data: Data, sqlite: bool) -> Holder {
    Holder {
        workload: w,
        data,
        sqlite,
    }
}

fn swarm(s: &str) -> Workload {
    Workload::Swarm {
        engine: "nas".into(),
        service: s.into(),
    }
}

fn pv(name: &str) -> Workload {
    Workload::Pv {
        cluster: "homelab".into(),
        name: name.into(),
        claim: Some(format!("media/{name}")),
    }
}

#[test]
fn every_kind_of_data_maps_to_its_dataset_and_back() {
    let datasets = [
        ds("tank", "/mnt/tank", "DEGRADED"),
        ds("tank/media", "/mnt/tank/media", "DEGRADED"),
        ds("tank/mediax", "/mnt/tank/mediax", "DEGRADED"),
        ds("vms/pvc-9", "legacy", "ONLINE"),
        ds(
            "ai/ix-apps/app_mounts/plex",
            "/mnt/.ix-apps/app_mounts/plex",
            "ONLINE",
        ),
        ds(
            "ai/ix-apps/app_mounts/plex/config",
            "/mnt/.ix-apps/app_mounts/plex/config",
            "ONLINE",
        ),
    ];
    let holders = [
        holder(
            swarm("media_sonarr"),
            Data::Path("/mnt/tank/media/tv".into()),
            true,
        ),
        holder(
            swarm("media_other"),
            Data::Path("/srv/elsewhere".into()),
            false,
        ),
        holder(
            pv("config"),
            Data::Path("/mnt/tank/media/config".into()),
            false,
        ),
        holder(
            pv("radarr"),
            Data::Nfs {
                server: "192.168.4.5".into(),
                path: "/mnt/tank/mediax/radarr".into(),
            },
            true,
        ),
        holder(
            pv("remote"),
            Data::Nfs {
                server: "10.1.1.1".into(),
                path: "/mnt/tank/media".into(),
            },
            false,
        ),
        holder(pv("pvc-9"), Data::Dataset("vms/pvc-9".into()), false),
        holder(
            Workload::Container {
                engine: "local".into(),
                name: "ix-plex-plex-1".into(),
                project: Some("ix-plex".into()),
            },
            Data::Path("/mnt/.ix-apps/app_mounts/plex/config".into()),
            true,
        ),
    ];
    let uses = map(&datasets, &holders, &["192.168.4.5".into(), "nas".into()]);
    let seen: Vec<(String, &str, &str)> = uses
        .iter()
        .map(|u| (u.workload.label(), u.dataset.as_str(), u.via.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "TrueNAS app plex".to_string(),
                "ai/ix-apps/app_mounts/plex",
                "TrueNAS app"
            ),
            (
                "TrueNAS app plex".to_string(),
                "ai/ix-apps/app_mounts/plex/config",
                "/mnt/.ix-apps/app_mounts/plex/config"
            ),
            (
                "swarm nas/media_sonarr".to_string(),
                "tank/media",
                "/mnt/tank/media/tv"
            ),
            (
                "pv homelab/config (media/config)".to_string(),
                "tank/media",
                "/mnt/tank/media/config"
            ),
            (
                "pv homelab/radarr (media/radarr)".to_string(),
                "tank/mediax",
                "nfs 192.168.4.5:/mnt/tank/mediax/radarr"
            ),
            (
                "pv homelab/pvc-9 (media/pvc-9)".to_string(),
                "vms/pvc-9",
                "zfs localpv"
            ),
        ],
        "the deepest dataset wins, tank/media is not tank/mediax, another server's export is not ours"
    );
    let sonarr = uses.iter().find(|u| u.dataset == "tank/media").unwrap();
    assert_eq!(sonarr.data_line(), "data: tank/media (pool tank DEGRADED)");
    let radarr = uses.iter().find(|u| u.dataset == "tank/mediax").unwrap();
    assert!(radarr.sqlite_on_nfs);
    assert_eq!(
        radarr.data_line(),
        "data: tank/mediax (pool tank DEGRADED) · SQLite on NFS"
    );
    let flags = flagged(&uses);
    assert_eq!(
        flags.len(),
        3,
        "three on tank, one of them SQLite on NFS too: {flags:#?}"
    );
    assert!(
        !flags.iter().any(|f| f.contains("plex")),
        "ai is ONLINE, plex is not on NFS"
    );
}

#[test]
fn sqlite_apps_are_recognised_by_image() {
    assert!(keeps_sqlite("lscr.io/linuxserver/sonarr:4"));
    assert!(keeps_sqlite("ghcr.io/home-assistant/home-assistant:stable"));
    assert!(!keeps_sqlite("nginx:1.27"));
}

#[test]
fn a_compose_container_maps_by_its_mounts_and_a_plain_one_without_any_is_left_out() {
    use crate::backend::swarm::model::Container;
    use crate::core::text::SafeText;
    let datasets = [ds("tank/apps", "/mnt/tank/apps", "ONLINE")];
    let c = |name: &str, project: Option<&str>, paths: &[&str]| Container {
        id: name.into(),
        name: SafeText::new(name),
        project: project.map(SafeText::new),
        compose_service: None,
        image: SafeText::new("nginx:1.27"),
        state: SafeText::new("running"),
        status: SafeText::default(),
        status_after: SafeText::default(),
        status_since: None,
        created: None,
        host_paths: paths.iter().map(|p| SafeText::new(p)).collect(),
    };
    let containers = [
        c(
            "web-app-1",
            Some("web"),
            &["/mnt/tank/apps/web", "/etc/localtime"],
        ),
        c("lonely", None, &[]),
    ];
    let holders = super::storage::swarm_holders("nas", &[], &containers);
    assert_eq!(holders.len(), 2, "one per host folder; none for no folder");
    let uses = map(&datasets, &holders, &[]);
    assert_eq!(uses.len(), 1, "{uses:#?}");
    assert_eq!(uses[0].dataset, "tank/apps");
    assert_eq!(uses[0].workload.label(), "container nas/web-app-1");
}
