//! Hand-built snapshots for unit and snapshot tests, shaped like seed 000's media stack.

use super::model::*;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

pub const NOW: Timestamp = Timestamp(1_764_000_000);

fn t(s: &str) -> SafeText {
    SafeText::new(s)
}

pub fn service(id: &str, name: &str, stack: Option<&str>, replicas: u64) -> Service {
    Service {
        id: id.into(),
        name: t(name),
        stack: stack.map(t),
        stack_key: stack.map(str::to_owned),
        mode: ServiceMode::Replicated(replicas),
        image: t("local/busybox:1"),
        ports: vec![],
        update_state: None,
        update_message: None,
        update_started: None,
        labels: vec![],
        secret_ids: vec![],
        config_ids: vec![],
        created: Some(Timestamp(NOW.0 - 3 * 86_400)),
        updated: Some(Timestamp(NOW.0 - 3600)),
        version: 10,
        has_previous_spec: true,
        host_paths: vec![],
    }
}

pub fn task(id: &str, service_id: &str, slot: u64, state: &str, age_secs: i64) -> Task {
    Task {
        id: id.into(),
        service_id: service_id.into(),
        slot: Some(slot),
        node_id: Some("node1".into()),
        desired_state: t(if matches!(state, "failed" | "shutdown") {
            "shutdown"
        } else {
            "running"
        }),
        state: t(state),
        message: t(state),
        error: None,
        container_id: Some(format!("c-{id}")),
        exit_code: None,
        timestamp: Some(Timestamp(NOW.0 - age_secs)),
    }
}

pub fn node(id: &str, hostname: &str, leader: bool) -> Node {
    Node {
        id: id.into(),
        hostname: t(hostname),
        role: t(if leader { "manager" } else { "worker" }),
        availability: t("active"),
        state: t("ready"),
        addr: t("10.0.8.10"),
        leader,
        reachability: leader.then(|| t("reachable")),
        engine_version: t("27.5.1"),
        labels: vec![(t("zfs"), t("tank"))],
        cpus: 4,
        memory: 16 * 1024 * 1024 * 1024,
    }
}

/// Two stacks (media, infra) and one loose service; sonarr has a crash-looping task.
pub fn lab() -> SwarmSnapshot {
    let mut sonarr = service("svc-sonarr", "media_sonarr", Some("media"), 1);
    sonarr.ports = vec![Port {
        published: 8989,
        target: 8989,
        protocol: t("tcp"),
        mode: t("ingress"),
    }];
    sonarr.secret_ids = vec!["sec-api".into()];
    let radarr = service("svc-radarr", "media_radarr", Some("media"), 2);
    let mut caddy = service("svc-caddy", "infra_caddy", Some("infra"), 1);
    caddy.ports = vec![
        Port {
            published: 80,
            target: 80,
            protocol: t("tcp"),
            mode: t("ingress"),
        },
        Port {
            published: 443,
            target: 443,
            protocol: t("tcp"),
            mode: t("ingress"),
        },
    ];
    caddy.update_state = Some(t("completed"));
    let mut agent = service("svc-agent", "node-exporter", None, 0);
    agent.mode = ServiceMode::Global;
    let mut failed = task("t-sonarr-1a", "svc-sonarr", 1, "failed", 20);
    failed.error = Some(t("task: non-zero exit (1)"));
    failed.exit_code = Some(1);
    failed.desired_state = t("shutdown");
    let mut starting = task("t-sonarr-1b", "svc-sonarr", 1, "starting", 2);
    starting.message = t("starting");
    SwarmSnapshot {
        engine: EngineInfo {
            version: t("27.5.1"),
            api_version: t("1.47"),
            hostname: t("nas"),
            swarm_manager: true,
            swarm_state: t("active"),
            cpus: 4,
            memory: 16 * 1024 * 1024 * 1024,
            node_id: Some("node1".into()),
        },
        services: vec![sonarr, radarr, caddy, agent],
        tasks: vec![
            failed,
            starting,
            task("t-radarr-1", "svc-radarr", 1, "running", 3600),
            task("t-radarr-2", "svc-radarr", 2, "running", 3600),
            task("t-caddy-1", "svc-caddy", 1, "running", 7200),
            Task {
                slot: None,
                ..task("t-agent-n1", "svc-agent", 0, "running", 9000)
            },
        ],
        nodes: vec![node("node1", "nas", true)],
        networks: vec![Network {
            id: "net-proxy".into(),
            name: t("proxy"),
            driver: t("overlay"),
            scope: t("swarm"),
            subnets: vec![t("10.0.9.0/24")],
            attachable: true,
            encrypted: false,
            internal: false,
            ingress: false,
            stack: None,
            parent: None,
        }],
        secrets: vec![SwarmObject {
            id: "sec-api".into(),
            name: t("sonarr_api_key"),
            labels: vec![],
            created: Some(Timestamp(NOW.0 - 86_400)),
            updated: Some(Timestamp(NOW.0 - 86_400)),
        }],
        configs: vec![],
        containers: vec![],
        // radarr's healthcheck fails on slot 2; sonarr's new task is still starting.
        health: [
            ("c-t-radarr-1", "healthy", 0),
            ("c-t-radarr-2", "unhealthy", 3),
            ("c-t-sonarr-1b", "starting", 0),
        ]
        .into_iter()
        .map(|(id, status, streak)| {
            (
                id.to_string(),
                Health {
                    status: t(status),
                    failing_streak: streak,
                },
            )
        })
        .collect(),
        taken_at: Some(NOW),
        index: Default::default(),
    }
}
