//! What the ZFS pane hears: each host's feed.

use crate::backend::zfs::watch::ZfsFeed;

#[derive(Debug, Clone)]
pub enum ZfsMsg {
    Feed { host: usize, feed: ZfsFeed },
}
