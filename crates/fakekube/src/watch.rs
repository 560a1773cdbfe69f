//! Watches: newline-delimited JSON events, one chunk each, from a starting
//! revision; bookmarks when allowed; 410 as an ERROR event when the start is
//! older than the kept history; closed after `timeoutSeconds`.

use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::api::{Ctx, selectors};
use crate::respond::{self, Resp};
use crate::selectors::{FieldSelector, LabelSelector};
use crate::status::ApiError;
use crate::store::{EventType, Key};
use crate::{lock, resources};

struct Filter {
    label: LabelSelector,
    field: FieldSelector,
    ns: Option<String>,
}

impl Filter {
    fn matches(&self, key: &Key, obj: &Value) -> bool {
        self.ns.as_ref().is_none_or(|n| *n == key.0)
            && self.label.matches_object(obj)
            && self.field.matches(obj)
    }
}

fn line(ty: &str, object: Value) -> Bytes {
    let mut b = serde_json::to_vec(&json!({"type": ty, "object": object})).unwrap_or_default();
    b.push(b'\n');
    Bytes::from(b)
}

fn expired(from: u64, oldest: u64) -> Bytes {
    let e = ApiError::expired(format!("too old resource version: {from} ({oldest})"));
    line("ERROR", e.to_status())
}

pub async fn serve(ctx: &Ctx) -> Resp {
    let (label, mut field) = match selectors(ctx) {
        Ok(s) => s,
        Err(e) => return respond::error(&e),
    };
    if !ctx.info.name.is_empty() {
        // GET .../pods/NAME?watch=1 watches one object.
        match FieldSelector::parse(&format!("metadata.name={}", ctx.info.name), ctx.def) {
            Ok(f) => field = f,
            Err(e) => return respond::error(&ApiError::bad_request(e)),
        }
    }
    let filter = Filter {
        label,
        field,
        ns: (ctx.def.namespaced && !ctx.info.namespace.is_empty())
            .then(|| ctx.info.namespace.clone()),
    };
    let rv_param = ctx
        .query
        .get("resourceVersion")
        .unwrap_or_default()
        .to_string();
    let start: Option<u64> = if rv_param.is_empty() || rv_param == "0" {
        None
    } else {
        match rv_param.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                return respond::error(&ApiError::new(
                    422,
                    "Invalid",
                    format!(
                        "resourceVersion: Invalid value: \"{rv_param}\": must be a valid resource version"
                    ),
                ));
            }
        }
    };
    let send_initial = ctx.query.flag("sendInitialEvents");
    let bookmarks = ctx.query.flag("allowWatchBookmarks");
    let timeout = ctx
        .query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .filter(|t| *t > 0)
        .map(Duration::from_secs);
    let (tx, resp) = respond::streamed("application/json");
    let w = Watch {
        shared: ctx.shared.clone(),
        def: ctx.def,
        // As api::present, but owned by the watch task.
        present: {
            let meta_only = ctx.meta_only;
            let api_version = ctx.def.api_version();
            Box::new(move |mut v: Value| {
                if meta_only {
                    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": v["metadata"].take()})
                } else {
                    v["apiVersion"] = json!(api_version);
                    v
                }
            })
        },
        filter,
        tx,
    };
    let cancel = ctx.cancel.clone();
    ctx.tracker.spawn(async move {
        tokio::select! {
            _ = cancel.cancelled() => {}
            _ = w.run(start, send_initial, bookmarks, timeout) => {}
        }
    });
    resp
}

struct Watch {
    shared: std::sync::Arc<crate::Shared>,
    def: &'static resources::ResourceDef,
    present: Box<dyn Fn(Value) -> Value + Send + Sync>,
    filter: Filter,
    tx: mpsc::Sender<Bytes>,
}

