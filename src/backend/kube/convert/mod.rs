//! From the API's objects to the compact model, one kind per file. Conversions never
//! fail: a field the server left out reads as empty, never as a panic.

mod cluster;
mod custom;
mod pod;
mod storage;
mod workload;

pub use cluster::{event, ingress, namespace, node, service};
pub use custom::{address_pool, attachment, flux, hosted, vm};
pub use pod::pod;
pub use storage::{pv, pvc, storage_class};
pub use workload::{cronjob, daemonset, deployment, job, replicaset, statefulset};

use super::model::{ObjRef, Owner};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

pub(crate) fn ts(t: Option<&Time>) -> Option<Timestamp> {
    t.map(|t| Timestamp(t.0.as_second()))
}

pub(crate) fn at(m: &ObjectMeta) -> ObjRef {
    ObjRef::new(m.namespace.as_deref(), m.name.as_deref())
}

pub(crate) fn created(m: &ObjectMeta) -> Option<Timestamp> {
    ts(m.creation_timestamp.as_ref())
}

/// The owner that controls it, if one does.
pub(crate) fn owner(m: &ObjectMeta) -> Option<Owner> {
    let refs = m.owner_references.as_ref()?;
    let r = refs
        .iter()
        .find(|r| r.controller == Some(true))
        .or(refs.first())?;
    Some(Owner {
        kind: SafeText::new(&r.kind),
        name: SafeText::new(&r.name),
    })
}

pub(crate) fn labels(m: &ObjectMeta) -> Vec<(String, String)> {
    m.labels
        .as_ref()
        .map(|l| l.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

pub(crate) fn count(n: Option<i32>) -> u32 {
    n.unwrap_or(0).max(0) as u32
}

pub(crate) fn safe(s: Option<&String>) -> SafeText {
    SafeText::opt(s.map(String::as_str))
}
