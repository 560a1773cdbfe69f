//! What the Kubernetes pane hears: each cluster's feed, and the reads it opened.

use crate::app::logs::LogFeed;
use crate::backend::kube::watch::KubeFeed;

#[derive(Debug, Clone)]
pub enum KubeMsg {
    /// A cluster's feed, by the cluster's name.
    Feed { cluster: String, feed: KubeFeed },
    /// A ZFS host's feed: where the claims' data is.
    Zfs {
        host: String,
        feed: crate::backend::zfs::watch::ZfsFeed,
    },
    /// This host's links: which NFS exports are its own.
    Links(crate::backend::net::watch::LinksFeed),
    /// Lines of the log the view of `generation` shows.
    Log { generation: u64, feed: LogFeed },
    /// An object's YAML (or why it could not be read) for the document of `generation`.
    Document {
        generation: u64,
        result: Result<String, String>,
    },
    /// What port-forward `id` did.
    Forward {
        id: u64,
        event: crate::backend::kube::forward::ForwardEvent,
    },
}
