//! Accepting connections (plain or TLS), serving HTTP/1.1 with upgrades, and
//! dropping every connection when the server stops.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::Shared;

pub async fn accept_loop(
    shared: Arc<Shared>,
    listener: TcpListener,
    cancel: CancellationToken,
    tracker: TaskTracker,
) {
    loop {
        let stream = tokio::select! {
            _ = cancel.cancelled() => return,
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                // Out of file descriptors and the like: keep serving.
                Err(_) => continue,
            },
        };
        let _ = stream.set_nodelay(true);
        let (shared, cancel2, tracker2) = (shared.clone(), cancel.clone(), tracker.clone());
        tracker.spawn(async move {
            tokio::select! {
                _ = cancel2.cancelled() => {}
                _ = connection(shared, stream, cancel2.clone(), tracker2) => {}
            }
        });
    }
}

async fn connection(
    shared: Arc<Shared>,
    stream: TcpStream,
    cancel: CancellationToken,
    tracker: TaskTracker,
) {
    if shared.hang.load(Ordering::SeqCst) {
        // A server that never answers: hold the socket, read nothing.
        cancel.cancelled().await;
        return;
    }
    match &shared.tls {
        Some(t) => {
            let acceptor = tokio_rustls::TlsAcceptor::from(t.config.clone());
            if let Ok(tls) = acceptor.accept(stream).await {
                serve_http(shared, TokioIo::new(tls), cancel, tracker).await;
            }
        }
        None => serve_http(shared, TokioIo::new(stream), cancel, tracker).await,
    }
}

async fn serve_http<I>(shared: Arc<Shared>, io: I, cancel: CancellationToken, tracker: TaskTracker)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let svc = service_fn(move |req| {
        let (shared, cancel, tracker) = (shared.clone(), cancel.clone(), tracker.clone());
        async move {
            Ok::<_, std::convert::Infallible>(
                crate::api::handle(shared, cancel, tracker, req).await,
            )
        }
    });
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, svc)
        .with_upgrades()
        .await;
}
