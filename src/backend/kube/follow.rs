//! One kind's watch on one cluster: `kube::runtime::watcher` (a paginated list, then a
//! watch from its resourceVersion; 410 Gone relists; errors back off and retry),
//! converted at the door. A relist replaces the kind's objects whole once it is done,
//! so what was deleted while the server was away goes too.

use super::data::{ClusterData, Map};
use super::kinds::{Kind, KindState};
use crate::core::text::SafeText;
use futures::StreamExt;
use kube::Api;
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Objects per page of a list: 10,000 pods come in 20 requests, never one huge body.
const PAGE: u32 = 500;

/// The cluster's data, shared by its kinds' watches and its publisher.
#[derive(Default)]
pub struct Shared {
    pub data: Mutex<ClusterData>,
    pub news: Notify,
    /// A watch failed: the prober starts asking whether the server is back.
    pub trouble: Notify,
}

impl Shared {
    /// Change the data and wake the publisher.
    pub fn update(&self, f: impl FnOnce(&mut ClusterData)) {
        self.update_if(|d| {
            f(d);
            true
        });
    }

    /// Change the data if `f` says it changed anything; only then wake the publisher.
    pub fn update_if(&self, f: impl FnOnce(&mut ClusterData) -> bool) {
        if f(&mut self.data.lock().unwrap_or_else(|p| p.into_inner())) {
            self.news.notify_one();
        }
    }
}

/// Where one watch keeps its objects: the kind's map, and the prefix of the keys this
/// watch owns in it (a kind's keys, a namespace's) so a relist replaces only those.
pub struct Slot<T> {
    pub kind: Kind,
    pub map: fn(&mut ClusterData) -> &mut Map<T>,
    pub prefix: String,
}

/// Follow `api` until the task is dropped, keeping `slot` up to date.
pub async fn follow<K, T>(
    api: Api<K>,
    slot: Slot<T>,
    convert: impl Fn(&K) -> T,
    key: impl Fn(&T) -> String,
    shared: Arc<Shared>,
) where
    K: kube::Resource + Clone + DeserializeOwned + Debug + Send + 'static,
    T: Clone + PartialEq,
{
    let config = watcher::Config::default().page_size(PAGE);
    let mut stream = watcher::watcher(api, config).default_backoff().boxed();
    // A relist gathers its objects in a vector, then builds the map in one go: a map
    // built from sorted entries has full nodes, one filled by inserts in order has
    // half-empty ones (twice the memory at 10,000 pods).
    let mut relist: Option<Vec<(String, T)>> = None;
    while let Some(event) = stream.next().await {
        match event {
            Ok(Event::Init) => relist = Some(Vec::new()),
            Ok(Event::InitApply(o)) => {
                let t = convert(&o);
                relist.get_or_insert_default().push((key(&t), t));
            }
            Ok(Event::InitDone) => {
                let fresh: BTreeMap<String, T> =
                    relist.take().unwrap_or_default().into_iter().collect();
                shared.update(|d| {
                    let map = Arc::make_mut((slot.map)(d));
                    map.retain(|k, _| !k.starts_with(&slot.prefix));
                    if map.is_empty() {
                        // The first list (the common case): taken as it is, not copied
                        // entry by entry into a new tree.
                        *map = fresh;
                    } else {
                        map.extend(fresh);
                    }
                    d.kinds.insert(slot.kind, KindState::Live);
                });
            }
            Ok(Event::Apply(o)) => {
                let t = convert(&o);
                let k = key(&t);
                shared.update_if(|d| {
                    // Most updates on a real cluster change what no view shows (status
                    // heartbeats, annotations, resourceVersion): the object as labdeck
                    // keeps it is the same, and copying the map, publishing and
                    // rebuilding every row for it would cost a busy cluster's CPU.
                    let live = d.kinds.get(&slot.kind) == Some(&KindState::Live);
                    if live && (slot.map)(d).get(&k) == Some(&t) {
                        return false;
                    }
                    Arc::make_mut((slot.map)(d)).insert(k, t);
                    d.kinds.insert(slot.kind, KindState::Live);
                    true
                });
            }
            Ok(Event::Delete(o)) => {
                let k = key(&convert(&o));
                shared.update(|d| {
                    Arc::make_mut((slot.map)(d)).remove(&k);
                });
            }
            Err(e) => {
                let state = classify(&e);
                tracing::debug!(kind = slot.kind.plural(), error = %e, "watch error");
                shared.update(|d| {
                    d.kinds.insert(slot.kind, state);
                });
                shared.trouble.notify_one();
            }
        }
    }
}

/// A 403 is the credentials' limit, said in the kind's view; anything else is the
/// cluster's trouble (server down, timeouts), retried.
fn classify(e: &watcher::Error) -> KindState {
    let inner = match e {
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => Some(e),
        _ => None,
    };
    match inner {
        Some(kube::Error::Api(s)) if s.code == 403 => {
            KindState::Forbidden(SafeText::new(&s.message))
        }
        Some(kube::Error::Api(s)) => {
            KindState::Failed(SafeText::new(&format!("{} ({})", s.message, s.code)))
        }
        Some(other) => KindState::Failed(SafeText::new(&reason(other))),
        None => KindState::Failed(SafeText::new(&e.to_string())),
    }
}

/// The innermost cause of a client error ("Connection refused"), which says more than
/// the wrappers around it.
pub fn reason(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        last = s.to_string();
        cur = s.source();
    }
    last
}
