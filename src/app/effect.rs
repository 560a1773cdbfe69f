//! `Effect`: work `update` asks the runtime to do. Results come back as `Msg`s.

use crate::backend::swarm::logs::LogTarget;
use crate::backend::swarm::ops::SwarmOp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Re-list everything now.
    Refresh,
    /// Run a confirmed write (refused by the runtime without a `Writer`).
    Apply(SwarmOp),
    /// Start following logs; lines come back tagged with `generation`.
    OpenLogs {
        generation: u64,
        target: LogTarget,
    },
    CloseLogs,
    /// Follow one container's stats; samples come back tagged with `generation`.
    OpenStats {
        generation: u64,
        container_id: String,
    },
    CloseStats,
}
