//! The object store: one revision counter for everything, as etcd's, and a
//! history of changes that watches replay and that `compact` forgets.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::resources::{self, ResourceDef};
use crate::status::ApiError;

pub type Key = (String, String);
type Bucket = (&'static str, &'static str);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change. `old` is kept so that a list at an older revision can be
/// rebuilt and a selector watch can tell an object leaving its set.
#[derive(Debug)]
pub struct Event {
    pub rv: u64,
    pub bucket: Bucket,
    pub key: Key,
    pub kind: EventType,
    pub object: Value,
    pub old: Option<Value>,
}

/// Which part of an object a write may change: the main resource keeps the
/// status of kinds with a status subresource, `/status` keeps the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Whole,
    Main,
    Status,
}

pub struct Store {
    rv: u64,
    compacted: u64,
    buckets: HashMap<Bucket, BTreeMap<Key, Value>>,
    history: VecDeque<Arc<Event>>,
    max_history: usize,
    changed: watch::Sender<u64>,
}

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn new_uid() -> String {
    let h = |n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap_or('0'))
            .collect()
    };
    format!("{}-{}-4{}-a{}-{}", h(8), h(4), h(3), h(3), h(12))
}

/// The random suffix `generateName` gets: the API server's alphabet without
/// vowels and look-alike digits.
pub fn name_suffix(n: usize) -> String {
    const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..n)
        .map(|_| ALPHA[fastrand::usize(..ALPHA.len())] as char)
        .collect()
}

