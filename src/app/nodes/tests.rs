//! The Nodes pane fed as its sources feed it: machines merged with their roles and
//! health, a host opened on what runs on it; and every pane started at once watches
//! each source once.

use super::msg::{Here, NodesMsg};
use super::pane::NodesPane;
use super::view::NodesView;
use crate::app::pane::{Pane, PaneMsg};
use crate::app::shell::Shell;
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::model::{Node as KubeNode, ObjRef, Pod, PodHealth};
use crate::backend::kube::watch::KubeFeed;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::model::{Node as SwarmNode, SwarmSnapshot};
use crate::backend::swarm::watch::SwarmFeed;
use crate::config::inventory::parse;
use crate::core::action::Action;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use std::sync::Arc;

const INVENTORY: &str = "\
[[hosts]]
name = \"n5\"
addresses = [\"127.0.0.1\"]
kube_nodes = [\"homelab/n5-k0s\"]

[[hosts]]
name = \"m4\"
addresses = [\"127.0.0.2\"]
probe_port = 0
";

fn shell() -> Shell {
    crate::app::update::tests::bare_state(crate::core::access::AccessMode::ReadOnly).shell
}

fn pane() -> NodesPane {
    let endpoint = Endpoint::from_value(Some("unix:///nonexistent/nodes.sock"));
    NodesPane::new(
        vec![endpoint],
        Vec::new(),
        Vec::new(),
        Ok(Some(parse(INVENTORY).unwrap())),
    )
}

fn deliver(p: &mut NodesPane, shell: &mut Shell, m: NodesMsg) {
    p.message(shell, PaneMsg::new(m));
    p.settle(shell);
}

fn swarm_feed(state: &str) -> NodesMsg {
    let node = SwarmNode {
        id: "node1".into(),
        hostname: SafeText::new("n5"),
        role: SafeText::new("manager"),
        state: SafeText::new(state),
        availability: SafeText::new("active"),
        addr: SafeText::new("127.0.0.1"),
        leader: true,
        ..SwarmNode::default()
    };
    let snap = SwarmSnapshot {
        nodes: vec![node],
        ..SwarmSnapshot::default()
    };
    NodesMsg::Swarm {
        engine: "local".into(),
        feed: SwarmFeed {
            snapshot: Some(Arc::new(snap)),
            status: SourceStatus::Live,
        },
    }
}

fn cells(p: &NodesPane, key: &str) -> Vec<String> {
    let t = &p.level().table;
    (0..t.rows_len())
        .filter_map(|i| t.row(i))
        .find(|r| r.key == key)
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.text.as_str().to_string())
                .collect()
        })
        .unwrap_or_else(|| panic!("no row {key}"))
}

#[test]
fn machines_show_their_roles_and_health_and_a_host_opens_on_what_runs_there() {
    let mut shell = shell();
    let mut p = pane();
    deliver(&mut p, &mut shell, swarm_feed("ready"));
    let n5 = cells(&p, "n5");
    assert_eq!(n5[1], "swarm:manager★");
    assert_eq!(n5[2], "ok");
    assert_eq!(cells(&p, "m4")[1], "outside");

    // The same machine in a cluster, by the inventory's name for it; a pod on it.
    let mut data = ClusterData::default();
    let node = KubeNode {
        name: SafeText::new("n5-k0s"),
        ready: Some(false),
        roles: vec![SafeText::new("control-plane")],
        cpu: (SafeText::new("4"), SafeText::new("3800m")),
        memory: (SafeText::new("16318412Ki"), SafeText::new("15Gi")),
        ..KubeNode::default()
    };
    Arc::make_mut(&mut data.nodes).insert("n5-k0s".into(), node);
    let pod = Pod {
        at: ObjRef {
            ns: SafeText::new("dns"),
            name: SafeText::new("adguard-0"),
        },
        status: SafeText::new("Running"),
        health: PodHealth::Running,
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        node: SafeText::new("n5-k0s"),
        ip: SafeText::default(),
        created: None,
        owner: None,
        containers: Vec::new(),
        labels: Vec::new(),
        claims: Vec::new(),
    };
    Arc::make_mut(&mut data.pods).insert("dns/adguard-0".into(), pod);
    p.clusters.push(crate::app::sources::Shared {
        spec: test_spec(),
        name: "homelab".into(),
        status: SourceStatus::Live,
        data: None,
    });
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Kube {
            cluster: "homelab".into(),
            feed: KubeFeed {
                data: Arc::new(data),
                status: SourceStatus::Live,
                conn: None,
            },
        },
    );
    let n5 = cells(&p, "n5");
    assert_eq!(n5[1], "swarm:manager★ homelab:control-plane");
    assert_eq!(n5[2], "homelab NotReady", "the worst news");
    // Capacity as numbers beside other hosts', and what Kubernetes may schedule there.
    assert_eq!(n5[4..6], ["4", "15.6 GiB"]);
    assert_eq!(n5[8], "3.8 cpu 15.0 GiB");
    assert!(
        p.unwell().iter().any(|u| u.contains("n5")),
        "{:?}",
        p.unwell()
    );

    // A Swarm node down is worse news still, said with how many more.
    deliver(&mut p, &mut shell, swarm_feed("down"));
    assert_eq!(cells(&p, "n5")[2], "swarm down +1");

    // Opened: the pod with its cluster.
    p.action(&mut shell, Action::Open);
    assert_eq!(p.level().view, NodesView::Host { name: "n5".into() });
    let pod = cells(&p, "pod/homelab/dns/adguard-0");
    assert_eq!(pod[..4], ["pod", "homelab", "dns/adguard-0", "Running"]);
    p.action(&mut shell, Action::Back);
    assert_eq!(p.level().view, NodesView::Hosts);
}

