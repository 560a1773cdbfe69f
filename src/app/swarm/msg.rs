//! What the Swarm pane hears: its engine's feed and its tasks' results.

use crate::app::logs::LogFeed;
use crate::backend::swarm::stats::ContainerStats;
use crate::backend::swarm::watch::SwarmFeed;

#[derive(Debug, Clone)]
pub enum SwarmMsg {
    /// An engine's feed, by the engine's name.
    Feed { engine: String, feed: SwarmFeed },
    /// A ZFS host's feed: where the services' data is.
    Zfs {
        host: String,
        feed: crate::backend::zfs::watch::ZfsFeed,
    },
    /// Lines (or the end) of the log stream with this generation.
    Log { generation: u64, feed: LogFeed },
    /// An object read for describe or the YAML view opened with this generation.
    Inspected {
        generation: u64,
        result: Result<std::sync::Arc<serde_json::Value>, String>,
    },
    /// Picked in the engines picker: show only this engine (empty: every engine).
    ShowEngine(String),
    /// A sample (or the end) of the stats stream with this generation.
    Stats {
        generation: u64,
        sample: Result<ContainerStats, String>,
    },
}
