//! The live source of one cluster. It connects lazily (a few clusters at a time, each
//! with its own timeout), then follows every kind through watches, never re-listing on
//! a timer. A dead or slow cluster marks only its own rows stale, with the reason.

use super::access;
use super::config::ClusterSpec;
use super::conn::Conn;
use super::convert;
use super::crds;
use super::data::{ClusterData, Map, flux_key, workload_key};
use super::follow::{Shared, Slot, follow, reason};
use super::kinds::{Kind, KindState};
use crate::backend::supervise::{backoff, supervise};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use k8s_openapi::api::networking::v1 as net;
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
use kube::api::{Api, DynamicObject};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;

/// Clusters connecting at once: many contexts never stampede exec plugins or the
/// network at start-up.
static CONNECTING: Semaphore = Semaphore::const_new(4);

/// Changes arriving this close together are published as one.
const COALESCE: Duration = Duration::from_millis(40);

#[derive(Debug, Clone)]
pub struct KubeFeed {
    pub data: Arc<ClusterData>,
    pub status: SourceStatus,
    /// The connection, once made: what describe, logs and writes go through.
    pub conn: Option<Conn>,
}

#[derive(Clone)]
pub struct ClusterWatcher {
    pub feed: watch::Receiver<KubeFeed>,
}

impl ClusterWatcher {
    pub fn spawn(spec: ClusterSpec, cancel: CancellationToken) -> ClusterWatcher {
        let (tx, feed) = watch::channel(KubeFeed {
            data: Arc::default(),
            status: SourceStatus::Connecting,
            conn: None,
        });
        let tx = Arc::new(tx);
        let t = tx.clone();
        let make = move || run(spec.clone(), t.clone());
        let lost = move |reason: String, attempt| {
            tx.send_modify(|f| f.status = f.status.gone_stale(None, &reason, attempt));
        };
        tokio::spawn(supervise("kubernetes", cancel, make, lost));
        ClusterWatcher { feed }
    }
}

async fn run(spec: ClusterSpec, tx: Arc<watch::Sender<KubeFeed>>) {
    let shared = Arc::new(Shared::default());
    let mut tasks = JoinSet::new();
    tasks.spawn(publish(shared.clone(), tx.clone(), spec.timeout));
    let (client, server) = connect_until_up(&spec, &shared).await;
    let conn = Conn {
        client: client.clone(),
        name: spec.name.clone(),
        server,
        read_only: spec.read_only,
        custom: Arc::default(),
    };
    tx.send_modify(|f| f.conn = Some(conn.clone()));
    start_builtin(&mut tasks, &client, &spec, &shared);
    let found = discover_until_done(&client, &spec).await;
    shared.update(|d| {
        for (kind, _) in &found {
            d.kinds.insert(*kind, KindState::Listing);
        }
    });
    conn.custom
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .extend(found.iter().cloned());
    let served: Vec<Kind> = found.iter().map(|(k, _)| *k).collect();
    for (kind, ar) in found {
        start_custom(&mut tasks, &client, &spec, &shared, kind, ar);
    }
    tasks.spawn(ask_perms(
        client.clone(),
        spec.clone(),
        served,
        shared.clone(),
    ));
    tasks.spawn(probe(client, shared, spec.timeout));
    // The watches run until the watcher is cancelled (this task is then dropped).
    while tasks.join_next().await.is_some() {}
}

/// What the server lets these credentials change, asked once per connection.
async fn ask_perms(client: Client, spec: ClusterSpec, served: Vec<Kind>, shared: Arc<Shared>) {
    let asked = timeout(
        spec.timeout * 3,
        access::review(&client, &spec.namespaces, &served),
    )
    .await;
    match asked {
        Ok(perms) => shared.update(|d| d.perms = Some(perms)),
        Err(_) => tracing::debug!(cluster = %spec.name, "access reviews timed out"),
    }
}

