//! A minimal raw-JSON request to the engine, for read-modify-write of service specs.
//!
//! bollard's typed `ServiceSpec` drops fields it names differently from the engine
//! (the engine sends `Healthcheck`, bollard expects `HealthCheck`), so sending back a
//! spec that went through it would silently delete the service's healthcheck. Specs are
//! therefore fetched and sent back as untyped JSON: every field the engine gave survives.

use super::connect::REQUEST_TIMEOUT;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// One HTTP/1.0 request (the engine closes the connection after answering, so the
/// body is everything until EOF; no chunked decoding needed).
pub(super) async fn request(
    docker_host: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> Result<RawResponse, String> {
    let fut = async {
        if let Some(sock) = docker_host.strip_prefix("unix://") {
            let s = tokio::net::UnixStream::connect(sock)
                .await
                .map_err(|e| format!("cannot reach engine: {e}"))?;
            exchange(s, method, path, body).await
        } else if let Some(addr) = docker_host
            .strip_prefix("tcp://")
            .or_else(|| docker_host.strip_prefix("http://"))
        {
            let s = tokio::net::TcpStream::connect(addr)
                .await
                .map_err(|e| format!("cannot reach engine: {e}"))?;
            exchange(s, method, path, body).await
        } else {
            Err(format!("unsupported DOCKER_HOST for writes: {docker_host}"))
        }
    };
    tokio::time::timeout(REQUEST_TIMEOUT, fut)
        .await
        .map_err(|_| "engine did not answer in time".to_string())?
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> Result<RawResponse, String> {
    let body = body.unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: docker\r\nUser-Agent: labdeck\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    s.write_all(body).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.map_err(|e| e.to_string())?;
    parse_response(&buf)
}

/// Split an HTTP/1.x response into status and body.
pub fn parse_response(buf: &[u8]) -> Result<RawResponse, String> {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("engine sent a malformed response")?;
    let head = String::from_utf8_lossy(&buf[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("engine sent a malformed status line")?;
    Ok(RawResponse {
        status,
        body: buf[split + 4..].to_vec(),
    })
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

    #[test]
    fn parses_status_and_body() {
        let r = parse_response(b"HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"message\":\"service x not found\"}").unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(error_message(&r), "service x not found");
    }

    #[test]
    fn malformed_responses_are_errors_not_panics() {
        assert!(parse_response(b"").is_err());
        assert!(parse_response(b"HTTP/1.0\r\n\r\n").is_err());
        assert!(parse_response(b"garbage without end").is_err());
    }
}
