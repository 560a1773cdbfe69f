//! labdeck's Kubernetes watcher against an API server over real HTTP: the fake in
//! crates/fakekube, or a real cluster when LABDECK_IT_KUBECONFIG names one (the steps
//! that need the fake say so and skip there).

mod support;

use fakekube::{Deny, Options};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams, PostParams};
use labdeck::backend::kube::kinds::{Kind, KindState};
use labdeck::backend::kube::model::PodHealth;
use labdeck::core::status::SourceStatus;
use serde_json::json;
use std::time::{Duration, Instant};
use support::kube::{Cluster, Watching, live, pod_json};

fn deployment(ns: &str, name: &str, replicas: i32) -> Deployment {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10"}]}}}
    }))
    .unwrap()
}

const SECOND: Duration = Duration::from_secs(1);
const START: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_list_then_a_scale_shows_within_a_second() {
    let c = Cluster::start(Options::default().controllers(true), "scale").await;
    let deps: Api<Deployment> = Api::namespaced(c.client.clone(), &c.ns);
    deps.create(&PostParams::default(), &deployment(&c.ns, "web", 1))
        .await
        .unwrap();
    let w = Watching::start(c.spec("lab", 10));
    let key = format!("Deployment/{}/web", c.ns);
    let (f, _) = w
        .until("the deployment listed", START, |s, d| {
            s.is_live() && d.workloads.contains_key(&key)
        })
        .await;
    assert_eq!(f.data.workloads[&key].desired, 1);
    assert!(f.data.version.is_some(), "the server's version is read");

    let started = Instant::now();
    deps.patch_scale(
        "web",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"replicas": 3}})),
    )
    .await
    .unwrap();
    w.until("the scale seen", SECOND, |_, d| {
        d.workloads.get(&key).is_some_and(|x| x.desired == 3)
    })
    .await;
    eprintln!("scale to feed: {:?}", started.elapsed());
    c.clean().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_phases_and_reasons_read_as_kubectl_prints_them() {
    let c = Cluster::start(Options::default(), "phases").await;
    let Some(fk) = c.fake_only("pods with made-up container states") else {
        return;
    };
    let pod = |name: &str, state: serde_json::Value, phase: &str| {
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": c.ns},
            "spec": {"containers": [{"name": "app", "image": "x"}]},
            "status": {"phase": phase, "containerStatuses": [{"name": "app", "image": "x", "imageID": "",
                "ready": false, "restartCount": 4, "state": state}]}})
    };
    let crash = json!({"waiting": {"reason": "CrashLoopBackOff"}});
    let pull = json!({"waiting": {"reason": "ImagePullBackOff"}});
    let oom = json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}});
    let done = json!({"terminated": {"exitCode": 0, "reason": "Completed"}});
    fk.apply(&pod("crash", crash, "Running")).unwrap();
    fk.apply(&pod("pull", pull, "Pending")).unwrap();
    fk.apply(&pod("oom", oom, "Running")).unwrap();
    fk.apply(&pod("done", done, "Succeeded")).unwrap();
    let w = Watching::start(c.spec("lab", 10));
    let (f, _) = w
        .until("four pods", START, |s, d| s.is_live() && d.pods.len() >= 4)
        .await;
    let status = |n: &str| {
        let p = &f.data.pods[&format!("{}/{n}", c.ns)];
        (p.status.to_string(), p.health)
    };
    assert_eq!(
        status("crash"),
        ("CrashLoopBackOff".into(), PodHealth::Failing)
    );
    assert_eq!(
        status("pull"),
        ("ImagePullBackOff".into(), PodHealth::Failing)
    );
    assert_eq!(status("oom"), ("OOMKilled".into(), PodHealth::Failing));
    assert_eq!(status("done"), ("Completed".into(), PodHealth::Done));

    // A change of state arrives through the watch.
    fk.modify("pods", &c.ns, "crash", |p| {
        p["status"]["containerStatuses"][0]["state"] = json!({"running": {}});
        p["status"]["containerStatuses"][0]["ready"] = json!(true);
        p["status"]["conditions"] = json!([{"type": "Ready", "status": "True"}]);
    })
    .unwrap();
    let key = format!("{}/crash", c.ns);
    w.until("the pod running", SECOND, |_, d| {
        d.pods
            .get(&key)
            .is_some_and(|p| p.health == PodHealth::Running)
    })
    .await;
}