pub fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub fn namespace_of(obj: &Value) -> &str {
    obj.pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

impl Store {
    pub fn new(max_history: usize) -> Self {
        let (changed, _) = watch::channel(0);
        let mut s = Store {
            rv: 0,
            compacted: 0,
            buckets: HashMap::new(),
            history: VecDeque::new(),
            max_history,
            changed,
        };
        // The namespaces every cluster starts with.
        let ns = resources::by_name("namespaces").expect("namespaces in table");
        for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let _ = s.create(ns, "", json!({"metadata": {"name": name}}));
        }
        s
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub fn rv(&self) -> u64 {
        self.rv
    }

    pub fn compacted(&self) -> u64 {
        self.compacted
    }

    /// Forgets all history: lists and watches from an older revision get 410.
    pub fn compact(&mut self) {
        self.history.clear();
        self.compacted = self.rv;
    }

    pub fn get(&self, d: &ResourceDef, ns: &str, name: &str) -> Option<&Value> {
        self.buckets
            .get(&resources::storage_key(d))?
            .get(&(ns.to_string(), name.to_string()))
    }

    /// Current objects of a kind, optionally in one namespace, in key order.
    pub fn iter<'a>(
        &'a self,
        d: &ResourceDef,
        ns: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Value> + 'a {
        self.buckets
            .get(&resources::storage_key(d))
            .into_iter()
            .flat_map(|b| b.iter())
            .filter(move |(k, _)| ns.is_none_or(|n| k.0 == n))
            .map(|(_, v)| v)
    }

    fn commit(
        &mut self,
        bucket: Bucket,
        key: Key,
        kind: EventType,
        object: Value,
        old: Option<Value>,
    ) {
        let ev = Arc::new(Event {
            rv: self.rv,
            bucket,
            key,
            kind,
            object,
            old,
        });
        self.history.push_back(ev);
        while self.history.len() > self.max_history {
            if let Some(e) = self.history.pop_front() {
                self.compacted = e.rv;
            }
        }
        self.changed.send_replace(self.rv);
    }

    pub fn create(
        &mut self,
        d: &'static ResourceDef,
        ns: &str,
        mut obj: Value,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the body of the request was not a JSON object",
            ));
        }
        let ns = if d.namespaced {
            let from_obj = namespace_of(&obj).to_string();
            let ns = if ns.is_empty() {
                from_obj.clone()
            } else {
                ns.to_string()
            };
            if !from_obj.is_empty() && from_obj != ns {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            if ns.is_empty() {
                return Err(ApiError::bad_request(
                    "the server could not find the requested resource",
                ));
            }
            ns
        } else {
            String::new()
        };
        let mut name = name_of(&obj).to_string();
        if name.is_empty() {
            match obj
                .pointer("/metadata/generateName")
                .and_then(Value::as_str)
            {
                Some(prefix) if !prefix.is_empty() => name = format!("{prefix}{}", name_suffix(5)),
                _ => {
                    return Err(ApiError::invalid(
                        d,
                        "",
                        "metadata.name: Required value: name or generateName is required",
                    ));
                }
            }
        }
        if d.namespaced {
            let nsdef = resources::by_name("namespaces").expect("namespaces in table");
            if self.get(nsdef, "", &ns).is_none() {
                return Err(ApiError::not_found(nsdef, &ns));
            }
        }
        let key = (ns.clone(), name.clone());
        let bucket = resources::storage_key(d);
        if self
            .buckets
            .get(&bucket)
            .is_some_and(|b| b.contains_key(&key))
        {
            return Err(ApiError::already_exists(d, &name));
        }
        self.rv += 1;
        obj["apiVersion"] = json!(d.api_version());
        obj["kind"] = json!(d.kind);
        let meta = meta_mut(&mut obj);
        meta.insert("name".into(), json!(name));
        if d.namespaced {
            meta.insert("namespace".into(), json!(ns));
        } else {
            meta.remove("namespace");
        }
        meta.insert("uid".into(), json!(new_uid()));
        meta.insert("resourceVersion".into(), json!(self.rv.to_string()));
        meta.entry("creationTimestamp")
            .or_insert_with(|| json!(now_rfc3339()));
        if d.has_generation() {
            meta.insert("generation".into(), json!(1));
        }
        meta.remove("deletionTimestamp");
        default_status(d, &mut obj);
        self.buckets
            .entry(bucket)
            .or_default()
            .insert(key.clone(), obj.clone());
        self.commit(bucket, key, EventType::Added, obj.clone(), None);
        Ok(obj)
    }

    /// Replaces an object. `expect_rv` set means the write must be based on
    /// that revision (optimistic concurrency, as a PUT with resourceVersion).
    pub fn update(
        &mut self,
        d: &'static ResourceDef,
        ns: &str,
        name: &str,
        mut obj: Value,
        part: Part,
    ) -> Result<Value, ApiError> {
        let bucket = resources::storage_key(d);
        let key = (ns.to_string(), name.to_string());
        let Some(old) = self.buckets.get(&bucket).and_then(|b| b.get(&key)).cloned() else {
            return Err(ApiError::not_found(d, name));
        };
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the body of the request was not a JSON object",
            ));
        }
        let body_name = name_of(&obj);
        if !body_name.is_empty() && body_name != name {
            return Err(ApiError::bad_request(
                "the name of the object does not match the name on the URL",
            ));
        }
        if let Some(rv) = obj
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            && !rv.is_empty()
            && Some(rv)
                != old
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
        {
            return Err(ApiError::conflict(d, name));
        }
        match part {
            Part::Whole => {}
            Part::Main if d.has_status() => {
                set_or_remove(&mut obj, "status", old.get("status"));
            }
            Part::Main => {}
            Part::Status => {
                let status = obj.get("status").cloned();
                let meta_labels = obj.pointer("/metadata/labels").cloned();
                let meta_ann = obj.pointer("/metadata/annotations").cloned();
                obj = old.clone();
                set_or_remove(&mut obj, "status", status.as_ref());
                let meta = meta_mut(&mut obj);
                // Status writes may still touch labels and annotations.
                for (k, v) in [("labels", meta_labels), ("annotations", meta_ann)] {
                    match v {
                        Some(v) => meta.insert(k.into(), v),
                        None => meta.remove(k),
                    };
                }
            }
        }
        obj["apiVersion"] = json!(d.api_version());
        obj["kind"] = json!(d.kind);
        // Identity fields are the server's, whatever the body says.
        {
            let old_meta = old["metadata"].as_object().cloned().unwrap_or_default();
            let meta = meta_mut(&mut obj);
            for k in [
                "name",
                "namespace",
                "uid",
                "creationTimestamp",
                "generation",
                "deletionTimestamp",
            ] {
                match old_meta.get(k) {
                    Some(v) => meta.insert(k.into(), v.clone()),
                    None => meta.remove(k),
                };
            }
            meta.insert(
                "resourceVersion".into(),
                old_meta["resourceVersion"].clone(),
            );
        }
        if obj == old {
            // A write that changes nothing is not stored and bumps nothing.
            return Ok(old);
        }
        if old.pointer("/metadata/generation").is_some() && spec_changed(&old, &obj) {
            let g = old
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            meta_mut(&mut obj).insert("generation".into(), json!(g + 1));
        }
        self.rv += 1;
        meta_mut(&mut obj).insert("resourceVersion".into(), json!(self.rv.to_string()));
        self.buckets
            .entry(bucket)
            .or_default()
            .insert(key.clone(), obj.clone());
        self.commit(bucket, key, EventType::Modified, obj.clone(), Some(old));
        Ok(obj)
    }

    pub fn delete(
        &mut self,
        d: &'static ResourceDef,
        ns: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        let bucket = resources::storage_key(d);
        let key = (ns.to_string(), name.to_string());
        let Some(old) = self.buckets.get_mut(&bucket).and_then(|b| b.remove(&key)) else {
            return Err(ApiError::not_found(d, name));
        };
        if d.plural == "namespaces" && d.group.is_empty() {
            // The namespace controller empties a namespace before it goes.
            let inside: Vec<(&'static ResourceDef, String)> = resources::all()
                .iter()
                .filter(|r| r.namespaced && r.stored)
                .filter(|r| {
                    // One version per bucket, or objects would be deleted twice.
                    resources::all()
                        .iter()
                        .find(|x| resources::storage_key(x) == resources::storage_key(r))
                        .is_some_and(|x| std::ptr::eq(x, *r))
                })
                .flat_map(|r| {
                    self.iter(r, Some(name))
                        .map(|o| (r, name_of(o).to_string()))
                        .collect::<Vec<_>>()
                })
                .collect();
            for (r, n) in inside {
                let _ = self.delete(r, name, &n);
            }
        }
        self.rv += 1;
        let mut obj = old.clone();
        meta_mut(&mut obj).insert("resourceVersion".into(), json!(self.rv.to_string()));
        self.commit(bucket, key, EventType::Deleted, obj.clone(), Some(old));
        Ok(obj)
    }

    /// Events after `rv`, or None when history from there is gone.
    pub fn events_after(&self, rv: u64) -> Option<Vec<Arc<Event>>> {
        if rv < self.compacted {
            return None;
        }
        let start = self.history.partition_point(|e| e.rv <= rv);
        Some(self.history.range(start..).cloned().collect())
    }

    /// The objects of a kind as they were at revision `at`, in key order,
    /// starting after `after`. Calls `f` until it returns false. Err when the
    /// history needed to rebuild that revision is gone.
    pub fn for_each_at(
        &self,
        d: &ResourceDef,
        ns: Option<&str>,
        at: u64,
        after: Option<&Key>,
        mut f: impl FnMut(&Key, &Value) -> bool,
    ) -> Result<(), ()> {
        if at < self.compacted {
            return Err(());
        }
        let bucket = resources::storage_key(d);
        // Undo the changes after `at`: newest first, so the oldest `old` wins.
        let mut overrides: BTreeMap<&Key, Option<&Value>> = BTreeMap::new();
        for e in self.history.iter().rev().take_while(|e| e.rv > at) {
            if e.bucket == bucket {
                overrides.insert(&e.key, e.old.as_ref());
            }
        }
        let empty = BTreeMap::new();
        let current = self.buckets.get(&bucket).unwrap_or(&empty);
        let in_range = |k: &Key| after.is_none_or(|a| k > a) && ns.is_none_or(|n| k.0 == n);
        let mut a = current.iter().filter(|(k, _)| in_range(k)).peekable();
        let mut b = overrides.iter().filter(|(k, _)| in_range(k)).peekable();
        loop {
            let (key, val) = match (a.peek(), b.peek()) {
                (None, None) => return Ok(()),
                (Some((ka, va)), None) => {
                    let r = (*ka, Some(*va));
                    a.next();
                    r
                }
                (None, Some((kb, vb))) => {
                    let r = (**kb, **vb);
                    b.next();
                    r
                }
                (Some((ka, va)), Some((kb, vb))) => {
                    if *ka < **kb {
                        let r = (*ka, Some(*va));
                        a.next();
                        r
                    } else if **kb < *ka {
                        let r = (**kb, **vb);
                        b.next();
                        r
                    } else {
                        let r = (**kb, **vb);
                        a.next();
                        b.next();
                        r
                    }
                }
            };
            if let Some(v) = val
                && !f(key, v)
            {
                return Ok(());
            }
        }
    }
}

