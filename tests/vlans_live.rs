//! The VLANs pane in tmux on a fake API server's MetalLB pool, Multus attachment and
//! LoadBalancer services, with an inventory's VLAN plan: the attachment sits on the
//! VLAN of its link, an IP inside MetalLB's pool is fine, one outside every pool is
//! said on its VLAN's row.

mod support;

use fakekube::{FakeKube, Kubeconfig, Options};
use serde_json::json;
use support::lab;
use support::labdeck::{Labdeck, title_line};

fn load_balancer(name: &str, ip: &str) -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": "web"},
        "spec": {"type": "LoadBalancer", "ports": [{"port": 443, "protocol": "TCP"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": ip}]}}})
}

#[test]
fn cluster_pools_attachments_and_load_balancers_join_the_vlan_plan() {
    require_lab!();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fk = rt
        .block_on(FakeKube::start(
            Options::default().metallb(true).multus(true),
        ))
        .unwrap();
    fk.apply(
        &json!({"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool",
        "metadata": {"name": "services", "namespace": "metallb-system"},
        "spec": {"addresses": ["192.168.8.51-192.168.8.79"]}}),
    )
    .unwrap();
    let config = r#"{"cniVersion": "0.3.1", "type": "macvlan", "master": "eno1.64", "ipam": {"type": "static", "subnet": "192.168.64.0/20"}}"#;
    fk.apply(
        &json!({"apiVersion": "k8s.cni.cncf.io/v1", "kind": "NetworkAttachmentDefinition",
        "metadata": {"name": "iot", "namespace": "home"}, "spec": {"config": config}}),
    )
    .unwrap();
    fk.apply(&load_balancer("traefik", "192.168.8.60")).unwrap();
    fk.apply(&load_balancer("rogue", "192.168.8.99")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    Kubeconfig::new()
        .context("homelab", &fk, "admin")
        .write(&kubeconfig)
        .unwrap();
    let inventory = "[[vlans]]\nid = 8\nname = \"vips\"\nsubnet = \"192.168.8.0/24\"\n\n\
                     [[vlans]]\nid = 64\nname = \"iot\"\nsubnet = \"192.168.64.0/20\"\n";
    let env = [("KUBECONFIG", kubeconfig.to_str().unwrap())];
    let app = Labdeck::start_with_files(&[("inventory.toml", inventory)], &[], &env, 160, 30);
    app.expect("Swarm ›");
    let screen = app.press("2", "the plan with the cluster's objects", |s| {
        title_line(s).contains("VLANs ›") && s.contains("rogue") && s.contains("1 warning")
    });
    let row = |id: &str| {
        screen
            .lines()
            .find(|l| l.trim_start_matches('│').starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no VLAN {id}:\n{screen}"))
            .to_string()
    };
    assert!(
        row("8").contains("LoadBalancer homelab/web/rogue's IP 192.168.8.99 is in no VIP pool"),
        "{screen}"
    );
    assert!(
        !screen.contains("traefik"),
        "traefik's IP is in MetalLB's pool:\n{screen}"
    );
    // VLAN 64: the attachment, by its master's name.
    let v64 = row("64");
    let v64: Vec<&str> = v64.split_whitespace().collect();
    assert!(v64.contains(&"iot"), "{v64:?}");
    app.send_text("/iot");
    app.press("Enter", "VLAN 64 alone", |s| !s.contains("vips"));
    app.press("Enter", "what is on VLAN 64", |s| {
        title_line(s).contains("vlan 64")
            && s.contains("attachment homelab/home/iot (macvlan on eno1.64)")
    });
    app.press("Escape", "back", |s| {
        title_line(s).contains("VLANs › vlans")
    });
}

/// `labdeck status` runs the same checks on the same cluster objects, and follows the
/// cluster once for all its parts (the Kubernetes part and the VLANs part share it).
#[test]
fn status_says_the_cluster_s_vlan_warnings_and_lists_the_cluster_once() {
    require_lab!();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fk = rt
        .block_on(FakeKube::start(Options::default().metallb(true)))
        .unwrap();
    fk.apply(
        &json!({"apiVersion": "metallb.io/v1beta1", "kind": "IPAddressPool",
        "metadata": {"name": "services", "namespace": "metallb-system"},
        "spec": {"addresses": ["192.168.8.51-192.168.8.79"]}}),
    )
    .unwrap();
    fk.apply(&load_balancer("traefik", "192.168.8.60")).unwrap();
    fk.apply(&load_balancer("rogue", "192.168.8.99")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    Kubeconfig::new()
        .context("homelab", &fk, "admin")
        .write(&kubeconfig)
        .unwrap();
    // The inventory's own DHCP range overlaps MetalLB's pool: a check on a pool found
    // in the cluster.
    let inventory = "[[vlans]]\nid = 8\nname = \"vips\"\nsubnet = \"192.168.8.0/24\"\n\n\
                     [[pools]]\nname = \"dhcp\"\nkind = \"dhcp\"\nrange = \"192.168.8.70-192.168.8.90\"\n";
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(cfg.path().join("inventory.toml"), inventory).unwrap();
    let data = tempfile::tempdir().unwrap();
    fk.clear_requests();
    let out = std::process::Command::new(support::labdeck::BIN)
        .args(["status", "--json"])
        .env("KUBECONFIG", &kubeconfig)
        .env("DOCKER_HOST", format!("unix://{}", lab::SOCKET))
        .env("LABDECK_CONFIG_DIR", cfg.path())
        .env("LABDECK_DATA_DIR", data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let warnings: Vec<&str> = json["vlans"]["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no vlans part: {text}"))
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("rogue") && w.contains("192.168.8.99 is in no VIP pool")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("metallb homelab/metallb-system/services") && w.contains("dhcp")),
        "the found pool overlaps the inventory's: {warnings:#?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("traefik")),
        "traefik's IP is in MetalLB's pool: {warnings:#?}"
    );
    assert_ne!(out.status.code(), Some(0), "{text}");
    let service_lists = fk
        .requests()
        .iter()
        .filter(|r| r.resource == "services" && r.verb == "list")
        .count();
    assert_eq!(service_lists, 1, "one follow of the cluster for every part");
}
