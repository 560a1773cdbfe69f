//! An engine's connections, in two lanes with a fixed number of ssh sessions each.
//!
//! Over ssh every connection is a session: an `ssh` here and a `docker system
//! dial-stdio` (about 24 MiB) on the engine's host. hyper opens a connection for every
//! request that finds none idle, so one re-list (eight requests at once) used to open
//! eight sessions. Each lane now has a fixed number of sessions; a request that finds
//! them all busy waits for one to come back to the pool.
//!
//! Two lanes, because a stream holds its connection for as long as someone watches:
//! were requests and streams to share one set, the event stream, a followed log and
//! stats could hold every session and leave the watcher's re-lists waiting forever.
//! Requests have their own sessions, which streams never take.

use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Which of an engine's connections a request uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Answered at once and read whole: lists, inspects, pings, writes. Their ssh
    /// sessions carry them one after another (keep-alive): a whole re-list of the
    /// lab's engine takes a few tens of milliseconds on one.
    Requests,
    /// Held open while someone watches: the event stream, a followed log, a container's
    /// stats, an exec's terminal.
    Streams,
}

/// ssh sessions for requests: two, so one slow request (a write the engine takes a
/// while to answer, a session still being dialled) does not leave the others waiting
/// until they give up.
pub const REQUEST_SESSIONS: usize = 2;
/// ssh sessions for streams: the watcher's events, and a followed log or a
/// container's stats (the pane shows one at a time), and an exec's terminal.
pub const STREAM_SESSIONS: usize = 3;
/// Sessions one `ssh://` engine holds at most.
pub const SSH_SESSIONS: usize = REQUEST_SESSIONS + STREAM_SESSIONS;

/// The host part of the streams lane's made-up origin (see [`Lane::origin`]).
const STREAMS_HOST: &str = "docker-streams";

impl Lane {
    /// The made-up origin a request in this lane is sent to. hyper pools connections
    /// by origin, so each lane has a pool of its own, and the dialer is told the
    /// origin it dials for. The engine ignores it (it answers on its own socket).
    pub fn origin(self) -> &'static str {
        match self {
            Lane::Requests => "http://docker",
            Lane::Streams => "http://docker-streams",
        }
    }

    /// The lane a connection to `uri` (an origin from [`Lane::origin`]) is for.
    pub fn of(uri: &hyper::Uri) -> Lane {
        if uri.host() == Some(STREAMS_HOST) {
            Lane::Streams
        } else {
            Lane::Requests
        }
    }
}

/// How many connections each lane may have open at once.
pub struct SessionLimit {
    requests: LaneLimit,
    streams: LaneLimit,
    /// How long a new connection waits for a free session before it fails.
    wait: Duration,
}

struct LaneLimit {
    sessions: Arc<Semaphore>,
    size: usize,
}

impl LaneLimit {
    fn new(size: usize) -> LaneLimit {
        LaneLimit {
            sessions: Arc::new(Semaphore::new(size)),
            size,
        }
    }
}

impl SessionLimit {
    pub fn new(requests: usize, streams: usize, wait: Duration) -> SessionLimit {
        SessionLimit {
            requests: LaneLimit::new(requests),
            streams: LaneLimit::new(streams),
            wait,
        }
    }

    /// An `ssh://` engine's limit. A request waiting for a session is served as soon
    /// as another request's connection is back in the pool; the dial it started then
    /// goes on in the background (hyper's way) and gives up after `wait`.
    pub fn ssh(wait: Duration) -> SessionLimit {
        SessionLimit::new(REQUEST_SESSIONS, STREAM_SESSIONS, wait)
    }

    /// Room for one more connection in `lane`, held by that connection until it
    /// closes; an error naming the limit once `wait` has passed without one.
    pub async fn admit(&self, lane: Lane) -> io::Result<OwnedSemaphorePermit> {
        let (limit, what) = match lane {
            Lane::Requests => (&self.requests, "requests"),
            Lane::Streams => (&self.streams, "streams (events, a log, stats, an exec)"),
        };
        let free = limit.sessions.clone().acquire_owned();
        match tokio::time::timeout(self.wait, free).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_closed)) => Err(io::Error::other("the engine's client is closing")),
            Err(_) => Err(io::Error::other(format!(
                "no free ssh session for {what} to this engine ({} at most, all busy)",
                limit.size
            ))),
        }
    }
}

#[cfg(test)]
#[path = "lanes_tests.rs"]
mod tests;
