//! Kubernetes writes through labdeck's own backend, against a fake API server over real
//! HTTP (or the real cluster `LABDECK_IT_KUBECONFIG` names): the watcher connects and
//! asks the server what it may change, a plan step runs through the `KubeWriter`, and
//! the watch shows the result.

mod support;

use std::time::Duration;

use fakekube::Options;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, PostParams};
use labdeck::backend::kube::access::Perm;
use labdeck::backend::kube::data::workload_key;
use labdeck::backend::kube::model::{FluxKind, ObjRef, WorkloadKind};
use labdeck::backend::kube::ops::{KubeOp, KubeStep};
use labdeck::backend::kube::writer::{KubeWriter, MIRROR};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// What kubectl and the flux CLI set, spelled out here: the test pins them.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";
use labdeck::backend::kube::config::ClusterSpec;
use labdeck::ops::plan::{Plan, StepError};
use serde_json::{Value, json};
use support::kube::{Cluster, Watching, progress};
use support::writer;

const WAIT: Duration = Duration::from_secs(30);

async fn deployment(c: &Cluster, ns: &str, name: &str, replicas: u32) {
    let api: Api<Deployment> = Api::namespaced(c.client.clone(), ns);
    let labels = json!({"app": name});
    let d: Deployment = serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "main", "image": "registry.k8s.io/pause:3.10"}]}}}
    }))
    .unwrap();
    api.create(&PostParams::default(), &d)
        .await
        .expect("create the deployment");
}

/// labdeck's view of the cluster, showing `namespaces` (all when empty).
fn spec(c: &Cluster, namespaces: &[&str]) -> ClusterSpec {
    ClusterSpec {
        namespaces: namespaces.iter().map(|s| s.to_string()).collect(),
        ..c.spec("homelab", 10)
    }
}

