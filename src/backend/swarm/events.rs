//! What an engine event makes stale. Pure, so it is tested directly.
//!
//! Narrow on purpose: a crash-looping service emits several container events a
//! second, and re-listing every task of a 200-task swarm for each would cost the engine
//! more than everything else labdeck does.

use super::client::Kind;
use bollard::models::{EventMessage, EventMessageTypeEnum as T};

/// Swarm sets these on every task container.
const SERVICE_ID_ATTR: &str = "com.docker.swarm.service.id";

/// Something to re-list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Every object of a kind.
    All(Kind),
    /// Only the tasks of one service.
    TasksOf(String),
    /// One container's health (a healthcheck changed it, or the container came or went).
    HealthOf(String),
}

/// Container actions that change nothing labdeck shows (healthchecks run `exec_*`
/// every few seconds).
fn is_noise(action: &str) -> bool {
    action.starts_with("exec_")
        || matches!(
            action,
            "attach"
                | "detach"
                | "resize"
                | "top"
                | "export"
                | "commit"
                | "copy"
                | "archive-path"
                | "extract-to-dir"
        )
}

pub fn changes_for(ev: &EventMessage, swarm_manager: bool) -> Vec<Change> {
    let action = ev.action.as_deref().unwrap_or("");
    let actor_id = ev.actor.as_ref().and_then(|a| a.id.clone());
    let attr = |k: &str| {
        ev.actor
            .as_ref()
            .and_then(|a| a.attributes.as_ref())
            .and_then(|m| m.get(k))
            .cloned()
    };
    match ev.typ {
        Some(T::SERVICE) => {
            let mut v = vec![Change::All(Kind::Services)];
            v.push(actor_id.map_or(Change::All(Kind::Tasks), Change::TasksOf));
            v
        }
        Some(T::NODE) => vec![Change::All(Kind::Nodes), Change::All(Kind::Tasks)],
        Some(T::SECRET) => vec![Change::All(Kind::Secrets)],
        Some(T::CONFIG) => vec![Change::All(Kind::Configs)],
        Some(T::NETWORK) if matches!(action, "create" | "destroy" | "remove" | "update") => {
            vec![Change::All(Kind::Networks)]
        }
        // A healthcheck's verdict is that container's health, and it moves its task too:
        // a task with a healthcheck stays `starting` until its first `healthy`, then runs
        // (no event of its own says so).
        Some(T::CONTAINER) if action.starts_with("health_status") => {
            match (swarm_manager, attr(SERVICE_ID_ATTR), actor_id) {
                (true, Some(service), Some(id)) => {
                    vec![Change::TasksOf(service), Change::HealthOf(id)]
                }
                (false, _, _) => vec![Change::All(Kind::Containers)],
                _ => vec![],
            }
        }
        Some(T::CONTAINER) if !is_noise(action) => match (swarm_manager, attr(SERVICE_ID_ATTR)) {
            (true, Some(service)) => {
                let mut v = vec![Change::TasksOf(service)];
                // A container that starts has its health ahead; one that dies, none.
                if matches!(action, "start" | "die" | "destroy")
                    && let Some(id) = actor_id
                {
                    v.push(Change::HealthOf(id));
                }
                v
            }
            // On a manager, a container outside Swarm is not on screen.
            (true, None) => vec![],
            (false, _) => vec![Change::All(Kind::Containers)],
        },
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::EventActor;
    use std::collections::HashMap;

    fn ev(typ: T, action: &str, id: &str, attrs: &[(&str, &str)]) -> EventMessage {
        EventMessage {
            typ: Some(typ),
            action: Some(action.into()),
            actor: Some(EventActor {
                id: Some(id.into()),
                attributes: Some(
                    attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect::<HashMap<_, _>>(),
                ),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn service_events_relist_services_and_that_service_s_tasks() {
        assert_eq!(
            changes_for(&ev(T::SERVICE, "update", "svc1", &[]), true),
            [Change::All(Kind::Services), Change::TasksOf("svc1".into())]
        );
    }

    #[test]
    fn task_container_events_relist_only_their_service_s_tasks() {
        let e = ev(T::CONTAINER, "kill", "c1", &[(SERVICE_ID_ATTR, "svc1")]);
        assert_eq!(changes_for(&e, true), [Change::TasksOf("svc1".into())]);
        let e = ev(T::CONTAINER, "die", "c1", &[(SERVICE_ID_ATTR, "svc1")]);
        assert_eq!(
            changes_for(&e, true),
            [
                Change::TasksOf("svc1".into()),
                Change::HealthOf("c1".into())
            ]
        );
    }

    #[test]
    fn health_events_read_that_container_s_health_and_its_service_s_tasks() {
        let svc = [(SERVICE_ID_ATTR, "svc1")];
        // `healthy` is when a healthchecked task goes from starting to running: a
        // recovered service must not stay short on screen.
        for verdict in ["health_status: healthy", "health_status: unhealthy"] {
            assert_eq!(
                changes_for(&ev(T::CONTAINER, verdict, "c1", &svc), true),
                [
                    Change::TasksOf("svc1".into()),
                    Change::HealthOf("c1".into())
                ],
                "{verdict}"
            );
        }
        assert_eq!(
            changes_for(&ev(T::CONTAINER, "start", "c1", &svc), true),
            [
                Change::TasksOf("svc1".into()),
                Change::HealthOf("c1".into())
            ]
        );
        assert_eq!(
            changes_for(
                &ev(T::CONTAINER, "health_status: healthy", "c1", &[]),
                false
            ),
            [Change::All(Kind::Containers)],
            "a plain host shows health in the container's status"
        );
        // The healthcheck's own exec events stay noise.
        assert!(
            changes_for(&ev(T::CONTAINER, "exec_start: /bin/true", "c1", &svc), true).is_empty()
        );
    }

    #[test]
    fn non_swarm_containers_matter_only_on_a_plain_host() {
        let e = ev(T::CONTAINER, "start", "c1", &[]);
        assert!(changes_for(&e, true).is_empty());
        assert_eq!(changes_for(&e, false), [Change::All(Kind::Containers)]);
    }

    #[test]
    fn healthcheck_execs_and_network_connects_are_ignored() {
        let e = ev(
            T::CONTAINER,
            "exec_start: /bin/wget -q",
            "c1",
            &[(SERVICE_ID_ATTR, "svc1")],
        );
        assert!(changes_for(&e, true).is_empty());
        assert!(changes_for(&ev(T::NETWORK, "connect", "n", &[]), true).is_empty());
        assert_eq!(
            changes_for(&ev(T::NETWORK, "create", "n", &[]), true),
            [Change::All(Kind::Networks)]
        );
        assert!(changes_for(&EventMessage::default(), true).is_empty());
    }
}
