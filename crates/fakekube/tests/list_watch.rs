//! Lists, pagination, watches, bookmarks and 410 Gone, through kube itself.

mod common;

use std::time::Duration;

use common::{api_error, client, pod};
use fakekube::{FakeKube, Options};
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::ResourceExt;
use kube::api::{Api, ListParams, WatchEvent, WatchParams};
use kube::runtime::watcher::{self, Event};
use serde_json::json;

#[tokio::test]
async fn pages_keep_their_snapshot() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    for i in 0..7 {
        fk.apply(&pod("web", &format!("p{i}"), json!({"app": "web"})))
            .unwrap();
    }
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "web");
    let first = pods.list(&ListParams::default().limit(3)).await.unwrap();
    assert_eq!(first.items.len(), 3);
    assert_eq!(first.metadata.remaining_item_count, Some(4));
    let token = first.metadata.continue_.clone().expect("a continue token");
    // A change after the first page must not show in later pages.
    fk.apply(&pod("web", "p99", json!({}))).unwrap();
    fk.delete("pods", "web", "p5").unwrap();
    let mut names: Vec<String> = first
        .items
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    let mut next = Some(token);
    while let Some(tok) = next {
        let page = pods
            .list(&ListParams::default().limit(3).continue_token(&tok))
            .await
            .unwrap();
        assert_eq!(
            page.metadata.resource_version,
            first.metadata.resource_version
        );
        names.extend(page.items.iter().map(|p| p.metadata.name.clone().unwrap()));
        next = page.metadata.continue_.clone();
    }
    assert_eq!(names, (0..7).map(|i| format!("p{i}")).collect::<Vec<_>>());
    // A fresh list sees the changes; the selector filters.
    let now = pods
        .list(&ListParams::default().labels("app=web"))
        .await
        .unwrap();
    assert_eq!(now.items.len(), 6);
    // After compaction the old continue token is gone.
    let again = pods.list(&ListParams::default().limit(2)).await.unwrap();
    fk.apply(&pod("web", "p100", json!({}))).unwrap();
    fk.compact();
    let err = pods
        .list(
            &ListParams::default()
                .limit(2)
                .continue_token(again.metadata.continue_.as_deref().unwrap()),
        )
        .await
        .unwrap_err();
    let st = api_error(err);
    assert_eq!((st.code, st.reason.as_str()), (410, "Expired"));
}

#[tokio::test]
async fn tls_and_all_namespaces() {
    let fk = FakeKube::start(Options::default().tls(true)).await.unwrap();
    assert!(fk.url().starts_with("https://"));
    fk.apply(&pod("a", "x", json!({}))).unwrap();
    fk.apply(&pod("b", "y", json!({}))).unwrap();
    let c = client(&fk, "admin").await;
    let all: Api<Pod> = Api::all(c.clone());
    let names: Vec<_> = all
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.metadata.name.unwrap())
        .collect();
    assert_eq!(names, ["x", "y"]);
    let ns: Api<Namespace> = Api::all(c);
    assert!(
        ns.get("default")
            .await
            .unwrap()
            .status
            .unwrap()
            .phase
            .as_deref()
            == Some("Active")
    );
}

