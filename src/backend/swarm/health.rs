//! Task containers' health, as their healthchecks report it: read whole at start and
//! after a reconnect, then one container at a time when the engine's event stream says
//! its health changed (`health_status: unhealthy`). Never polled.
//!
//! Only this engine's own containers: a task on another node is seen through that
//! node's engine, when one is configured.

use super::model::{Health, SwarmSnapshot};
use crate::core::text::SafeText;
use bollard::Docker;
use bollard::errors::Error;
use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions};
use std::collections::HashMap;

/// Swarm labels every task container with its task.
const TASK_LABEL: &str = "com.docker.swarm.task.id";

/// Every running task container with a healthcheck, read again.
pub async fn refresh_all(docker: &Docker, snap: &mut SwarmSnapshot) -> Result<(), Error> {
    let filters = HashMap::from([
        ("label".to_string(), vec![TASK_LABEL.to_string()]),
        (
            "health".to_string(),
            ["starting", "healthy", "unhealthy"]
                .map(String::from)
                .to_vec(),
        ),
    ]);
    let listed = docker
        .list_containers(Some(ListContainersOptions {
            filters: Some(filters),
            ..Default::default()
        }))
        .await?;
    let ids: Vec<String> = listed.into_iter().filter_map(|c| c.id).collect();
    snap.health.clear();
    refresh_of(docker, snap, &ids).await
}

/// The containers `ids`, inspected for their health; one that is gone (or has no
/// healthcheck any more) leaves the map.
pub async fn refresh_of(
    docker: &Docker,
    snap: &mut SwarmSnapshot,
    ids: &[String],
) -> Result<(), Error> {
    let looks = ids.iter().map(|id| async move {
        let r = docker
            .inspect_container(id, None::<InspectContainerOptions>)
            .await;
        (id, r)
    });
    for (id, r) in futures::future::join_all(looks).await {
        match r {
            Ok(c) => match c.state.and_then(|s| s.health).and_then(|h| read(&h)) {
                Some(h) => {
                    snap.health.insert(id.clone(), h);
                }
                None => {
                    snap.health.remove(id);
                }
            },
            Err(Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {
                snap.health.remove(id);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The engine's health record; `None` for a container without a healthcheck.
fn read(h: &bollard::models::Health) -> Option<Health> {
    let status = h.status.map(|s| s.to_string())?;
    if matches!(status.as_str(), "" | "none") {
        return None;
    }
    Some(Health {
        status: SafeText::new(&status),
        failing_streak: h.failing_streak.map_or(0, |n| n.max(0) as u64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{Health as Api, HealthStatusEnum};

    #[test]
    fn a_health_record_keeps_its_status_and_failing_streak() {
        let h = Api {
            status: Some(HealthStatusEnum::UNHEALTHY),
            failing_streak: Some(3),
            log: None,
        };
        assert_eq!(
            read(&h),
            Some(Health {
                status: SafeText::new("unhealthy"),
                failing_streak: 3
            })
        );
        let none = Api {
            status: Some(HealthStatusEnum::NONE),
            ..Default::default()
        };
        assert_eq!(read(&none), None, "no healthcheck, no health");
        assert_eq!(read(&Api::default()), None);
    }
}
