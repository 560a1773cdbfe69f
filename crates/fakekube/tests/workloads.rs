//! Scale through the subresource with the controllers acting on it, and
//! evictions that a PodDisruptionBudget refuses.

mod common;

use std::time::Duration;

use common::{api_error, client, pod};
use fakekube::{FakeKube, Options};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, EvictParams, ListParams, Patch, PatchParams};
use serde_json::json;

async fn eventually(mut f: impl FnMut() -> bool) {
    for _ in 0..100 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not reached in 5s");
}

#[tokio::test]
async fn scale_patch_creates_pods_and_status() {
    let fk = FakeKube::start(Options::default().controllers(true))
        .await
        .unwrap();
    fk.apply(&json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "main", "image": "nginx"}]}}}
    }))
    .unwrap();
    let c = client(&fk, "admin").await;
    let deps: Api<Deployment> = Api::namespaced(c.clone(), "default");
    let before = deps.get("web").await.unwrap();
    let scale = deps
        .patch_scale(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 3}})),
        )
        .await
        .unwrap();
    assert_eq!(scale.spec.unwrap().replicas, Some(3));
    assert_eq!(scale.status.unwrap().selector.as_deref(), Some("app=web"));
    let pods: Api<Pod> = Api::namespaced(c, "default");
    let mut ready = 0;
    for _ in 0..100 {
        let d = deps.get("web").await.unwrap();
        ready = d
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        if ready == 3
            && d.status.as_ref().and_then(|s| s.observed_generation) == d.metadata.generation
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ready, 3);
    let after = deps.get("web").await.unwrap();
    assert_eq!(
        after.metadata.generation,
        before.metadata.generation.map(|g| g + 1)
    );
    let list = pods
        .list(&ListParams::default().labels("app=web"))
        .await
        .unwrap();
    assert_eq!(list.items.len(), 3);
    assert!(
        list.items
            .iter()
            .all(|p| p.status.as_ref().unwrap().phase.as_deref() == Some("Running"))
    );
    // Scaling down removes pods; deleting the deployment collects the rest.
    deps.patch_scale(
        "web",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"replicas": 1}})),
    )
    .await
    .unwrap();
    eventually(|| fk.list("pods", Some("default")).len() == 1).await;
    fk.delete("deployments", "default", "web").unwrap();
    eventually(|| {
        fk.list("pods", Some("default")).is_empty() && fk.list("replicasets", None).is_empty()
    })
    .await;
}

#[tokio::test]
async fn eviction_honours_the_disruption_budget() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    for n in ["a", "b"] {
        fk.apply(&pod("db", n, json!({"app": "db"}))).unwrap();
    }
    fk.apply(&json!({
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "db", "namespace": "db"},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "db"}}}
    }))
    .unwrap();
    let pods: Api<Pod> = Api::namespaced(common::client_no_retry(&fk, "admin").await, "db");
    let st = api_error(pods.evict("a", &EvictParams::default()).await.unwrap_err());
    assert_eq!((st.code, st.reason.as_str()), (429, "TooManyRequests"));
    assert_eq!(
        st.message,
        "Cannot evict pod as it would violate the pod's disruption budget."
    );
    assert!(fk.get("pods", "db", "a").is_some());

    fk.modify("poddisruptionbudgets", "db", "db", |b| {
        b["spec"]["minAvailable"] = json!(1)
    })
    .unwrap();
    pods.evict("a", &EvictParams::default()).await.unwrap();
    assert!(fk.get("pods", "db", "a").is_none());
    assert_eq!(
        api_error(pods.evict("b", &EvictParams::default()).await.unwrap_err()).code,
        429
    );
    assert_eq!(
        api_error(
            pods.evict("zzz", &EvictParams::default())
                .await
                .unwrap_err()
        )
        .code,
        404
    );
}

#[tokio::test]
async fn patch_types_and_conflicts() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    fk.apply(&pod("default", "a", json!({"keep": "1"})))
        .unwrap();
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let rv0 = fk.resource_version();
    let p = pods
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Strategic(json!({"metadata": {"annotations": {"x": "1"}}})),
        )
        .await
        .unwrap();
    assert_eq!(p.metadata.annotations.unwrap()["x"], "1");
    assert_eq!(p.metadata.labels.unwrap()["keep"], "1");
    assert!(fk.resource_version() > rv0);
    let p = pods
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"keep": null, "y": "2"}}})),
        )
        .await
        .unwrap();
    assert_eq!(p.metadata.labels.clone().unwrap().get("keep"), None);
    assert_eq!(p.metadata.labels.clone().unwrap()["y"], "2");
    // A replace based on an old resourceVersion conflicts.
    let mut stale = p.clone();
    stale.metadata.resource_version = Some(rv0.to_string());
    let st = api_error(
        pods.replace("a", &Default::default(), &stale)
            .await
            .unwrap_err(),
    );
    assert_eq!((st.code, st.reason.as_str()), (409, "Conflict"));
    let st = api_error(pods.get("nope").await.unwrap_err());
    assert_eq!(
        (st.code, st.message.as_str()),
        (404, "pods \"nope\" not found")
    );
}

#[tokio::test]
async fn scenario_is_a_settled_cluster() {
    let fk = FakeKube::start(Options::default().controllers(true))
        .await
        .unwrap();
    fk.load(&fakekube::scenario::Scenario {
        namespaces: 2,
        nodes: 2,
        deployments: 3,
        pods: 10,
    });
    assert_eq!(fk.list("pods", None).len(), 10);
    assert_eq!(fk.list("replicasets", None).len(), 3);
    let deps: Api<Deployment> = Api::all(client(&fk, "admin").await);
    let ready: i32 = deps
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|d| d.status.as_ref().unwrap().ready_replicas.unwrap_or(0))
        .sum();
    assert_eq!(ready, 10);
    // The controllers find nothing to change in a generated cluster.
    let rv = fk.resource_version();
    fk.modify("nodes", "", "node-0", |n| {
        n["metadata"]["labels"]["touched"] = json!("1")
    })
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fk.resource_version(), rv + 1);
}
