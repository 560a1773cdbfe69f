//! The VLAN table on seed 002's plan, with links, a macvlan network and LoadBalancer
//! IPs as this host and its sources would report them.

use super::vlans::{DockerNet, Inputs, LoadBalancer, VlanRow, table};
use crate::backend::net::{Link, LinkKind, OperState};
use crate::config::inventory::parse;

fn link(index: u32, name: &str, kind: LinkKind, parent: Option<&str>, addrs: &[&str]) -> Link {
    Link {
        index,
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        controller: None,
        admin_up: true,
        oper: OperState::Up,
        mtu: 1500,
        addresses: addrs.iter().map(|a| a.parse().unwrap()).collect(),
        rx_bytes: 0,
        tx_bytes: 0,
    }
}

fn row(rows: &[VlanRow], id: u16) -> &VlanRow {
    rows.iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no VLAN {id}: {rows:#?}"))
}

#[test]
fn vlans_gather_their_links_networks_hosts_vips_and_warnings() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/inventory.toml"
    ))
    .unwrap();
    let inv = parse(&text).unwrap();
    let mut port = link(4, "eno1.64", LinkKind::Vlan(64), Some("eno1"), &[]);
    port.controller = Some("bridge64".into());
    let links = vec![
        link(1, "lo", LinkKind::Loopback, None, &["127.0.0.1/8"]),
        link(
            2,
            "eno1",
            LinkKind::Physical,
            None,
            &["192.168.4.5/24", "fe80::1/64"],
        ),
        link(3, "bridge64", LinkKind::Bridge, None, &["192.168.64.1/20"]),
        port,
        link(
            5,
            "eno2.99",
            LinkKind::Vlan(99),
            Some("eno2"),
            &["10.99.0.2/24"],
        ),
    ];
    let inputs = Inputs {
        inventory: &inv,
        here: "n5",
        links: &links,
        networks: vec![
            DockerNet {
                engine: "nas",
                name: "iot",
                driver: "macvlan",
                parent: Some("eno1.64"),
                subnets: vec!["192.168.64.0/24"],
            },
            DockerNet {
                engine: "nas",
                name: "ingress",
                driver: "overlay",
                parent: None,
                subnets: vec!["10.0.0.0/24"],
            },
            DockerNet {
                engine: "nas",
                name: "lan",
                driver: "bridge",
                parent: None,
                subnets: vec!["192.168.4.128/25"],
            },
        ],
        balancers: vec![
            LoadBalancer {
                cluster: "homelab",
                namespace: "dns",
                name: "adguard",
                ips: vec!["192.168.4.53".parse().unwrap()],
            },
            LoadBalancer {
                cluster: "homelab",
                namespace: "web",
                name: "rogue",
                ips: vec!["192.168.8.99".parse().unwrap()],
            },
        ],
        found_pools: Vec::new(),
        attachments: Vec::new(),
    };
    let (rows, warnings) = table(&inputs);
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [4, 8, 16, 64, 99]
    );
    let v64 = row(&rows, 64);
    assert_eq!(v64.links, ["bridge64", "eno1.64"]);
    assert_eq!(
        v64.networks,
        ["docker network nas/iot (macvlan on eno1.64)"]
    );
    assert_eq!(
        v64.hosts,
        ["home-assistant 192.168.64.2", "n5 192.168.64.1"]
    );
    assert!(v64.warnings.is_empty(), "{:?}", v64.warnings);
    let v4 = row(&rows, 4);
    assert_eq!(
        v4.networks,
        ["docker network nas/lan (bridge)"],
        "an overlay elsewhere is on no VLAN"
    );
    assert_eq!(v4.vips, ["homelab/dns/adguard 192.168.4.53"]);
    assert!(
        v4.hosts.contains(&"n5 192.168.4.5".to_string()),
        "this host, once: {:?}",
        v4.hosts
    );
    assert_eq!(v4.pools, ["adguard vip 192.168.4.53"]);
    let v8 = row(&rows, 8);
    assert_eq!(
        v8.warnings,
        ["LoadBalancer homelab/web/rogue's IP 192.168.8.99 is in no VIP pool"]
    );
    assert_eq!(v8.pools.len(), 2);
    // Found on a link, in no plan: its subnet from the link's address.
    let v99 = row(&rows, 99);
    assert!(!v99.planned);
    assert_eq!(
        v99.subnet.map(|s| s.to_string()).as_deref(),
        Some("10.99.0.0/24")
    );
    assert!(row(&rows, 16).links.is_empty() && row(&rows, 16).planned);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

/// MetalLB's pools count as VIP pools, and Multus attachments sit on the VLAN of
/// their link (or the one they tag), their subnet checked against it.
#[test]
fn cluster_pools_and_attachments_join_the_table() {
    use super::vlans::AttachNet;
    let inv = parse("[[vlans]]\nid = 8\nsubnet = \"192.168.8.0/24\"\n[[vlans]]\nid = 64\nsubnet = \"192.168.64.0/20\"\n").unwrap();
    let links = vec![link(
        3,
        "bridge64",
        LinkKind::Bridge,
        None,
        &["192.168.64.1/20"],
    )];
    let attach = |name, link: Option<&'static str>, vlan, subnet| AttachNet {
        cluster: "homelab",
        namespace: "iot",
        name,
        plugin: "bridge",
        link,
        vlan,
        subnet,
    };
    let inputs = Inputs {
        inventory: &inv,
        here: "n5",
        links: &links,
        networks: Vec::new(),
        balancers: vec![LoadBalancer {
            cluster: "homelab",
            namespace: "web",
            name: "traefik",
            ips: vec!["192.168.8.60".parse().unwrap()],
        }],
        found_pools: vec![crate::config::inventory::AddressPool {
            name: "metallb homelab/metallb-system/services".into(),
            kind: crate::config::inventory::PoolKind::Vip,
            range: "192.168.8.51-79".parse().unwrap(),
            vlan: None,
            line: 0,
        }],
        attachments: vec![
            attach("ha", Some("eno1.64"), None, Some("192.168.64.0/20")),
            attach("tagged", Some("br0"), Some(64), None),
            attach("astray", Some("eno1.64"), None, Some("10.0.0.0/24")),
        ],
    };
    let (rows, warnings) = table(&inputs);
    let v64 = row(&rows, 64);
    assert_eq!(v64.networks.len(), 3, "{:?}", v64.networks);
    assert!(
        v64.networks
            .iter()
            .any(|n| n == "attachment homelab/iot/tagged (bridge on br0)")
    );
    let texts: Vec<&str> = warnings.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "attachment homelab/iot/astray (bridge on eno1.64) has subnet 10.0.0.0/24, outside VLAN 64's 192.168.64.0/20"
        ],
        "traefik's IP is in MetalLB's pool"
    );
    assert_eq!(
        row(&rows, 8).pools,
        ["metallb homelab/metallb-system/services vip 192.168.8.51-192.168.8.79"]
    );
}
