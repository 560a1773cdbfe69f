//! The WebSocket upgrade that opens a stream into a pod (exec, portforward):
//! the handshake, the subprotocol both sides speak, and the channel framing
//! of the `*.channel.k8s.io` protocols.

use hyper::body::Incoming;
use hyper::upgrade::Upgraded;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::{Message, handshake::derive_accept_key};

use crate::api::Ctx;
use crate::respond::{self, Resp};
use crate::status::ApiError;

pub type Socket = WebSocketStream<TokioIo<Upgraded>>;

/// Answers 101 with the first of `supported` that the client offered (`""`
/// accepts a client that offers none) and runs `session` on the upgraded
/// connection. The session is tracked, so a stopping server waits for it:
/// it must end when the server's cancellation fires.
pub fn accept<F, Fut>(
    ctx: &Ctx,
    req: &mut Request<Incoming>,
    supported: &[&'static str],
    session: F,
) -> Resp
where
    F: FnOnce(Socket, &'static str) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let header = |n: &str| {
        req.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let key = header("sec-websocket-key");
    if !header("upgrade").eq_ignore_ascii_case("websocket") || key.is_empty() {
        return respond::error(&ApiError::bad_request("Upgrade request required"));
    }
    let offered = header("sec-websocket-protocol");
    let offered: Vec<&str> = offered.split(',').map(str::trim).collect();
    let Some(proto) = supported.iter().copied().find(|p| offered.contains(p)) else {
        let named: Vec<&str> = supported
            .iter()
            .copied()
            .filter(|p| !p.is_empty())
            .collect();
        return respond::error(&ApiError::bad_request(format!(
            "unable to upgrade: no supported subprotocol in {offered:?}; supported: {}",
            named.join(", ")
        )));
    };
    let upgrade = hyper::upgrade::on(req);
    ctx.tracker.spawn(async move {
        if let Ok(up) = upgrade.await {
            let ws = WebSocketStream::from_raw_socket(TokioIo::new(up), Role::Server, None).await;
            session(ws, proto).await;
        }
    });
    let mut resp = Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header("upgrade", "websocket")
        .header("connection", "Upgrade")
        .header("sec-websocket-accept", derive_accept_key(key.as_bytes()));
    if !proto.is_empty() {
        resp = resp.header("sec-websocket-protocol", proto);
    }
    resp.body(respond::full("")).expect("valid response")
}

/// A binary frame on a channel: the channel number, then the data.
pub fn frame(ch: u8, data: &[u8]) -> Message {
    let mut v = Vec::with_capacity(data.len() + 1);
    v.push(ch);
    v.extend_from_slice(data);
    Message::binary(v)
}
