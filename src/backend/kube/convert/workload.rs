//! Deployments, statefulsets, daemonsets, replicasets, jobs and cronjobs as one row
//! shape: desired, ready, up to date, available, images.

use super::{at, count, created, owner};
use crate::backend::kube::model::{Workload, WorkloadKind};
use crate::core::text::SafeText;
use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

fn images(t: Option<&PodTemplateSpec>) -> Vec<SafeText> {
    t.and_then(|t| t.spec.as_ref())
        .map(|s| {
            s.containers
                .iter()
                .filter_map(|c| c.image.as_deref())
                .map(SafeText::new)
                .collect()
        })
        .unwrap_or_default()
}

fn base(m: &ObjectMeta, kind: WorkloadKind, t: Option<&PodTemplateSpec>) -> Workload {
    Workload {
        at: at(m),
        kind,
        desired: 0,
        ready: 0,
        updated: 0,
        available: 0,
        images: images(t),
        created: created(m),
        owner: owner(m),
        paused: false,
        progressing: false,
        message: None,
    }
}

/// The controller has not caught up with the spec's generation yet.
fn behind(m: &ObjectMeta, observed: Option<i64>) -> bool {
    matches!((m.generation, observed), (Some(g), Some(o)) if o < g)
}

/// A condition that is wrong (`Available=False`, `ReplicaFailure=True`), by its message.
fn failed<'a>(
    conds: impl Iterator<Item = (&'a str, &'a str, Option<&'a String>)>,
) -> Option<SafeText> {
    conds
        .filter(|(t, s, _)| {
            (*t == "ReplicaFailure" && *s == "True")
                || ((*t == "Available" || *t == "Progressing") && *s == "False")
        })
        .find_map(|(_, _, m)| m.map(|m| SafeText::new(m)))
}

pub fn deployment(d: &apps::Deployment) -> Workload {
    let spec = d.spec.as_ref();
    let mut w = base(
        &d.metadata,
        WorkloadKind::Deployment,
        spec.map(|s| &s.template),
    );
    w.desired = count(spec.and_then(|s| s.replicas).or(Some(1)));
    w.paused = spec.and_then(|s| s.paused).unwrap_or(false);
    if let Some(s) = &d.status {
        w.ready = count(s.ready_replicas);
        w.updated = count(s.updated_replicas);
        w.available = count(s.available_replicas);
        w.progressing = behind(&d.metadata, s.observed_generation);
        w.message = failed(
            s.conditions
                .iter()
                .flatten()
                .map(|c| (c.type_.as_str(), c.status.as_str(), c.message.as_ref())),
        );
    }
    w
}

pub fn statefulset(d: &apps::StatefulSet) -> Workload {
    let spec = d.spec.as_ref();
    let mut w = base(
        &d.metadata,
        WorkloadKind::StatefulSet,
        spec.map(|s| &s.template),
    );
    w.desired = count(spec.and_then(|s| s.replicas).or(Some(1)));
    if let Some(s) = &d.status {
        w.ready = count(s.ready_replicas);
        w.updated = count(s.updated_replicas);
        w.available = count(s.available_replicas);
        w.progressing = behind(&d.metadata, s.observed_generation);
    }
    w
}

pub fn daemonset(d: &apps::DaemonSet) -> Workload {
    let mut w = base(
        &d.metadata,
        WorkloadKind::DaemonSet,
        d.spec.as_ref().map(|s| &s.template),
    );
    if let Some(s) = &d.status {
        w.desired = s.desired_number_scheduled.max(0) as u32;
        w.ready = s.number_ready.max(0) as u32;
        w.updated = count(s.updated_number_scheduled);
        w.available = count(s.number_available);
        w.progressing = behind(&d.metadata, s.observed_generation);
    }
    w
}

pub fn replicaset(d: &apps::ReplicaSet) -> Workload {
    let spec = d.spec.as_ref();
    let mut w = base(
        &d.metadata,
        WorkloadKind::ReplicaSet,
        spec.and_then(|s| s.template.as_ref()),
    );
    w.desired = count(spec.and_then(|s| s.replicas).or(Some(1)));
    if let Some(s) = &d.status {
        w.ready = count(s.ready_replicas);
        w.available = count(s.available_replicas);
        w.updated = s.replicas.max(0) as u32;
    }
    w
}

pub fn job(j: &batch::Job) -> Workload {
    let spec = j.spec.as_ref();
    let mut w = base(&j.metadata, WorkloadKind::Job, spec.map(|s| &s.template));
    w.desired = count(spec.and_then(|s| s.completions).or(Some(1)));
    w.paused = spec.and_then(|s| s.suspend).unwrap_or(false);
    if let Some(s) = &j.status {
        w.ready = count(s.succeeded);
        w.available = count(s.active);
        w.updated = count(s.failed);
        w.message = s
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "Failed" && c.status == "True")
            .and_then(|c| c.message.as_deref().or(c.reason.as_deref()))
            .map(SafeText::new);
    }
    w
}

pub fn cronjob(c: &batch::CronJob) -> Workload {
    let spec = c.spec.as_ref();
    let template = spec
        .and_then(|s| s.job_template.spec.as_ref())
        .map(|s| &s.template);
    let mut w = base(&c.metadata, WorkloadKind::CronJob, template);
    w.paused = spec.and_then(|s| s.suspend).unwrap_or(false);
    if let Some(s) = &c.status {
        w.available = s.active.as_ref().map_or(0, |a| a.len() as u32);
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_deployment_short_of_replicas_says_why() {
        let d: apps::Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "media", "generation": 4},
            "spec": {"replicas": 3, "selector": {}, "template": {"spec": {"containers": [{"name": "a", "image": "nginx:1.27"}]}}},
            "status": {"readyReplicas": 1, "updatedReplicas": 3, "availableReplicas": 1, "observedGeneration": 3,
                "conditions": [{"type": "Available", "status": "False", "message": "Deployment does not have minimum availability."}]}
        }))
        .unwrap();
        let w = deployment(&d);
        assert_eq!((w.desired, w.ready, w.updated, w.available), (3, 1, 3, 1));
        assert!(w.short() && w.progressing);
        assert_eq!(w.images[0].as_str(), "nginx:1.27");
        assert!(w.message.unwrap().as_str().contains("minimum availability"));
    }

    #[test]
    fn replicas_default_to_one_and_a_job_is_never_short() {
        let d: apps::Deployment = serde_json::from_value(json!({
            "metadata": {"name": "x"}, "spec": {"selector": {}, "template": {}}}))
        .unwrap();
        assert_eq!(deployment(&d).desired, 1);
        assert!(deployment(&d).short());
        let j: batch::Job = serde_json::from_value(json!({
            "metadata": {"name": "j"}, "spec": {"template": {}}, "status": {"active": 1}}))
        .unwrap();
        assert!(!job(&j).short());
    }

    #[test]
    fn a_daemonset_counts_nodes() {
        let d: apps::DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "cilium"}, "spec": {"selector": {}, "template": {}},
            "status": {"desiredNumberScheduled": 3, "numberReady": 2, "currentNumberScheduled": 3,
                       "numberMisscheduled": 0, "updatedNumberScheduled": 3, "numberAvailable": 2}})).unwrap();
        let w = daemonset(&d);
        assert_eq!((w.desired, w.ready, w.updated, w.available), (3, 2, 3, 2));
    }
}