/// The server goes away: the cluster reads stale with the reason, its data kept. While
/// it is away a pod is deleted and history compacted, so the watch's resourceVersion is
/// too old when it comes back: 410 Gone, a relist, and the deleted pod goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_dies_reads_stale_then_relists_on_410_when_back() {
    let c = Cluster::start(Options::default(), "restart").await;
    let Some(fk) = c.fake_only("stopping the API server") else {
        return;
    };
    for name in ["a", "b"] {
        fk.apply(&pod_json(&c.ns, name)).unwrap();
    }
    let w = Watching::start(c.spec("lab", 3));
    w.until("two pods", START, |s, d| s.is_live() && d.pods.len() == 2)
        .await;

    fk.stop().await;
    let (f, _) = w
        .until("stale", Duration::from_secs(15), |s, _| {
            matches!(s, SourceStatus::Stale { .. })
        })
        .await;
    assert_eq!(f.data.pods.len(), 2, "the data stays while stale");
    let SourceStatus::Stale { reason, .. } = &f.status else {
        unreachable!()
    };
    eprintln!("stale because: {reason}");
    assert!(!reason.is_empty());

    fk.delete("pods", &c.ns, "a").unwrap();
    fk.apply(&pod_json(&c.ns, "c")).unwrap();
    fk.compact();
    fk.start_again().await.unwrap();
    let back = Duration::from_secs(40);
    let (f, took) = w
        .until("live again with the relisted pods", back, |s, d| {
            s.is_live() && d.pods.len() == 2 && d.pods.keys().any(|k| k.ends_with("/c"))
        })
        .await;
    eprintln!("back after {took:?}");
    assert!(
        !f.data.pods.keys().any(|k| k.ends_with("/a")),
        "the deleted pod is gone"
    );
    let lists = fk
        .requests()
        .iter()
        .filter(|r| r.verb == "list" && r.resource == "pods")
        .count();
    assert!(
        lists >= 2,
        "pods listed again after the 410 ({lists} lists)"
    );
}

/// One cluster may not list pods; another may. Each shows what it may, and a forbidden
/// kind does not make its cluster stale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_forbidden_for_pods_leaves_the_rest_and_other_clusters_alone() {
    let deny = Deny::verbs(&["list", "watch"]).resources(&["pods"]);
    let opts = Options::default().user("viewer").deny("viewer", deny);
    let limited = Cluster::fake(opts, "viewer", "x").await;
    let fk = limited.fake.as_ref().unwrap();
    fk.apply(&pod_json("x", "p")).unwrap();
    fk.apply(&deployment("x", "web", 2)).unwrap();
    let full = Cluster::fake(Options::default(), "admin", "y").await;
    full.fake
        .as_ref()
        .unwrap()
        .apply(&pod_json("y", "q"))
        .unwrap();

    let a = Watching::start(limited.spec("cloud", 10));
    let b = Watching::start(full.spec("homelab", 10));
    let (f, _) = a
        .until("listed with pods forbidden", START, |s, d| {
            s.is_live() && matches!(d.state(Kind::Pods), Some(KindState::Forbidden(_)))
        })
        .await;
    let Some(KindState::Forbidden(why)) = f.data.state(Kind::Pods) else {
        unreachable!()
    };
    assert!(
        why.as_str().contains("cannot list resource \"pods\""),
        "{why}"
    );
    assert!(
        f.data.workloads.contains_key("Deployment/x/web"),
        "deployments still listed"
    );
    let (g, _) = b
        .until("the other cluster", START, |s, d| {
            s.is_live() && d.pods.len() == 1
        })
        .await;
    assert_eq!(g.data.state(Kind::Pods), Some(&KindState::Live));
}

