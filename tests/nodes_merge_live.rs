//! The Nodes pane in tmux, on the lab's real Swarm node, a fake API server's Kubernetes
//! nodes and an inventory: the rows merge as documented (by the inventory's names),
//! a name nothing joins stays a row of its own, a host in no orchestrator is
//! "outside", one that does not answer its probe is "unreachable". With every pane
//! running, the engine's event stream, each node watch and the ZFS source's reads are
//! opened once: the hub shares them between the Swarm, ZFS, Kubernetes and Nodes panes.

mod support;

use fakekube::{FakeKube, Kubeconfig, Options};
use serde_json::json;
use std::path::Path;
use support::lab::{self, docker};
use support::labdeck::{Labdeck, title_line};
use support::proxy::DockerProxy;

fn node(name: &str, ip: &str, ready: &str, control_plane: bool) -> serde_json::Value {
    let mut labels = json!({"kubernetes.io/hostname": name});
    if control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
    }
    json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": labels},
        "status": {"addresses": [{"type": "InternalIP", "address": ip}],
            "conditions": [{"type": "Ready", "status": ready}],
            "nodeInfo": {"kubeletVersion": "v1.33.2"},
            "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
}

/// The row of `host` on screen.
fn row<'a>(screen: &'a str, host: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.trim_start_matches('│').split_whitespace().next() == Some(host))
        .unwrap_or_else(|| panic!("no row {host}:\n{screen}"))
}

#[test]
fn rows_merge_as_documented_and_each_source_is_watched_once() {
    require_lab!();
    let swarm_host = docker(&["info", "-f", "{{.Swarm.NodeID}}"]);
    let swarm_host = docker(&[
        "node",
        "inspect",
        "-f",
        "{{.Description.Hostname}}",
        swarm_host.trim(),
    ]);
    let swarm_host = swarm_host.trim().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fk = rt.block_on(FakeKube::start(Options::default())).unwrap();
    fk.apply(&node("nas-k3s", "10.9.9.9", "True", true))
        .unwrap();
    fk.apply(&node("worker-2", "10.9.9.8", "False", false))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    Kubeconfig::new()
        .context("homelab", &fk, "admin")
        .write(&kubeconfig)
        .unwrap();
    // nas answers on the probe port; dead's address refuses it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inventory = format!(
        "[probe]\nport = {port}\ntimeout = \"2s\"\n\n\
         [[hosts]]\nname = \"nas\"\naddresses = [\"127.0.0.1\"]\nswarm_node = \"{swarm_host}\"\n\
         kube_nodes = [\"homelab/nas-k3s\"]\n\n\
         [[hosts]]\nname = \"m4\"\naddresses = [\"127.0.0.3\"]\nprobe_port = 0\n\n\
         [[hosts]]\nname = \"dead\"\naddresses = [\"127.0.0.4\"]\n"
    );
    // The ZFS source through a prefix that notes each command it runs, then runs it:
    // the ZFS, Nodes, Swarm and Kubernetes panes all read this one source.
    let noted = dir.path().join("zfs-commands");
    let note = dir.path().join("note");
    std::fs::write(
        &note,
        format!(
            "#!/bin/sh\necho \"$*\" >> {}\nexec \"$@\"\n",
            noted.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&note, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let config = format!(
        "[[zfs]]\nname = \"lab\"\nprefix = [\"{}\"]\npools_every = 3600\n\
         datasets_every = 3600\nsnapshots_every = 3600\n",
        note.display()
    );
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let host = proxy.docker_host();
    let env = [
        ("KUBECONFIG", kubeconfig.to_str().unwrap()),
        ("DOCKER_HOST", host.as_str()),
    ];
    let app = Labdeck::start_with_files(
        &[("inventory.toml", &inventory), ("config.toml", &config)],
        &[],
        &env,
        140,
        30,
    );
    app.expect("Swarm ›");
    let screen = app.press("1", "the merged rows", |s| {
        title_line(s).contains("Nodes ›")
            && s.contains("homelab:control-plane")
            && s.contains("worker-2")
            && s.contains("unreachable")
    });
    let nas = row(&screen, "nas");
    assert!(
        nas.contains("swarm:manager★ homelab:control-plane"),
        "{nas}"
    );
    assert!(nas.contains(" ok "), "{nas}");
    assert!(
        !screen.lines().any(|l| l
            .trim_start_matches('│')
            .starts_with(&format!("{swarm_host} "))),
        "the Swarm node joined nas by the inventory's name:\n{screen}"
    );
    let worker = row(&screen, "worker-2");
    assert!(
        worker.contains("homelab:worker") && worker.contains("homelab NotReady"),
        "{worker}"
    );
    assert!(row(&screen, "m4").contains("outside"), "{screen}");
    assert!(row(&screen, "dead").contains("unreachable"), "{screen}");
    drop(listener);

    // Every pane has read its sources: the Kubernetes pane, then the Swarm pane.
    app.press("5", "the Kubernetes pane", |s| {
        title_line(s).contains("Kubernetes")
    });
    app.press("4", "the Swarm pane", |s| title_line(s).contains("Swarm ›"));
    let events = proxy
        .requests()
        .iter()
        .filter(|(m, p)| m == "GET" && p.contains("/events"))
        .count();
    assert_eq!(
        events,
        1,
        "one event stream for the engine: {:?}",
        proxy.requests()
    );
    let node_watches = fk
        .requests()
        .iter()
        .filter(|r| r.verb == "watch" && r.resource == "nodes")
        .count();
    assert_eq!(node_watches, 1, "one watch of the nodes for the cluster");
    // The ZFS pane shown too: the source's reader found its dialect once and read the
    // datasets once (each is read once an hour here), however many panes read it.
    app.press("3", "the ZFS pane", |s| {
        title_line(s).contains("ZFS ›") && s.contains("labtank")
    });
    let commands = std::fs::read_to_string(&noted).unwrap_or_default();
    let runs = |what: &str| commands.lines().filter(|l| l.starts_with(what)).count();
    assert_eq!(
        runs("zpool status -jP"),
        1,
        "one reader found the dialect:\n{commands}"
    );
    assert_eq!(
        runs("zfs list -H -t filesystem"),
        1,
        "one reader listed the datasets:\n{commands}"
    );
}

/// A wrong inventory is said with its line and field at start-up, and the panes run as
/// without one: the Nodes pane shows what is discovered (this machine).
#[test]
fn a_wrong_inventory_is_said_with_its_line_and_field_and_the_panes_still_run() {
    let inventory = "[[hosts]]\nname = \"n5\"\naddresses = [\"192.168.4.300\"]\n";
    let app = Labdeck::start_with_files(&[("inventory.toml", inventory)], &[], &[], 120, 30);
    let screen = app.expect_that("the warning at start-up", |s| {
        s.contains("config warning") && s.contains("inventory.toml")
    });
    let warning = screen
        .lines()
        .find(|l| l.contains("inventory.toml"))
        .unwrap_or_default();
    assert!(
        warning.contains("line 3") && warning.contains("hosts[0].addresses"),
        "the line and the field: {warning}"
    );
    assert!(
        warning.contains("1 config warning"),
        "said once, though two panes read the file: {warning}"
    );
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let hostname = hostname.trim().to_string();
    let nodes = app.press("1", "the Nodes pane with this machine", |s| {
        title_line(s).contains("Nodes ›") && s.contains(&format!("{hostname} (here)"))
    });
    assert!(
        !nodes.lines().skip(1).any(|l| l.contains(" n5 ")),
        "nothing of the wrong file is used:\n{nodes}"
    );
}