/// Connect, retrying with backoff, saying why meanwhile. Few at a time. Gives the
/// client and the server's URL.
async fn connect_until_up(spec: &ClusterSpec, shared: &Shared) -> (Client, String) {
    let mut attempt = 0;
    loop {
        let result = {
            let _permit = CONNECTING.acquire().await;
            connect(spec).await
        };
        match result {
            Ok((client, version, url)) => {
                shared.update(|d| {
                    d.version = Some(version);
                    d.problem = None;
                });
                return (client, url);
            }
            Err(e) => {
                attempt += 1;
                shared.update(|d| d.problem = Some(SafeText::new(&e)));
                sleep(backoff(attempt)).await;
            }
        }
    }
}

async fn connect(spec: &ClusterSpec) -> Result<(Client, SafeText, String), String> {
    let kc: Kubeconfig = spec.kubeconfig.clone()?;
    let options = KubeConfigOptions {
        context: Some(spec.context.clone()),
        ..Default::default()
    };
    let mut config = timeout(spec.timeout, Config::from_custom_kubeconfig(kc, &options))
        .await
        .map_err(|_| format!("no credentials within {} s", spec.timeout.as_secs()))?
        .map_err(|e| reason(&e))?;
    config.connect_timeout = Some(spec.timeout);
    // The client's own retries of 429/503/504 take minutes: a drain refused by a
    // PodDisruptionBudget (429) must say so at once. Watches back off on their own.
    config.default_retry = false;
    let url = config.cluster_url.to_string();
    let client = Client::try_from(config).map_err(|e| reason(&e))?;
    let info = timeout(spec.timeout, client.apiserver_version())
        .await
        .map_err(|_| format!("no answer from {url} within {} s", spec.timeout.as_secs()))?
        .map_err(|e| format!("{url}: {}", reason(&e)))?;
    let server = url.trim_end_matches('/').to_string();
    Ok((client, SafeText::new(&info.git_version), server))
}

async fn discover_until_done(
    client: &Client,
    spec: &ClusterSpec,
) -> Vec<(Kind, kube::discovery::ApiResource)> {
    let mut attempt = 0;
    loop {
        match timeout(spec.timeout, crds::discover(client.clone())).await {
            Ok(Ok(found)) => return found,
            Ok(Err(e)) => tracing::debug!(error = %e, "discovery failed"),
            Err(_) => tracing::debug!("discovery timed out"),
        }
        attempt += 1;
        sleep(backoff(attempt + 3)).await;
    }
}

/// What starting a kind's watches needs: the cluster's client, its settings, the shared
/// data and the set the watch tasks live in.
struct Starter<'a> {
    tasks: &'a mut JoinSet<()>,
    client: &'a Client,
    spec: &'a ClusterSpec,
    shared: &'a Arc<Shared>,
}

impl Starter<'_> {
    /// A namespaced kind: one watch over all namespaces, or one per namespace the
    /// context names. `prefix` starts the kind's keys in a map it shares.
    fn namespaced<K, T>(
        &mut self,
        kind: Kind,
        map: fn(&mut ClusterData) -> &mut Map<T>,
        convert: fn(&K) -> T,
        key: fn(&T) -> String,
        prefix: &str,
    ) where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
            + Clone
            + DeserializeOwned
            + std::fmt::Debug
            + Send
            + 'static,
        K::DynamicType: Default,
        T: Clone + PartialEq + Send + 'static,
    {
        let apis: Vec<(Api<K>, String)> = if self.spec.namespaces.is_empty() {
            vec![(Api::all(self.client.clone()), String::new())]
        } else {
            self.spec
                .namespaces
                .iter()
                .map(|ns| (Api::namespaced(self.client.clone(), ns), format!("{ns}/")))
                .collect()
        };
        for (api, ns_prefix) in apis {
            let slot = Slot {
                kind,
                map,
                prefix: format!("{prefix}{ns_prefix}"),
            };
            self.tasks
                .spawn(follow(api, slot, convert, key, self.shared.clone()));
        }
    }

    fn cluster_wide<K, T>(
        &mut self,
        kind: Kind,
        map: fn(&mut ClusterData) -> &mut Map<T>,
        convert: fn(&K) -> T,
        key: fn(&T) -> String,
    ) where
        K: kube::Resource<Scope = k8s_openapi::ClusterResourceScope>
            + Clone
            + DeserializeOwned
            + std::fmt::Debug
            + Send
            + 'static,
        K::DynamicType: Default,
        T: Clone + PartialEq + Send + 'static,
    {
        let slot = Slot {
            kind,
            map,
            prefix: String::new(),
        };
        let api = Api::<K>::all(self.client.clone());
        self.tasks
            .spawn(follow(api, slot, convert, key, self.shared.clone()));
    }
}