fn test_spec() -> crate::backend::kube::config::ClusterSpec {
    crate::backend::kube::config::ClusterSpec {
        name: "homelab".into(),
        context: "homelab".into(),
        kubeconfig: Err("none in tests".into()),
        read_only: true,
        namespaces: Vec::new(),
        timeout: std::time::Duration::from_secs(1),
    }
}

#[test]
fn this_machine_is_marked_and_its_links_show_when_opened() {
    let mut shell = shell();
    let mut p = pane();
    let link = crate::backend::net::Link {
        index: 2,
        name: "eno1".into(),
        kind: crate::backend::net::LinkKind::Physical,
        parent: None,
        controller: None,
        admin_up: true,
        oper: crate::backend::net::OperState::Down,
        mtu: 1500,
        addresses: vec!["127.0.0.2/8".parse().unwrap()],
        rx_bytes: 0,
        tx_bytes: 0,
    };
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Here(Here {
            links: vec![link],
            cpus: 4,
            memory: 8 << 30,
            error: None,
        }),
    );
    // m4's inventory address is this machine's: it is here.
    let m4 = cells(&p, "m4");
    assert_eq!(m4[0], "m4 (here)");
    assert_eq!(m4[4], "4");
    assert_eq!(m4[5], "8.0 GiB");
    let at = (0..p.level().table.rows_len())
        .position(|i| p.level().table.row(i).is_some_and(|r| r.key == "m4"))
        .unwrap();
    p.levels.current_mut().table.move_by(at as isize);
    p.action(&mut shell, Action::Open);
    let eno1 = cells(&p, "link/eno1");
    assert_eq!(eno1[..4], ["link", "physical", "eno1", "down"]);
}

