//! One HTTP/1.1 client per engine, over whatever reaches it: a unix socket, plain TCP,
//! TCP with TLS (client certificates, as `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH` have
//! it) or ssh (`ssh HOST docker system dial-stdio`, as the docker CLI does). bollard
//! talks through it as a custom transport, and the raw-JSON spec writes use the same
//! client, so writes work wherever reads do. Over ssh it holds at most
//! `lanes::SSH_SESSIONS` sessions (see `lanes`).
//!
//! Written here rather than taken from bollard's own `ssl`/`ssh` features: those make
//! their own client that the raw requests cannot share, `ssh` pulls in an ssh master
//! process per connection, and neither takes TLS files per engine.

use super::conn::Dialer;
use super::connect::REQUEST_TIMEOUT;
use super::dial::dial_for;
use super::engines::TlsFiles;
use super::lanes::{Lane, SessionLimit};
use crate::core::access::Writer;
use bollard::{API_DEFAULT_VERSION, BollardRequest, ClientVersion, Docker};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::sync::{Arc, Weak};
use std::time::Duration;

/// An idle connection is closed after this long.
const IDLE_FOR: Duration = Duration::from_secs(30);
/// Idle connections kept per lane over ssh, each a session on the engine's host: one
/// (the requests lane has no more anyway; a stream's that went idle, a task's log that
/// ended, is closed rather than kept, its room free for the next stream).
const IDLE_SSH_SESSIONS: usize = 1;

type Body = <BollardRequest as BodyOf>::Body;

/// The body type bollard's requests carry (its alias is private).
pub trait BodyOf {
    type Body;
}
impl<B> BodyOf for hyper::Request<B> {
    type Body = B;
}

/// The engine's client: cheap to clone, shared by bollard and the raw requests (and,
/// through `connect`, by everything in the process that talks to the engine).
#[derive(Clone)]
pub struct Transport {
    /// Also used by `exec`, which upgrades a request to a raw stream. An `Arc` so that
    /// `connect` can keep a weak handle: the client lives while someone uses it.
    pub(super) client: Arc<Client<Dialer, Body>>,
}

/// A client that is not kept alive by this handle (for `connect`'s engines in use).
pub(super) struct WeakTransport(Weak<Client<Dialer, Body>>);

impl WeakTransport {
    pub(super) fn upgrade(&self) -> Option<Transport> {
        self.0.upgrade().map(|client| Transport { client })
    }

    pub(super) fn in_use(&self) -> bool {
        self.0.strong_count() > 0
    }
}