fn start_builtin(
    tasks: &mut JoinSet<()>,
    client: &Client,
    spec: &ClusterSpec,
    shared: &Arc<Shared>,
) {
    shared.update(|d| {
        for k in Kind::BUILTIN {
            d.kinds.insert(k, KindState::Listing);
        }
    });
    let mut s = Starter {
        tasks,
        client,
        spec,
        shared,
    };
    let name = |n: &super::model::Node| n.name.to_string();
    s.cluster_wide(Kind::Nodes, |d| &mut d.nodes, convert::node, name);
    let name = |n: &super::model::Namespace| n.name.to_string();
    s.cluster_wide(
        Kind::Namespaces,
        |d| &mut d.namespaces,
        convert::namespace,
        name,
    );
    s.cluster_wide(
        Kind::Pvs,
        |d| &mut d.pvs,
        convert::pv,
        |v| v.name.to_string(),
    );
    let name = |c: &super::model::StorageClass| c.name.to_string();
    s.cluster_wide(
        Kind::StorageClasses,
        |d| &mut d.classes,
        convert::storage_class,
        name,
    );
    s.namespaced::<core::Pod, _>(
        Kind::Pods,
        |d| &mut d.pods,
        convert::pod,
        |p| p.at.key(),
        "",
    );
    let at = |x: &super::model::Service| x.at.key();
    s.namespaced(
        Kind::Services,
        |d| &mut d.services,
        convert::service,
        at,
        "",
    );
    let at = |x: &super::model::Ingress| x.at.key();
    s.namespaced::<net::Ingress, _>(
        Kind::Ingresses,
        |d| &mut d.ingresses,
        convert::ingress,
        at,
        "",
    );
    let at = |x: &super::model::Pvc| x.at.key();
    s.namespaced(Kind::Pvcs, |d| &mut d.pvcs, convert::pvc, at, "");
    let at = |x: &super::model::Event| x.at.key();
    s.namespaced(Kind::Events, |d| &mut d.events, convert::event, at, "");
    let wk = |w: &super::model::Workload| workload_key(w.kind, &w.at);
    let wl: fn(&mut ClusterData) -> &mut Map<_> = |d| &mut d.workloads;
    s.namespaced::<apps::Deployment, _>(
        Kind::Deployments,
        wl,
        convert::deployment,
        wk,
        "Deployment/",
    );
    s.namespaced::<apps::StatefulSet, _>(
        Kind::StatefulSets,
        wl,
        convert::statefulset,
        wk,
        "StatefulSet/",
    );
    s.namespaced::<apps::DaemonSet, _>(Kind::DaemonSets, wl, convert::daemonset, wk, "DaemonSet/");
    s.namespaced::<apps::ReplicaSet, _>(
        Kind::ReplicaSets,
        wl,
        convert::replicaset,
        wk,
        "ReplicaSet/",
    );
    s.namespaced::<batch::Job, _>(Kind::Jobs, wl, convert::job, wk, "Job/");
    s.namespaced::<batch::CronJob, _>(Kind::CronJobs, wl, convert::cronjob, wk, "CronJob/");
}

