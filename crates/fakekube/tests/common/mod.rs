//! Shared test set-up: a kube Client built from a kubeconfig the fake wrote,
//! as labdeck builds its own.
#![allow(dead_code)]

use fakekube::{FakeKube, Kubeconfig};
use k8s_openapi::api::core::v1::Pod;
use kube::Client;
use kube::config::{KubeConfigOptions, Kubeconfig as KubeKubeconfig};
use serde_json::json;

pub async fn client(fk: &FakeKube, user: &str) -> Client {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    Kubeconfig::new()
        .context("test", fk, user)
        .write(&path)
        .unwrap();
    client_from(&path, "test").await
}

/// A client without kube's default retry of 429/503/504: kube 5 retries a
/// 429 (an eviction a disruption budget refuses, which carries no
/// Retry-After) up to 15 times with backoff, minutes in all, against a real
/// cluster as well.
pub async fn client_no_retry(fk: &FakeKube, user: &str) -> Client {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    Kubeconfig::new()
        .context("test", fk, user)
        .write(&path)
        .unwrap();
    let kc = KubeKubeconfig::read_from(&path).unwrap();
    let mut config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    config.default_retry = false;
    Client::try_from(config).unwrap()
}

pub async fn client_from(path: &std::path::Path, context: &str) -> Client {
    let kc = KubeKubeconfig::read_from(path).unwrap();
    let opts = KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .unwrap();
    Client::try_from(config).unwrap()
}

pub fn pod(ns: &str, name: &str, labels: serde_json::Value) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {"containers": [{"name": "main", "image": "busybox"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
    }))
    .unwrap()
}

pub fn api_error(e: kube::Error) -> Box<kube::core::Status> {
    match e {
        kube::Error::Api(s) => s,
        other => panic!("expected an API error, got {other:?}"),
    }
}
