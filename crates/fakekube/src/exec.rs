//! `pods/{name}/exec` over WebSocket with the `v5.channel.k8s.io` or
//! `v4.channel.k8s.io` subprotocol. The command runs for real on this machine
//! (in a pty when `tty=true`), so a test can type into a shell.
//!
//! Frames are binary, first byte the channel: 0 stdin, 1 stdout, 2 stderr,
//! 3 the final `Status` JSON, 4 terminal resize; v5 adds 255 to close a stream.

use std::process::Stdio;

use futures::{SinkExt, StreamExt};
use hyper::Request;
use hyper::body::Incoming;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

use crate::api::Ctx;
use crate::respond::{self, Resp};
use crate::status::ApiError;
use crate::upgrade::{self, frame};
use crate::{lock, logs};

const V5: &str = "v5.channel.k8s.io";
const V4: &str = "v4.channel.k8s.io";

struct Spec {
    command: Vec<String>,
    tty: bool,
    stdin: bool,
    stdout: bool,
    stderr: bool,
}

pub async fn serve(ctx: &Ctx, mut req: Request<Incoming>) -> Resp {
    let pod = match lock(&ctx.shared.store)
        .get(ctx.def, &ctx.info.namespace, &ctx.info.name)
        .cloned()
    {
        Some(p) => p,
        None => return respond::error(&ApiError::not_found(ctx.def, &ctx.info.name)),
    };
    if let Err(e) = logs::container_for(&pod, &ctx.info.name, ctx.query.get("container")) {
        return respond::error(&e);
    }
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if matches!(phase, "Succeeded" | "Failed") {
        return respond::error(&ApiError::bad_request(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let q = &ctx.query;
    let spec = Spec {
        command: q.all("command"),
        tty: q.flag("tty"),
        stdin: q.flag("stdin"),
        stdout: q.flag("stdout"),
        stderr: q.flag("stderr"),
    };
    if spec.command.is_empty() {
        return respond::error(&ApiError::bad_request(
            "you must specify at least 1 command",
        ));
    }
    if !(spec.stdin || spec.stdout || spec.stderr) {
        return respond::error(&ApiError::bad_request(
            "you must specify at least one of stdin, stdout, stderr",
        ));
    }
    let cancel = ctx.cancel.clone();
    upgrade::accept(ctx, &mut req, &[V5, V4], move |ws, proto| {
        session(ws, proto == V5, spec, cancel)
    })
}

fn exit_status(command: &[String], code: Option<i32>) -> Value {
    match code {
        Some(0) => json!({"metadata": {}, "status": "Success"}),
        Some(c) => json!({
            "metadata": {},
            "status": "Failure",
            "message": format!("command terminated with non-zero exit code: error executing command [{}], exit code {c}", command.join(" ")),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": c.to_string()}]}
        }),
        None => json!({
            "metadata": {},
            "status": "Failure",
            "message": "command terminated by a signal",
            "reason": "InternalError",
            "details": {"causes": [{"message": "command terminated by a signal"}]}
        }),
    }
}

/// What the session writes input to.
enum Input {
    Pty(pty_process::OwnedWritePty),
    Pipe(tokio::process::ChildStdin),
    None,
}

fn spawn_reader(
    ch: u8,
    mut r: impl AsyncRead + Unpin + Send + 'static,
    tx: mpsc::Sender<(u8, Vec<u8>)>,
) {
    tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            // A pty's master reads EIO once the child side is closed: EOF.
            match r.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx.send((ch, buf[..n].to_vec())).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
}

fn start(
    spec: &Spec,
    tx: mpsc::Sender<(u8, Vec<u8>)>,
) -> std::io::Result<(tokio::process::Child, Input)> {
    let (prog, args) = (&spec.command[0], &spec.command[1..]);
    if spec.tty {
        let (pty, pts) = pty_process::open().map_err(std::io::Error::other)?;
        pty.resize(pty_process::Size::new(24, 80))
            .map_err(std::io::Error::other)?;
        let child = pty_process::Command::new(prog)
            .args(args)
            .kill_on_drop(true)
            .spawn(pts)
            .map_err(std::io::Error::other)?;
        let (r, w) = pty.into_split();
        if spec.stdout {
            spawn_reader(1, r, tx);
        }
        Ok((
            child,
            if spec.stdin {
                Input::Pty(w)
            } else {
                Input::None
            },
        ))
    } else {
        let mut cmd = tokio::process::Command::new(prog);
        cmd.args(args)
            .kill_on_drop(true)
            .stdin(if spec.stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(if spec.stdout {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stderr(if spec.stderr {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = cmd.spawn()?;
        if let Some(o) = child.stdout.take() {
            spawn_reader(1, o, tx.clone());
        }
        if let Some(e) = child.stderr.take() {
            spawn_reader(2, e, tx);
        }
        let input = child.stdin.take().map(Input::Pipe).unwrap_or(Input::None);
        Ok((child, input))
    }
}

async fn session<S>(ws: WebSocketStream<S>, v5: bool, spec: Spec, cancel: CancellationToken)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut sink, mut incoming) = ws.split();
    let (tx, mut out) = mpsc::channel::<(u8, Vec<u8>)>(64);
    let (mut child, mut input) = match start(&spec, tx) {
        Ok(c) => c,
        Err(e) => {
            let status = json!({
                "metadata": {},
                "status": "Failure",
                "message": format!("failed to exec in container: exec: \"{}\": {e}", spec.command[0]),
                "reason": "InternalError",
                "code": 500
            });
            let _ = sink.send(frame(3, status.to_string().as_bytes())).await;
            let _ = sink.close().await;
            return;
        }
    };
    let mut exit: Option<Option<i32>> = None;
    let mut outputs_open = true;
    while exit.is_none() || outputs_open {
        tokio::select! {
            _ = cancel.cancelled() => return,
            st = child.wait(), if exit.is_none() => {
                exit = Some(st.ok().and_then(|s| s.code()));
            }
            o = out.recv(), if outputs_open => match o {
                Some((ch, data)) => {
                    if sink.send(frame(ch, &data)).await.is_err() {
                        return;
                    }
                }
                None => outputs_open = false,
            },
            m = incoming.next() => match m {
                Some(Ok(Message::Binary(data))) if !data.is_empty() => {
                    handle_input(data[0], &data[1..], v5, &mut input).await;
                }
                Some(Ok(_)) => {}
                // The client went away: the command goes too (kill on drop).
                _ => return,
            },
        }
    }
    let status = exit_status(&spec.command, exit.flatten());
    let _ = sink.send(frame(3, status.to_string().as_bytes())).await;
    let _ = sink.close().await;
}

async fn handle_input(ch: u8, data: &[u8], v5: bool, input: &mut Input) {
    match ch {
        0 => {
            let r = match input {
                Input::Pty(w) => w.write_all(data).await,
                Input::Pipe(p) => p.write_all(data).await,
                Input::None => Ok(()),
            };
            if r.is_err() {
                *input = Input::None;
            }
        }
        4 => {
            let size: Value = serde_json::from_slice(data).unwrap_or_default();
            let (w, h) = (
                size["Width"].as_u64().unwrap_or(80),
                size["Height"].as_u64().unwrap_or(24),
            );
            if let Input::Pty(p) = input {
                let _ = p.resize(pty_process::Size::new(h as u16, w as u16));
            }
        }
        // v5: the client closed one of its streams; stdin is the one it has.
        255 if v5 && data.first() == Some(&0) => {
            if let Input::Pipe(_) = input {
                *input = Input::None;
            }
        }
        _ => {}
    }
}
