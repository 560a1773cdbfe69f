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
        networks: vec![DockerNet {
            engine: "nas",
            name: "iot",
            driver: "macvlan",
            parent: Some("eno1.64"),
            subnets: vec!["192.168.64.0/24"],
        }],
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
