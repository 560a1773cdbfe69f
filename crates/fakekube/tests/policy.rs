//! 403s as the API server words them, access reviews from the same policy,
//! the request log, and discovery of the optional kinds.

mod common;

use common::{api_error, client, pod};
use fakekube::{Deny, FakeKube, Options};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    SelfSubjectRulesReview, SelfSubjectRulesReviewSpec,
};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use kube::discovery::Discovery;
use serde_json::json;

fn opts() -> Options {
    Options::default().view_only("viewer").deny(
        "nopods",
        Deny::verbs(&["list", "watch"]).resources(&["pods"]),
    )
}

#[tokio::test]
async fn forbidden_is_a_real_403() {
    let fk = FakeKube::start(opts()).await.unwrap();
    fk.apply(&pod("default", "a", json!({}))).unwrap();
    let all: Api<Pod> = Api::all(client(&fk, "nopods").await);
    let st = api_error(all.list(&ListParams::default()).await.unwrap_err());
    assert_eq!(st.code, 403);
    assert_eq!(st.reason, "Forbidden");
    assert_eq!(
        st.message,
        "pods is forbidden: User \"nopods\" cannot list resource \"pods\" in API group \"\" at the cluster scope"
    );
    // Get is still allowed for that user.
    let ns: Api<Pod> = Api::namespaced(client(&fk, "nopods").await, "default");
    assert!(ns.get("a").await.is_ok());

    let viewer: Api<Pod> = Api::namespaced(client(&fk, "viewer").await, "default");
    assert!(viewer.list(&ListParams::default()).await.is_ok());
    let st = api_error(
        viewer
            .patch(
                "a",
                &PatchParams::default(),
                &Patch::Merge(json!({"metadata": {"labels": {"x": "y"}}})),
            )
            .await
            .unwrap_err(),
    );
    assert_eq!(
        st.message,
        "pods \"a\" is forbidden: User \"viewer\" cannot patch resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    assert!(
        fk.get("pods", "default", "a").unwrap()["metadata"]
            .get("labels")
            .unwrap()
            .get("x")
            .is_none()
    );
}

#[tokio::test]
async fn access_reviews_follow_the_policy_and_the_log_proves_reads() {
    let fk = FakeKube::start(opts()).await.unwrap();
    let c = client(&fk, "viewer").await;
    fk.clear_requests();
    let ssar: Api<SelfSubjectAccessReview> = Api::all(c.clone());
    let ask = |verb: &str| SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                resource: Some("deployments".into()),
                group: Some("apps".into()),
                namespace: Some("default".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = ssar
        .create(&PostParams::default(), &ask("list"))
        .await
        .unwrap();
    assert!(r.status.unwrap().allowed);
    let r = ssar
        .create(&PostParams::default(), &ask("patch"))
        .await
        .unwrap();
    assert!(!r.status.unwrap().allowed);

    let ssrr: Api<SelfSubjectRulesReview> = Api::all(c.clone());
    let rules = ssrr
        .create(
            &PostParams::default(),
            &SelfSubjectRulesReview {
                spec: SelfSubjectRulesReviewSpec {
                    namespace: Some("default".into()),
                },
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .status
        .unwrap();
    let pods_rule = rules
        .resource_rules
        .iter()
        .find(|r| r.resources.as_deref() == Some(&["pods".to_string()][..]))
        .unwrap();
    assert_eq!(pods_rule.verbs, ["get", "list", "watch"]);

    let _ = Api::<Pod>::all(c)
        .list(&ListParams::default())
        .await
        .unwrap();
    let reqs = fk.requests();
    assert_eq!(reqs.len(), 4);
    assert!(
        reqs.iter()
            .all(|r| r.is_read_only() && r.user.as_deref() == Some("viewer")),
        "{reqs:?}"
    );
    assert_eq!(reqs[0].verb, "create");
    assert_eq!(reqs[3].verb, "list");
}

#[tokio::test]
async fn unknown_token_is_401() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fakekube::Kubeconfig::new()
        .raw_context("x", &fk.url(), None, "nobody", "wrong-token")
        .write(&path)
        .unwrap();
    let c = common::client_from(&path, "x").await;
    let st = api_error(
        Api::<Pod>::all(c)
            .list(&ListParams::default())
            .await
            .unwrap_err(),
    );
    assert_eq!(st.code, 401);
}

#[tokio::test]
async fn discovery_sees_crds_only_when_served() {
    let plain = FakeKube::start(Options::default()).await.unwrap();
    let d = Discovery::new(client(&plain, "admin").await)
        .run()
        .await
        .unwrap();
    assert!(!d.has_group("helm.toolkit.fluxcd.io"));
    assert!(!d.has_group("kubevirt.io"));
    let (ar, caps) = d
        .resolve_gvk(&kube::api::GroupVersionKind::gvk(
            "apps",
            "v1",
            "Deployment",
        ))
        .unwrap();
    assert_eq!(ar.plural, "deployments");
    assert!(
        caps.subresources
            .iter()
            .any(|(s, _)| s.plural == "deployments/scale" || s.plural == "scale"),
        "{:?}",
        caps.subresources
    );

    let flux = FakeKube::start(Options::default().flux(true).kubevirt(true))
        .await
        .unwrap();
    let d = Discovery::new(client(&flux, "admin").await)
        .run()
        .await
        .unwrap();
    assert!(d.has_group("helm.toolkit.fluxcd.io"));
    assert!(d.has_group("kubevirt.io"));
    assert!(!d.has_group("k0smotron.io"));
    let src = d.get("source.toolkit.fluxcd.io").unwrap();
    assert_eq!(src.preferred_version_or_latest(), "v1");
    // A custom resource round-trips as plain JSON through a dynamic Api.
    flux.apply(&json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "grafana", "namespace": "flux-system"}, "spec": {"interval": "5m"}}))
        .unwrap();
    let (ar, _) = d
        .resolve_gvk(&kube::api::GroupVersionKind::gvk(
            "helm.toolkit.fluxcd.io",
            "v2",
            "HelmRelease",
        ))
        .unwrap();
    let api: Api<kube::api::DynamicObject> = Api::all_with(client(&flux, "admin").await, &ar);
    let list = api.list(&ListParams::default()).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].data["spec"]["interval"], "5m");
}
