//! Which clusters labdeck watches: every context of the kubeconfig as kubectl reads it
//! (`KUBECONFIG`, several files merged, else `~/.kube/config`), or the `[[kube]]`
//! entries of config.toml.

use kube::config::Kubeconfig;
use serde::Deserialize;
use std::time::Duration;

/// The key of the Kubernetes table in config.toml.
pub const CONFIG_KEY: &str = "kube";

/// config.toml as the Kubernetes pane reads it: its `[[kube]]` contexts.
#[derive(Debug, Default, Deserialize)]
pub struct KubeTable {
    #[serde(default)]
    pub kube: Vec<KubeContext>,
}

/// A context to watch (`[[kube]]` in config.toml).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubeContext {
    /// The kubeconfig context.
    pub context: String,
    /// How labdeck names it; the context's name by default.
    #[serde(default)]
    pub name: Option<String>,
    /// A kubeconfig file of its own, instead of the merged `KUBECONFIG`.
    #[serde(default)]
    pub kubeconfig: Option<String>,
    /// Never write to this cluster, whatever mode labdeck runs in.
    #[serde(default)]
    pub read_only: bool,
    /// Watch only these namespaces (all when empty).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Seconds to connect and to hear a first answer before the cluster reads as stale.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    10
}

/// One cluster as the watcher needs it: its kubeconfig already read (or why it could
/// not be), so a bad file marks only its own cluster.
#[derive(Debug, Clone)]
pub struct ClusterSpec {
    pub name: String,
    pub context: String,
    pub kubeconfig: Result<Kubeconfig, String>,
    pub read_only: bool,
    pub namespaces: Vec<String>,
    pub timeout: Duration,
}

/// The clusters to watch: the `[[kube]]` entries, else every context of the
/// kubeconfig. No kubeconfig and no entries: no clusters (the pane says so).
pub fn clusters(entries: &[KubeContext]) -> Vec<ClusterSpec> {
    let merged = Kubeconfig::read().map_err(|e| e.to_string());
    if entries.is_empty() {
        let Ok(kc) = &merged else { return Vec::new() };
        return kc
            .contexts
            .iter()
            .map(|c| ClusterSpec {
                name: c.name.clone(),
                context: c.name.clone(),
                kubeconfig: Ok(kc.clone()),
                read_only: false,
                namespaces: Vec::new(),
                timeout: Duration::from_secs(default_timeout()),
            })
            .collect();
    }
    entries
        .iter()
        .map(|e| {
            let kubeconfig = match &e.kubeconfig {
                Some(path) => Kubeconfig::read_from(path).map_err(|err| err.to_string()),
                None => merged.clone(),
            }
            .and_then(|kc| {
                if kc.contexts.iter().any(|c| c.name == e.context) {
                    Ok(kc)
                } else {
                    Err(format!("context {:?} is not in the kubeconfig", e.context))
                }
            });
            ClusterSpec {
                name: e.name.clone().unwrap_or_else(|| e.context.clone()),
                context: e.context.clone(),
                kubeconfig,
                read_only: e.read_only,
                namespaces: e.namespaces.clone(),
                timeout: Duration::from_secs(e.timeout_secs.max(1)),
            }
        })
        .collect()
}