/// Every pane of the registry started on one hub: the engines, hosts and clusters the
/// Swarm, ZFS, Kubernetes and Nodes panes all read are each watched once.
#[tokio::test]
async fn every_pane_started_watches_each_source_once() {
    let text = "\
[[docker]]
name = \"nas\"
host = \"unix:///nonexistent/labdeck-a.sock\"

[[docker]]
name = \"n5\"
host = \"unix:///nonexistent/labdeck-b.sock\"

[[zfs]]
name = \"nas\"
prefix = [\"false\"]

[[zfs]]
name = \"n5\"
prefix = [\"false\", \"n5\"]

[[kube]]
context = \"homelab\"
kubeconfig = \"/nonexistent/kubeconfig\"
";
    let tables = crate::app::registry::tables();
    let (settings, _) = crate::config::settings::Settings::parse(text, &tables).unwrap();
    let mut panes = crate::app::registry::panes(&settings);
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut hub = crate::backend::hub::Hub::new(cancel.clone());
    let mut feeds = 0;
    for p in &mut panes {
        feeds += p.start(&mut hub).len();
    }
    let w = hub.watched();
    assert_eq!((w.engines, w.hosts, w.clusters), (2, 2, 1), "{w:?}");
    assert!(w.links, "this host's links, once");
    // The feeds read them many times over: their own panes (2 engines, 2 hosts, 1
    // cluster; the Swarm and Kubernetes panes the hosts too, for where their workloads'
    // data is, and Kubernetes the links), Nodes (all 5, the links, reachability, the
    // machine) and VLANs (the engines, the cluster, the links).
    assert_eq!(
        feeds,
        (5 + 2 + 3) + (5 + 3) + (3 + 1),
        "the Swarm and Kubernetes panes read the ZFS hosts too (Kubernetes the links)"
    );
    cancel.cancel();
}

/// The Nodes pane of `s` as seed 002's lab would feed it: the example inventory; n5 a
/// Swarm manager and in the homelab and sandbox clusters; m1's VM a homelab worker;
/// the VPS a cloud worker that is not ready. This machine is n5.
pub(crate) fn seed_002(s: &mut crate::app::state::State) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/inventory.toml"
    ))
    .unwrap();
    let p = s
        .find_mut::<NodesPane>()
        .expect("the registry has the Nodes pane");
    p.inventory = parse(&text).unwrap();
    p.warnings.clear();
    p.hostname = "n5".into();
    p.zfs = vec![crate::app::sources::Shared::new(
        "local".into(),
        crate::backend::zfs::runner::ZfsHost::local(),
    )];
    p.engines.truncate(1);
    p.engines[0].name = "nas".into();
    p.clusters = ["homelab", "sandbox", "cloud"]
        .into_iter()
        .map(|c| crate::app::sources::Shared {
            spec: crate::backend::kube::config::ClusterSpec {
                name: c.into(),
                context: c.into(),
                ..test_spec()
            },
            name: c.into(),
            status: SourceStatus::Live,
            data: None,
        })
        .collect();
    let node = |name: &str, ip: &str, ready: bool, cp: bool, cpu: &str, mem: &str| KubeNode {
        name: SafeText::new(name),
        address: SafeText::new(ip),
        ready: Some(ready),
        roles: if cp {
            vec![SafeText::new("control-plane")]
        } else {
            Vec::new()
        },
        version: SafeText::new("v1.33.2+k0s"),
        cpu: (SafeText::new(cpu), SafeText::new(cpu)),
        memory: (SafeText::new(mem), SafeText::new(mem)),
        ..KubeNode::default()
    };
    let clusters = [
        (
            "homelab",
            vec![
                node("n5", "192.168.4.5", true, true, "24", "91Gi"),
                node("m1-worker", "192.168.4.81", true, false, "4", "8Gi"),
            ],
        ),
        (
            "sandbox",
            vec![node("n5", "192.168.4.5", true, false, "24", "91Gi")],
        ),
        (
            "cloud",
            vec![node("vps", "85.31.234.30", false, false, "2", "4Gi")],
        ),
    ];
    let mut swarm = SwarmSnapshot::default();
    swarm.nodes.push(SwarmNode {
        id: "sn5".into(),
        hostname: SafeText::new("n5"),
        role: SafeText::new("manager"),
        availability: SafeText::new("active"),
        state: SafeText::new("ready"),
        addr: SafeText::new("192.168.4.5"),
        leader: true,
        engine_version: SafeText::new("27.5.1"),
        cpus: 24,
        memory: 91 << 30,
        ..SwarmNode::default()
    });
    // Caddy runs on N5 from a folder on tank/media; AdGuard is a pod there, its config
    // on a hostPath PV under tank.
    let mut caddy =
        crate::backend::swarm::sample::service("s-caddy", "infra_caddy", Some("infra"), 1);
    caddy.host_paths = vec![SafeText::new("/mnt/tank/media/caddy")];
    swarm.services.push(caddy);
    let mut task = crate::backend::swarm::sample::task("t-caddy", "s-caddy", 1, "running", 3600);
    task.node_id = Some("sn5".into());
    swarm.tasks.push(task);
    let to = |m: NodesMsg| crate::app::msg::Msg::Pane {
        pane: super::pane::ID,
        msg: PaneMsg::new(m),
    };
    let mut msgs = vec![to(NodesMsg::Swarm {
        engine: "nas".into(),
        feed: SwarmFeed {
            snapshot: Some(Arc::new(swarm)),
            status: SourceStatus::Live,
        },
    })];
    for (cluster, nodes) in clusters {
        let mut data = ClusterData::default();
        for n in nodes {
            Arc::make_mut(&mut data.nodes).insert(n.name.as_str().to_string(), n);
        }
        if cluster == "homelab" {
            adguard(&mut data);
        }
        msgs.push(to(NodesMsg::Kube {
            cluster: cluster.into(),
            feed: KubeFeed {
                data: Arc::new(data),
                status: SourceStatus::Live,
                conn: None,
            },
        }));
    }
    // N5's pools (seed 002: ai, vms, tank), tank DEGRADED; M4 refuses its probe.
    msgs.push(to(NodesMsg::Zfs {
        host: "local".into(),
        feed: crate::backend::zfs::watch::ZfsFeed {
            snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
            status: SourceStatus::Live,
        },
    }));
    let reach = [
        ("192.168.4.5:22", crate::backend::probe::Reach::Up),
        (
            "192.168.4.14:22",
            crate::backend::probe::Reach::Down("Connection refused (os error 111)".into()),
        ),
    ]
    .into_iter()
    .map(|(a, r)| (a.parse().unwrap(), r))
    .collect();
    msgs.push(to(NodesMsg::Reach(Arc::new(reach))));
    msgs.push(to(NodesMsg::Here(Here {
        links: vec![crate::backend::net::Link {
            index: 2,
            name: "eno1".into(),
            kind: crate::backend::net::LinkKind::Physical,
            parent: None,
            controller: None,
            admin_up: true,
            oper: crate::backend::net::OperState::Up,
            mtu: 1500,
            addresses: vec!["192.168.4.5/24".parse().unwrap()],
            rx_bytes: 0,
            tx_bytes: 0,
        }],
        cpus: 24,
        memory: 91 << 30,
        error: None,
    })));
    for m in msgs {
        crate::app::update::update(s, m);
    }
}

