//! The VLANs pane fed as its sources feed it: seed 002's plan, this host's links and a
//! macvlan network; a VLAN opened on what is on it; rates read only while shown.

use super::pane::{VlansMsg, VlansPane, VlansView};
use crate::app::pane::{Pane, PaneMsg};
use crate::app::shell::Shell;
use crate::backend::net::watch::LinksFeed;
use crate::backend::net::{Link, LinkKind, OperState};
use crate::backend::swarm::model::{Network, SwarmSnapshot};
use crate::backend::swarm::watch::SwarmFeed;
use crate::config::inventory::parse;
use crate::core::action::Action;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use std::sync::Arc;

fn link(
    index: u32,
    name: &str,
    kind: LinkKind,
    parent: Option<&str>,
    addrs: &[&str],
    up: bool,
) -> Link {
    Link {
        index,
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        controller: None,
        admin_up: true,
        oper: if up {
            OperState::Up
        } else {
            OperState::LowerLayerDown
        },
        mtu: 1500,
        addresses: addrs.iter().map(|a| a.parse().unwrap()).collect(),
        rx_bytes: 0,
        tx_bytes: 0,
    }
}

/// Seed 002's plan on n5: eno1 on VLAN 4, bridge64 over eno1.64 (down), a macvlan
/// network on eno1.64 whose subnet is not VLAN 64's.
pub(crate) fn seed_002(s: &mut crate::app::state::State) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/inventory.toml"
    ))
    .unwrap();
    let p = s
        .find_mut::<VlansPane>()
        .expect("the registry has the VLANs pane");
    p.inventory = parse(&text).unwrap();
    p.warnings.clear();
    p.hostname = "n5".into();
    p.clusters = vec![crate::app::sources::Shared {
        spec: crate::backend::kube::config::ClusterSpec {
            name: "homelab".into(),
            context: "homelab".into(),
            kubeconfig: Err("none in tests".into()),
            read_only: true,
            namespaces: Vec::new(),
            timeout: std::time::Duration::from_secs(1),
        },
        name: "homelab".into(),
        status: SourceStatus::Live,
        data: None,
    }];
    p.engines.truncate(1);
    p.engines[0].name = "nas".into();
    let mut port = link(4, "eno1.64", LinkKind::Vlan(64), Some("eno1"), &[], false);
    port.controller = Some("bridge64".into());
    let links = vec![
        link(1, "lo", LinkKind::Loopback, None, &["127.0.0.1/8"], true),
        link(
            2,
            "eno1",
            LinkKind::Physical,
            None,
            &["192.168.4.5/24"],
            true,
        ),
        link(
            3,
            "bridge64",
            LinkKind::Bridge,
            None,
            &["192.168.64.1/20"],
            true,
        ),
        port,
    ];
    let snap = SwarmSnapshot {
        networks: vec![Network {
            id: "n1".into(),
            name: SafeText::new("iot"),
            driver: SafeText::new("macvlan"),
            scope: SafeText::new("local"),
            subnets: vec![SafeText::new("10.64.0.0/24")],
            attachable: false,
            encrypted: false,
            internal: false,
            ingress: false,
            stack: None,
            parent: Some(SafeText::new("eno1.64")),
        }],
        ..SwarmSnapshot::default()
    };
    let to = |m: VlansMsg| crate::app::msg::Msg::Pane {
        pane: super::pane::ID,
        msg: PaneMsg::new(m),
    };
    // The homelab cluster: MetalLB's pool, Traefik's VIP and Home Assistant's IoT
    // attachment on N5's bridge.
    let mut cluster = crate::backend::kube::data::ClusterData::default();
    let at = |ns: &str, name: &str| crate::backend::kube::model::ObjRef {
        ns: SafeText::new(ns),
        name: SafeText::new(name),
    };
    std::sync::Arc::make_mut(&mut cluster.address_pools).insert(
        "metallb-system/services".into(),
        crate::backend::kube::model::AddressPoolCr {
            at: at("metallb-system", "services"),
            addresses: vec![SafeText::new("192.168.8.51-192.168.8.79")],
        },
    );
    std::sync::Arc::make_mut(&mut cluster.services).insert(
        "network/traefik".into(),
        crate::backend::kube::model::Service {
            at: at("network", "traefik"),
            kind: SafeText::new("LoadBalancer"),
            cluster_ip: SafeText::new("10.96.0.20"),
            external: vec![SafeText::new("192.168.8.50")],
            ports: Vec::new(),
            selector: Vec::new(),
            created: None,
        },
    );
    std::sync::Arc::make_mut(&mut cluster.attachments).insert(
        "home/iot".into(),
        crate::backend::kube::model::Attachment {
            at: at("home", "iot"),
            plugin: SafeText::new("bridge"),
            link: Some(SafeText::new("bridge64")),
            vlan: None,
            subnet: Some(SafeText::new("192.168.64.0/20")),
        },
    );
    for m in [
        to(VlansMsg::Links(LinksFeed {
            links: Arc::new(links),
            rates: Arc::new(vec![("eno1".into(), 2 << 20, 64 << 10)]),
            status: SourceStatus::Live,
        })),
        to(VlansMsg::Kube {
            cluster: "homelab".into(),
            feed: crate::backend::kube::watch::KubeFeed {
                data: Arc::new(cluster),
                status: SourceStatus::Live,
                conn: None,
            },
        }),
        to(VlansMsg::Swarm {
            engine: "nas".into(),
            feed: SwarmFeed {
                snapshot: Some(Arc::new(snap)),
                status: SourceStatus::Live,
            },
        }),
    ] {
        crate::app::update::update(s, m);
    }
}

