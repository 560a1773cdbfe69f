//! Every VLAN check on a purpose-built inventory, each against its clean control.

use super::facts::{Claim, Facts, LinkState, Owner, VlanNetwork};
use super::vlan_checks::{Warning, check};
use crate::config::inventory::parse;

const PLAN: &str = "\
[[vlans]]
id = 4
subnet = \"192.168.4.0/24\"
[[vlans]]
id = 8
subnet = \"192.168.8.0/24\"
[[vlans]]
id = 64
subnet = \"192.168.64.0/20\"
";

fn facts(extra: &str) -> Facts {
    let inventory = parse(&format!("{PLAN}{extra}")).unwrap_or_else(|e| panic!("{e:#?}"));
    Facts {
        inventory,
        ..Facts::default()
    }
    .with_inventory_claims()
}

fn texts(w: &[Warning]) -> Vec<String> {
    w.iter()
        .map(|w| format!("{:?}: {}", w.vlan, w.text))
        .collect()
}

fn lb(ip: &str, name: &str) -> Claim {
    Claim {
        ip: ip.parse().unwrap(),
        owner: Owner::LoadBalancer {
            context: "homelab".into(),
            namespace: "dns".into(),
            name: name.into(),
        },
        vlan: None,
    }
}

#[test]
fn the_shipped_example_is_clean() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/inventory.toml"
    ))
    .unwrap();
    let f = Facts {
        inventory: parse(&text).unwrap(),
        ..Facts::default()
    }
    .with_inventory_claims();
    assert_eq!(texts(&check(&f)), Vec::<String>::new());
}

#[test]
fn an_address_claimed_twice_is_said_once_with_both_owners() {
    let hosts = "[[hosts]]\nname = \"a\"\naddresses = [\"192.168.4.5\"]\n\
                 [[hosts]]\nname = \"b\"\naddresses = [\"192.168.4.6\"]\n";
    assert!(check(&facts(hosts)).is_empty(), "control");
    let clash = hosts.replace("192.168.4.6", "192.168.4.5");
    assert_eq!(
        texts(&check(&facts(&clash))),
        ["Some(4): 192.168.4.5 is claimed 2 times: host a, host b"]
    );
    // A LoadBalancer on a host's address.
    let mut f = facts(hosts);
    f.claims.push(lb("192.168.4.6", "adguard"));
    let w = texts(&check(&f));
    assert!(
        w.iter().any(|w| w
            == "Some(4): 192.168.4.6 is claimed 2 times: host b, LoadBalancer homelab/dns/adguard"),
        "{w:?}"
    );
    // The same owner twice (the inventory and its link) is one owner.
    let mut f = facts(hosts);
    f.claims.push(Claim {
        ip: "192.168.4.5".parse().unwrap(),
        owner: Owner::Host("a".into()),
        vlan: Some(4),
    });
    assert!(check(&f).is_empty(), "{:?}", check(&f));
}

#[test]
fn an_address_outside_its_vlan_is_said() {
    let ok = "[[hosts]]\nname = \"ha\"\naddresses = [{ address = \"192.168.64.2\", vlan = 64 }]\n";
    assert!(check(&facts(ok)).is_empty());
    let bad = ok.replace("192.168.64.2", "192.168.4.2");
    assert_eq!(
        texts(&check(&facts(&bad))),
        ["Some(64): host ha's 192.168.4.2 is outside VLAN 64's subnet 192.168.64.0/20"]
    );
    // A pool written for a VLAN it is not in.
    let pool = "[[pools]]\nname = \"v\"\nkind = \"vip\"\nrange = \"192.168.8.51-79\"\nvlan = 8\n";
    assert!(check(&facts(pool)).is_empty());
    assert_eq!(
        texts(&check(&facts(&pool.replace("vlan = 8", "vlan = 4")))),
        ["Some(4): pool v (192.168.8.51-192.168.8.79) is outside VLAN 4's subnet 192.168.4.0/24"]
    );
    // A macvlan network on eno1.64 with another subnet.
    let mut f = facts("");
    f.networks.push(VlanNetwork {
        what: "docker network iot (macvlan on eno1.64)".into(),
        subnet: "192.168.64.0/24".parse().unwrap(),
        vlan: 64,
    });
    assert!(check(&f).is_empty(), "inside: {:?}", check(&f));
    f.networks[0].subnet = "192.168.65.0/24".parse().unwrap();
    assert!(
        check(&f).is_empty(),
        "192.168.64.0/20 holds 192.168.65.0/24"
    );
    f.networks[0].subnet = "10.64.0.0/24".parse().unwrap();
    assert_eq!(
        texts(&check(&f)),
        [
            "Some(64): docker network iot (macvlan on eno1.64) has subnet 10.64.0.0/24, outside VLAN 64's 192.168.64.0/20"
        ]
    );
}