/// `:storagemap`: each workload beside the dataset its data is in, a degraded pool said
/// on the row and in the tab bar's alert.
#[test]
fn the_storage_view_maps_workloads_to_datasets_and_flags_a_degraded_pool() {
    let mut shell = shell();
    let endpoint = Endpoint::from_value(Some("unix:///nonexistent/nodes.sock"));
    let mut p = NodesPane::new(
        vec![endpoint],
        Vec::new(),
        vec![crate::backend::zfs::runner::ZfsHost::local()],
        Ok(None),
    );
    let mut sonarr = crate::backend::swarm::sample::service("s1", "media_sonarr", Some("media"), 1);
    sonarr.image = SafeText::new("lscr.io/linuxserver/sonarr:4");
    sonarr.host_paths = vec![SafeText::new("/mnt/tank/media/tv")];
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
        services: vec![sonarr],
        containers: vec![plex],
        ..SwarmSnapshot::default()
    };
    let engine = p.engines[0].name.clone();
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Swarm {
            engine,
            feed: SwarmFeed {
                snapshot: Some(Arc::new(snap)),
                status: SourceStatus::Live,
            },
        },
    );
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Zfs {
            host: "local".into(),
            feed: crate::backend::zfs::watch::ZfsFeed {
                snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
                status: SourceStatus::Live,
            },
        },
    );
    p.command(&mut shell, "storagemap");
    assert_eq!(p.level().view, NodesView::Storage);
    let t = &p.level().table;
    let rows: Vec<Vec<String>> = (0..t.rows_len())
        .filter_map(|i| t.row(i))
        .map(|r| {
            r.cells
                .iter()
                .take(4)
                .map(|c| c.text.as_str().to_string())
                .collect()
        })
        .collect();
    assert!(
        rows.contains(&vec![
            "tank/media".to_string(),
            "tank DEGRADED".into(),
            "swarm unix:///nonexistent/nodes.sock/media_sonarr".into(),
            "/mnt/tank/media/tv".into(),
        ]) || rows.iter().any(|r| r[0] == "tank/media"
            && r[1] == "tank DEGRADED"
            && r[2].ends_with("/media_sonarr")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "tank/ix-apps/app_mounts/plex" && r[2] == "TrueNAS app plex"),
        "{rows:#?}"
    );
    assert!(
        p.unwell().iter().any(|u| u == "2 on degraded pools"),
        "{:?}",
        p.unwell()
    );
}

