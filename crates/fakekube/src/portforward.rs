//! `pods/{name}/portforward` over WebSocket, as the API server and kubelet
//! serve it: subprotocol `v4.channel.k8s.io` (or none), two channels per
//! requested port (data 2i, error 2i+1), each opened by a frame carrying the
//! port as 2 little-endian bytes. The fake has no pod network, so it dials the
//! address a test gave with `FakeKube::map_pod_port`; an unmapped port is
//! one nothing listens on.

use std::net::SocketAddr;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use hyper::Request;
use hyper::body::Incoming;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use crate::api::Ctx;
use crate::lock;
use crate::respond::{self, Resp};
use crate::status::ApiError;
use crate::upgrade::{self, frame};

const V4: &str = "v4.channel.k8s.io";

/// One requested port and where it really listens, if anywhere.
struct Target {
    port: u16,
    addr: Option<SocketAddr>,
    pod_uid: String,
}

pub async fn serve(ctx: &Ctx, mut req: Request<Incoming>) -> Resp {
    // The API server decodes `ports` (repeated or comma lists) first.
    let raw = ctx.query.all("ports");
    let ports = match parse_ports(&raw) {
        Ok(p) => p,
        Err(e) => return respond::error(&e),
    };
    let (ns, name) = (&ctx.info.namespace, &ctx.info.name);
    let Some(pod) = lock(&ctx.shared.store).get(ctx.def, ns, name).cloned() else {
        return respond::error(&ApiError::not_found(ctx.def, name));
    };
    // The kubelet's own refusals: plain text, which the API server passes on.
    if ports.is_empty() {
        return respond::text(400, "query parameter \"port\" is required");
    }
    if ports.contains(&0) {
        return respond::text(400, format!("port {:?} must be > 0", raw.join(",")));
    }
    // Only a running pod has a sandbox the runtime can find.
    if pod.pointer("/status/phase").and_then(Value::as_str) != Some("Running") {
        return respond::text(500, format!("pod not found (\"{name}_{ns}\")"));
    }
    let uid = pod
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let targets = {
        let map = lock(&ctx.shared.pod_ports);
        ports
            .into_iter()
            .map(|port| Target {
                port,
                addr: map.get(&(ns.clone(), name.clone(), port)).copied(),
                pod_uid: uid.clone(),
            })
            .collect()
    };
    let cancel = ctx.cancel.clone();
    upgrade::accept(ctx, &mut req, &[V4, ""], move |ws, _| {
        session(ws, targets, cancel)
    })
}

fn parse_ports(raw: &[String]) -> Result<Vec<u16>, ApiError> {
    raw.iter()
        .flat_map(|v| v.split(','))
        .map(|p| {
            p.parse::<u16>().map_err(|e| {
                let why = match e.kind() {
                    std::num::IntErrorKind::PosOverflow => "value out of range",
                    _ => "invalid syntax",
                };
                ApiError::bad_request(format!(
                    "cannot convert to []int32: strconv.ParseUint: parsing {p:?}: {why}"
                ))
            })
        })
        .collect()
}

/// What the kubelet writes on the error channel when the container runtime
/// (containerd) finds nothing listening on the port in the pod's network
/// namespace: it names the sandbox, not the pod, and leaves the uid empty.
fn refused(port: u16, pod_uid: &str, e: &std::io::Error) -> String {
    let hex: String = pod_uid.chars().filter(|c| *c != '-').collect();
    let sandbox = format!("{hex}{hex}");
    let why = match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        std::io::ErrorKind::TimedOut => "connection timed out".to_string(),
        _ => e.to_string(),
    };
    format!(
        "error forwarding port {port} to pod {sandbox}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{pod_uid}\": failed to connect to localhost:{port} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: {why} IPv6 dial tcp6 [::1]:{port}: connect: {why} "
    )
}

async fn session<S>(ws: WebSocketStream<S>, targets: Vec<Target>, cancel: CancellationToken)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut sink, mut incoming) = ws.split();
    for (i, t) in targets.iter().enumerate() {
        let hello = t.port.to_le_bytes();
        for ch in [2 * i, 2 * i + 1] {
            if sink.send(frame(ch as u8, &hello)).await.is_err() {
                return;
            }
        }
    }
    let (out_tx, mut out) = mpsc::channel::<Message>(64);
    // Dropped with the session, which aborts every forward and so closes
    // its TCP connection.
    let mut forwards = JoinSet::new();
    let mut to_pod = Vec::new();
    for (i, t) in targets.into_iter().enumerate() {
        // Unbounded, so a slow pod port never stalls the other ports' frames.
        let (tx, rx) = mpsc::unbounded_channel();
        to_pod.push(tx);
        forwards.spawn(forward(i as u8, t, rx, out_tx.clone()));
    }
    drop(out_tx);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            m = out.recv() => match m {
                Some(m) => {
                    if sink.send(m).await.is_err() {
                        return;
                    }
                }
                // Every forward is done: the kubelet closes the connection.
                None => break,
            },
            m = incoming.next() => match m {
                Some(Ok(Message::Binary(data))) => {
                    // Only data channels carry input; error channels are the server's.
                    if data.len() > 1
                        && data[0] % 2 == 0
                        && let Some(tx) = to_pod.get(usize::from(data[0] / 2))
                    {
                        let _ = tx.send(data.slice(1..));
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = sink.close().await;
}

/// One port: dial it, then copy both ways until either way ends, as the
/// container runtime does.
async fn forward(
    index: u8,
    target: Target,
    mut from_client: mpsc::UnboundedReceiver<Bytes>,
    out: mpsc::Sender<Message>,
) {
    let (data_ch, error_ch) = (2 * index, 2 * index + 1);
    let dialed = match target.addr {
        Some(addr) => TcpStream::connect(addr).await,
        None => Err(std::io::ErrorKind::ConnectionRefused.into()),
    };
    let tcp = match dialed {
        Ok(t) => t,
        Err(e) => {
            let _ = out
                .send(frame(
                    error_ch,
                    refused(target.port, &target.pod_uid, &e).as_bytes(),
                ))
                .await;
            return;
        }
    };
    let _ = tcp.set_nodelay(true);
    let (mut r, mut w) = tcp.into_split();
    let up = async {
        while let Some(b) = from_client.recv().await {
            if w.write_all(&b).await.is_err() {
                return;
            }
        }
    };
    let down = async {
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            match r.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if out.send(frame(data_ch, &buf[..n])).await.is_err() {
                        return;
                    }
                }
            }
        }
    };
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_repeat_or_come_as_comma_lists() {
        let raw = ["80,443".to_string(), "8080".to_string()];
        assert_eq!(parse_ports(&raw).unwrap(), [80, 443, 8080]);
        let e = parse_ports(&["80,http".to_string()]).unwrap_err();
        assert_eq!(
            e.message,
            "cannot convert to []int32: strconv.ParseUint: parsing \"http\": invalid syntax"
        );
        let e = parse_ports(&["70000".to_string()]).unwrap_err();
        assert!(e.message.ends_with("value out of range"), "{}", e.message);
    }
}
