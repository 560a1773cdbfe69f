//! Port-forwards over WebSocket through kube's own client, into real TCP
//! servers a test maps to pods' ports.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{api_error, client, pod};
use fakekube::{FakeKube, Options};
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(5);

/// A TCP server on 127.0.0.1 that answers every read with `tag` and the
/// bytes read, and reports each connection's end (EOF from the other side).
async fn echo(tag: &'static str) -> (SocketAddr, mpsc::UnboundedReceiver<()>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let (ended, ends) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let ended = ended.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = s.read(&mut buf).await {
                    let mut reply = tag.as_bytes().to_vec();
                    reply.extend_from_slice(&buf[..n]);
                    if s.write_all(&reply).await.is_err() {
                        break;
                    }
                }
                let _ = ended.send(());
            });
        }
    });
    (addr, ends)
}

async fn read_exactly(r: &mut (impl AsyncRead + Unpin), n: usize) -> String {
    let mut buf = vec![0u8; n];
    tokio::time::timeout(WAIT, r.read_exact(&mut buf))
        .await
        .expect("no answer in time")
        .unwrap();
    String::from_utf8(buf).unwrap()
}

async fn start() -> (FakeKube, Api<Pod>) {
    let fk = FakeKube::start(Options::default().view_only("viewer"))
        .await
        .unwrap();
    fk.apply(&pod("default", "web", json!({}))).unwrap();
    let pods = Api::namespaced(client(&fk, "admin").await, "default");
    (fk, pods)
}

#[tokio::test]
async fn bytes_go_both_ways_and_closing_the_socket_closes_the_connection() {
    let (fk, pods) = start().await;
    let (addr, mut ends) = echo("").await;
    fk.map_pod_port("default", "web", 8080, addr);
    let mut pf = pods.portforward("web", &[8080]).await.unwrap();
    let mut s = pf.take_stream(8080).unwrap();
    s.write_all(b"hello").await.unwrap();
    assert_eq!(read_exactly(&mut s, 5).await, "hello");
    s.write_all(b" again").await.unwrap();
    assert_eq!(read_exactly(&mut s, 6).await, " again");

    // The client lets go of its only port: the WebSocket closes, and with it
    // the pod's TCP connection.
    drop(s);
    let errors = pf.take_error(8080).unwrap();
    tokio::time::timeout(WAIT, pf.join())
        .await
        .expect("the forward ends")
        .unwrap();
    assert_eq!(errors.await, None, "no error on a clean close");
    tokio::time::timeout(WAIT, ends.recv())
        .await
        .expect("the pod's connection closed")
        .unwrap();

    let r = fk
        .requests()
        .into_iter()
        .find(|r| r.subresource == "portforward")
        .expect("the port-forward is in the request log");
    assert_eq!(r.path, "/api/v1/namespaces/default/pods/web/portforward");
    assert_eq!(r.query, "&ports=8080");
    assert_eq!(r.user.as_deref(), Some("admin"));
    assert!(!r.is_read_only(), "a port-forward needs create: {r:?}");
}

#[tokio::test]
async fn the_pod_closing_its_port_ends_the_stream() {
    let (fk, pods) = start().await;
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    fk.map_pod_port("default", "web", 9000, l.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        s.write_all(b"bye").await.unwrap();
    });
    let mut pf = pods.portforward("web", &[9000]).await.unwrap();
    let mut s = pf.take_stream(9000).unwrap();
    let mut got = String::new();
    tokio::time::timeout(WAIT, s.read_to_string(&mut got))
        .await
        .expect("the stream ends")
        .unwrap();
    assert_eq!(got, "bye");
}

