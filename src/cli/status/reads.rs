//! What several parts of one report read, read once per run: each cluster is followed
//! once, whichever parts ask for it (the Kubernetes, Nodes and VLANs parts), as the
//! panes share one watcher per source.

use crate::backend::kube::config::ClusterSpec;
use crate::backend::kube::data::ClusterData;
use crate::core::status::SourceStatus;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A cluster's status and what it showed once listed (or failed).
pub type Followed = (SourceStatus, Arc<ClusterData>);

#[derive(Clone, Default)]
pub struct Reads {
    clusters: Arc<Mutex<HashMap<String, Shared<BoxFuture<'static, Followed>>>>>,
}

impl Reads {
    /// Cluster `spec` followed until listed: the first ask starts it, later asks
    /// share it.
    pub fn cluster(&self, spec: ClusterSpec) -> Shared<BoxFuture<'static, Followed>> {
        let mut map = self.clusters.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(spec.name.clone())
            .or_insert_with(|| super::kube::follow(spec).boxed().shared())
            .clone()
    }

    /// How many clusters were followed.
    pub fn clusters_followed(&self) -> usize {
        self.clusters.lock().map(|m| m.len()).unwrap_or(0)
    }
}