fn cells(p: &VlansPane, key: &str) -> Vec<String> {
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
fn vlans_show_their_links_hosts_and_warnings_and_open_on_what_is_on_them() {
    let mut s = crate::app::update::tests::bare_state(crate::core::access::AccessMode::ReadOnly);
    seed_002(&mut s);
    let p = s.find::<VlansPane>().unwrap();
    let v64 = cells(p, "64");
    assert_eq!(v64[1], "iot");
    assert_eq!(v64[4], "bridge64 eno1.64↓", "the VLAN port is down");
    assert!(
        v64[9].starts_with("docker network nas/iot (macvlan on eno1.64) has subnet 10.64.0.0/24"),
        "{v64:?}"
    );
    let v4 = cells(p, "4");
    assert_eq!(v4[8], "2.0 MiB/s↓ 64.0 KiB/s↑");
    let mut shell: Shell = s.shell;
    let p = s
        .panes
        .iter_mut()
        .find_map(|p| p.as_any_mut().downcast_mut::<VlansPane>())
        .unwrap();
    let at = (0..p.level().table.rows_len())
        .position(|i| p.level().table.row(i).is_some_and(|r| r.key == "64"))
        .unwrap();
    p.levels.current_mut().table.move_by(at as isize);
    p.action(&mut shell, Action::Open);
    assert_eq!(p.level().view, VlansView::Vlan(64));
    let keys: Vec<String> = (0..p.level().table.rows_len())
        .filter_map(|i| p.level().table.row(i).map(|r| r.key.clone()))
        .collect();
    assert!(keys.iter().any(|k| k.starts_with("warning/")), "{keys:?}");
    assert!(
        keys.iter()
            .any(|k| k == "host/0/home-assistant 192.168.64.2"),
        "{keys:?}"
    );
    let port = keys
        .iter()
        .find(|k| k.starts_with("link/") && k.ends_with("eno1.64"))
        .unwrap();
    let detail = &cells(p, port)[2];
    assert!(
        detail.starts_with("vlan 64 on eno1 · DOWN · mtu 1500"),
        "{detail}"
    );
}