#[tokio::test]
async fn two_ports_on_one_connection_stay_apart() {
    let (fk, pods) = start().await;
    let (a, _) = echo("a:").await;
    let (b, _) = echo("b:").await;
    fk.map_pod_port("default", "web", 80, a);
    fk.map_pod_port("default", "web", 443, b);
    let mut pf = pods.portforward("web", &[443, 80]).await.unwrap();
    let mut s80 = pf.take_stream(80).unwrap();
    let mut s443 = pf.take_stream(443).unwrap();
    s80.write_all(b"x").await.unwrap();
    s443.write_all(b"y").await.unwrap();
    assert_eq!(read_exactly(&mut s443, 3).await, "b:y");
    assert_eq!(read_exactly(&mut s80, 3).await, "a:x");
}

#[tokio::test]
async fn an_unmapped_port_is_refused_on_its_error_channel() {
    let (fk, pods) = start().await;
    let (addr, _) = echo("").await;
    fk.map_pod_port("default", "web", 80, addr);
    let uid = fk.get("pods", "default", "web").unwrap()["metadata"]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let mut pf = pods.portforward("web", &[8080, 80]).await.unwrap();
    let error = tokio::time::timeout(WAIT, pf.take_error(8080).unwrap())
        .await
        .expect("an error in time")
        .expect("an error message");
    let sandbox = uid.replace('-', "").repeat(2);
    assert_eq!(
        error,
        format!(
            "error forwarding port 8080 to pod {sandbox}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{uid}\": failed to connect to localhost:8080 inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:8080: connect: connection refused IPv6 dial tcp6 [::1]:8080: connect: connection refused "
        )
    );
    // The other port on the same connection still forwards.
    let mut s = pf.take_stream(80).unwrap();
    s.write_all(b"still here").await.unwrap();
    assert_eq!(read_exactly(&mut s, 10).await, "still here");

    // Alone, a refused port ends the connection: its stream reads EOF.
    let mut pf = pods.portforward("web", &[8080]).await.unwrap();
    let mut s = pf.take_stream(8080).unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut rest))
        .await
        .expect("the stream ends")
        .unwrap();
    assert!(rest.is_empty());
    let error = pf.take_error(8080).unwrap().await.unwrap();
    assert!(error.ends_with("connect: connection refused "), "{error}");
}

#[tokio::test]
async fn refusals_before_the_upgrade() {
    let (fk, pods) = start().await;
    let st = api_error(pods.portforward("nope", &[80]).await.err().unwrap());
    assert_eq!((st.code, st.reason.as_str()), (404, "NotFound"));
    assert_eq!(st.message, "pods \"nope\" not found");

    let viewer: Api<Pod> = Api::namespaced(client(&fk, "viewer").await, "default");
    let st = api_error(viewer.portforward("web", &[80]).await.err().unwrap());
    assert_eq!((st.code, st.reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        st.message,
        "pods \"web\" is forbidden: User \"viewer\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"default\""
    );

    // A finished pod has no sandbox left: the kubelet cannot find it.
    fk.modify("pods", "default", "web", |p| {
        p["status"]["phase"] = json!("Succeeded")
    })
    .unwrap();
    let st = api_error(pods.portforward("web", &[80]).await.err().unwrap());
    assert_eq!(st.code, 500);
    assert_eq!(st.message, "pod not found (\"web_default\")");
}

#[tokio::test]
async fn a_stopping_server_breaks_open_forwards() {
    let (fk, pods) = start().await;
    let (addr, mut ends) = echo("").await;
    fk.map_pod_port("default", "web", 8080, addr);
    let mut pf = pods.portforward("web", &[8080]).await.unwrap();
    let mut s = pf.take_stream(8080).unwrap();
    s.write_all(b"ping").await.unwrap();
    assert_eq!(read_exactly(&mut s, 4).await, "ping");
    tokio::time::timeout(WAIT, fk.stop())
        .await
        .expect("stop waits for no forward");
    tokio::time::timeout(WAIT, ends.recv())
        .await
        .expect("the pod's connection closed")
        .unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut rest))
        .await
        .expect("the client's stream ends")
        .ok();
}