fn start_custom(
    tasks: &mut JoinSet<()>,
    client: &Client,
    spec: &ClusterSpec,
    shared: &Arc<Shared>,
    kind: Kind,
    ar: kube::discovery::ApiResource,
) {
    let namespaces: Vec<Option<String>> = if spec.namespaces.is_empty() {
        vec![None]
    } else {
        spec.namespaces.iter().cloned().map(Some).collect()
    };
    for ns in namespaces {
        let api: Api<DynamicObject> = match &ns {
            Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
            None => Api::all_with(client.clone(), &ar),
        };
        let ns_prefix = ns.map(|n| format!("{n}/")).unwrap_or_default();
        let shared = shared.clone();
        if let Some(fk) = crds::flux_kind(kind) {
            let slot = Slot {
                kind,
                map: |d| &mut d.flux,
                prefix: format!("{}/{ns_prefix}", fk.name()),
            };
            let conv = move |o: &DynamicObject| convert::flux(o, fk);
            tasks.spawn(follow(api, slot, conv, |f| flux_key(f.kind, &f.at), shared));
            continue;
        }
        match kind {
            Kind::VirtualMachines | Kind::VirtualMachineInstances => {
                let instance = kind == Kind::VirtualMachineInstances;
                let map: fn(&mut ClusterData) -> &mut Map<_> = if instance {
                    |d| &mut d.vmis
                } else {
                    |d| &mut d.vms
                };
                let slot = Slot {
                    kind,
                    map,
                    prefix: ns_prefix,
                };
                let conv = move |o: &DynamicObject| convert::vm(o, instance);
                tasks.spawn(follow(api, slot, conv, |v| v.at.key(), shared));
            }
            Kind::HostedClusters => {
                let slot = Slot {
                    kind,
                    map: |d| &mut d.hosted,
                    prefix: ns_prefix,
                };
                tasks.spawn(follow(api, slot, convert::hosted, |h| h.at.key(), shared));
            }
            Kind::AddressPools => {
                let slot = Slot {
                    kind,
                    map: |d| &mut d.address_pools,
                    prefix: ns_prefix,
                };
                let conv = convert::address_pool;
                tasks.spawn(follow(api, slot, conv, |p| p.at.key(), shared));
            }
            Kind::Attachments => {
                let slot = Slot {
                    kind,
                    map: |d| &mut d.attachments,
                    prefix: ns_prefix,
                };
                let conv = convert::attachment;
                tasks.spawn(follow(api, slot, conv, |a| a.at.key(), shared));
            }
            _ => {}
        }
    }
}

/// While some kind's watch has failed, ask the server for its version every backoff:
/// when it answers again, the watches resume from where they were (kube's watcher
/// re-watches silently), so those kinds read live again.
async fn probe(client: Client, shared: Arc<Shared>, limit: Duration) {
    let mut attempt = 0;
    loop {
        let failing = {
            let d = shared.data.lock().unwrap_or_else(|p| p.into_inner());
            d.kinds.values().any(|s| matches!(s, KindState::Failed(_)))
        };
        if !failing {
            attempt = 0;
            shared.trouble.notified().await;
            continue;
        }
        attempt += 1;
        sleep(backoff(attempt)).await;
        let answered = matches!(timeout(limit, client.apiserver_version()).await, Ok(Ok(_)));
        if answered {
            shared.update(|d| {
                for s in d.kinds.values_mut() {
                    if matches!(s, KindState::Failed(_)) {
                        *s = KindState::Live;
                    }
                }
            });
        }
    }
}

