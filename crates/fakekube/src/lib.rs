//! A Kubernetes API server for labdeck's tests and benchmarks.
//!
//! It speaks real Kubernetes JSON over real HTTP (or HTTPS with its own CA),
//! with real list/watch semantics, so a client cannot tell it from a cluster
//! and the same tests can run against one.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use fakekube::{FakeKube, Kubeconfig, Options};
//! let fk = FakeKube::start(Options::default().view_only("viewer")).await?;
//! Kubeconfig::new().context("homelab", &fk, "admin").write("/tmp/kubeconfig")?;
//! # Ok(()) }
//! ```

mod api;
mod controller;
mod discovery;
mod eviction;
mod exec;
mod kubeconfig;
mod logs;
mod options;
mod patch;
mod policy;
mod portforward;
mod request;
mod resources;
mod respond;
pub mod scenario;
mod selectors;
mod server;
mod status;
mod store;
mod tls;
mod upgrade;
mod watch;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use kubeconfig::Kubeconfig;
pub use logs::LogLine;
pub use options::{Options, token_for};
pub use policy::{Deny, User};
pub use resources::Crd;
pub use status::ApiError;

use store::{Part, Store};

/// One request as the fake saw it, for tests that check what a client did.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: String,
    pub content_type: Option<String>,
    /// None when the request carried no known token.
    pub user: Option<String>,
    /// The audit verb: get, list, watch, create, update, patch, delete,
    /// deletecollection; for non-resource paths the lowercase method.
    pub verb: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
}

impl RequestRecord {
    /// Whether the request only read: get, list, watch, or an access review
    /// (which asks, and changes nothing). A stream into a pod (exec, attach,
    /// portforward) is a GET but needs `create`, so it is no read.
    pub fn is_read_only(&self) -> bool {
        let into_pod = matches!(self.subresource.as_str(), "exec" | "attach" | "portforward");
        (matches!(self.verb.as_str(), "get" | "list" | "watch") && !into_pod)
            || matches!(
                self.resource.as_str(),
                "selfsubjectaccessreviews" | "selfsubjectrulesreviews"
            )
    }
}

/// A pod's port: namespace, pod name, port number.
pub(crate) type PodPort = (String, String, u16);

/// State shared by the server's tasks and the test-side handle.
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub policy: Mutex<policy::Policy>,
    pub opts: Options,
    pub logs: Mutex<logs::Logs>,
    pub log_tx: broadcast::Sender<logs::Pushed>,
    pub requests: Mutex<Vec<RequestRecord>>,
    /// Where pods' ports really listen, for port-forwards.
    pub pod_ports: Mutex<HashMap<PodPort, SocketAddr>>,
    pub hang: AtomicBool,
    pub tls: Option<tls::Tls>,
    pub addr: SocketAddr,
}

struct Running {
    cancel: CancellationToken,
    tracker: TaskTracker,
    accept: JoinHandle<()>,
}