/// A cluster whose server accepts connections and never answers delays nothing: the
/// other is live at once, and the silent one says why after its own timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_delays_nothing_and_says_why() {
    let silent = Cluster::fake(Options::default().hang(true), "admin", "s").await;
    let fine = Cluster::fake(Options::default(), "admin", "f").await;
    let started = Instant::now();
    let a = Watching::start(silent.spec("sandbox", 2));
    let b = Watching::start(fine.spec("homelab", 2));
    let (_, took) = b.until("the answering cluster live", START, live).await;
    assert!(
        took < Duration::from_secs(2),
        "not held up by the silent one: {took:?}"
    );
    let (f, _) = a
        .until("the silent one stale", Duration::from_secs(10), |s, _| {
            matches!(s, SourceStatus::Stale { .. })
        })
        .await;
    let SourceStatus::Stale { reason, .. } = &f.status else {
        unreachable!()
    };
    assert!(reason.as_str().contains("within 2 s"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_kinds_show_when_served_and_are_absent_when_not() {
    let opts = Options::default().flux(true).kubevirt(true);
    let with = Cluster::fake(opts, "admin", "flux-system").await;
    let hr = json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "immich", "namespace": "flux-system"},
        "spec": {"interval": "10m", "chart": {"spec": {"chart": "immich"}}},
        "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "UpgradeFailed",
            "message": "Helm upgrade failed", "lastTransitionTime": "2026-12-05T10:00:00Z"}]}});
    with.fake.as_ref().unwrap().apply(&hr).unwrap();
    let without = Cluster::fake(Options::default(), "admin", "x").await;

    let a = Watching::start(with.spec("homelab", 10));
    let (f, _) = a
        .until("the release listed", START, |s, d| {
            s.is_live() && !d.flux.is_empty()
        })
        .await;
    let r = &f.data.flux["HelmRelease/flux-system/immich"];
    assert_eq!(r.ready, Some(false));
    assert_eq!(r.message.as_str(), "Helm upgrade failed");
    assert!(f.data.state(Kind::VirtualMachines).is_some());

    let b = Watching::start(without.spec("cloud", 10));
    b.until("listed", START, live).await;
    // Discovery runs after the built-in kinds start: give it the moment it needs.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let g = b.now();
    assert!(
        g.data.state(Kind::HelmReleases).is_none(),
        "no Flux on a cluster without it"
    );
    assert!(g.data.state(Kind::VirtualMachines).is_none());

    // A pod created through the API shows within a second.
    let pods: Api<Pod> = Api::namespaced(with.client.clone(), "flux-system");
    let p: Pod = serde_json::from_value(pod_json("flux-system", "p")).unwrap();
    pods.create(&PostParams::default(), &p).await.unwrap();
    a.until("the new pod", SECOND, |_, d| {
        d.pods.contains_key("flux-system/p")
    })
    .await;
}