/// Publish the data when it changed, a few changes at once; and say "no answer" when
/// the cluster stays silent past its timeout.
async fn publish(shared: Arc<Shared>, tx: Arc<watch::Sender<KubeFeed>>, limit: Duration) {
    let started = tokio::time::Instant::now();
    let mut taken_at: Option<Timestamp> = None;
    let mut last: Option<(ClusterData, SourceStatus)> = None;
    loop {
        let deadline = started + limit;
        let waiting = last
            .as_ref()
            .is_none_or(|(_, s)| matches!(s, SourceStatus::Connecting));
        tokio::select! {
            _ = shared.news.notified() => sleep(COALESCE).await,
            _ = tokio::time::sleep_until(deadline), if waiting && tokio::time::Instant::now() < deadline => {}
        }
        let data = shared
            .data
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let silent = started.elapsed() >= limit;
        let status = status_of(&data, silent, limit, taken_at, tx.borrow().status.clone());
        if status.is_live() {
            taken_at = Some(Timestamp::now());
        }
        if last.as_ref() == Some(&(data.clone(), status.clone())) {
            continue;
        }
        last = Some((data.clone(), status.clone()));
        tx.send_modify(|f| {
            f.data = Arc::new(data);
            f.status = status;
        });
    }
}

/// Live once the kinds listed and none failed; stale with the first reason otherwise;
/// connecting until the timeout, then stale for the silence.
fn status_of(
    d: &ClusterData,
    silent: bool,
    limit: Duration,
    taken_at: Option<Timestamp>,
    was: SourceStatus,
) -> SourceStatus {
    let failed = d.kinds.values().find_map(|s| match s {
        KindState::Failed(r) => Some(r.clone()),
        _ => None,
    });
    let trouble = d.problem.clone().or(failed);
    if let Some(r) = trouble {
        return was.gone_stale(taken_at, r.as_str(), 1);
    }
    let listed = Kind::BUILTIN.iter().all(|k| {
        d.state(*k)
            .is_some_and(|s| !matches!(s, KindState::Listing))
    });
    if listed {
        return SourceStatus::Live;
    }
    if silent {
        let why = format!("no answer within {} s", limit.as_secs());
        return was.gone_stale(taken_at, &why, 1);
    }
    SourceStatus::Connecting
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> ClusterData {
        let mut d = ClusterData::default();
        for k in Kind::BUILTIN {
            d.kinds.insert(k, KindState::Live);
        }
        d
    }

    fn reason(s: &SourceStatus) -> String {
        match s {
            SourceStatus::Stale { reason, .. } => reason.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_cluster_is_live_once_every_kind_listed_and_a_forbidden_kind_does_not_stale_it() {
        let ten = Duration::from_secs(10);
        let mut d = listed();
        d.kinds
            .insert(Kind::Pods, KindState::Forbidden(SafeText::new("no")));
        assert!(status_of(&d, true, ten, None, SourceStatus::Connecting).is_live());
        d.kinds.insert(Kind::Nodes, KindState::Listing);
        assert_eq!(
            status_of(&d, false, ten, None, SourceStatus::Connecting),
            SourceStatus::Connecting
        );
        let silent = status_of(&d, true, ten, None, SourceStatus::Connecting);
        assert_eq!(reason(&silent), "no answer within 10 s");
    }

    #[test]
    fn a_failed_watch_or_a_connect_problem_stales_it_with_the_reason() {
        let ten = Duration::from_secs(10);
        let mut d = listed();
        d.kinds.insert(
            Kind::Events,
            KindState::Failed(SafeText::new("Connection refused")),
        );
        let s = status_of(&d, false, ten, Some(Timestamp(5)), SourceStatus::Live);
        assert_eq!(reason(&s), "Connection refused");
        assert!(matches!(
            s,
            SourceStatus::Stale {
                since: Timestamp(5),
                ..
            }
        ));
        let d = ClusterData {
            problem: Some(SafeText::new("context \"x\" is not in the kubeconfig")),
            ..Default::default()
        };
        let s = status_of(&d, false, ten, None, SourceStatus::Connecting);
        assert!(reason(&s).contains("not in the kubeconfig"));
    }
}
