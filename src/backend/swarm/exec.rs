//! A process in a running container with a TTY (a shell): create the exec, start it
//! attached, resize its TTY, read its exit code. Running a process changes the
//! container, so it is a write: [`start`] takes a `&Writer`, which read-only start-up
//! never has.
//!
//! ```compile_fail
//! # async fn f(e: &labdeck::backend::swarm::connect::Endpoint, r: &labdeck::backend::swarm::exec::ExecRequest) {
//! let s = labdeck::backend::swarm::exec::start(e, r).await;
//! # }
//! ```
//! ```
//! # async fn f(w: &labdeck::core::access::Writer, e: &labdeck::backend::swarm::connect::Endpoint, r: &labdeck::backend::swarm::exec::ExecRequest) {
//! let s = labdeck::backend::swarm::exec::start(w, e, r).await;
//! # }
//! ```
//!
//! The attach is written here rather than through bollard's `start_exec`: bollard
//! decodes the attached stream with a framing guess (a first byte of 0, 1 or 2 is taken
//! for a stdin/stdout/stderr frame header), but with `Tty` the engine sends the TTY's
//! bytes raw, and a TTY may well send those bytes (a NUL, ctrl-A echoed). So the
//! request is upgraded here, on the engine's own transport (unix, TCP, TLS or ssh
//! alike), with hyper's upgrade, and the stream is handed over untouched.
//! No terminal code here: the caller pumps the stream to and from its terminal.

use super::connect::{Endpoint, REQUEST_TIMEOUT, describe_error};
use super::lanes::Lane;
use super::transport::{self, RawResponse, Transport};
pub use crate::backend::shell::{outcome, shell_command};
use crate::core::access::Writer;
use bytes::Bytes;
use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::time::Duration;

/// What to run, where, and the TTY's first size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRequest {
    pub container_id: String,
    /// An argument vector: no shell on this side ever parses it.
    pub cmd: Vec<String>,
    /// `KEY=value` entries (the terminal's `TERM`).
    pub env: Vec<String>,
    /// Columns, rows.
    pub size: (u16, u16),
}

/// The started exec: its raw TTY stream (read: what it prints; write: keys) and the
/// handle to resize it and read its exit code.
pub struct ExecSession {
    pub stream: TokioIo<Upgraded>,
    pub control: ExecControl,
}

/// Resize the exec's TTY and read its outcome (cheap to clone).
#[derive(Clone)]
pub struct ExecControl {
    writer: Writer,
    transport: Transport,
    /// `/v1.41`: the negotiated API version.
    api: String,
    id: String,
}

/// Create the exec in the container and start it attached, with a TTY.
pub async fn start(
    w: &Writer,
    endpoint: &Endpoint,
    req: &ExecRequest,
) -> Result<ExecSession, String> {
    let transport = endpoint.transport().map_err(|e| describe_error(&e))?;
    let docker = endpoint
        .negotiate(&transport)
        .await
        .map_err(|e| describe_error(&e))?;
    let api = format!("/v{}", docker.client_version());
    let path = format!("{api}/containers/{}/exec", req.container_id);
    let body = serde_json::to_vec(&create_body(req)).map_err(|e| e.to_string())?;
    let r = transport.send(w, "POST", &path, Some(&body)).await?;
    let id = exec_id(&r)?;
    let stream = tokio::time::timeout(REQUEST_TIMEOUT, upgrade(&transport, &api, &id))
        .await
        .map_err(|_| "engine did not start the exec in time".to_string())??;
    let control = ExecControl {
        writer: w.clone(),
        transport,
        api,
        id,
    };
    // The engine sizes the TTY only once the process runs; a failed resize is not fatal.
    if let Err(e) = control.resize(req.size.0, req.size.1).await {
        tracing::debug!(%e, "first exec resize");
    }
    Ok(ExecSession { stream, control })
}

/// The body of `POST /containers/{id}/exec`.
pub fn create_body(req: &ExecRequest) -> Value {
    json!({
        "AttachStdin": true,
        "AttachStdout": true,
        "AttachStderr": true,
        "Tty": true,
        "Cmd": req.cmd,
        "Env": req.env,
        // API 1.42+ sizes the TTY from the start; older engines ignore it.
        "ConsoleSize": [req.size.1, req.size.0],
    })
}