pub fn meta_mut(obj: &mut Value) -> &mut serde_json::Map<String, Value> {
    if !obj["metadata"].is_object() {
        obj["metadata"] = json!({});
    }
    obj["metadata"]
        .as_object_mut()
        .expect("metadata is an object")
}

fn set_or_remove(obj: &mut Value, field: &str, v: Option<&Value>) {
    if let Some(m) = obj.as_object_mut() {
        match v {
            Some(v) => m.insert(field.into(), v.clone()),
            None => m.remove(field),
        };
    }
}

/// Whether anything outside metadata and status changed: that is what bumps
/// `metadata.generation`.
fn spec_changed(old: &Value, new: &Value) -> bool {
    let strip = |v: &Value| {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["metadata", "status", "apiVersion", "kind"] {
            m.remove(k);
        }
        m
    };
    strip(old) != strip(new)
}

/// What the server fills in on create for kinds whose status a client reads
/// at once.
fn default_status(d: &ResourceDef, obj: &mut Value) {
    match (d.group, d.plural) {
        ("", "namespaces") if obj.get("status").is_none() => {
            obj["status"] = json!({"phase": "Active"});
        }
        ("", "pods") if obj.get("status").is_none() => {
            obj["status"] = json!({"phase": "Pending", "qosClass": "BestEffort"});
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"containers": [{"name": "c"}]}})
    }

    #[test]
    fn list_at_an_older_revision_undoes_later_changes() {
        let pods = resources::by_name("pods").unwrap();
        let mut s = Store::new(1000);
        s.create(pods, "default", pod("a")).unwrap();
        s.create(pods, "default", pod("b")).unwrap();
        let at = s.rv();
        s.delete(pods, "default", "a").unwrap();
        s.create(pods, "default", pod("c")).unwrap();
        let mut m = s.get(pods, "default", "b").unwrap().clone();
        m["metadata"]["labels"] = json!({"x": "y"});
        s.update(pods, "default", "b", m, Part::Main).unwrap();
        let mut seen = vec![];
        s.for_each_at(pods, Some("default"), at, None, |k, v| {
            seen.push((k.1.clone(), v.pointer("/metadata/labels").is_some()));
            true
        })
        .unwrap();
        assert_eq!(seen, vec![("a".into(), false), ("b".into(), false)]);
        s.compact();
        assert!(s.for_each_at(pods, None, at, None, |_, _| true).is_err());
        assert!(s.events_after(at).is_none());
        assert_eq!(s.events_after(s.rv()).unwrap().len(), 0);
    }

    #[test]
    fn conflicts_and_no_op_writes() {
        let deps = resources::by_name("deployments").unwrap();
        let mut s = Store::new(1000);
        let d = s
            .create(
                deps,
                "default",
                json!({"metadata": {"name": "d"}, "spec": {"replicas": 1}}),
            )
            .unwrap();
        let rv = s.rv();
        let same = s
            .update(deps, "default", "d", d.clone(), Part::Main)
            .unwrap();
        assert_eq!(s.rv(), rv, "no-op write bumps nothing");
        assert_eq!(same["metadata"]["generation"], 1);
        let mut d2 = d.clone();
        d2["spec"]["replicas"] = json!(3);
        let d2 = s.update(deps, "default", "d", d2, Part::Main).unwrap();
        assert_eq!(d2["metadata"]["generation"], 2);
        let mut stale = d.clone();
        stale["spec"]["replicas"] = json!(5);
        assert_eq!(
            s.update(deps, "default", "d", stale, Part::Main)
                .unwrap_err()
                .code,
            409
        );
    }
}