fn key(ns: &str, name: &str) -> String {
    workload_key(WorkloadKind::Deployment, &ObjRef::new(Some(ns), Some(name)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_scale_patches_the_scale_subresource_and_the_new_count_shows() {
    let c = Cluster::start(Options::default().controllers(true), "ldscale").await;
    let ns = &c.ns;
    deployment(&c, ns, "web", 2).await;
    let k = key(ns, "web");
    let watching = Watching::start(spec(&c, &[ns.as_str()]));
    let (feed, _) = watching
        .until_feed("web at 2 with the access reviews", WAIT, |f| {
            f.conn.is_some()
                && f.data.perms.is_some()
                && f.data.workloads.get(&k).is_some_and(|w| w.desired == 2)
        })
        .await;
    let perms = feed.data.perms.as_ref().unwrap();
    assert_eq!(perms.denied(Perm::ScaleDeployments, ns), None);
    let step = KubeStep {
        conn: feed.conn.clone().unwrap(),
        op: KubeOp::Scale {
            kind: WorkloadKind::Deployment,
            ns: ns.clone(),
            name: "web".into(),
            from: 2,
            to: 3,
        },
    };
    let plan = Plan::one(step);
    assert_eq!(
        plan.confirm_lines()[1],
        format!("scale deployment {}/web from 2 to 3 replicas", ns)
    );
    let review = plan.review().await;
    assert_eq!(
        review.lines(),
        [format!(
            "~ scale deployment {}/web from 2 to 3 replicas (replicas: 2 → 3)",
            ns
        )]
    );
    let done = plan.apply(&writer(), progress()).await;
    assert_eq!(done, Ok(format!("scaled {}/web to 3", ns)));
    watching
        .until("web at 3", WAIT, |_, d| {
            d.workloads.get(&k).is_some_and(|w| w.desired == 3)
        })
        .await;
    if let Some(fk) = c.fake_only("the request record") {
        let scale = format!("/apis/apps/v1/namespaces/{}/deployments/web/scale", ns);
        assert!(
            fk.requests().iter().any(|r| r.method == "PATCH"
                && r.path == scale
                && r.content_type.as_deref() == Some("application/merge-patch+json")),
            "no merge PATCH of {scale}: {:#?}",
            fk.requests()
        );
    }
    c.clean().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_only_policy_makes_every_write_unavailable_with_the_reason_and_sends_none() {
    let c = Cluster::fake(
        Options::default().view_only("viewer").flux(true),
        "viewer",
        "media",
    )
    .await;
    let fk = c.fake.as_ref().expect("a fake");
    fk.apply(&json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "media"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
    .unwrap();
    let w = Watching::start(spec(&c, &[]));
    let (feed, _) = w
        .until("the access reviews", WAIT, |_, d| d.perms.is_some())
        .await;
    let perms = feed.data.perms.clone().unwrap();
    assert!(perms.denies_every_write(), "{perms:#?}");
    for p in [
        Perm::ScaleDeployments,
        Perm::DeletePods,
        Perm::EvictPods,
        Perm::PatchNodes,
        Perm::PatchHelmReleases,
    ] {
        let why = perms
            .denied(p, "media")
            .unwrap_or_else(|| panic!("{p:?} allowed"));
        assert!(why.contains(&p.words()), "{p:?}: {why}");
    }
    let op = KubeOp::Scale {
        kind: WorkloadKind::Deployment,
        ns: "media".into(),
        name: "web".into(),
        from: 1,
        to: 2,
    };
    assert!(
        op.perms()
            .iter()
            .any(|p| perms.denied(*p, "media").is_some())
    );
    let reviews = fk
        .requests()
        .iter()
        .filter(|r| r.resource == "selfsubjectaccessreviews")
        .count();
    assert!(reviews >= Perm::ALL.len(), "asked {reviews} access reviews");
    let writes: Vec<_> = fk
        .requests()
        .into_iter()
        .filter(|r| !r.is_read_only())
        .collect();
    assert!(writes.is_empty(), "{writes:#?}");
}

fn ready_pod(ns: &str, name: &str, node: &str, labels: Value, meta: Value) -> Value {
    let mut metadata = json!({"name": name, "namespace": ns, "labels": labels});
    if let (Some(m), Some(extra)) = (metadata.as_object_mut(), meta.as_object()) {
        m.extend(extra.clone());
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_a_disruption_budget_refuses_says_so_and_the_other_pods_go() {
    let c = Cluster::fake(Options::default(), "admin", "shop").await;
    let fk = c.fake.as_ref().expect("a fake");
    fk.apply(&json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "w2"}}))
        .unwrap();
    let app = json!({"app": "db"});
    fk.apply(&ready_pod("shop", "db-0", "w2", app.clone(), json!({})))
        .unwrap();
    fk.apply(&ready_pod(
        "shop",
        "web-0",
        "w2",
        json!({"app": "web"}),
        json!({}),
    ))
    .unwrap();
    fk.apply(&ready_pod(
        "shop",
        "elsewhere",
        "w1",
        json!({"app": "web"}),
        json!({}),
    ))
    .unwrap();
    let ds = json!({"ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "u1", "controller": true}]});
    fk.apply(&ready_pod(
        "shop",
        "agent-x",
        "w2",
        json!({"app": "agent"}),
        ds,
    ))
    .unwrap();
    let mirror = json!({"annotations": {MIRROR: "abc"}});
    fk.apply(&ready_pod(
        "kube-system",
        "etcd-w2",
        "w2",
        json!({}),
        mirror,
    ))
    .unwrap();
    fk.apply(
        &json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": app}}}),
    )
    .unwrap();
    let w = Watching::start(spec(&c, &[]));
    let (feed, _) = w
        .until_feed("the five pods", WAIT, |f| {
            f.conn.is_some() && f.data.pods.len() == 5
        })
        .await;
    let plan = Plan::one(KubeStep {
        conn: feed.conn.clone().unwrap(),
        op: KubeOp::Drain {
            node: "w2".into(),
            pods: 2,
        },
    });
    assert_eq!(
        plan.confirm_lines()[1],
        "drain node w2: cordon, then evict 2 pods (DaemonSet pods stay)"
    );
    let done = plan.apply(&writer(), progress()).await;
    let Err(StepError::Refused(why)) = &done else {
        panic!("not refused: {done:?}");
    };
    assert!(why.contains("shop/db-0"), "{why}");
    assert!(why.contains("disruption budget"), "{why}");
    assert!(why.contains("1 pod evicted"), "{why}");
    assert!(
        fk.get("pods", "shop", "web-0").is_none(),
        "web-0 was evicted"
    );
    for (ns, pod) in [
        ("shop", "db-0"),
        ("shop", "agent-x"),
        ("kube-system", "etcd-w2"),
        ("shop", "elsewhere"),
    ] {
        assert!(fk.get("pods", ns, pod).is_some(), "{ns}/{pod} stays");
    }
    let node = fk.get("nodes", "", "w2").unwrap();
    assert_eq!(
        node.pointer("/spec/unschedulable"),
        Some(&json!(true)),
        "cordoned first"
    );
    let evictions: Vec<_> = fk
        .requests()
        .into_iter()
        .filter(|r| r.subresource == "eviction")
        .map(|r| r.path)
        .collect();
    assert_eq!(evictions.len(), 2, "db-0 and web-0 only: {evictions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_cordon_and_flux_patch_what_kubectl_and_flux_patch() {
    let c = Cluster::start(Options::default().flux(true), "ldpatch").await;
    let ns = &c.ns;
    deployment(&c, ns, "web", 1).await;
    let k = key(ns, "web");
    let w = Watching::start(spec(&c, &[ns.as_str()]));
    let (feed, _) = w
        .until_feed("web listed", WAIT, |f| {
            f.conn.is_some() && f.data.workloads.contains_key(&k)
        })
        .await;
    let conn = feed.conn.clone().unwrap();
    let run = |op: KubeOp| {
        let plan = Plan::one(KubeStep {
            conn: conn.clone(),
            op,
        });
        async move { plan.apply(&writer(), progress()).await }
    };
    let restarted = run(KubeOp::Restart {
        kind: WorkloadKind::Deployment,
        ns: ns.clone(),
        name: "web".into(),
    })
    .await;
    assert_eq!(restarted, Ok(format!("restarting deployment {}/web", ns)));
    let api: Api<Deployment> = Api::namespaced(c.client.clone(), ns);
    let d = serde_json::to_value(api.get("web").await.unwrap()).unwrap();
    let at = d
        .pointer("/spec/template/metadata/annotations")
        .and_then(|a| a.get(RESTARTED_AT))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {RESTARTED_AT}: {d:#}"));
    assert!(at.parse::<jiff::Timestamp>().is_ok(), "RFC 3339: {at}");

    let Some(fk) = c.fake_only("cordoning a node and Flux objects") else {
        c.clean().await;
        return;
    };
    fk.apply(&json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "w1"}}))
        .unwrap();
    let unschedulable = || {
        fk.get("nodes", "", "w1")
            .unwrap()
            .pointer("/spec/unschedulable")
            .cloned()
    };
    assert_eq!(
        run(KubeOp::Cordon { node: "w1".into() }).await,
        Ok("cordoned w1".into())
    );
    assert_eq!(unschedulable(), Some(json!(true)));
    assert_eq!(
        run(KubeOp::Uncordon { node: "w1".into() }).await,
        Ok("uncordoned w1".into())
    );
    assert_eq!(unschedulable(), Some(json!(false)));

    fk.apply(
        &json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "podinfo", "namespace": "flux-system"},
        "spec": {"interval": "5m", "chart": {"spec": {"chart": "podinfo"}}}}),
    )
    .unwrap();
    // Discovery has found the Flux kinds once the watcher lists them.
    let w2 = Watching::start(spec(&c, &[]));
    let (feed, _) = w2
        .until_feed("podinfo listed", WAIT, |f| {
            f.conn.is_some()
                && f.data
                    .flux
                    .keys()
                    .any(|k| k.ends_with("flux-system/podinfo"))
        })
        .await;
    let conn = feed.conn.clone().unwrap();
    let run = |op: KubeOp| {
        let plan = Plan::one(KubeStep {
            conn: conn.clone(),
            op,
        });
        async move { plan.apply(&writer(), progress()).await }
    };
    let hr = |op: fn(FluxKind, String, String) -> KubeOp| {
        op(
            FluxKind::HelmRelease,
            "flux-system".into(),
            "podinfo".into(),
        )
    };
    let get = || fk.get("helmreleases", "flux-system", "podinfo").unwrap();
    let requested = |v: &Value| {
        v.pointer("/metadata/annotations")
            .and_then(|a| a.get(REQUESTED_AT))
            .cloned()
    };
    fk.clear_requests();
    run(hr(|kind, ns, name| KubeOp::Suspend { kind, ns, name }))
        .await
        .unwrap();
    assert_eq!(get().pointer("/spec/suspend"), Some(&json!(true)));
    assert_eq!(requested(&get()), None, "a suspend asks for nothing else");
    run(hr(|kind, ns, name| KubeOp::Resume { kind, ns, name }))
        .await
        .unwrap();
    assert_eq!(get().pointer("/spec/suspend"), Some(&json!(false)));
    let first = requested(&get()).expect("a resume asks for a reconcile");
    tokio::time::sleep(Duration::from_millis(5)).await;
    run(hr(|kind, ns, name| KubeOp::Reconcile { kind, ns, name }))
        .await
        .unwrap();
    let second = requested(&get()).expect("reconcile sets the annotation");
    assert_ne!(first, second, "a new request each time");
    let patches: Vec<_> = fk
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 3, "{patches:#?}");
    for p in patches {
        assert_eq!(p.resource, "helmreleases");
        assert_eq!(
            p.content_type.as_deref(),
            Some("application/merge-patch+json")
        );
    }
}

/// A running pod `box` in `c.ns` with a shell: on the fake, one it says runs (the
/// fake runs exec'd commands on this machine); on a real cluster, busybox, waited for.
async fn shell_pod(c: &Cluster) {
    if let Some(fk) = c.fake.as_ref() {
        fk.apply(&support::kube::pod_json(&c.ns, "box")).unwrap();
        return;
    }
    let api: Api<Pod> = Api::namespaced(c.client.clone(), &c.ns);
    let pod: Pod = serde_json::from_value(json!({"metadata": {"name": "box"},
        "spec": {"containers": [{"name": "box", "image": "busybox:1.37",
            "command": ["sleep", "3600"]}]}}))
    .unwrap();
    api.create(&PostParams::default(), &pod).await.unwrap();
    let running = kube::runtime::wait::await_condition(api, "box", |p: Option<&Pod>| {
        p.and_then(|p| p.status.as_ref()?.phase.as_deref()) == Some("Running")
    });
    tokio::time::timeout(Duration::from_secs(120), running)
        .await
        .expect("busybox runs within 2 minutes")
        .unwrap();
}

/// Read the shell's output until `want` shows (within 10 s); all of it so far.
async fn read_until(io: &mut (impl AsyncRead + Unpin), seen: &mut String, want: &str) {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        while !seen.contains(want) {
            let n = io.read(&mut buf).await.expect("the shell's output");
            assert!(n > 0, "the shell ended before {want:?}: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
    .await;
    assert!(found.is_ok(), "no {want:?} from the shell: {seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_in_a_pod_runs_what_is_typed_follows_the_terminal_size_and_says_its_exit() {
    let c = Cluster::start(Options::default(), "ldexec").await;
    shell_pod(&c).await;
    let w = Watching::start(spec(&c, &[c.ns.as_str()]));
    let (feed, _) = w.until_feed("connected", WAIT, |f| f.conn.is_some()).await;
    let kw = KubeWriter::new(&writer(), feed.conn.as_ref().unwrap()).unwrap();
    let mut sh = kw.shell(&c.ns, "box", None, (100, 30)).await.unwrap();
    let mut seen = String::new();
    // Evaluated in the pod: only the output says 42.
    sh.io.write_all(b"echo from-pod-$((6*7))\n").await.unwrap();
    read_until(&mut sh.io, &mut seen, "from-pod-42\r\n").await;
    sh.io.write_all(b"stty size\n").await.unwrap();
    read_until(&mut sh.io, &mut seen, "30 100").await;
    sh.resize.resize(120, 40).await;
    sh.io.write_all(b"stty size\n").await.unwrap();
    read_until(&mut sh.io, &mut seen, "40 120").await;
    sh.io.write_all(b"exit 3\n").await.unwrap();
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(WAIT, sh.io.read_to_end(&mut rest)).await;
    assert_eq!(sh.ended.wait().await, Ok(Some(3)));
    if let Some(fk) = c.fake_only("the request record") {
        let exec = format!("/api/v1/namespaces/{}/pods/box/exec", c.ns);
        assert!(
            fk.requests().iter().any(|r| r.path == exec),
            "no exec request: {:#?}",
            fk.requests()
        );
    }
    c.clean().await;
}

/// A TCP server that sends back what it is sent, prefixed with `tag`.
async fn echo(tag: &'static str) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 || s.write_all(tag.as_bytes()).await.is_err() {
                        break;
                    }
                    if s.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

/// Send `line` through `local` and read the answer (within 10 s); "" if it closed.
async fn through(local: std::net::SocketAddr, line: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(local).await.unwrap();
    s.write_all(line.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
        .await
        .expect("an answer or a close within 10 s")
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn port_forwards_carry_a_pod_port_and_a_service_port_and_say_what_fails() {
    use labdeck::backend::kube::forward::{ForwardEvent, ForwardSpec, ForwardTo};
    let c = Cluster::fake(Options::default(), "admin", "shop").await;
    let fk = c.fake.as_ref().unwrap();
    let mut pod = support::kube::pod_json("shop", "web-0");
    pod["metadata"]["labels"] = json!({"app": "web"});
    pod["spec"]["containers"][0]["ports"] = json!([{"name": "http", "containerPort": 8080}]);
    fk.apply(&pod).unwrap();
    let mut done = support::kube::pod_json("shop", "job-0");
    done["status"]["phase"] = json!("Succeeded");
    fk.apply(&done).unwrap();
    fk.apply(&json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}}))
        .unwrap();
    fk.map_pod_port("shop", "web-0", 8080, echo("web:").await);

    let w = Watching::start(spec(&c, &[]));
    let (feed, _) = w.until_feed("connected", WAIT, |f| f.conn.is_some()).await;
    let kw = KubeWriter::new(&writer(), feed.conn.as_ref().unwrap()).unwrap();
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let report: labdeck::backend::kube::forward::Report = std::sync::Arc::new(move |e| {
        let _ = tx.send(e);
    });
    let target = |to, name: &str, port| ForwardSpec {
        to,
        ns: "shop".into(),
        name: name.into(),
        port,
        local: 0,
    };
    let stop = tokio_util::sync::CancellationToken::new();

    // A pod's port.
    let f = kw
        .forward(target(ForwardTo::Pod, "web-0", 8080))
        .await
        .unwrap();
    let pod_local = f.local();
    tokio::spawn(f.serve(stop.clone(), report.clone()));
    assert_eq!(through(pod_local, "ping").await, "web:ping");
    assert_eq!(
        events.recv().await,
        Some(ForwardEvent::Opened {
            pod: "web-0".into(),
            port: 8080,
            open: 1
        })
    );

    // A service's port: to its ready pod, through the named target port.
    let f = kw
        .forward(target(ForwardTo::Service, "web", 80))
        .await
        .unwrap();
    let svc_local = f.local();
    tokio::spawn(f.serve(stop.clone(), report.clone()));
    assert_eq!(through(svc_local, "hello").await, "web:hello");

    // A port nothing listens on: the connection closes and the kubelet's words come back.
    let f = kw
        .forward(target(ForwardTo::Pod, "web-0", 9999))
        .await
        .unwrap();
    let dead_local = f.local();
    tokio::spawn(f.serve(stop.clone(), report.clone()));
    assert_eq!(through(dead_local, "anyone?").await, "");
    let why = tokio::time::timeout(WAIT, async {
        loop {
            if let Some(ForwardEvent::Failed(why)) = events.recv().await {
                return why;
            }
        }
    })
    .await
    .expect("the failure is reported");
    assert!(why.contains("connection refused"), "{why}");

    // Refused before listening: a finished pod, a service port it does not have.
    let e = kw
        .forward(target(ForwardTo::Pod, "job-0", 80))
        .await
        .err()
        .unwrap();
    assert!(e.contains("is Succeeded"), "{e}");
    let e = kw
        .forward(target(ForwardTo::Service, "web", 443))
        .await
        .err()
        .unwrap();
    assert!(e.contains("has no port 443"), "{e}");

    // Stopped: the local port no longer answers.
    stop.cancel();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(tokio::net::TcpStream::connect(pod_local).await.is_err());
    assert!(
        fk.requests().iter().any(|r| r.subresource == "portforward"),
        "{:#?}",
        fk.requests()
    );
}
