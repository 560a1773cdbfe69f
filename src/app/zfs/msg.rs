//! What the ZFS pane hears: each host's feed.

use crate::backend::zfs::watch::ZfsFeed;

#[derive(Debug, Clone)]
pub enum ZfsMsg {
    /// A host's feed, by the host's name.
    Feed { host: String, feed: ZfsFeed },
}