/// The exec's id from the engine's answer to the create.
pub fn exec_id(r: &RawResponse) -> Result<String, String> {
    if !(200..300).contains(&r.status) {
        return Err(format!(
            "engine said {}: {}",
            r.status,
            transport::error_message(r)
        ));
    }
    serde_json::from_slice::<Value>(&r.body)
        .ok()
        .and_then(|v| v.get("Id").and_then(Value::as_str).map(str::to_owned))
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| "engine created an exec without a usable id".into())
}

/// `POST /exec/{id}/start` upgraded to the raw stream (`101 Switching Protocols`).
async fn upgrade(transport: &Transport, api: &str, id: &str) -> Result<TokioIo<Upgraded>, String> {
    use http_body_util::BodyExt;
    let body =
        serde_json::to_vec(&json!({"Detach": false, "Tty": true})).map_err(|e| e.to_string())?;
    let req = hyper::Request::builder()
        .method("POST")
        .uri(format!("{}{api}/exec/{id}/start", Lane::Streams.origin()))
        .header("Content-Type", "application/json")
        .header("Connection", "Upgrade")
        .header("Upgrade", "tcp")
        .body(bollard::body_full(Bytes::from(body)))
        .map_err(|e| format!("bad exec start request: {e}"))?;
    let res = transport
        .client
        .request(req)
        .await
        .map_err(|e| format!("cannot reach engine: {}", transport::root_cause(&e)))?;
    let status = res.status().as_u16();
    if status != 101 {
        let body = res
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes().to_vec())
            .unwrap_or_default();
        let r = RawResponse { status, body };
        return Err(format!(
            "engine did not attach the exec ({status}): {}",
            transport::error_message(&r)
        ));
    }
    let upgraded = hyper::upgrade::on(res)
        .await
        .map_err(|e| format!("engine did not attach the exec: {e}"))?;
    Ok(TokioIo::new(upgraded))
}

impl ExecControl {
    /// The exec's id (for logs and tests).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Size the exec's TTY to `cols` x `rows`.
    pub async fn resize(&self, cols: u16, rows: u16) -> Result<(), String> {
        let path = format!("{}/exec/{}/resize?h={rows}&w={cols}", self.api, self.id);
        let r = self
            .transport
            .send(&self.writer, "POST", &path, None)
            .await?;
        if (200..300).contains(&r.status) {
            Ok(())
        } else {
            Err(format!(
                "engine said {}: {}",
                r.status,
                transport::error_message(&r)
            ))
        }
    }

    /// The exit code once the process has ended (the stream closes a moment before
    /// the engine records it, so ask a few times); `None` if it never says.
    pub async fn exit_code(&self) -> Result<Option<i64>, String> {
        let path = format!("{}/exec/{}/json", self.api, self.id);
        for _ in 0..20 {
            let r = self.transport.get(&path).await?;
            match exit_of(&r)? {
                Exit::Running => tokio::time::sleep(Duration::from_millis(50)).await,
                Exit::Ended(code) => return Ok(code),
            }
        }
        Ok(None)
    }
}

/// What `GET /exec/{id}/json` says of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Running,
    Ended(Option<i64>),
}

