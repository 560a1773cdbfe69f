use super::*;
use crate::backend::swarm::sample::{self, NOW, lab};
use crate::core::time::Timestamp;

#[test]
fn replicas_count_running_tasks_against_the_spec() {
    let s = lab();
    let radarr = s.service("svc-radarr").unwrap();
    assert_eq!(
        s.replicas(radarr),
        Replicas {
            running: 2,
            desired: 2,
            completed: None,
        }
    );
    let sonarr = s.service("svc-sonarr").unwrap();
    assert_eq!(
        s.replicas(sonarr),
        Replicas {
            running: 0,
            desired: 1,
            completed: None,
        }
    );
    assert!(s.replicas(sonarr).is_short());
}

#[test]
fn global_services_want_one_task_per_eligible_node() {
    let s = lab();
    let agent = s.service("svc-agent").unwrap();
    assert_eq!(
        s.replicas(agent),
        Replicas {
            running: 1,
            desired: 1,
            completed: None,
        }
    );
}

#[test]
fn tasks_on_a_down_node_do_not_count() {
    let mut s = lab();
    s.nodes[0].state = SafeText::new("down");
    let radarr = s.service("svc-radarr").unwrap();
    assert_eq!(s.replicas(radarr).running, 0);
}

#[test]
fn stacks_group_by_namespace_with_loose_services_last() {
    let s = lab();
    let stacks = s.stacks();
    let names: Vec<Option<&str>> = stacks
        .iter()
        .map(|s| s.name.as_ref().map(SafeText::as_str))
        .collect();
    assert_eq!(names, [Some("infra"), Some("media"), None]);
    let media = &stacks[1];
    assert_eq!(media.services, 2);
    assert_eq!(
        media.replicas,
        Replicas {
            running: 2,
            desired: 3,
            completed: None,
        }
    );
}

#[test]
fn a_slot_restarting_after_a_failure_is_failing() {
    let mut s = lab();
    // Newest attempt still starting, newest finished one failed: a crash loop.
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 1);
    assert_eq!(s.failing_tasks("svc-sonarr")[0].id, "t-sonarr-1a");
    assert_eq!(
        s.failing_hold_until(),
        None,
        "nothing runs: nothing to wait for"
    );
    // A new attempt that has run for 2 s after a failure: a crash loop's attempts each
    // run for a moment. Still failing, until it has run long enough.
    s.tasks[1].state = SafeText::new("running");
    s.tasks[1].timestamp = Some(Timestamp(NOW.0 - 2));
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 1);
    assert_eq!(s.failing_tasks("svc-sonarr")[0].id, "t-sonarr-1a");
    assert_eq!(
        s.failing_hold_until(),
        Some(Timestamp(NOW.0 - 2 + STABLE_SECS)),
        "judged again once it has run long enough"
    );
    // Once the new attempt has stayed up, the slot is fine again.
    s.tasks[1].timestamp = Some(Timestamp(NOW.0 - STABLE_SECS - 1));
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 0);
    assert_eq!(s.failing_hold_until(), None);
    // The same young attempt, judged later (the watcher's second look).
    s.tasks[1].timestamp = Some(Timestamp(NOW.0 - 2));
    s.taken_at = Some(Timestamp(NOW.0 + STABLE_SECS));
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 0);
}

#[test]
fn an_old_failure_before_a_successful_run_does_not_count() {
    let mut s = lab();
    // failed (20s ago) -> ran and was replaced by an update (10s ago) -> new one pending.
    let mut replaced = sample::task("t-sonarr-1c", "svc-sonarr", 1, "shutdown", 10);
    replaced.desired_state = SafeText::new("shutdown");
    s.tasks.push(replaced);
    s.tasks[1].state = SafeText::new("pending");
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 0);
}

#[test]
fn a_failure_with_no_replacement_yet_is_failing() {
    let mut s = lab();
    s.tasks.retain(|t| t.id != "t-sonarr-1b");
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 1);
}

#[test]
fn scaled_away_slots_are_not_failing() {
    let mut s = lab();
    s.services[0].mode = ServiceMode::Replicated(0);
    assert_eq!(s.failing_tasks_of("svc-sonarr"), 0);
}

#[test]
fn tasks_of_a_service_are_ordered_by_slot_then_newest() {
    let s = lab();
    let ids: Vec<&str> = s
        .tasks_of("svc-sonarr")
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, ["t-sonarr-1b", "t-sonarr-1a"]);
}

#[test]
fn secret_users_are_derived_from_service_specs() {
    let s = lab();
    let users: Vec<&str> = s
        .users_of_secret("sec-api")
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(users, ["media_sonarr"]);
    assert!(s.users_of_config("nope").is_empty());
}

#[test]
fn compose_projects_group_containers() {
    let mut s = lab();
    let c = |id: &str, project: Option<&str>, state: &str| Container {
        id: id.into(),
        name: SafeText::new(id),
        project: project.map(SafeText::new),
        compose_service: None,
        image: SafeText::new("img"),
        state: SafeText::new(state),
        status: SafeText::new("Up"),
        status_after: SafeText::new(""),
        status_since: None,
        created: None,
        host_paths: Vec::new(),
    };
    s.containers = vec![
        c("a", Some("core"), "running"),
        c("b", Some("core"), "exited"),
        c("z", None, "running"),
    ];
    let p = s.compose_projects();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].name.as_ref().unwrap().as_str(), "core");
    assert_eq!((p[0].containers, p[0].running), (2, 1));
    assert!(p[1].name.is_none());
    assert_eq!(s.containers_in(Some("core")).len(), 2);
}

#[test]
fn short_ids_never_panic() {
    assert_eq!(short_id("abcdef0123456789"), "abcdef012345");
    assert_eq!(short_id("abc"), "abc");
}

#[test]
fn a_replicated_job_reads_as_the_cli_shows_it() {
    use crate::backend::swarm::sample::{service, task};
    let mut s = lab();
    let mut job = service("svc-job", "infra_migrate", Some("infra"), 0);
    job.mode = ServiceMode::ReplicatedJob { total: 2 };
    s.services.push(job);
    for i in 1..=2 {
        let mut t = task(&format!("t-job-{i}"), "svc-job", i, "complete", 30);
        t.desired_state = crate::core::text::SafeText::new("complete");
        s.tasks.push(t);
    }
    s.changed();
    let r = s.replicas(s.service("svc-job").unwrap());
    assert_eq!((r.running, r.desired, r.completed), (0, 2, Some((2, 2))));
    assert!(!r.is_short(), "a finished job is not under-replicated");
    // Nor is its stack: the job wants nothing more once done.
    let infra = s
        .stacks()
        .into_iter()
        .find(|x| x.key.as_deref() == Some("infra"))
        .unwrap();
    assert_eq!(
        infra.replicas,
        Replicas {
            running: 1,
            desired: 1,
            completed: None
        },
        "infra is its one service, 1/1, and a finished job"
    );
    assert!(!infra.replicas.is_short());
}
