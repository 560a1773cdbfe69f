//! The Swarm rows' tests: each view's cells from the lab sample, and jobs' counts.

use super::*;
use crate::backend::swarm::sample::{NOW, lab};

fn texts(r: &Row) -> Vec<String> {
    r.cells.iter().map(|c| c.shown(NOW).into_owned()).collect()
}

#[test]
fn stack_rows_show_replicas_and_failures() {
    let s = lab();
    let r = rows(&SwarmView::Stacks, &s, NOW);
    assert_eq!(texts(&r[1]), ["media", "2", "2/3", "1"]);
    assert_eq!(r[1].cells[2].tone, Tone::Err);
    assert_eq!(texts(&r[2])[0], "(no stack)");
}

#[test]
fn service_rows_show_mode_ports_update_and_age() {
    let s = lab();
    let r = rows(
        &SwarmView::Services {
            stack: Some(Some("infra".into())),
        },
        &s,
        NOW,
    );
    assert_eq!(r.len(), 1);
    assert_eq!(
        texts(&r[0]),
        [
            "infra_caddy",
            "replicated",
            "1/1",
            "",
            "local/busybox:1",
            "80:80/tcp,443:443/tcp",
            "completed",
            "3d",
            "",
            "svc-caddy",
            "1h"
        ]
    );
}

#[test]
fn task_rows_show_slot_node_states_and_error() {
    let s = lab();
    let r = rows(
        &SwarmView::Tasks {
            service_id: "svc-sonarr".into(),
            service: "media_sonarr".into(),
        },
        &s,
        NOW,
    );
    assert_eq!(
        texts(&r[1]),
        [
            "1",
            "t-sonarr-1a",
            "nas",
            "shutdown",
            "failed",
            "",
            "20s",
            "task: non-zero exit (1)",
            "c-t-sonarr-1",
            "failed",
            "1"
        ]
    );
    assert_eq!(r[1].cells[7].tone, Tone::Err);
    assert_eq!(r[1].cells[4].tone, Tone::Err);
}

#[test]
fn a_rolling_update_counts_the_tasks_already_replaced() {
    let mut s = lab();
    let radarr = s
        .services
        .iter_mut()
        .find(|x| x.id == "svc-radarr")
        .unwrap();
    radarr.update_state = Some(SafeText::new("updating"));
    radarr.update_started = Some(Timestamp(NOW.0 - 600));
    // Slot 2 was replaced 5 minutes ago; slot 1 still runs from an hour ago.
    let t2 = s.tasks.iter_mut().find(|t| t.id == "t-radarr-2").unwrap();
    t2.timestamp = Some(Timestamp(NOW.0 - 300));
    let r = rows(&SwarmView::Services { stack: None }, &s, NOW);
    let row = r.iter().find(|r| r.key == "svc-radarr").unwrap();
    assert_eq!(texts(row)[6], "upd 1/2");
    assert_eq!(row.cells[6].tone, Tone::Warn);
}

#[test]
fn health_shows_per_task_with_its_failing_streak_and_worst_first_per_service() {
    let s = lab();
    let tasks = rows(
        &SwarmView::Tasks {
            service_id: "svc-radarr".into(),
            service: "media_radarr".into(),
        },
        &s,
        NOW,
    );
    let health: Vec<String> = tasks.iter().map(|r| texts(r)[5].clone()).collect();
    assert_eq!(health, ["healthy", "unhealthy ✗3"]);
    assert_eq!(tasks[1].cells[5].tone, Tone::Err);
    let services = rows(&SwarmView::Services { stack: None }, &s, NOW);
    let of = |id: &str| {
        let r = services.iter().find(|r| r.key == id).unwrap();
        (texts(r)[3].clone(), r.cells[3].tone)
    };
    assert_eq!(of("svc-radarr"), ("1 unhealthy".into(), Tone::Err));
    assert_eq!(of("svc-sonarr"), ("1 starting".into(), Tone::Warn));
    assert_eq!(
        of("svc-caddy"),
        (String::new(), Tone::Dim),
        "no healthcheck"
    );
}

#[test]
fn secrets_show_who_uses_them_but_never_contents() {
    let s = lab();
    let r = rows(&SwarmView::Secrets, &s, NOW);
    assert_eq!(
        texts(&r[0]),
        ["sonarr_api_key", "", "1d", "1d", "media_sonarr", "sec-api"]
    );
}

/// A Compose container's status keeps counting: read as "Up 11 seconds" once, it
/// says two minutes more two minutes later, with no re-list.
#[test]
fn a_container_s_status_counts_on_as_time_passes() {
    use crate::backend::swarm::convert::container;
    use crate::core::time::Timestamp;
    let c: bollard::models::ContainerSummary = serde_json::from_value(serde_json::json!({
        "Id": "c1", "Names": ["/core-web-1"], "Image": "local/busybox:1",
        "State": "running", "Status": "Up 11 seconds (healthy)",
        "Labels": {"com.docker.compose.project": "core"}
    }))
    .unwrap();
    let mut s = lab();
    s.containers = vec![container(&c, NOW)];
    let core = SwarmView::Containers {
        project: Some("core".into()),
    };
    let r = rows(&core, &s, NOW);
    let status = &r[0].cells[4];
    assert_eq!(status.shown(NOW), "Up 11s (healthy)");
    assert_eq!(status.shown(Timestamp(NOW.0 + 120)), "Up 2m (healthy)");
    let gone: bollard::models::ContainerSummary =
        serde_json::from_value(serde_json::json!({"Id": "c2", "Status": "Created"})).unwrap();
    s.containers = vec![container(&gone, NOW)];
    let r = rows(&SwarmView::Containers { project: None }, &s, NOW);
    assert_eq!(r[0].cells[4].shown(Timestamp(NOW.0 + 120)), "Created");
}

#[test]
fn every_view_has_as_many_cells_as_columns() {
    let s = lab();
    for v in SwarmView::top_level(true)
        .iter()
        .chain(SwarmView::top_level(false))
    {
        for r in rows(v, &s, NOW) {
            assert_eq!(r.cells.len(), columns(v).len(), "{v:?}");
        }
    }
}

mod job_tests {
    use super::super::*;

    #[test]
    fn jobs_read_with_their_completions() {
        let job = Replicas {
            running: 0,
            desired: 2,
            completed: Some((2, 2)),
        };
        assert_eq!(replicas_text(job), "0/2 (2/2 completed)");
        let plain = Replicas {
            running: 1,
            desired: 3,
            completed: None,
        };
        assert_eq!(replicas_text(plain), "1/3");
    }
}