#[tokio::test]
async fn watcher_sees_changes_and_relists_after_410() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    fk.apply(&pod("default", "a", json!({}))).unwrap();
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let mut events = watcher::watcher(pods, watcher::Config::default()).boxed();
    let fk2 = &fk;
    let mut next = async || {
        let e = tokio::time::timeout(Duration::from_secs(5), events.try_next()).await;
        let e = e.unwrap_or_else(|_| panic!("no event; requests: {:#?}", fk2.requests()));
        e.unwrap().unwrap()
    };
    assert!(matches!(next().await, Event::Init));
    assert!(matches!(next().await, Event::InitApply(p) if p.metadata.name.as_deref() == Some("a")));
    assert!(matches!(next().await, Event::InitDone));
    fk.apply(&pod("default", "b", json!({}))).unwrap();
    assert!(matches!(next().await, Event::Apply(p) if p.metadata.name.as_deref() == Some("b")));
    fk.modify("pods", "default", "a", |p| {
        p["metadata"]["labels"] = json!({"x": "1"})
    })
    .unwrap();
    assert!(matches!(next().await, Event::Apply(p) if p.labels().get("x").is_some()));
    fk.delete("pods", "default", "b").unwrap();
    assert!(matches!(next().await, Event::Delete(p) if p.metadata.name.as_deref() == Some("b")));

    // The server dies; history is compacted meanwhile; the watcher's
    // resumed watch gets 410 and it lists again.
    fk.stop().await;
    fk.apply(&pod("default", "c", json!({}))).unwrap();
    fk.compact();
    fk.clear_requests();
    fk.start_again().await.unwrap();
    let mut seen_init = false;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .unwrap()
            .unwrap()
        {
            Ok(Event::Init) => seen_init = true,
            Ok(Event::InitApply(p)) if p.metadata.name.as_deref() == Some("c") => {
                assert!(seen_init);
                break;
            }
            _ => {}
        }
    }
    let reqs = fk.requests();
    let watch_then_list = reqs.iter().position(|r| r.verb == "watch").unwrap()
        < reqs.iter().rposition(|r| r.verb == "list").unwrap();
    assert!(watch_then_list, "{reqs:?}");
}

#[tokio::test]
async fn raw_watch_gone_and_bookmarks() {
    let fk = FakeKube::start(Options::default().bookmark_interval(Duration::from_millis(100)))
        .await
        .unwrap();
    fk.apply(&pod("default", "a", json!({}))).unwrap();
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let rv = pods
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut s = pods
        .watch(&WatchParams::default(), &rv)
        .await
        .unwrap()
        .boxed();
    fk.apply(&pod("default", "b", json!({}))).unwrap();
    let mut got_added = false;
    let mut got_bookmark = false;
    while !(got_added && got_bookmark) {
        match tokio::time::timeout(Duration::from_secs(3), s.try_next())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
        {
            WatchEvent::Added(p) => {
                assert_eq!(p.metadata.name.as_deref(), Some("b"));
                got_added = true;
            }
            WatchEvent::Bookmark(b) => {
                assert!(
                    b.metadata.resource_version.parse::<u64>().unwrap()
                        >= rv.parse::<u64>().unwrap()
                );
                got_bookmark = true;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    fk.compact();
    fk.apply(&pod("default", "c", json!({}))).unwrap();
    let mut s = pods
        .watch(&WatchParams::default(), &rv)
        .await
        .unwrap()
        .boxed();
    match s.try_next().await.unwrap().unwrap() {
        WatchEvent::Error(e) => assert_eq!((e.code, e.reason.as_str()), (410, "Expired")),
        other => panic!("expected 410, got {other:?}"),
    }
    assert!(
        s.try_next().await.unwrap().is_none(),
        "the stream closes after the error"
    );
    let err = pods
        .list(
            &ListParams::default()
                .at(&rv)
                .matching(kube::api::VersionMatch::Exact),
        )
        .await
        .unwrap_err();
    assert_eq!(api_error(err).code, 410);
}

#[tokio::test]
async fn stop_breaks_watches_and_hang_answers_nothing() {
    let fk = FakeKube::start(Options::default()).await.unwrap();
    let pods: Api<Pod> = Api::namespaced(client(&fk, "admin").await, "default");
    let mut s = pods
        .watch(&WatchParams::default().timeout(290), "0")
        .await
        .unwrap()
        .boxed();
    fk.stop().await;
    let end = tokio::time::timeout(Duration::from_secs(3), s.next())
        .await
        .expect("stream ends when the server stops");
    assert!(matches!(end, None | Some(Err(_))));
    fk.start_again().await.unwrap();
    assert!(pods.list(&ListParams::default()).await.is_ok());
    fk.hang(true);
    let c = client(&fk, "admin").await;
    let r = tokio::time::timeout(
        Duration::from_millis(500),
        Api::<Pod>::all(c).list(&ListParams::default()),
    )
    .await;
    assert!(r.is_err(), "a hanging server answers nothing");
    fk.hang(false);
}
