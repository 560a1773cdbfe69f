//! Which kinds of objects an engine event makes stale. Pure, so it is tested directly.

use super::client::Kind;
use bollard::models::{EventMessage, EventMessageTypeEnum as T};

/// Container actions that change nothing labdeck shows (healthchecks run `exec_*`
/// every few seconds: re-listing on them would burn CPU on an idle lab).
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

pub fn kinds_for(ev: &EventMessage, swarm_manager: bool) -> Vec<Kind> {
    let action = ev.action.as_deref().unwrap_or("");
    match ev.typ {
        Some(T::SERVICE) => vec![Kind::Services, Kind::Tasks],
        Some(T::NODE) => vec![Kind::Nodes, Kind::Tasks],
        Some(T::SECRET) => vec![Kind::Secrets],
        Some(T::CONFIG) => vec![Kind::Configs],
        Some(T::NETWORK) if matches!(action, "create" | "destroy" | "remove" | "update") => {
            vec![Kind::Networks]
        }
        Some(T::CONTAINER) if !is_noise(action) => {
            if swarm_manager {
                vec![Kind::Tasks]
            } else {
                vec![Kind::Containers]
            }
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(typ: T, action: &str) -> EventMessage {
        EventMessage {
            typ: Some(typ),
            action: Some(action.into()),
            ..Default::default()
        }
    }

    #[test]
    fn service_events_relist_services_and_tasks() {
        assert_eq!(
            kinds_for(&ev(T::SERVICE, "update"), true),
            [Kind::Services, Kind::Tasks]
        );
    }

    #[test]
    fn container_events_mean_tasks_on_a_manager_and_containers_elsewhere() {
        assert_eq!(kinds_for(&ev(T::CONTAINER, "die"), true), [Kind::Tasks]);
        assert_eq!(
            kinds_for(&ev(T::CONTAINER, "start"), false),
            [Kind::Containers]
        );
        assert_eq!(
            kinds_for(&ev(T::CONTAINER, "health_status: healthy"), true),
            [Kind::Tasks]
        );
    }

    #[test]
    fn healthcheck_execs_and_network_connects_are_ignored() {
        assert!(kinds_for(&ev(T::CONTAINER, "exec_start: /bin/wget -q"), true).is_empty());
        assert!(kinds_for(&ev(T::CONTAINER, "exec_die"), true).is_empty());
        assert!(kinds_for(&ev(T::NETWORK, "connect"), true).is_empty());
        assert_eq!(kinds_for(&ev(T::NETWORK, "create"), true), [Kind::Networks]);
        assert!(kinds_for(&EventMessage::default(), true).is_empty());
    }
}
