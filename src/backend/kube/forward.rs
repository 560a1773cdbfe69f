//! Port-forward: a local TCP port on 127.0.0.1 whose connections are each carried to a
//! pod's port through `pods/portforward` (one WebSocket per connection, as kubectl
//! opens one stream per connection). A service forwards to one of its ready pods, its
//! port mapped through the service's `targetPort`. kubectl picks that pod once; here it
//! is picked again for each connection, so a forward outlives a rollout.
//!
//! Opening a path into a pod is a write (RBAC's `create pods/portforward`), so a
//! forward starts from a `KubeWriter`, which only a `Writer` makes.

use super::follow::reason;
use super::writer::KubeWriter;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::Client;
use kube::api::{Api, ListParams};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardTo {
    Pod,
    Service,
}

/// What to forward, and where to listen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardSpec {
    pub to: ForwardTo,
    pub ns: String,
    pub name: String,
    /// The pod's port, or the service's.
    pub port: u16,
    /// The local port on 127.0.0.1; 0 for any free one.
    pub local: u16,
}

impl ForwardSpec {
    /// `pod media/web:8080`, `service media/web:80`.
    pub fn target(&self) -> String {
        let what = match self.to {
            ForwardTo::Pod => "pod",
            ForwardTo::Service => "service",
        };
        format!("{what} {}/{}:{}", self.ns, self.name, self.port)
    }
}

/// What a forward reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardEvent {
    /// Listening on this address.
    Listening(SocketAddr),
    /// A connection is carried to `pod`'s `port`; `open` connections now.
    Opened { pod: String, port: u16, open: usize },
    /// A connection ended; `open` connections now.
    Closed { open: usize },
    /// A connection could not be carried: the server's or the kubelet's words. The
    /// forward still listens.
    Failed(String),
    /// The forward stopped (could not listen, or the target is wrong).
    Ended(String),
}

pub type Report = Arc<dyn Fn(ForwardEvent) + Send + Sync>;

/// A forward listening, not yet serving.
pub struct Forwarder {
    client: Client,
    spec: ForwardSpec,
    listener: TcpListener,
}

impl KubeWriter {
    /// Check that the target resolves now (a typo is said at once, not on the first
    /// connection), then listen on the local port.
    pub async fn forward(&self, spec: ForwardSpec) -> Result<Forwarder, String> {
        let client = self.client().clone();
        resolve(&client, &spec).await?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, spec.local))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", spec.local))?;
        Ok(Forwarder {
            client,
            spec,
            listener,
        })
    }
}

impl Forwarder {
    pub fn local(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from((Ipv4Addr::LOCALHOST, self.spec.local)))
    }

    /// Carry every connection until `cancel`; the open ones are cut then too.
    pub async fn serve(self, cancel: CancellationToken, report: Report) {
        let open = Arc::new(AtomicUsize::new(0));
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                accepted = self.listener.accept() => match accepted {
                    Ok((socket, _)) => {
                        let carry = carry(
                            self.client.clone(),
                            self.spec.clone(),
                            socket,
                            report.clone(),
                            open.clone(),
                        );
                        let cancel = cancel.clone();
                        tokio::spawn(async move {
                            tokio::select! {
                                _ = cancel.cancelled() => {}
                                _ = carry => {}
                            }
                        });
                    }
                    Err(e) => {
                        // Out of file descriptors, say: wait rather than spin.
                        report(ForwardEvent::Failed(format!("accepting a connection: {e}")));
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                },
            }
        }
    }
}

/// One connection, carried to the pod the target resolves to now.
async fn carry(
    client: Client,
    spec: ForwardSpec,
    mut socket: TcpStream,
    report: Report,
    open: Arc<AtomicUsize>,
) {
    let (pod, port) = match resolve(&client, &spec).await {
        Ok(p) => p,
        Err(e) => return report(ForwardEvent::Failed(e)),
    };
    let api: Api<Pod> = Api::namespaced(client, &spec.ns);
    let mut pf = match api.portforward(&pod, &[port]).await {
        Ok(pf) => pf,
        Err(e) => return report(ForwardEvent::Failed(reason(&e))),
    };
    let (Some(mut remote), Some(error)) = (pf.take_stream(port), pf.take_error(port)) else {
        return report(ForwardEvent::Failed("the forward has no stream".into()));
    };
    let now = open.fetch_add(1, Ordering::Relaxed) + 1;
    report(ForwardEvent::Opened {
        pod: pod.clone(),
        port,
        open: now,
    });
    // Either side closing ends the connection; a reset is as good as a close here.
    let _ = tokio::io::copy_bidirectional(&mut socket, &mut remote).await;
    drop(remote);
    // The kubelet says on the error channel why a port could not be reached.
    if let Ok(Some(why)) = tokio::time::timeout(Duration::from_secs(1), error).await {
        report(ForwardEvent::Failed(why));
    }
    let now = open.fetch_sub(1, Ordering::Relaxed) - 1;
    report(ForwardEvent::Closed { open: now });
}