/// A running fake API server. Dropping it stops serving.
pub struct FakeKube {
    shared: Arc<Shared>,
    running: Mutex<Option<Running>>,
    controller: Option<JoinHandle<()>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A test that panicked while holding a lock must not hide its own error
    // behind a poison panic here.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeKube {
    /// Binds 127.0.0.1 on the options' port (0: any free one) and serves.
    pub async fn start(opts: Options) -> std::io::Result<FakeKube> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
        let addr = listener.local_addr()?;
        let tls = if opts.tls {
            Some(tls::generate()?)
        } else {
            None
        };
        let (log_tx, _) = broadcast::channel(4096);
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(opts.max_history)),
            policy: Mutex::new(policy::Policy {
                users: opts.users.clone(),
            }),
            hang: AtomicBool::new(opts.hang),
            opts,
            logs: Mutex::new(logs::Logs::default()),
            log_tx,
            requests: Mutex::new(Vec::new()),
            pod_ports: Mutex::new(HashMap::new()),
            tls,
            addr,
        });
        let controller = shared
            .opts
            .controllers
            .then(|| tokio::spawn(controller::run(shared.clone())));
        let fk = FakeKube {
            shared,
            running: Mutex::new(None),
            controller,
        };
        fk.serve(listener);
        Ok(fk)
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let cancel = CancellationToken::new();
        let tracker = TaskTracker::new();
        let accept = tokio::spawn(server::accept_loop(
            self.shared.clone(),
            listener,
            cancel.clone(),
            tracker.clone(),
        ));
        *lock(&self.running) = Some(Running {
            cancel,
            tracker,
            accept,
        });
    }

    /// Stops as a dying server does: the listener closes and every open
    /// connection (watches, log follows, exec sessions, port-forwards) breaks.
    pub async fn stop(&self) {
        let running = lock(&self.running).take();
        if let Some(r) = running {
            r.cancel.cancel();
            let _ = r.accept.await;
            r.tracker.close();
            r.tracker.wait().await;
        }
    }

    /// Serves the same store again on the same port after `stop`.
    pub async fn start_again(&self) -> std::io::Result<()> {
        self.stop().await;
        let listener = tokio::net::TcpListener::bind(self.shared.addr).await?;
        self.serve(listener);
        Ok(())
    }

    pub fn is_running(&self) -> bool {
        lock(&self.running).is_some()
    }

    /// `http://127.0.0.1:PORT` or `https://…` with TLS.
    pub fn url(&self) -> String {
        let scheme = if self.shared.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.shared.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The CA certificate (PEM) that signed the server's, when TLS is on.
    pub fn ca_pem(&self) -> Option<String> {
        self.shared.tls.as_ref().map(|t| t.ca_pem.clone())
    }

    /// The bearer token of a user.
    pub fn token(&self, user: &str) -> Option<String> {
        lock(&self.shared.policy)
            .user(user)
            .map(|u| u.token.clone())
    }

    /// Writes a kubeconfig with one context for `user` on this server.
    pub fn write_kubeconfig(
        &self,
        path: impl AsRef<std::path::Path>,
        context: &str,
        user: &str,
    ) -> std::io::Result<()> {
        Kubeconfig::new().context(context, self, user).write(path)
    }

    /// Takes more rights away from a user while serving.
    pub fn deny(&self, user: &str, rule: Deny) {
        let mut p = lock(&self.shared.policy);
        if let Some(u) = p.users.iter_mut().find(|u| u.name == user) {
            u.deny.push(rule);
        }
    }

    /// Accept connections but answer nothing (on), or answer again (off).
    pub fn hang(&self, on: bool) {
        self.shared.hang.store(on, Ordering::SeqCst);
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.requests).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    // --- the store, as a test sets up and changes the cluster ---

    /// Creates or replaces an object given as JSON or as a k8s-openapi type.
    /// Its namespace is created first if missing.
    pub fn apply<T: Serialize>(&self, obj: &T) -> Result<Value, ApiError> {
        let mut v = serde_json::to_value(obj).map_err(|e| ApiError::bad_request(e.to_string()))?;
        let api_version = v["apiVersion"].as_str().unwrap_or_default().to_string();
        let kind = v["kind"].as_str().unwrap_or_default().to_string();
        let d = resources::by_kind(&api_version, &kind)
            .ok_or_else(|| ApiError::bad_request(format!("no kind {kind:?} in {api_version:?}")))?;
        let ns = if d.namespaced {
            let ns = store::namespace_of(&v);
            if ns.is_empty() {
                "default".to_string()
            } else {
                ns.to_string()
            }
        } else {
            String::new()
        };
        let name = store::name_of(&v).to_string();
        let mut s = lock(&self.shared.store);
        if d.namespaced {
            let nsdef = resources::by_name("namespaces").expect("namespaces in table");
            if s.get(nsdef, "", &ns).is_none() {
                s.create(nsdef, "", serde_json::json!({"metadata": {"name": ns}}))?;
            }
        }
        if !name.is_empty() && s.get(d, &ns, &name).is_some() {
            if let Some(m) = v["metadata"].as_object_mut() {
                m.remove("resourceVersion");
            }
            s.update(d, &ns, &name, v, Part::Whole)
        } else {
            s.create(d, &ns, v)
        }
    }

    /// The object, by kind (plural, kind, short name; `deployments.apps`
    /// to pick a group), namespace ("" for cluster-scoped) and name.
    pub fn get(&self, kind: &str, ns: &str, name: &str) -> Option<Value> {
        let d = resources::by_name(kind)?;
        lock(&self.shared.store).get(d, ns, name).cloned()
    }

    /// All objects of a kind, in one namespace or all.
    pub fn list(&self, kind: &str, ns: Option<&str>) -> Vec<Value> {
        let Some(d) = resources::by_name(kind) else {
            return Vec::new();
        };
        lock(&self.shared.store).iter(d, ns).cloned().collect()
    }

    pub fn delete(&self, kind: &str, ns: &str, name: &str) -> Result<Value, ApiError> {
        let d = resources::by_name(kind)
            .ok_or_else(|| ApiError::bad_request(format!("unknown kind {kind}")))?;
        lock(&self.shared.store).delete(d, ns, name)
    }

    /// Changes an object in place (spec and status alike) as one write.
    pub fn modify(
        &self,
        kind: &str,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Result<Value, ApiError> {
        let d = resources::by_name(kind)
            .ok_or_else(|| ApiError::bad_request(format!("unknown kind {kind}")))?;
        let mut s = lock(&self.shared.store);
        let mut obj = s
            .get(d, ns, name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(d, name))?;
        f(&mut obj);
        s.update(d, ns, name, obj, Part::Whole)
    }

    /// Forgets the change history, as etcd's compaction: a list or watch
    /// from an older resourceVersion now gets 410 Gone.
    pub fn compact(&self) {
        lock(&self.shared.store).compact();
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        lock(&self.shared.store).rv()
    }

    /// Appends a line to a container's log, stamped now.
    pub fn log(&self, ns: &str, pod: &str, container: &str, line: &str) {
        logs::push(&self.shared, ns, pod, container, line, false);
    }

    /// Appends a line to the log of the container's previous instance.
    pub fn log_previous(&self, ns: &str, pod: &str, container: &str, line: &str) {
        logs::push(&self.shared, ns, pod, container, line, true);
    }

    /// Says where a pod's port really listens: a port-forward to `port` of
    /// the pod dials `addr`, as the kubelet dials the port inside the pod's
    /// network. A port never mapped refuses the connection, as one nothing
    /// listens on; mapping a port again moves it.
    pub fn map_pod_port(&self, ns: &str, pod: &str, port: u16, addr: SocketAddr) {
        lock(&self.shared.pod_ports).insert((ns.to_string(), pod.to_string(), port), addr);
    }

    /// Fills the store with a generated cluster.
    pub fn load(&self, scenario: &scenario::Scenario) {
        scenario.load(&mut lock(&self.shared.store));
    }
}

impl Drop for FakeKube {
    fn drop(&mut self) {
        if let Some(r) = lock(&self.running).take() {
            r.cancel.cancel();
        }
        if let Some(c) = self.controller.take() {
            c.abort();
        }
    }
}