/// A raw response: status and whole body.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Transport {
    /// A client for `host` (`unix://`, `tcp://`, `http://`, `https://`, `ssh://`);
    /// `tls` turns TLS on for TCP hosts. Nothing is dialled yet.
    pub(super) fn new(host: &str, tls: Option<&TlsFiles>) -> Result<Transport, String> {
        let dial = dial_for(host, tls)?;
        // Only ssh is limited: a session costs a process on each side, while a socket
        // or a TCP connection costs the engine next to nothing.
        let limit = dial.is_ssh().then(|| SessionLimit::ssh(REQUEST_TIMEOUT));
        Ok(Transport::with(Dialer::new(dial, limit)))
    }

    /// An engine at `host` whose lanes hold `requests` and `streams` connections, whoever
    /// dials it; a connection waits `wait` for room (tests of the limit, without ssh).
    #[cfg(test)]
    pub(super) fn limited(
        host: &str,
        requests: usize,
        streams: usize,
        wait: Duration,
    ) -> Transport {
        let dial = dial_for(host, None).expect("a test address");
        let limit = SessionLimit::new(requests, streams, wait);
        Transport::with(Dialer::new(dial, Some(limit)))
    }

    pub(super) fn downgrade(&self) -> WeakTransport {
        WeakTransport(Arc::downgrade(&self.client))
    }

    fn with(dialer: Dialer) -> Transport {
        let mut builder = Client::builder(TokioExecutor::new());
        // Without a timer hyper never closes an idle connection: it only skips an
        // expired one when it next looks, so idle ssh sessions stayed for good.
        builder
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(IDLE_FOR);
        if dialer.is_limited() {
            builder.pool_max_idle_per_host(IDLE_SSH_SESSIONS);
        }
        let client = Arc::new(builder.build(dialer));
        Transport { client }
    }

    /// bollard over this client's requests lane (API version still to negotiate). Only
    /// this backend sees it: readers wrap it in a `SwarmReader`, the writer in a
    /// `SwarmWriter`, and a source check keeps bollard's writing calls in the writer's
    /// files.
    pub(super) fn docker(&self) -> Docker {
        self.docker_in(Lane::Requests, API_DEFAULT_VERSION)
    }

    /// bollard over the streams lane, speaking `version` (already negotiated), for the
    /// event stream, followed logs and stats.
    pub(super) fn streaming_docker(&self, version: &ClientVersion) -> Docker {
        self.docker_in(Lane::Streams, version)
    }

    fn docker_in(&self, lane: Lane, version: &ClientVersion) -> Docker {
        let client = self.client.clone();
        let transport = move |req: BollardRequest| {
            let client = client.clone();
            async move {
                client
                    .request(req)
                    .await
                    .map_err(bollard::errors::Error::from)
            }
        };
        Docker::connect_with_custom_transport(
            transport,
            Some(lane.origin()),
            REQUEST_TIMEOUT.as_secs(),
            version,
        )
        .expect("a custom transport with a fixed address always builds")
    }

    /// A read: GET `path`, answered whole.
    pub(super) async fn get(&self, path: &str) -> Result<RawResponse, String> {
        self.request("GET", path, None).await
    }

    /// A write: any method, with a JSON body. Needs the `Writer`.
    pub(super) async fn send(
        &self,
        _w: &Writer,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, String> {
        self.request(method, path, body).await
    }

    /// One request with a JSON body, answered whole (chunked or not: hyper decodes it).
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, String> {
        let req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", Lane::Requests.origin()))
            .header("Content-Type", "application/json")
            .body(bollard::body_full(Bytes::copy_from_slice(
                body.unwrap_or_default(),
            )))
            .map_err(|e| format!("bad request {method} {path}: {e}"))?;
        let work = async {
            let res = self
                .client
                .request(req)
                .await
                .map_err(|e| format!("cannot reach engine: {}", root_cause(&e)))?;
            let status = res.status().as_u16();
            let body = res
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("engine's answer broke off: {e}"))?
                .to_bytes()
                .to_vec();
            Ok(RawResponse { status, body })
        };
        tokio::time::timeout(REQUEST_TIMEOUT, work)
            .await
            .map_err(|_| "engine did not answer in time".to_string())?
    }
}

/// A streamed answer: its status, then its body as it comes (a followed log).
pub struct RawStream {
    pub status: u16,
    pub body: futures::stream::BoxStream<'static, Result<Bytes, String>>,
}

impl Transport {
    /// GET `path` and hand over the body as it arrives; only the headers are awaited
    /// (with the usual timeout), the body may run forever.
    pub(super) async fn raw_stream(&self, path: &str) -> Result<RawStream, String> {
        use futures::StreamExt;
        let req = hyper::Request::builder()
            .method("GET")
            .uri(format!("{}{path}", Lane::Streams.origin()))
            .body(bollard::body_full(Bytes::new()))
            .map_err(|e| format!("bad request GET {path}: {e}"))?;
        let res = tokio::time::timeout(REQUEST_TIMEOUT, self.client.request(req))
            .await
            .map_err(|_| "engine did not answer in time".to_string())?
            .map_err(|e| format!("cannot reach engine: {}", root_cause(&e)))?;
        let status = res.status().as_u16();
        let body = res
            .into_body()
            .into_data_stream()
            .map(|c| c.map_err(|e| format!("engine's answer broke off: {e}")))
            .boxed();
        Ok(RawStream { status, body })
    }
}

pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

/// The engine's `{"message": "..."}` error text, or the body itself.
pub fn error_message(r: &RawResponse) -> String {
    serde_json::from_slice::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(&r.body).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A chunked answer (what the engine sends for large JSON) is decoded whole.
    #[tokio::test]
    async fn a_chunked_response_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("engine.sock");
        let listener = tokio::net::UnixListener::bind(&sock).unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let _ = s.read(&mut buf).await.unwrap();
            s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
                  7\r\n{\"Spec\"\r\n9\r\n:{\"a\":1}}\r\n0\r\n\r\n",
            )
            .await
            .unwrap();
        });
        let t = Transport::new(&format!("unix://{}", sock.display()), None).unwrap();
        let r = t.get("/v1.41/services/x").await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"{\"Spec\":{\"a\":1}}");
    }

    #[test]
    fn engine_errors_read_as_their_message() {
        let r = RawResponse {
            status: 404,
            body: b"{\"message\":\"service x not found\"}".to_vec(),
        };
        assert_eq!(error_message(&r), "service x not found");
    }
}
