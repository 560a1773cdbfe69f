//! The merge's rules on seed 002's inventory, with Swarm and Kubernetes nodes as their
//! sources report them.

use super::nodes::{Machine, Sources, merge};
use crate::backend::kube::model::Node as KubeNode;
use crate::backend::swarm::model::Node as SwarmNode;
use crate::config::inventory::{Inventory, parse};
use crate::core::text::SafeText;
use std::net::IpAddr;

fn inventory() -> Inventory {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/inventory.toml"
    ))
    .unwrap();
    parse(&text).unwrap()
}

fn swarm(id: &str, host: &str, addr: &str) -> SwarmNode {
    SwarmNode {
        id: id.into(),
        hostname: SafeText::new(host),
        addr: SafeText::new(addr),
        role: SafeText::new("manager"),
        state: SafeText::new("ready"),
        ..SwarmNode::default()
    }
}

fn kube(name: &str, ip: &str) -> KubeNode {
    KubeNode {
        name: SafeText::new(name),
        address: SafeText::new(ip),
        ready: Some(true),
        ..KubeNode::default()
    }
}

fn row<'a>(rows: &'a [Machine], name: &str) -> &'a Machine {
    rows.iter().find(|m| m.name == name).unwrap_or_else(|| {
        panic!(
            "no row {name}: {:#?}",
            rows.iter().map(|m| &m.name).collect::<Vec<_>>()
        )
    })
}

#[test]
fn hosts_merge_by_name_by_what_the_inventory_says_and_by_address() {
    let inv = inventory();
    let nas_nodes = [
        swarm("s1", "n5", "192.168.4.5"),
        swarm("s2", "worker-7", "192.168.4.81"),
    ];
    // The same swarm read through a second manager: its nodes once.
    let other_manager = [swarm("s1", "n5", "192.168.4.5")];
    let homelab = [kube("n5", "192.168.4.5"), kube("m1-worker", "192.168.4.81")];
    let cloud = [kube("vps", "85.31.234.30")];
    let sandbox = [kube("n5", "192.168.4.5")];
    let here: [IpAddr; 1] = ["192.168.4.5".parse().unwrap()];
    let rows = merge(&Sources {
        inventory: &inv,
        swarm: vec![("nas", &nas_nodes), ("nas2", &other_manager)],
        kube: vec![
            ("homelab", homelab.iter().collect()),
            ("cloud", cloud.iter().collect()),
            ("sandbox", sandbox.iter().collect()),
        ],
        here: ("truenas", &here),
    });
    let n5 = row(&rows, "n5");
    assert_eq!(
        n5.swarm.as_ref().map(|(e, n)| (e.as_str(), n.id.as_str())),
        Some(("nas", "s1"))
    );
    let clusters: Vec<&str> = n5.kube.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(clusters, ["homelab", "sandbox"], "one node in each cluster");
    assert!(n5.here, "this machine, by its address");
    // m1-vm: Swarm by address (worker-7 at .81), Kubernetes by the inventory's name.
    let vm = row(&rows, "m1-vm");
    assert_eq!(vm.swarm.as_ref().unwrap().1.hostname.as_str(), "worker-7");
    assert_eq!(vm.kube[0].1.name.as_str(), "m1-worker");
    assert_eq!(row(&rows, "vps").kube[0].0, "cloud");
    // M4 and the M1 host run in no orchestrator.
    assert!(row(&rows, "m4").outside());
    assert!(row(&rows, "m1").outside());
    assert!(!n5.outside());
    assert_eq!(
        rows.len(),
        inv.hosts.len(),
        "every node joined a host: {rows:#?}"
    );
}

#[test]
fn without_an_inventory_a_mismatched_name_stays_two_rows_and_an_address_joins_them() {
    let inv = Inventory::default();
    let swarm_nodes = [swarm("s1", "nas", "10.0.0.2")];
    let k = [kube("nas-k3s", "10.0.0.9")];
    let here: [IpAddr; 0] = [];
    let sources = |k: &[KubeNode]| {
        merge(&Sources {
            inventory: &inv,
            swarm: vec![("local", &swarm_nodes)],
            kube: vec![("k3s", k.iter().collect())],
            here: ("nas", &here),
        })
    };
    let rows = sources(&k);
    let names: Vec<&str> = rows.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["nas", "nas-k3s"], "two names, two rows");
    assert!(rows[0].here, "this machine, by its hostname");
    // The same address joins them.
    let rows = sources(&[kube("nas-k3s", "10.0.0.2")]);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].kube[0].1.name.as_str(), "nas-k3s");
}

#[test]
fn this_machine_has_a_row_even_in_no_source() {
    let inv = Inventory::default();
    let here: [IpAddr; 0] = [];
    let rows = merge(&Sources {
        inventory: &inv,
        swarm: vec![],
        kube: vec![],
        here: ("truenas", &here),
    });
    assert_eq!(rows.len(), 1);
    assert!(rows[0].here && rows[0].outside());
}
