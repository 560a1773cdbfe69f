//! What the Nodes pane hears: the feeds it shares with the other panes, and its own
//! reads of this machine and of reachability.

use crate::backend::kube::watch::KubeFeed;
use crate::backend::net::Link;
use crate::backend::probe::Reaches;
use crate::backend::swarm::watch::SwarmFeed;
use crate::backend::zfs::watch::ZfsFeed;

pub enum NodesMsg {
    Swarm {
        engine: String,
        feed: SwarmFeed,
    },
    Kube {
        cluster: String,
        feed: KubeFeed,
    },
    Zfs {
        host: String,
        feed: ZfsFeed,
    },
    Reach(Reaches),
    /// This machine as a whole (tests).
    Here(Here),
    /// This machine's links, followed.
    Links(crate::backend::net::watch::LinksFeed),
    /// This machine's CPUs and memory, read once.
    Machine {
        cpus: usize,
        memory: u64,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Here {
    pub links: Vec<Link>,
    pub cpus: usize,
    pub memory: u64,
    /// Why the links could not be read, if they could not.
    pub error: Option<String>,
}