/// The pod and its port a connection goes to now.
async fn resolve(client: &Client, spec: &ForwardSpec) -> Result<(String, u16), String> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), &spec.ns);
    let at = format!("{}/{}", spec.ns, spec.name);
    match spec.to {
        ForwardTo::Pod => {
            let pod = pods
                .get(&spec.name)
                .await
                .map_err(|e| format!("pod {at}: {}", reason(&e)))?;
            let phase = phase(&pod);
            if phase != "Running" {
                return Err(format!("pod {at} is {phase}: only a running pod has ports"));
            }
            Ok((spec.name.clone(), spec.port))
        }
        ForwardTo::Service => {
            let services: Api<Service> = Api::namespaced(client.clone(), &spec.ns);
            let svc = services
                .get(&spec.name)
                .await
                .map_err(|e| format!("service {at}: {}", reason(&e)))?;
            let s = svc.spec.unwrap_or_default();
            let port = s
                .ports
                .unwrap_or_default()
                .into_iter()
                .find(|p| p.port == i32::from(spec.port))
                .ok_or_else(|| format!("service {at} has no port {}", spec.port))?;
            let selector = s.selector.unwrap_or_default();
            if selector.is_empty() {
                return Err(format!(
                    "service {at} selects no pods (no selector): nothing to forward to"
                ));
            }
            let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let list = pods
                .list(&ListParams::default().labels(&labels.join(",")))
                .await
                .map_err(|e| format!("pods of service {at}: {}", reason(&e)))?;
            let mut ready: Vec<Pod> = list.items.into_iter().filter(is_ready).collect();
            ready.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            let pod = ready
                .into_iter()
                .next()
                .ok_or_else(|| format!("no ready pod behind service {at}"))?;
            let target = target_port(&pod, port.target_port.as_ref(), spec.port)
                .ok_or_else(|| format!("service {at}: its target port is not on the pod"))?;
            Ok((pod.metadata.name.unwrap_or_default(), target))
        }
    }
}

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

/// Running, Ready and not on its way out: a pod a service would send traffic to.
fn is_ready(p: &Pod) -> bool {
    let ready = p
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
    ready && phase(p) == "Running" && p.metadata.deletion_timestamp.is_none()
}

/// The pod's port a service port reaches: `targetPort` as a number, or the container
/// port of that name; the service's own port when it has none.
pub fn target_port(pod: &Pod, target: Option<&IntOrString>, port: u16) -> Option<u16> {
    match target {
        None => Some(port),
        Some(IntOrString::Int(n)) => u16::try_from(*n).ok(),
        Some(IntOrString::String(name)) => match name.parse::<u16>() {
            Ok(n) => Some(n),
            Err(_) => pod
                .spec
                .as_ref()?
                .containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(name))
                .and_then(|p| u16::try_from(p.container_port).ok()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "web-1"},
            "spec": {"containers": [{"name": "app", "image": "x",
                "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 9090}]}]}}))
        .unwrap()
    }

    #[test]
    fn a_service_port_reaches_its_target_by_number_by_name_or_as_itself() {
        let p = pod();
        assert_eq!(target_port(&p, None, 80), Some(80));
        assert_eq!(
            target_port(&p, Some(&IntOrString::Int(9090)), 80),
            Some(9090)
        );
        let named = IntOrString::String("http".into());
        assert_eq!(target_port(&p, Some(&named), 80), Some(8080));
        let missing = IntOrString::String("metrics".into());
        assert_eq!(target_port(&p, Some(&missing), 80), None);
        assert_eq!(target_port(&p, Some(&IntOrString::Int(70000)), 80), None);
    }

    #[test]
    fn only_running_ready_pods_not_terminating_take_a_service_s_traffic() {
        let with = |phase: &str, ready: &str, deleting: bool| {
            let mut v = json!({"metadata": {"name": "p"},
                "status": {"phase": phase, "conditions": [{"type": "Ready", "status": ready}]}});
            if deleting {
                v["metadata"]["deletionTimestamp"] = json!("2026-12-05T10:00:00Z");
            }
            serde_json::from_value::<Pod>(v).unwrap()
        };
        assert!(is_ready(&with("Running", "True", false)));
        assert!(!is_ready(&with("Running", "False", false)));
        assert!(!is_ready(&with("Pending", "True", false)));
        assert!(!is_ready(&with("Running", "True", true)));
    }
}