#[test]
fn a_vip_pool_overlapping_a_pool_or_a_host_is_said() {
    let pools = "[[pools]]\nname = \"vips\"\nkind = \"vip\"\nrange = \"192.168.8.51-79\"\n\
                 [[pools]]\nname = \"dhcp\"\nkind = \"dhcp\"\nrange = \"192.168.8.100-200\"\n";
    assert!(check(&facts(pools)).is_empty());
    let overlap = pools.replace("192.168.8.100-200", "192.168.8.70-200");
    assert_eq!(
        texts(&check(&facts(&overlap))),
        [
            "Some(8): pool vips (192.168.8.51-192.168.8.79) overlaps pool dhcp (192.168.8.70-192.168.8.200)"
        ]
    );
    // Two DHCP ranges overlapping are the DHCP server's business, not a VIP check.
    let dhcps = overlap.replace("kind = \"vip\"", "kind = \"dhcp\"");
    assert!(check(&facts(&dhcps)).is_empty());
    let host = format!("{pools}[[hosts]]\nname = \"nas\"\naddresses = [\"192.168.8.60\"]\n");
    assert_eq!(
        texts(&check(&facts(&host))),
        [
            "Some(8): VIP pool vips (192.168.8.51-192.168.8.79) holds host nas's address 192.168.8.60"
        ]
    );
    // A pool found in the cluster counts as a pool.
    let mut f = facts(pools);
    f.found_pools.push(crate::config::inventory::AddressPool {
        name: "metallb/default".into(),
        kind: crate::config::inventory::PoolKind::Vip,
        range: "192.168.8.64/28".parse().unwrap(),
        vlan: None,
        line: 0,
    });
    assert_eq!(check(&f).len(), 1, "{:?}", check(&f));
    // The cluster's pool that the inventory writes down as it is: one pool, no warning.
    let mut f = facts(pools);
    f.found_pools.push(crate::config::inventory::AddressPool {
        name: "metallb homelab/metallb-system/services".into(),
        kind: crate::config::inventory::PoolKind::Vip,
        range: "192.168.8.51-192.168.8.79".parse().unwrap(),
        vlan: None,
        line: 0,
    });
    assert!(check(&f).is_empty(), "{:?}", check(&f));
}

#[test]
fn a_load_balancer_ip_in_no_vip_pool_is_said() {
    let pools = "[[pools]]\nname = \"vips\"\nkind = \"vip\"\nrange = \"192.168.8.51-79\"\n";
    let mut f = facts(pools);
    f.claims.push(lb("192.168.8.60", "traefik"));
    assert!(check(&f).is_empty());
    f.claims.push(lb("192.168.4.53", "adguard"));
    assert_eq!(
        texts(&check(&f)),
        ["Some(4): LoadBalancer homelab/dns/adguard's IP 192.168.4.53 is in no VIP pool"]
    );
}

#[test]
fn a_link_set_up_but_down_is_said_and_one_set_down_is_not() {
    let mut f = facts("");
    let link = |name: &str, admin_up, oper_up| LinkState {
        host: "nas".into(),
        name: name.into(),
        admin_up,
        oper_up,
        vlan: Some(64),
    };
    f.links = vec![
        link("eno1.64", true, true),
        link("eno2", false, false),
        link("bridge64", true, false),
    ];
    assert_eq!(
        texts(&check(&f)),
        ["Some(64): link bridge64 on nas is down"]
    );
}
