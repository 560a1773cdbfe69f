//! Kubernetes clusters for tests: the in-repo fake API server, or a real cluster when
//! `LABDECK_IT_KUBECONFIG` names a kubeconfig (its current context, or
//! `LABDECK_IT_KUBE_CONTEXT`). On a real cluster
//! a test uses only a namespace it creates, and the parts that need the fake (its
//! policies, stopping the server) are skipped with a printed reason.
#![allow(dead_code)]

use fakekube::{FakeKube, Kubeconfig, Options};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig as KubeKubeconfig};
use kube::{Client, Config};
use labdeck::backend::kube::config::{ClusterSpec, KubeContext, clusters};
use labdeck::backend::kube::data::ClusterData;
use labdeck::backend::kube::watch::{ClusterWatcher, KubeFeed};
use labdeck::core::status::SourceStatus;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

pub const REAL_ENV: &str = "LABDECK_IT_KUBECONFIG";
/// The context to use in it, when not its current one.
pub const CONTEXT_ENV: &str = "LABDECK_IT_KUBE_CONTEXT";

/// A cluster to test against, with a namespace of the test's own.
pub struct Cluster {
    pub fake: Option<FakeKube>,
    pub kubeconfig: PathBuf,
    pub context: String,
    pub ns: String,
    pub client: Client,
    _dir: Option<tempfile::TempDir>,
}

impl Cluster {
    /// The real cluster if one is named, else a fake started with `opts`. Its
    /// namespace `ns` is created.
    pub async fn start(opts: Options, ns: &str) -> Cluster {
        let c = match std::env::var(REAL_ENV) {
            Ok(path) => Cluster::real(PathBuf::from(path), ns).await,
            Err(_) => Cluster::fake(opts, "admin", ns).await,
        };
        let nss: Api<Namespace> = Api::all(c.client.clone());
        let obj: Namespace =
            serde_json::from_value(serde_json::json!({"metadata": {"name": c.ns}}))
                .expect("a namespace");
        let _ = nss.create(&PostParams::default(), &obj).await;
        c
    }

    /// Always the fake (the test needs what only the fake can do), as `user`.
    pub async fn fake(opts: Options, user: &str, ns: &str) -> Cluster {
        let fk = FakeKube::start(opts)
            .await
            .expect("the fake API server starts");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kubeconfig");
        Kubeconfig::new()
            .context("fake", &fk, user)
            .write(&path)
            .unwrap();
        let client = client(&path, "fake").await;
        Cluster {
            fake: Some(fk),
            kubeconfig: path,
            context: "fake".into(),
            ns: ns.into(),
            client,
            _dir: Some(dir),
        }
    }

    async fn real(path: PathBuf, ns: &str) -> Cluster {
        let kc = KubeKubeconfig::read_from(&path).expect("LABDECK_IT_KUBECONFIG reads");
        let context = std::env::var(CONTEXT_ENV)
            .ok()
            .or(kc.current_context.clone())
            .expect("a current context");
        let client = client(&path, &context).await;
        Cluster {
            fake: None,
            kubeconfig: path,
            context,
            ns: format!("labdeck-it-{ns}-{}", std::process::id()),
            client,
            _dir: None,
        }
    }

    /// Whether a test step needs the fake; on a real cluster it says why it skips.
    pub fn fake_only(&self, what: &str) -> Option<&FakeKube> {
        if self.fake.is_none() {
            eprintln!("skipped on a real cluster (needs the fake API server): {what}");
        }
        self.fake.as_ref()
    }

    /// The cluster as labdeck's watcher takes it, named `name`.
    pub fn spec(&self, name: &str, timeout_secs: u64) -> ClusterSpec {
        let entry = KubeContext {
            context: self.context.clone(),
            name: Some(name.into()),
            kubeconfig: Some(self.kubeconfig.to_string_lossy().into_owned()),
            read_only: false,
            namespaces: Vec::new(),
            timeout_secs,
        };
        clusters(&[entry]).remove(0)
    }

    /// Delete the test's namespace (a real cluster keeps nothing of the test).
    pub async fn clean(&self) {
        if self.fake.is_none() {
            let nss: Api<Namespace> = Api::all(self.client.clone());
            let _ = nss.delete(&self.ns, &DeleteParams::default()).await;
        }
    }
}

pub async fn client(path: &std::path::Path, context: &str) -> Client {
    let kc = KubeKubeconfig::read_from(path).unwrap();
    let opts = KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let config = Config::from_custom_kubeconfig(kc, &opts).await.unwrap();
    Client::try_from(config).unwrap()
}

/// labdeck's watcher of one cluster, and the means to wait for what it publishes.
pub struct Watching {
    pub watcher: ClusterWatcher,
    cancel: CancellationToken,
}

impl Watching {
    pub fn start(spec: ClusterSpec) -> Watching {
        let cancel = CancellationToken::new();
        let watcher = ClusterWatcher::spawn(spec, cancel.clone());
        Watching { watcher, cancel }
    }

    pub fn now(&self) -> KubeFeed {
        self.watcher.feed.borrow().clone()
    }

    /// Wait up to `limit` for a feed that satisfies `pred`; the feed, or a panic that
    /// says what was last seen.
    pub async fn until(
        &self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&SourceStatus, &ClusterData) -> bool,
    ) -> (KubeFeed, Duration) {
        self.until_feed(what, limit, |f| pred(&f.status, &f.data))
            .await
    }

    /// As `until`, for a test that needs the whole feed (its connection too).
    pub async fn until_feed(
        &self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&KubeFeed) -> bool,
    ) -> (KubeFeed, Duration) {
        let start = Instant::now();
        let mut rx = self.watcher.feed.clone();
        let r = tokio::time::timeout(limit, rx.wait_for(|f| pred(f))).await;
        match r {
            Ok(Ok(f)) => (f.clone(), start.elapsed()),
            _ => {
                let f = self.now();
                panic!(
                    "{what}: not within {limit:?}; last status {:?}, kinds {:?}",
                    f.status, f.data.kinds
                )
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

pub fn live(s: &SourceStatus, _: &ClusterData) -> bool {
    s.is_live()
}

pub type Data = Arc<ClusterData>;

/// A running, ready pod as the API writes it.
pub fn pod_json(ns: &str, name: &str) -> serde_json::Value {
    serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
        "spec": {"containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}})
}

/// A plan step's progress lines, printed with the test's output.
pub fn progress() -> labdeck::ops::plan::Progress {
    Arc::new(|line: String| eprintln!("progress: {line}"))
}

pub fn path_str(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
