//! Where a Kubernetes test runs: a `FakeKube` started for it (the default), or the
//! real cluster `LABDECK_IT_KUBECONFIG` names (its current context, or
//! `LABDECK_IT_KUBE_CONTEXT`). On a real cluster a test uses only namespaces it
//! creates (and deletes), and skips, saying so, what only the fake can do (policies,
//! nodes, request records).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fakekube::{FakeKube, Options};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use labdeck::backend::kube::config::ClusterSpec;
use labdeck::backend::kube::watch::{ClusterWatcher, KubeFeed};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

/// The variable naming a real cluster's kubeconfig.
pub const REAL: &str = "LABDECK_IT_KUBECONFIG";

pub struct TestCluster {
    /// The fake, when the test runs against one.
    pub fake: Option<FakeKube>,
    pub kubeconfig: PathBuf,
    pub context: String,
    _dir: TempDir,
}

impl TestCluster {
    /// A fake started with `opts`, its kubeconfig's context `homelab` for `user`;
    /// or the real cluster when `LABDECK_IT_KUBECONFIG` is set.
    pub async fn start(opts: Options, user: &str) -> TestCluster {
        let dir = tempfile::tempdir().expect("tempdir");
        if let Ok(path) = std::env::var(REAL) {
            let kc = Kubeconfig::read_from(&path).unwrap_or_else(|e| panic!("{REAL}={path}: {e}"));
            let context = std::env::var("LABDECK_IT_KUBE_CONTEXT")
                .ok()
                .or(kc.current_context.clone())
                .expect("the kubeconfig names a current context");
            return TestCluster {
                fake: None,
                kubeconfig: PathBuf::from(path),
                context,
                _dir: dir,
            };
        }
        let fk = FakeKube::start(opts)
            .await
            .expect("the fake API server starts");
        let kubeconfig = dir.path().join("kubeconfig");
        fk.write_kubeconfig(&kubeconfig, "homelab", user)
            .expect("write the kubeconfig");
        TestCluster {
            fake: Some(fk),
            kubeconfig,
            context: "homelab".into(),
            _dir: dir,
        }
    }

    /// The fake, or `None` after printing why `what` is skipped on a real cluster.
    pub fn fake_or_skip(&self, what: &str) -> Option<&FakeKube> {
        if self.fake.is_none() {
            eprintln!("skipped on the real cluster ({REAL}): {what} needs the fake API server");
        }
        self.fake.as_ref()
    }

    /// A client of the test's own, to set the cluster up and read it back.
    pub async fn client(&self) -> kube::Client {
        let kc = Kubeconfig::read_from(&self.kubeconfig).expect("read the kubeconfig");
        let opts = KubeConfigOptions {
            context: Some(self.context.clone()),
            ..Default::default()
        };
        let config = kube::Config::from_custom_kubeconfig(kc, &opts)
            .await
            .expect("a client config");
        kube::Client::try_from(config).expect("a client")
    }

    /// labdeck's own view of the cluster, as the pane builds it.
    pub fn spec(&self, namespaces: &[&str]) -> ClusterSpec {
        ClusterSpec {
            name: "homelab".into(),
            context: self.context.clone(),
            kubeconfig: Kubeconfig::read_from(&self.kubeconfig).map_err(|e| e.to_string()),
            read_only: false,
            namespaces: namespaces.iter().map(|s| s.to_string()).collect(),
            timeout: Duration::from_secs(10),
        }
    }

    /// A fresh namespace `prefix-<random>`, deleted when the guard drops.
    pub async fn namespace(&self, prefix: &str) -> TestNamespace {
        let name = format!("{prefix}-{:08x}", rand_u32());
        let api: Api<Namespace> = Api::all(self.client().await);
        let ns: Namespace =
            serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
        api.create(&PostParams::default(), &ns)
            .await
            .expect("create the test namespace");
        TestNamespace { name, api }
    }
}

pub struct TestNamespace {
    pub name: String,
    api: Api<Namespace>,
}

impl Drop for TestNamespace {
    fn drop(&mut self) {
        let (api, name) = (self.api.clone(), self.name.clone());
        // Best effort, without blocking the runtime the test runs on.
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            h.spawn(async move {
                let _ = api.delete(&name, &DeleteParams::default()).await;
            });
        }
    }
}

fn rand_u32() -> u32 {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).expect("random bytes");
    u32::from_le_bytes(b)
}

/// Watch `spec`'s cluster until `pred` holds for its feed (within `limit`); the feed.
pub async fn watch_until(
    spec: ClusterSpec,
    limit: Duration,
    mut pred: impl FnMut(&KubeFeed) -> bool,
) -> (KubeFeed, Watching) {
    let cancel = CancellationToken::new();
    let w = ClusterWatcher::spawn(spec, cancel.clone());
    let mut rx = w.feed.clone();
    let watching = Watching {
        feed: w.feed.clone(),
        cancel,
    };
    let found = tokio::time::timeout(limit, async {
        loop {
            {
                let f = rx.borrow_and_update();
                if pred(&f) {
                    return f.clone();
                }
            }
            if rx.changed().await.is_err() {
                panic!("the watcher stopped");
            }
        }
    })
    .await;
    match found {
        Ok(f) => (f, watching),
        Err(_) => panic!("the feed never got there: {:#?}", rx.borrow().status),
    }
}

/// A watcher still running, to wait on again; stopped on drop.
pub struct Watching {
    pub feed: tokio::sync::watch::Receiver<KubeFeed>,
    cancel: CancellationToken,
}

impl Watching {
    pub async fn until(
        &mut self,
        limit: Duration,
        mut pred: impl FnMut(&KubeFeed) -> bool,
    ) -> KubeFeed {
        let rx = &mut self.feed;
        let r = tokio::time::timeout(limit, async {
            loop {
                {
                    let f = rx.borrow_and_update();
                    if pred(&f) {
                        return f.clone();
                    }
                }
                rx.changed().await.expect("the watcher runs");
            }
        })
        .await;
        r.unwrap_or_else(|_| panic!("the feed never got there"))
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Progress lines a step reports, kept.
pub fn progress() -> labdeck::ops::plan::Progress {
    Arc::new(|line: String| eprintln!("progress: {line}"))
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
