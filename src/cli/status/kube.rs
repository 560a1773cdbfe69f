//! The Kubernetes pane's part of `labdeck status`: one part per cluster, read at the
//! same time. Degraded (exit 1): a node not ready, a workload below its replicas, a
//! failing pod, a Flux object not ready. Unreachable (exit 2): a cluster that does not
//! answer. No kubeconfig and no `[[kube]]` entry: no Kubernetes part.

use super::{Health, Part, SourceReport};
use crate::backend::kube::config::{CONFIG_KEY, ClusterSpec, KubeContext, clusters};
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::watch::ClusterWatcher;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use futures::future::BoxFuture;
use serde::Serialize;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Serialize)]
pub struct ClusterReport {
    pub cluster: SafeText,
    pub version: Option<SafeText>,
    pub nodes: usize,
    pub nodes_not_ready: Vec<SafeText>,
    /// `ns/name (Kind) ready/desired`.
    pub workloads_short: Vec<SafeText>,
    /// `ns/name: reason`.
    pub pods_failing: Vec<SafeText>,
    /// `ns/name (Kind): message`.
    pub flux_not_ready: Vec<SafeText>,
}

pub fn collect(
    settings: &crate::config::settings::Settings,
    reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<Part>> {
    let entries: Vec<KubeContext> = settings.table(CONFIG_KEY).unwrap_or_default();
    let specs = clusters(&entries);
    let multi = specs.len() > 1;
    let reads = reads.clone();
    Box::pin(async move {
        let parts = specs.into_iter().map(|s| read(&reads, s, multi));
        futures::future::join_all(parts).await
    })
}

/// Follow the cluster until it is listed or has failed: its status and what it showed.
pub async fn follow(spec: ClusterSpec) -> (SourceStatus, std::sync::Arc<ClusterData>) {
    let cancel = CancellationToken::new();
    let limit = spec.timeout + Duration::from_secs(5);
    let w = ClusterWatcher::spawn(spec, cancel.clone());
    let mut feed = w.feed.clone();
    let settled = tokio::time::timeout(
        limit,
        feed.wait_for(|f| !matches!(f.status, SourceStatus::Connecting)),
    )
    .await;
    let out = match settled {
        Ok(Ok(f)) => (f.status.clone(), f.data.clone()),
        _ => (
            SourceStatus::Connecting,
            std::sync::Arc::new(ClusterData::default()),
        ),
    };
    cancel.cancel();
    out
}

/// Follow the cluster until it is listed or has failed, then report what it showed.
async fn read(reads: &super::reads::Reads, spec: ClusterSpec, multi: bool) -> Part {
    let limit = spec.timeout + Duration::from_secs(5);
    let name = spec.name.clone();
    let (status, data) = reads.cluster(spec).await;
    let key = if multi {
        format!("kube:{name}")
    } else {
        "kube".to_string()
    };
    part(key, &name, &status, &data, limit)
}

pub fn part(
    key: String,
    name: &str,
    status: &SourceStatus,
    d: &ClusterData,
    limit: Duration,
) -> Part {
    let error = match status {
        SourceStatus::Live => None,
        SourceStatus::Stale { reason, .. } => Some(reason.clone()),
        SourceStatus::Connecting => Some(SafeText::new(&format!(
            "no answer within {} s",
            limit.as_secs()
        ))),
    };
    let r = ClusterReport {
        cluster: SafeText::new(name),
        version: d.version.clone(),
        nodes: d.nodes.len(),
        nodes_not_ready: d
            .nodes
            .values()
            .filter(|n| n.ready != Some(true))
            .map(|n| n.name.clone())
            .collect(),
        workloads_short: d
            .short_workloads()
            .map(|w| {
                SafeText::new(&format!(
                    "{} ({}) {}/{}",
                    w.at.key(),
                    w.kind.name(),
                    w.ready,
                    w.desired
                ))
            })
            .collect(),
        pods_failing: d
            .failing_pods()
            .map(|p| SafeText::new(&format!("{}: {}", p.at.key(), p.status)))
            .collect(),
        flux_not_ready: d
            .flux_not_ready()
            .map(|f| {
                SafeText::new(&format!(
                    "{} ({}): {}",
                    f.at.key(),
                    f.kind.name(),
                    f.message
                ))
            })
            .collect(),
    };
    let mut reasons: Vec<String> = Vec::new();
    let say = |what: &str, v: &[SafeText], out: &mut Vec<String>| {
        out.extend(v.iter().map(|x| format!("{name}: {what} {x}")));
    };
    say("node not ready:", &r.nodes_not_ready, &mut reasons);
    say("workload short:", &r.workloads_short, &mut reasons);
    say("pod failing:", &r.pods_failing, &mut reasons);
    say("flux not ready:", &r.flux_not_ready, &mut reasons);
    let health = if error.is_some() {
        Health::Unreachable
    } else if reasons.is_empty() {
        Health::Healthy
    } else {
        Health::Degraded
    };
    let text = match &error {
        Some(e) => format!("kube {name}: unreachable: {e}\n"),
        None => {
            let mut t = format!(
                "kube {name}: {} nodes ({} not ready), {} pods, {} failing, {} workloads short, {} flux not ready\n",
                r.nodes,
                r.nodes_not_ready.len(),
                d.pods.len(),
                r.pods_failing.len(),
                r.workloads_short.len(),
                r.flux_not_ready.len()
            );
            for line in &reasons {
                t.push_str(&format!("  {line}\n"));
            }
            t
        }
    };
    Part {
        key,
        health,
        sources: vec![SourceReport {
            name: format!("kube:{name}"),
            reachable: error.is_none(),
            error,
        }],
        json: serde_json::to_value(&r).unwrap_or_default(),
        text,
        reasons,
    }
}
