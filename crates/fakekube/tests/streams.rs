//! Pod logs (tail, timestamps, previous, follow) and exec over WebSocket,
//! running real commands.

mod common;

use std::time::Duration;

use common::{api_error, client, pod};
use fakekube::{FakeKube, Options};
use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams, LogParams};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn logs_tail_timestamps_previous_and_follow() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    fk.apply(&pod("default", "web", json!({}))).unwrap();
    for i in 0..5 {
        fk.log("default", "web", "main", &format!("line {i}"));
    }
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let tail = pods
        .logs(
            "web",
            &LogParams {
                tail_lines: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(tail, "line 3\nline 4\n");
    let ts = pods
        .logs(
            "web",
            &LogParams {
                timestamps: true,
                tail_lines: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (stamp, text) = ts.trim_end().split_once(' ').unwrap();
    assert_eq!(text, "line 4");
    assert!(stamp.parse::<jiff::Timestamp>().is_ok(), "{stamp}");
    let st = api_error(
        pods.logs(
            "web",
            &LogParams {
                previous: true,
                ..Default::default()
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(st.code, 400);
    fk.log_previous("default", "web", "main", "crashed");
    assert_eq!(
        pods.logs(
            "web",
            &LogParams {
                previous: true,
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        "crashed\n"
    );
    let st = api_error(
        pods.logs(
            "web",
            &LogParams {
                container: Some("nope".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(st.message, "container nope is not valid for pod web");

    let stream = pods
        .log_stream(
            "web",
            &LogParams {
                follow: true,
                tail_lines: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut lines = stream.lines();
    let next = async |l: &mut (dyn futures::Stream<Item = std::io::Result<String>> + Unpin)| {
        tokio::time::timeout(Duration::from_secs(3), l.next())
            .await
            .unwrap()
    };
    assert_eq!(next(&mut lines).await.unwrap().unwrap(), "line 4");
    fk.log("default", "web", "main", "pushed later");
    assert_eq!(next(&mut lines).await.unwrap().unwrap(), "pushed later");
    fk.delete("pods", "default", "web").unwrap();
    assert!(next(&mut lines).await.is_none(), "follow ends with the pod");
}

#[tokio::test]
async fn exec_runs_a_real_command() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    fk.apply(&pod("default", "web", json!({}))).unwrap();
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let mut p = pods
        .exec(
            "web",
            ["sh", "-c", "echo hi; echo oops >&2; exit 3"],
            &AttachParams::default().stderr(true),
        )
        .await
        .unwrap();
    let mut out = String::new();
    p.stdout().unwrap().read_to_string(&mut out).await.unwrap();
    let mut err = String::new();
    p.stderr().unwrap().read_to_string(&mut err).await.unwrap();
    assert_eq!(out, "hi\n");
    assert_eq!(err, "oops\n");
    let status = p.take_status().unwrap().await.unwrap();
    assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
    p.join().await.unwrap();

    let ok = pods
        .exec(
            "web",
            ["sh", "-c", "echo hi"],
            &AttachParams::default().stderr(false),
        )
        .await
        .unwrap();
    let mut ok = ok;
    let mut out = String::new();
    ok.stdout().unwrap().read_to_string(&mut out).await.unwrap();
    assert_eq!(out, "hi\n");
    assert_eq!(
        ok.take_status().unwrap().await.unwrap().status.as_deref(),
        Some("Success")
    );

    // A shell in a pty, typed into.
    let mut sh = pods
        .exec("web", ["sh"], &AttachParams::interactive_tty())
        .await
        .unwrap();
    let mut stdin = sh.stdin().unwrap();
    let mut stdout = sh.stdout().unwrap();
    stdin.write_all(b"echo $((40+2))\nexit\n").await.unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    while !seen.contains("42\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), stdout.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "output ended before the answer: {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let status = tokio::time::timeout(Duration::from_secs(5), sh.take_status().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.status.as_deref(), Some("Success"));
}
