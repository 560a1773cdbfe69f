//! One proxied connection: bytes pass unchanged both ways, and the client-to-engine
//! direction also goes through the request parser so that every request is recorded
//! before the engine can see it (and so before the client can see the answer).

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

use super::request_parser::RequestParser;

pub type Requests = Arc<Mutex<Vec<(String, String)>>>;

pub async fn forward(client: UnixStream, upstream: &Path, requests: Requests) {
    // No engine: dropping the client closes it, as a dead engine would.
    let Ok(engine) = UnixStream::connect(upstream).await else {
        return;
    };
    let (mut client_rd, mut client_wr) = client.into_split();
    let (mut engine_rd, mut engine_wr) = engine.into_split();
    let to_engine = async {
        let mut parser = RequestParser::new();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match client_rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let found = parser.feed(&buf[..n]);
            if !found.is_empty() {
                requests
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .extend(found);
            }
            if engine_wr.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        // Pass the half-close on: the engine may still be answering.
        let _ = engine_wr.shutdown().await;
    };
    let to_client = async {
        let _ = tokio::io::copy(&mut engine_rd, &mut client_wr).await;
        let _ = client_wr.shutdown().await;
    };
    tokio::join!(to_engine, to_client);
}
