//! The lab as if one stack were all it ran. The lab is shared (parallel tests, other
//! checkouts), so "the whole Swarm is healthy" is never reliably true there; this
//! front answers every request by asking the real engine, and only drops the other
//! stacks' services and tasks from the `/services` and `/tasks` lists.
//!
//! A Unix socket serving HTTP/1.1 keep-alive to the client; each request goes to the
//! engine as HTTP/1.0, whose answer ends at EOF (no chunked decoding). Streams such
//! as `/events` are not supported: for request/response clients like `labdeck status`.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use serde_json::Value;
use tempfile::TempDir;

const NAMESPACE: &str = "com.docker.stack.namespace";

pub struct StackView {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    _dir: TempDir,
}

impl StackView {
    pub fn start(upstream: &Path, stack: &str) -> StackView {
        let dir = tempfile::tempdir().expect("tempdir for the socket");
        let path = dir.path().join("docker.sock");
        let listener = UnixListener::bind(&path).expect("bind the stack view socket");
        let stop = Arc::new(AtomicBool::new(false));
        let (upstream, stack, halt) = (upstream.to_owned(), stack.to_owned(), stop.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let (upstream, stack) = (upstream.clone(), stack.clone());
                thread::spawn(move || serve(client, &upstream, &stack));
            }
        });
        StackView {
            path,
            stop,
            _dir: dir,
        }
    }

    /// `unix:///...`, for `DOCKER_HOST`.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.path.display())
    }
}

impl Drop for StackView {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees `stop`.
        let _ = UnixStream::connect(&self.path);
    }
}

fn serve(client: UnixStream, upstream: &Path, stack: &str) {
    let Ok(mut out) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(client);
    while let Some((method, target, body)) = read_request(&mut reader) {
        let (status, mut answer) = match ask(upstream, &method, &target, &body) {
            Ok(r) => r,
            Err(e) => ("502 Bad Gateway".to_owned(), e.into_bytes()),
        };
        let route = target.split('?').next().unwrap_or("");
        if method == "GET" && status.starts_with("200") {
            if route.ends_with("/services") {
                answer = keep(&answer, |s| in_stack(s, stack));
            } else if route.ends_with("/tasks") {
                let ids = service_ids(upstream, stack);
                answer = keep(&answer, |t| {
                    t["ServiceID"].as_str().is_some_and(|id| ids.contains(id))
                });
            }
        }
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        if out
            .write_all(head.as_bytes())
            .and_then(|()| out.write_all(&answer))
            .is_err()
        {
            return;
        }
    }
}

/// One request: method, target, body. `None` at EOF or on garbage.
fn read_request(reader: &mut BufReader<UnixStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((method, target, body))
}

/// Asks the engine; returns its status ("200 OK") and body.
fn ask(
    upstream: &Path,
    method: &str,
    target: &str,
    body: &[u8],
) -> Result<(String, Vec<u8>), String> {
    let mut engine = UnixStream::connect(upstream).map_err(|e| e.to_string())?;
    let head = format!(
        "{method} {target} HTTP/1.0\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    engine
        .write_all(head.as_bytes())
        .map_err(|e| e.to_string())?;
    engine.write_all(body).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    engine.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_once(' '))
        .map(|(_, s)| s.to_owned())
        .ok_or("no status line")?;
    Ok((status, raw[split + 4..].to_vec()))
}

fn keep(json: &[u8], pred: impl Fn(&Value) -> bool) -> Vec<u8> {
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(json) else {
        return json.to_vec();
    };
    let kept: Vec<Value> = items.into_iter().filter(|v| pred(v)).collect();
    serde_json::to_vec(&kept).expect("re-encode JSON")
}

fn in_stack(service: &Value, stack: &str) -> bool {
    service["Spec"]["Labels"][NAMESPACE].as_str() == Some(stack)
}

fn service_ids(upstream: &Path, stack: &str) -> HashSet<String> {
    let Ok((_, body)) = ask(upstream, "GET", "/services", &[]) else {
        return HashSet::new();
    };
    let services: Vec<Value> = serde_json::from_slice(&body).unwrap_or_default();
    services
        .iter()
        .filter(|s| in_stack(s, stack))
        .filter_map(|s| s["ID"].as_str().map(str::to_owned))
        .collect()
}
