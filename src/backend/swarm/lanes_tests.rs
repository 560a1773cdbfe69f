//! The session limit without ssh: a fake engine on a unix socket counts the connections
//! a limited client opens, and holds streams open for as long as the client reads.

use super::*;
use crate::backend::swarm::transport::Transport;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

/// Answers `{}` to every request, several per connection; a request for a path that
/// starts with `/stream` gets its headers and a first chunk, and the rest never comes.
struct FakeEngine {
    host: String,
    accepted: Arc<AtomicUsize>,
    most_open: Arc<AtomicUsize>,
    _dir: tempfile::TempDir,
}

impl FakeEngine {
    fn start() -> FakeEngine {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("engine.sock");
        let listener = UnixListener::bind(&sock).unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let most_open = Arc::new(AtomicUsize::new(0));
        let (a, o, m) = (accepted.clone(), open.clone(), most_open.clone());
        tokio::spawn(async move {
            while let Ok((s, _)) = listener.accept().await {
                a.fetch_add(1, Ordering::SeqCst);
                let now = o.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(now, Ordering::SeqCst);
                let o = o.clone();
                tokio::spawn(async move {
                    serve(s).await;
                    o.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        FakeEngine {
            host: format!("unix://{}", sock.display()),
            accepted,
            most_open,
            _dir: dir,
        }
    }
}

async fn serve(mut s: UnixStream) {
    let mut buf = Vec::new();
    loop {
        let Some(head) = read_head(&mut s, &mut buf).await else {
            return;
        };
        if head.starts_with("GET /stream") {
            let start = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
            if s.write_all(start.as_bytes()).await.is_err() {
                return;
            }
            // Held until the client closes the connection.
            while matches!(s.read(&mut [0u8; 64]).await, Ok(n) if n > 0) {}
            return;
        }
        let answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        if s.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// One request's head (the client's requests here have no body); `None` once closed.
async fn read_head(s: &mut UnixStream, buf: &mut Vec<u8>) -> Option<String> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end + 4);
            return Some(head);
        }
        let mut chunk = [0u8; 4096];
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[test]
fn each_lane_is_told_apart_by_its_origin() {
    for lane in [Lane::Requests, Lane::Streams] {
        let uri: hyper::Uri = format!("{}/", lane.origin()).parse().unwrap();
        assert_eq!(Lane::of(&uri), lane);
    }
    assert_eq!(
        SSH_SESSIONS, 5,
        "events, a log or stats, an exec, two for requests"
    );
}

/// A whole re-list at once (eight requests) goes through the one session requests
/// have: each waits for the connection to come back to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_limit_wait_and_share_one_connection() {
    let engine = FakeEngine::start();
    let t = Transport::limited(&engine.host, 1, 2, Duration::from_secs(5));
    let all = (0..8).map(|i| {
        let t = t.clone();
        async move { t.get(&format!("/v1.41/list/{i}")).await }
    });
    for r in futures::future::join_all(all).await {
        assert_eq!(r.expect("answered").status, 200);
    }
    assert_eq!(engine.accepted.load(Ordering::SeqCst), 1, "one connection");
}

/// Streams fill their own lane and never the requests' one: with both stream sessions
/// held, a request is still answered, a third stream waits and fails with the reason,
/// and once a stream is dropped a new one gets its session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_never_take_the_session_requests_have() {
    use futures::StreamExt;
    let engine = FakeEngine::start();
    let t = Transport::limited(&engine.host, 1, 2, Duration::from_millis(300));
    let mut first = t.raw_stream("/stream/a").await.expect("first stream");
    let second = t.raw_stream("/stream/b").await.expect("second stream");
    assert!(first.body.next().await.is_some(), "the stream flows");

    let r = t
        .get("/v1.41/services")
        .await
        .expect("a request while streams run");
    assert_eq!(r.status, 200);
    let busy = t
        .raw_stream("/stream/c")
        .await
        .err()
        .expect("no third stream");
    assert!(busy.contains("busy"), "{busy}");
    assert_eq!(
        engine.most_open.load(Ordering::SeqCst),
        3,
        "2 streams, 1 request"
    );

    drop(second);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let third = loop {
        match t.raw_stream("/stream/c").await {
            Ok(s) => break s,
            Err(e) if tokio::time::Instant::now() < deadline => {
                assert!(e.contains("busy"), "{e}");
            }
            Err(e) => panic!("a dropped stream never gave its session back: {e}"),
        }
    };
    assert_eq!(third.status, 200);
    // The streams that waited in vain never connected.
    assert_eq!(
        engine.accepted.load(Ordering::SeqCst),
        4,
        "a, b, the request, c"
    );
    drop((first, third));
}
