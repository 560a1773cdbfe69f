//! `Msg`: what happened. The runtime turns terminal events, watcher updates and effect
//! results into these; `update` is the only place that reacts to them.

use crate::backend::swarm::logs::LogLine;
use crate::backend::swarm::stats::ContainerStats;
use crate::backend::swarm::watch::SwarmFeed;
use crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    SwarmUpdated(SwarmFeed),
    /// New lines for the log stream with this generation.
    LogLines {
        generation: u64,
        lines: Vec<LogLine>,
    },
    /// The log stream ended (`None`) or failed.
    LogEnded {
        generation: u64,
        reason: Option<String>,
    },
    /// A sample (or the end) of the stats stream with this generation.
    Stats {
        generation: u64,
        sample: Result<ContainerStats, String>,
    },
    /// A write finished: a one-line summary or why it failed.
    OpFinished(Result<String, String>),
}