/// The lesser news a machine can carry, each said in its health: a drained Swarm
/// worker, a cordoned Kubernetes node under pressure, its pool not ONLINE; a host
/// opens on its Swarm tasks; and only the inventory's addresses are probed.
#[test]
fn workers_drains_cordons_pressure_and_pools_are_said_and_a_host_opens_on_its_tasks() {
    use crate::backend::swarm::sample;
    const INV: &str = "\
[[hosts]]
name = \"nas\"
addresses = [\"127.0.0.1\", \"127.0.0.3\"]
swarm_node = \"truenas\"
kube_nodes = [\"homelab/nas-k\"]
zfs = \"tank-host\"

[[hosts]]
name = \"mac\"
addresses = [\"127.0.0.4\"]
probe_port = 0
";
    let mut shell = shell();
    let endpoint = Endpoint::from_value(Some("unix:///nonexistent/nodes.sock"));
    let mut zfs = crate::backend::zfs::runner::ZfsHost::local();
    zfs.name = "tank-host".into();
    let mut p = NodesPane::new(
        vec![endpoint],
        Vec::new(),
        vec![zfs],
        Ok(Some(parse(INV).unwrap())),
    );
    // Probed: the inventory's addresses with their port; not the host that says 0,
    // nor any address only a source reports.
    let mut targets = p.probe_targets();
    targets.sort();
    assert_eq!(
        targets,
        [
            ("127.0.0.1".parse().unwrap(), 22),
            ("127.0.0.3".parse().unwrap(), 22)
        ]
    );

    let mut worker = sample::node("node1", "truenas", false);
    worker.availability = SafeText::new("drain");
    worker.addr = SafeText::new("10.9.9.9");
    let svc = sample::service("s1", "media_sonarr", Some("media"), 1);
    let task = sample::task("t1", "s1", 1, "running", 60);
    let snap = SwarmSnapshot {
        nodes: vec![worker],
        services: vec![svc],
        tasks: vec![task],
        ..SwarmSnapshot::default()
    };
    let engine = p.engines[0].name.clone();
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Swarm {
            engine,
            feed: SwarmFeed {
                snapshot: Some(Arc::new(snap)),
                status: SourceStatus::Live,
            },
        },
    );
    let nas = cells(&p, "nas");
    assert_eq!(nas[1], "swarm:worker", "a worker, no star");
    assert_eq!(nas[2], "swarm drain");

    let mut data = ClusterData::default();
    let node = KubeNode {
        name: SafeText::new("nas-k"),
        ready: Some(true),
        cordoned: true,
        pressure: vec![SafeText::new("DiskPressure")],
        ..KubeNode::default()
    };
    Arc::make_mut(&mut data.nodes).insert("nas-k".into(), node);
    p.clusters.push(crate::app::sources::Shared {
        spec: test_spec(),
        name: "homelab".into(),
        status: SourceStatus::Live,
        data: None,
    });
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Kube {
            cluster: "homelab".into(),
            feed: KubeFeed {
                data: Arc::new(data),
                status: SourceStatus::Live,
                conn: None,
            },
        },
    );
    let nas = cells(&p, "nas");
    assert_eq!(nas[1], "swarm:worker homelab:worker");
    assert_eq!(
        nas[2], "swarm drain +2",
        "drained, cordoned, under pressure"
    );

    // Its pools, from the ZFS source the inventory names: one DEGRADED is the worst.
    deliver(
        &mut p,
        &mut shell,
        NodesMsg::Zfs {
            host: "tank-host".into(),
            feed: crate::backend::zfs::watch::ZfsFeed {
                snapshot: Some(Arc::new(crate::backend::zfs::sample::nas())),
                status: SourceStatus::Live,
            },
        },
    );
    let nas = cells(&p, "nas");
    assert!(nas[6].contains("tank DEGRADED"), "{nas:?}");
    assert!(nas[2].starts_with("pool tank DEGRADED +"), "{nas:?}");
    assert!(
        p.unwell().iter().any(|u| u.contains("nas")),
        "{:?}",
        p.unwell()
    );
    assert_eq!(cells(&p, "mac")[2], "ok", "nothing known against it");

    // Opened: its Swarm task, named as `docker service ps` names it.
    p.action(&mut shell, Action::Open);
    assert_eq!(p.level().view, NodesView::Host { name: "nas".into() });
    let task = cells(&p, "task/t1");
    assert_eq!(task[..4], ["task", "local", "media_sonarr.1", "running"]);
}

/// Seed 002's AdGuard on N5: its pod, and its config on a hostPath PV under tank.
fn adguard(data: &mut ClusterData) {
    let pod = Pod {
        at: ObjRef {
            ns: SafeText::new("dns"),
            name: SafeText::new("adguard-0"),
        },
        status: SafeText::new("Running"),
        health: PodHealth::Running,
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        node: SafeText::new("n5"),
        ip: SafeText::new("10.244.0.12"),
        created: None,
        owner: None,
        containers: Vec::new(),
        labels: Vec::new(),
        claims: vec![SafeText::new("adguard-conf")],
    };
    Arc::make_mut(&mut data.pods).insert("dns/adguard-0".into(), pod);
    let pv = crate::backend::kube::model::Pv {
        name: SafeText::new("adguard-conf"),
        phase: SafeText::new("Bound"),
        capacity: SafeText::new("1Gi"),
        class: SafeText::new("local"),
        reclaim: SafeText::new("Retain"),
        claim: Some(ObjRef {
            ns: SafeText::new("dns"),
            name: SafeText::new("adguard-conf"),
        }),
        source: crate::backend::kube::model::VolumeSource::HostPath {
            path: SafeText::new("/mnt/tank/apps/adguard"),
        },
        node: None,
        created: None,
    };
    Arc::make_mut(&mut data.pvs).insert("adguard-conf".into(), pv);
}
