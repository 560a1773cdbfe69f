//! What the Kubernetes pane hears: each cluster's feed.

use crate::backend::kube::watch::KubeFeed;

#[derive(Debug, Clone)]
pub enum KubeMsg {
    /// A cluster's feed, by the cluster's name.
    Feed { cluster: String, feed: KubeFeed },
}
