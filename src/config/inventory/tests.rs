use super::*;

fn example() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inventory.toml");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_shipped_example_reads_whole() {
    let inv = parse(&example()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(
        inv.vlans.iter().map(|v| v.id).collect::<Vec<_>>(),
        [4, 8, 16, 64]
    );
    let n5 = &inv.hosts[0];
    assert_eq!(n5.name, "n5");
    assert_eq!(n5.addresses[1].vlan, Some(64));
    assert!(n5.kube_nodes[0].matches("homelab", "n5"));
    assert!(!n5.kube_nodes[0].matches("cloud", "n5"));
    assert_eq!(inv.probe.timeout, std::time::Duration::from_millis(800));
    let m1 = inv.hosts.iter().find(|h| h.name == "m1").unwrap();
    assert_eq!(inv.probe_port(m1), None, "probe_port = 0: not probed");
    assert_eq!(inv.probe_port(n5), Some(22));
    let services = inv
        .pools
        .iter()
        .find(|p| p.name == "metallb-services")
        .unwrap();
    assert_eq!(services.range.to_string(), "192.168.8.51-192.168.8.79");
    assert_eq!(
        inv.vlan_of("192.168.64.2".parse().unwrap()).map(|v| v.id),
        Some(64)
    );
    assert_eq!(inv.vlan_of("85.31.234.30".parse().unwrap()), None);
}

#[test]
fn an_empty_file_is_an_empty_inventory_and_a_missing_one_is_none() {
    assert_eq!(parse("").unwrap(), Inventory::default());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load(&dir.path().join(FILE)), Ok(None));
}

/// Each problem is said with its line and field, and all of them at once.
#[test]
fn every_problem_names_its_line_and_field() {
    let text = "\
[[vlans]]
id = 4
subnet = \"192.168.4.0/24\"
gateway = \"192.168.5.1\"

[[vlans]]
id = 4
subnet = \"nope\"

[[vlans]]
id = 5000
subnet = \"10.0.0.0/8\"

[[hosts]]
name = \"n5\"
addresses = [\"192.168.4.5\", \"192.168.4.300\", { address = \"10.1.1.1\", vlan = 99 }]
kube_nodes = [\"homelab/\"]

[[hosts]]
name = \"n5\"

[[pools]]
name = \"vips\"
kind = \"vip\"
range = \"192.168.8.79-51\"
vlan = 8
";
    let errors = parse(text).unwrap_err();
    let want = [
        "line 4: vlans[0].gateway: 192.168.5.1 is outside the subnet 192.168.4.0/24",
        "line 7: vlans[1].id: VLAN 4 is written twice",
        "line 8: vlans[1].subnet: \"nope\" is not a subnet",
        "line 11: vlans[2].id: 5000 is not a VLAN id",
        "line 16: hosts[0].addresses[1]: \"192.168.4.300\" is not an address",
        "line 16: hosts[0].addresses[2]: VLAN 99 is not in [[vlans]]",
        "line 17: hosts[0].kube_nodes[0]:",
        "line 20: hosts[1].name: host \"n5\" is written twice",
        "line 26: pools[0].vlan: VLAN 8 is not in [[vlans]]",
        "line 25: pools[0].range:",
    ];
    for w in want {
        assert!(
            errors.iter().any(|e| e.starts_with(w)),
            "{w:?} not in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), want.len(), "{errors:#?}");
}

#[test]
fn unknown_fields_and_wrong_types_name_their_line() {
    let e = parse("[[hosts]]\nname = \"a\"\naddress = \"1.2.3.4\"\n").unwrap_err();
    assert!(
        e[0].starts_with("line 3:") && e[0].contains("address"),
        "{e:?}"
    );
    let e =
        parse("[[pools]]\nname = \"a\"\nkind = \"floating\"\nrange = \"1.2.3.4\"\n").unwrap_err();
    assert!(e[0].starts_with("line 3:"), "{e:?}");
    let e = parse("[probe]\ntimeout = \"soon\"\n").unwrap_err();
    assert!(e[0].starts_with("line 2: probe.timeout:"), "{e:?}");
}

#[test]
fn a_wrong_file_in_the_config_dir_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE);
    std::fs::write(&path, "[[vlans]]\nid = 0\nsubnet = \"10.0.0.0/8\"\n").unwrap();
    let e = load(&path).unwrap_err();
    assert!(
        e[0].starts_with(&format!("{}: line 2: vlans[0].id", path.display())),
        "{e:?}"
    );
}
