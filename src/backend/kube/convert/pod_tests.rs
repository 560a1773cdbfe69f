use super::*;
use serde_json::json;

fn from(v: serde_json::Value) -> Pod {
    pod(&serde_json::from_value(v).expect("a pod"))
}

fn running(name: &str, ready: bool, restarts: i32) -> serde_json::Value {
    json!({"name": name, "image": "img", "imageID": "", "ready": ready, "restartCount": restarts,
           "state": {"running": {"startedAt": "2026-12-01T10:00:00Z"}}})
}

#[test]
fn a_running_pod_reads_as_kubectl_prints_it() {
    let p = from(json!({
        "metadata": {"name": "web-1", "namespace": "media", "creationTimestamp": "2026-12-01T09:00:00Z",
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9", "uid": "u", "controller": true}]},
        "spec": {"nodeName": "n1", "containers": [{"name": "a"}, {"name": "b"}]},
        "status": {"phase": "Running", "podIP": "10.42.0.7",
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [running("a", true, 0), running("b", true, 2)]}
    }));
    assert_eq!(p.status.as_str(), "Running");
    assert_eq!(p.health, PodHealth::Running);
    assert_eq!((p.ready, p.total, p.restarts), (2, 2, 2));
    assert_eq!(p.node.as_str(), "n1");
    assert_eq!(p.ip.as_str(), "10.42.0.7");
    assert_eq!(p.at.key(), "media/web-1");
    assert_eq!(p.owner.unwrap().name.as_str(), "web-7d9");
}

#[test]
fn a_crash_loop_names_its_reason_and_last_restart() {
    let p = from(json!({
        "metadata": {"name": "db", "namespace": "x"},
        "spec": {"containers": [{"name": "db"}]},
        "status": {"phase": "Running", "containerStatuses": [{
            "name": "db", "image": "pg", "imageID": "", "ready": false, "restartCount": 7,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-12-05T10:00:00Z"}}
        }]}
    }));
    assert_eq!(p.status.as_str(), "CrashLoopBackOff");
    assert_eq!(p.health, PodHealth::Failing);
    assert_eq!(p.restarts, 7);
    assert_eq!(
        p.last_restart,
        Timestamp::parse_rfc3339("2026-12-05T10:00:00Z")
    );
    assert_eq!(
        p.containers[0].last_end.as_ref().unwrap().as_str(),
        "OOMKilled (exit 137)"
    );
}

#[test]
fn init_containers_at_work_say_how_far_they_are() {
    let init = |state: serde_json::Value| {
        from(json!({
            "metadata": {"name": "p"},
            "spec": {"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}]},
            "status": {"phase": "Pending", "initContainerStatuses": [
                {"name": "i1", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "i2", "image": "x", "imageID": "", "ready": false, "restartCount": 3, "state": state}
            ]}
        }))
    };
    assert_eq!(init(json!({"running": {}})).status.as_str(), "Init:1/2");
    let crash = init(json!({"waiting": {"reason": "CrashLoopBackOff"}}));
    assert_eq!(crash.status.as_str(), "Init:CrashLoopBackOff");
    assert_eq!(crash.health, PodHealth::Failing);
    assert_eq!(crash.restarts, 3);
    let sig = init(json!({"terminated": {"exitCode": 1, "signal": 9}}));
    assert_eq!(sig.status.as_str(), "Init:Signal:9");
    let code = init(json!({"terminated": {"exitCode": 2}}));
    assert_eq!(code.status.as_str(), "Init:ExitCode:2");
}

#[test]
fn completed_terminating_pending_and_image_pulls() {
    let done = from(json!({
        "metadata": {"name": "job-x"},
        "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Succeeded", "containerStatuses": [{"name": "a", "image": "x", "imageID": "",
            "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
    }));
    assert_eq!(done.status.as_str(), "Completed");
    assert_eq!(done.health, PodHealth::Done);

    let going = from(json!({
        "metadata": {"name": "p", "deletionTimestamp": "2026-12-05T10:00:00Z"},
        "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Running", "containerStatuses": [running("a", true, 0)]}
    }));
    assert_eq!(going.status.as_str(), "Terminating");

    let pending = from(
        json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
                              "status": {"phase": "Pending"}}),
    );
    assert_eq!(pending.status.as_str(), "Pending");
    assert_eq!(pending.health, PodHealth::Waiting);
    assert_eq!((pending.ready, pending.total), (0, 1));

    let pull = from(
        json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Pending", "containerStatuses": [{"name": "a", "image": "nope:1", "imageID": "",
            "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}}),
    );
    assert_eq!(pull.status.as_str(), "ImagePullBackOff");
    assert_eq!(pull.health, PodHealth::Failing);

    let evicted = from(
        json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
        "status": {"phase": "Failed", "reason": "Evicted"}}),
    );
    assert_eq!(evicted.status.as_str(), "Evicted");
    assert_eq!(evicted.health, PodHealth::Failing);
}

#[test]
fn a_running_pod_not_ready_is_waiting_and_a_sidecar_counts() {
    let p = from(json!({
        "metadata": {"name": "p"},
        "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}], "containers": [{"name": "a"}]},
        "status": {"phase": "Running",
            "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [{"name": "proxy", "image": "x", "imageID": "", "ready": true, "started": true,
                "restartCount": 1, "state": {"running": {}}}],
            "containerStatuses": [running("a", false, 0)]}
    }));
    assert_eq!((p.ready, p.total), (1, 2));
    assert_eq!(p.restarts, 1);
    assert_eq!(p.status.as_str(), "Running");
    assert_eq!(p.health, PodHealth::Waiting);
}

#[test]
fn hostile_text_is_cleaned_and_missing_fields_do_not_panic() {
    let p = from(json!({"metadata": {"name": "evil\u{1b}[2J"}}));
    assert!(!p.at.name.as_str().contains('\u{1b}'));
    assert_eq!(p.status.as_str(), "Pending");
    assert_eq!((p.ready, p.total, p.restarts), (0, 0, 0));
}

#[test]
fn a_pod_names_the_claims_its_volumes_mount() {
    let p = from(json!({
        "metadata": {"name": "db-0"},
        "spec": {"containers": [{"name": "a"}], "volumes": [
            {"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}},
            {"name": "cache", "emptyDir": {}},
            {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}]}
    }));
    let claims: Vec<&str> = p.claims.iter().map(|c| c.as_str()).collect();
    assert_eq!(claims, ["data-db-0", "db-0-scratch"]);
}