pub fn exit_of(r: &RawResponse) -> Result<Exit, String> {
    if !(200..300).contains(&r.status) {
        return Err(format!(
            "engine said {}: {}",
            r.status,
            transport::error_message(r)
        ));
    }
    let v: Value =
        serde_json::from_slice(&r.body).map_err(|e| format!("engine sent unreadable JSON: {e}"))?;
    if v.get("Running").and_then(Value::as_bool).unwrap_or(false) {
        return Ok(Exit::Running);
    }
    Ok(Exit::Ended(v.get("ExitCode").and_then(Value::as_i64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_create_body_asks_for_a_tty_on_every_stream() {
        let req = ExecRequest {
            container_id: "c1".into(),
            cmd: vec!["/bin/sh".into()],
            env: vec!["TERM=xterm-256color".into()],
            size: (120, 40),
        };
        let b = create_body(&req);
        for k in ["AttachStdin", "AttachStdout", "AttachStderr", "Tty"] {
            assert_eq!(b[k], true, "{k}");
        }
        assert_eq!(b["Cmd"], json!(["/bin/sh"]));
        assert_eq!(b["Env"], json!(["TERM=xterm-256color"]));
        assert_eq!(b["ConsoleSize"], json!([40, 120]), "rows first");
    }

    #[test]
    fn the_exec_id_is_read_or_the_engine_refusal_is_said() {
        assert_eq!(
            exec_id(&raw(201, r#"{"Id":"abc123"}"#)),
            Ok("abc123".into())
        );
        let e = exec_id(&raw(409, r#"{"message":"container c1 is not running"}"#));
        assert_eq!(
            e,
            Err("engine said 409: container c1 is not running".into())
        );
        assert!(exec_id(&raw(201, "{}")).is_err());
        // Goes into a URL path: nothing but an id.
        assert!(exec_id(&raw(201, r#"{"Id":"../containers/x"}"#)).is_err());
    }

    #[test]
    fn inspect_says_running_or_the_exit_code() {
        let running = raw(200, r#"{"Running":true,"ExitCode":null}"#);
        assert_eq!(exit_of(&running), Ok(Exit::Running));
        let done = raw(200, r#"{"Running":false,"ExitCode":3}"#);
        assert_eq!(exit_of(&done), Ok(Exit::Ended(Some(3))));
        assert!(exit_of(&raw(404, r#"{"message":"No such exec instance"}"#)).is_err());
    }

    /// The start is upgraded on the engine's own transport and the stream is raw both
    /// ways: bytes 0-2 (which bollard would take for frame headers) pass untouched.
    #[tokio::test]
    async fn the_start_is_upgraded_to_a_raw_stream_both_ways() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("engine.sock");
        let listener = tokio::net::UnixListener::bind(&sock).unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut b = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                s.read_exact(&mut b).await.unwrap();
                head.push(b[0]);
            }
            let head = String::from_utf8(head).unwrap();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            s.read_exact(&mut body).await.unwrap();
            s.write_all(
                b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\x01\x00\x02prompt$ ",
            )
            .await
            .unwrap();
            let mut typed = [0u8; 3];
            s.read_exact(&mut typed).await.unwrap();
            (head, String::from_utf8(body).unwrap(), typed)
        });
        let t = Transport::new(&format!("unix://{}", sock.display()), None).unwrap();
        let mut io = upgrade(&t, "/v1.41", "abc").await.unwrap();
        let mut got = [0u8; 11];
        io.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"\x01\x00\x02prompt$ ");
        io.write_all(b"\x03ls").await.unwrap();
        io.flush().await.unwrap();
        let (head, body, typed) = server.await.unwrap();
        assert!(
            head.starts_with("POST /v1.41/exec/abc/start HTTP/1.1\r\n"),
            "{head}"
        );
        let lower = head.to_ascii_lowercase();
        assert!(lower.contains("connection: upgrade") && lower.contains("upgrade: tcp"));
        assert_eq!(body, r#"{"Detach":false,"Tty":true}"#);
        assert_eq!(&typed, b"\x03ls");
    }

    #[tokio::test]
    async fn a_start_the_engine_refuses_says_why() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("engine.sock");
        let listener = tokio::net::UnixListener::bind(&sock).unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let _ = s.read(&mut buf).await.unwrap();
            let body = r#"{"message":"No such exec instance: abc"}"#;
            let answer = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            s.write_all(answer.as_bytes()).await.unwrap();
        });
        let t = Transport::new(&format!("unix://{}", sock.display()), None).unwrap();
        let Err(e) = upgrade(&t, "/v1.41", "abc").await else {
            panic!("a refused start must not attach")
        };
        assert_eq!(
            e,
            "engine did not attach the exec (404): No such exec instance: abc"
        );
    }
}
