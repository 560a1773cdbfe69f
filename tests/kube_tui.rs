//! The Kubernetes pane as a person uses it, in tmux: three clusters from one
//! kubeconfig (fake API servers), one forbidden to list pods and one down; drill-down
//! from a workload to its pods, a container and its log; a shell in a pod.

mod support;

use fakekube::{Deny, FakeKube, Kubeconfig, Options};
use serde_json::json;
use support::kube::pod_json;
use support::labdeck::{Labdeck, first_line, title_line};

fn deployment(ns: &str, name: &str, image: &str) -> serde_json::Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": image}]}}},
        "status": {"replicas": 2, "readyReplicas": 1, "updatedReplicas": 2, "availableReplicas": 1}})
}

/// "hunter2-labdeck", base64: a Secret's value.
const SECRET_B64: &str = "aHVudGVyMi1sYWJkZWNr";

fn owned_pod(ns: &str, name: &str, rs: &str) -> serde_json::Value {
    let mut p = pod_json(ns, name);
    p["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": "u1", "controller": true}]);
    p
}

#[test]
fn three_clusters_then_a_workload_down_to_its_log() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (homelab, cloud, sandbox) = rt.block_on(async {
        let homelab = FakeKube::start(Options::default()).await.unwrap();
        let deny = Deny::verbs(&["list", "watch"]).resources(&["pods"]);
        let cloud = FakeKube::start(Options::default().user("viewer").deny("viewer", deny))
            .await
            .unwrap();
        let sandbox = FakeKube::start(Options::default()).await.unwrap();
        (homelab, cloud, sandbox)
    });
    homelab
        .apply(&deployment("media", "web", "ghcr.io/lab/web:1"))
        .unwrap();
    let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-5f7", "namespace": "media",
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "u0", "controller": true}]},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}}});
    homelab.apply(&rs).unwrap();
    // A Secret, applied as kubectl does (its data in the last-applied annotation too),
    // and a pod that reads it: the value must reach neither the screen nor the log.
    let applied = format!(r#"{{"data":{{"password":"{SECRET_B64}"}}}}"#);
    homelab
        .apply(&json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "namespace": "media", "annotations":
                {"kubectl.kubernetes.io/last-applied-configuration": applied}},
            "data": {"password": SECRET_B64}}))
        .unwrap();
    let mut aaaaa = owned_pod("media", "web-5f7-aaaaa", "web-5f7");
    aaaaa["spec"]["containers"][0]["env"] = json!([{"name": "DB_PASSWORD",
        "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]);
    homelab.apply(&aaaaa).unwrap();
    homelab
        .apply(&owned_pod("media", "web-5f7-bbbbb", "web-5f7"))
        .unwrap();
    homelab.log("media", "web-5f7-aaaaa", "app", "hello from aaaaa");
    homelab.log("media", "web-5f7-bbbbb", "app", "hello from bbbbb");
    cloud
        .apply(&deployment("blog", "ghost", "ghost:5"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    Kubeconfig::new()
        .context("homelab", &homelab, "admin")
        .context("cloud", &cloud, "viewer")
        .context("sandbox", &sandbox, "admin")
        .write(&kubeconfig)
        .unwrap();
    // The sandbox cluster is down from the start.
    rt.block_on(sandbox.stop());

    let path = kubeconfig.to_str().unwrap();
    let env = [("KUBECONFIG", path), ("LABDECK_LOG", "trace")];
    let app = Labdeck::start(&[], &env, 120, 40);
    app.press("5", "every cluster's workloads", |s| {
        s.contains("ghost") && s.contains("web") && title_line(s).contains("Kubernetes")
    });
    let s = app.expect_that("sandbox stale, with why", |s| {
        s.contains("sandbox") && s.contains("refused")
    });
    assert!(first_line(&s).contains("kube 2/3 live"), "{s}");
    assert!(first_line(&s).contains("homelab: 1 workload short"), "{s}");

    app.send_text("/web");
    app.press("Enter", "only web", |s| !s.contains("ghost"));
    app.press("Enter", "web's pods", |s| {
        s.contains("web-5f7-aaaaa") && s.contains("web-5f7-bbbbb")
    });
    app.press("l", "the first pod's log", |s| {
        s.contains("hello from aaaaa")
    });
    app.press("Escape", "back to the pods", |s| {
        s.contains("web-5f7-bbbbb")
    });
    app.press("Escape", "back to the workloads", |s| !s.contains("(pods)"));
    app.press("l", "both pods' logs merged", |s| {
        s.contains("hello from aaaaa") && s.contains("hello from bbbbb")
    });
    homelab.log("media", "web-5f7-bbbbb", "app", "a live line");
    app.expect("a live line");
    app.press("Escape", "the workloads", |s| s.contains("UP-TO-DATE"));

    // A shell in a pod: the fake API server runs it on this machine, in a pty, as a
    // kubelet would in the container; typed through, evaluated there, then back.
    app.press("Enter", "web's pods again", |s| s.contains("web-5f7-aaaaa"));
    let banner = "labdeck: shell in media/web-5f7-aaaaa";
    app.press("e", "the pod's shell", |s| s.contains(banner));
    assert!(!title_line(&app.capture()).contains("Kubernetes ›"));
    app.send_text("echo from-pod-$((6*7))");
    app.press("Enter", "the shell's answer", |s| {
        s.lines().any(|l| l.trim_end() == "from-pod-42")
    });
    app.resize(100, 30);
    app.send_text("stty size");
    app.press("Enter", "the shell's terminal size", |s| {
        s.lines().any(|l| l.trim_end() == "30 100")
    });
    app.send_text("exit 3");
    let back = app.press("Enter", "labdeck back with the outcome", |s| {
        s.contains("shell in media/web-5f7-aaaaa ended (exit 3)")
    });
    assert!(back.contains("web-5f7-bbbbb"), "the pods again:\n{back}");
    assert!(!back.contains("from-pod-42"), "the TUI is redrawn:\n{back}");
    app.resize(120, 40);
    app.press("Escape", "the workloads", |s| s.contains("UP-TO-DATE"));

    // cloud may not list pods: its pods view says so; the others are unaffected.
    support::labdeck::run_command(&app, "pods");
    let s = app.expect("cloud: pods forbidden");
    assert!(s.contains("web-5f7-aaaaa"), "{s}");

    // The pod's description names the Secret it reads, never its value.
    support::labdeck::run_command(&app, "pods");
    app.send_text("/aaaaa");
    app.press("Enter", "only aaaaa", |s| !s.contains("bbbbb"));
    let described = app.press("d", "the pod described", |s| s.contains("DB_PASSWORD"));
    assert!(described.contains("secretKeyRef"), "{described}");
    for shown in [described, app.capture()] {
        assert!(
            !shown.contains(SECRET_B64) && !shown.contains("hunter2"),
            "{shown}"
        );
    }
    let log = app.log();
    assert!(log.len() > 1000, "the log is written at trace level: {log}");
    assert!(
        !log.contains(SECRET_B64) && !log.contains("hunter2"),
        "the log holds the secret"
    );
    drop(app);
    drop(rt);
}
