//! The connections hyper pools: the `Dialer` opens them, each within its lane's limit
//! when the engine has one (ssh), and a `Conn` carries one together with its room in
//! that limit, given back when hyper drops the connection.

use super::dial::{Dial, Io, open};
use super::lanes::{Lane, SessionLimit};
use futures::future::BoxFuture;
use hyper::Uri;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::OwnedSemaphorePermit;

/// Opens connections to one engine, for hyper's pool.
#[derive(Clone)]
pub struct Dialer {
    dial: Arc<Dial>,
    /// `None`: as many connections as hyper asks for (a local socket, TCP).
    limit: Option<Arc<SessionLimit>>,
}

/// A connection of any kind, as hyper wants it.
pub struct Conn {
    io: TokioIo<Box<dyn Io>>,
    /// The connection's room in its lane, free again when hyper drops it (closed,
    /// broken, idle too long, or an exec's terminal ended).
    _room: Option<OwnedSemaphorePermit>,
}

impl Dialer {
    pub(super) fn new(dial: Dial, limit: Option<SessionLimit>) -> Dialer {
        Dialer {
            dial: Arc::new(dial),
            limit: limit.map(Arc::new),
        }
    }

    /// Whether its connections are counted (ssh).
    pub(super) fn is_limited(&self) -> bool {
        self.limit.is_some()
    }
}

impl tower_service::Service<Uri> for Dialer {
    type Response = Conn;
    type Error = io::Error;
    type Future = BoxFuture<'static, io::Result<Conn>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// `uri` is the lane's made-up origin (see `Lane::origin`): where to go is ours.
    fn call(&mut self, uri: Uri) -> Self::Future {
        let (dial, limit) = (self.dial.clone(), self.limit.clone());
        Box::pin(async move {
            let room = match &limit {
                Some(limit) => Some(limit.admit(Lane::of(&uri)).await?),
                None => None,
            };
            let io = open(&dial).await?;
            Ok(Conn {
                io: TokioIo::new(io),
                _room: room,
            })
        })
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