/// Logs through the connection the watcher made: one pod's, the previous run's, and
/// two pods merged in time order with their names; an object's YAML without its
/// managed fields.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_merged_in_time_order_previous_runs_and_yaml() {
    use futures::StreamExt;
    use labdeck::backend::kube::logs::LogSource;
    let c = Cluster::start(Options::default(), "logs").await;
    let Some(fk) = c.fake_only("log lines pushed into the fake kubelet") else {
        return;
    };
    for name in ["web-1", "web-2"] {
        fk.apply(&pod_json(&c.ns, name)).unwrap();
    }
    fk.log(&c.ns, "web-1", "app", "first");
    tokio::time::sleep(Duration::from_millis(20)).await;
    fk.log(&c.ns, "web-2", "app", "second");
    tokio::time::sleep(Duration::from_millis(20)).await;
    fk.log(&c.ns, "web-1", "app", "third");
    fk.log_previous(&c.ns, "web-1", "app", "before the crash");
    let w = Watching::start(c.spec("lab", 10));
    let (f, _) = w.until("listed", START, live).await;
    let conn = f.conn.expect("the watcher hands out its connection");
    let src = |pod: &str| LogSource {
        ns: c.ns.clone(),
        pod: pod.into(),
        container: None,
    };

    let merged = conn.merged_logs(vec![src("web-2"), src("web-1")], false);
    let lines: Vec<_> = merged
        .take(1)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .flat_map(|r| r.unwrap())
        .collect();
    let seen: Vec<(String, String)> = lines
        .iter()
        .map(|l| (l.source.clone().unwrap(), l.text.to_string()))
        .collect();
    let want = [("web-1", "first"), ("web-2", "second"), ("web-1", "third")];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        seen, want,
        "merged in time order, each line named by its pod"
    );
    assert!(
        lines.iter().all(|l| l.at.is_some()),
        "lines carry their time"
    );

    let prev: Vec<_> = conn
        .logs(src("web-1"), false, true, false)
        .collect::<Vec<_>>()
        .await;
    let prev: Vec<String> = prev
        .into_iter()
        .flat_map(|r| r.unwrap())
        .map(|l| l.text.to_string())
        .collect();
    assert_eq!(prev, ["before the crash"]);

    // Following: a new line arrives while the log is open.
    let mut follow = Box::pin(conn.logs(src("web-2"), true, false, false));
    let first = follow.next().await.unwrap().unwrap();
    assert_eq!(first[0].text.as_str(), "second");
    fk.log(&c.ns, "web-2", "app", "live line");
    let next = tokio::time::timeout(SECOND, follow.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(next[0].text.as_str(), "live line");

    let yaml = conn.yaml(Kind::Pods, &c.ns, "web-1").await.unwrap();
    assert!(yaml.contains("name: web-1"), "{yaml}");
    assert!(!yaml.contains("managedFields"));
    let missing = conn.yaml(Kind::Pods, &c.ns, "nope").await.unwrap_err();
    assert!(missing.contains("not found"), "{missing}");
}

/// Idle, labdeck asks the server nothing: its watches stay open (with their
/// bookmarks), nothing is listed again, nothing polled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_it_makes_no_request_beyond_its_open_watches() {
    let opts = Options::default().bookmark_interval(Duration::from_millis(500));
    let c = Cluster::fake(opts, "admin", "idle").await;
    let fk = c.fake.as_ref().unwrap();
    fk.apply(&pod_json("idle", "p")).unwrap();
    let w = Watching::start(c.spec("lab", 10));
    w.until("listed", START, |s, d| s.is_live() && d.pods.len() == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = fk.requests().len();
    let watches = fk.requests().iter().filter(|r| r.verb == "watch").count();
    assert!(watches >= 15, "every built-in kind is watched ({watches})");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = fk.requests();
    let extra: Vec<String> = after[before..]
        .iter()
        .map(|r| format!("{} {} {}", r.verb, r.path, r.query))
        .collect();
    assert!(extra.is_empty(), "requests while idle: {extra:?}");
}