impl Watch {
    async fn send(&self, lines: Vec<Bytes>) -> bool {
        for l in lines {
            if self.tx.send(l).await.is_err() {
                return false;
            }
        }
        true
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let mut meta = json!({"resourceVersion": rv.to_string(), "creationTimestamp": null});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        line(
            "BOOKMARK",
            json!({"kind": self.def.kind, "apiVersion": self.def.api_version(), "metadata": meta}),
        )
    }

    async fn run(
        self,
        start: Option<u64>,
        send_initial: bool,
        bookmarks: bool,
        timeout: Option<Duration>,
    ) {
        let bucket = resources::storage_key(self.def);
        let begun = {
            let s = lock(&self.shared.store);
            let changes = s.subscribe();
            match start {
                Some(n) if n < s.compacted() => Err(expired(n, s.compacted())),
                Some(n) if !send_initial => Ok((changes, n, Vec::new())),
                _ => {
                    // No revision (or initial events asked for): the current
                    // state as ADDED events, then changes from now.
                    let ns = self.filter.ns.as_deref();
                    let initial: Vec<Bytes> = s
                        .iter(self.def, ns)
                        .filter(|v| {
                            let key = (
                                crate::store::namespace_of(v).to_string(),
                                crate::store::name_of(v).to_string(),
                            );
                            self.filter.matches(&key, v)
                        })
                        .map(|v| line("ADDED", (self.present)(v.clone())))
                        .collect();
                    Ok((changes, s.rv(), initial))
                }
            }
        };
        let (mut changes, mut last, initial) = match begun {
            Ok(b) => b,
            Err(gone) => {
                let _ = self.send(vec![gone]).await;
                return;
            }
        };
        if !self.send(initial).await {
            return;
        }
        if send_initial && bookmarks && !self.send(vec![self.bookmark(last, true)]).await {
            return;
        }
        // Changes between the requested revision and now were made before
        // this watch subscribed: replay them first.
        let Some(lines) = self.pending(&mut last, bucket) else {
            return;
        };
        if !self.send(lines).await {
            return;
        }
        let deadline = async {
            match timeout {
                Some(t) => tokio::time::sleep(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(deadline);
        let interval = self.shared.opts.bookmark_interval;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                _ = self.tx.closed() => return,
                _ = tick.tick(), if bookmarks => {
                    let Some(lines) = self.pending(&mut last, bucket) else { return };
                    let mut lines = lines;
                    lines.push(self.bookmark(last, false));
                    if !self.send(lines).await { return }
                }
                r = changes.changed() => {
                    if r.is_err() { return }
                    let Some(lines) = self.pending(&mut last, bucket) else {
                        return;
                    };
                    if !self.send(lines).await { return }
                }
            }
        }
    }

    /// The events after `last` that this watch shows, advancing `last` to
    /// the store's revision. None once an ERROR line was queued to end it.
    fn pending(&self, last: &mut u64, bucket: (&str, &str)) -> Option<Vec<Bytes>> {
        let s = lock(&self.shared.store);
        let Some(events) = s.events_after(*last) else {
            let oldest = s.compacted();
            let _ = self.tx.try_send(expired(*last, oldest));
            return None;
        };
        let mut out = Vec::new();
        for e in events {
            if e.bucket != bucket {
                continue;
            }
            let now = match e.kind {
                EventType::Deleted => false,
                _ => self.filter.matches(&e.key, &e.object),
            };
            let before = e
                .old
                .as_ref()
                .is_some_and(|o| self.filter.matches(&e.key, o));
            // An object entering or leaving the selected set is ADDED or
            // DELETED for this watch, as the API server reports it.
            let ty = match (e.kind, before, now) {
                (EventType::Deleted, true, _) => "DELETED",
                (_, false, true) => "ADDED",
                (_, true, true) => "MODIFIED",
                (_, true, false) => "DELETED",
                _ => continue,
            };
            out.push(line(ty, (self.present)(e.object.clone())));
        }
        *last = s.rv();
        Some(out)
    }
}