/// An update that changes nothing labdeck keeps (an annotation, as most of a busy
/// cluster's updates are: heartbeats, resourceVersions) copies nothing and wakes
/// nothing: the watch's map stays the very same, though a published copy shares it
/// (without the check, the map of 10,000 pods was copied at each such update). A
/// change it keeps is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_to_what_no_view_shows_copies_nothing() {
    use labdeck::backend::kube::convert;
    use labdeck::backend::kube::follow::{Shared, Slot, follow};
    use std::sync::Arc;
    let c = Cluster::start(Options::default(), "quiet").await;
    let pods: Api<Pod> = Api::namespaced(c.client.clone(), &c.ns);
    let pod: Pod = serde_json::from_value(pod_json(&c.ns, "p")).unwrap();
    pods.create(&PostParams::default(), &pod).await.unwrap();
    let shared = Arc::new(Shared::default());
    let slot = Slot {
        kind: Kind::Pods,
        map: |d| &mut d.pods,
        prefix: String::new(),
    };
    let task = tokio::spawn(follow(
        pods.clone(),
        slot,
        convert::pod,
        |p| p.at.key(),
        shared.clone(),
    ));
    let key = format!("{}/p", c.ns);
    let now = || shared.data.lock().unwrap().pods.clone();
    // Listed, and settled: a real cluster's kubelet updates a new pod's status for a
    // while (these are changes labdeck keeps).
    let deadline = Instant::now() + START * 3;
    let mut quiet_since = Instant::now();
    let mut seen = now();
    while !(seen.contains_key(&key) && quiet_since.elapsed() > SECOND) {
        assert!(Instant::now() < deadline, "the pod not listed and settled");
        tokio::time::sleep(Duration::from_millis(50)).await;
        let m = now();
        if !Arc::ptr_eq(&m, &seen) {
            (seen, quiet_since) = (m, Instant::now());
        }
    }
    // Held as a published feed holds it: a write would have to copy.
    let before = now();
    let patch = |body: serde_json::Value| {
        let pods = pods.clone();
        async move {
            pods.patch("p", &PatchParams::default(), &Patch::Merge(body))
                .await
                .unwrap()
        }
    };
    patch(json!({"metadata": {"annotations": {"labdeck/touched": "1"}}})).await;
    // The watch delivers it within milliseconds; a second is ample to see a copy.
    tokio::time::sleep(SECOND).await;
    assert!(
        Arc::ptr_eq(&before, &now()),
        "an annotation copied the pods"
    );
    // The control: a label is kept (selectors read it), so changing one is news.
    patch(json!({"metadata": {"labels": {"tier": "web"}}})).await;
    let deadline = Instant::now() + SECOND * 2;
    let labelled = |m: &std::collections::BTreeMap<String, _>| {
        m.get(&key)
            .is_some_and(|p: &labdeck::backend::kube::model::Pod| {
                p.labels.iter().any(|(k, v)| k == "tier" && v == "web")
            })
    };
    while !labelled(&now()) {
        assert!(Instant::now() < deadline, "the label not seen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!Arc::ptr_eq(&before, &now()));
    task.abort();
    c.clean().await;
}

/// `labdeck status` reports each cluster: a failing pod and a short workload make it
/// degraded (exit 1) with their reasons; a cluster that is down makes it unreachable
/// (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_reports_each_cluster_with_its_reasons() {
    let c = Cluster::fake(Options::default(), "admin", "media").await;
    let fk = c.fake.as_ref().unwrap();
    let mut crash = pod_json("media", "immich-0");
    crash["status"] = json!({"phase": "Running", "containerStatuses": [{"name": "app", "image": "x",
        "imageID": "", "ready": false, "restartCount": 9, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]});
    fk.apply(&crash).unwrap();
    let mut d = serde_json::to_value(deployment("media", "immich", 2)).unwrap();
    d["status"] = json!({"replicas": 2, "readyReplicas": 1});
    fk.apply(&d).unwrap();
    let down = Cluster::fake(Options::default(), "admin", "x").await;
    let dir = tempfile::tempdir().unwrap();
    let run = |kubeconfig: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_labdeck"))
            .args(["status", "--json"])
            .env("KUBECONFIG", kubeconfig)
            .env("DOCKER_HOST", "unix:///nonexistent.sock")
            .env("LABDECK_CONFIG_DIR", dir.path())
            .env("LABDECK_DATA_DIR", dir.path())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (json, out.status.code())
    };
    let one = dir.path().join("one");
    fakekube::Kubeconfig::new()
        .context("homelab", fk, "admin")
        .write(&one)
        .unwrap();
    let (json, _) = run(&one);
    let kube = &json["kube"];
    assert_eq!(
        kube["pods_failing"][0], "media/immich-0: CrashLoopBackOff",
        "{json}"
    );
    assert_eq!(kube["workloads_short"][0], "media/immich (Deployment) 1/2");
    let reasons = json["reasons"].to_string();
    assert!(
        reasons.contains("homelab: pod failing: media/immich-0: CrashLoopBackOff"),
        "{reasons}"
    );

    let two = dir.path().join("two");
    let dk = down.fake.as_ref().unwrap();
    fakekube::Kubeconfig::new()
        .context("homelab", fk, "admin")
        .context("sandbox", dk, "admin")
        .write(&two)
        .unwrap();
    dk.stop().await;
    let (json, code) = run(&two);
    assert_eq!(
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["name"] == "kube:sandbox" && s["reachable"] == false)
            .count(),
        1,
        "{json}"
    );
    assert!(json["kube:homelab"]["pods_failing"].is_array());
    assert_eq!(code, Some(2), "a cluster down is unreachable");
}
