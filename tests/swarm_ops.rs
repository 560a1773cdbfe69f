//! Every write labdeck offers, against the real lab engine: redeploy, rollback, remove
//! a service (scale and stack removal are in `swarm_live.rs`). Each test owns its stack.

mod support;

use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::ops::{SwarmOp, SwarmStep};
use labdeck::ops::plan::Plan;
use std::collections::BTreeSet;
use std::time::Duration;
use support::lab::{self, Stack, docker, wait_until};

const CONVERGE: Duration = Duration::from_secs(40);

fn compose(replicas: u32) -> String {
    format!(
        r#"version: "3.8"
services:
  app:
    image: {image}
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    deploy:
      replicas: {replicas}
      update_config: {{parallelism: 0, delay: 0s}}
"#,
        image = lab::IMAGE
    )
}

/// How the write reaches the engine: its socket, or ssh to the lab's loopback sshd
/// (`docker system dial-stdio` on the other side), the way a NAS is reached.
#[derive(Clone, Copy, Debug)]
enum Via {
    Socket,
    Ssh,
}

fn apply(via: Via, op: SwarmOp) -> Result<String, String> {
    let host = match via {
        Via::Socket => format!("unix://{}", lab::SOCKET),
        Via::Ssh => lab::SSH_HOST.to_string(),
    };
    let endpoint = Endpoint::from_value(Some(&host));
    let writer = support::writer();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        Plan::one(SwarmStep { endpoint, op })
            .apply(&writer, std::sync::Arc::new(|_| {}))
            .await
            .map_err(|e| e.to_string())
    })
}

/// What labdeck's reader says: can this service roll back?
fn has_previous_spec(service_id: &str) -> bool {
    let endpoint = Endpoint::from_value(Some(&format!("unix://{}", lab::SOCKET)));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let snap = rt
        .block_on(async { endpoint.connect().await?.list_all().await })
        .expect("list the lab");
    snap.service(service_id)
        .expect("the service is listed")
        .has_previous_spec
}

fn inspect(service: &str, format: &str) -> String {
    docker(&["service", "inspect", "--format", format, service])
        .trim()
        .to_string()
}

fn running_tasks(service: &str) -> BTreeSet<String> {
    docker(&[
        "service",
        "ps",
        "-q",
        "--filter",
        "desired-state=running",
        service,
    ])
    .split_whitespace()
    .map(str::to_owned)
    .collect()
}

fn ids(stack: &Stack) -> (String, String) {
    let name = stack.service("app");
    (inspect(&name, "{{.ID}}"), name)
}

#[test]
fn redeploy_replaces_every_task() {
    require_lab!();
    redeploy(Via::Socket, "ldops-redeploy");
}

#[test]
fn redeploy_over_ssh() {
    require_lab!();
    redeploy(Via::Ssh, "ldops-redeploy-ssh");
}

fn redeploy(via: Via, name: &str) {
    let stack = Stack::deploy(name, &compose(2));
    assert!(stack.wait_converged(CONVERGE), "stack did not converge");
    let (service_id, service) = ids(&stack);
    let before = running_tasks(&service);
    assert_eq!(before.len(), 2);
    let msg = apply(
        via,
        SwarmOp::Redeploy {
            service_id,
            service: service.clone(),
        },
    )
    .expect("redeploy");
    assert!(msg.contains(&service), "{msg}");
    assert_eq!(inspect(&service, "{{.Spec.TaskTemplate.ForceUpdate}}"), "1");
    let replaced = wait_until(CONVERGE, || {
        let now = running_tasks(&service);
        now.len() == 2 && now.is_disjoint(&before)
    });
    assert!(
        replaced,
        "tasks were not replaced: before {before:?}, now {:?}",
        running_tasks(&service)
    );
}

#[test]
fn rollback_returns_to_the_previous_spec_and_says_why_when_there_is_none() {
    require_lab!();
    rollback(Via::Socket, "ldops-rollback");
}

#[test]
fn scale_and_rollback_over_ssh() {
    require_lab!();
    rollback(Via::Ssh, "ldops-rollback-ssh");
}

fn rollback(via: Via, name: &str) {
    let stack = Stack::deploy(name, &compose(1));
    assert!(stack.wait_converged(CONVERGE), "stack did not converge");
    let (service_id, service) = ids(&stack);
    // The reader knows whether a rollback is possible (labdeck offers it only then).
    assert!(!has_previous_spec(&service_id), "a fresh service has none");
    // A fresh service has no previous spec: the engine's refusal is shown as it is.
    let err = apply(
        via,
        SwarmOp::Rollback {
            service_id: service_id.clone(),
            service: service.clone(),
        },
    )
    .expect_err("nothing to roll back to");
    assert!(err.contains("previous spec"), "{err}");
    apply(
        via,
        SwarmOp::Scale {
            service_id: service_id.clone(),
            service: service.clone(),
            replicas: 3,
        },
    )
    .expect("scale");
    assert_eq!(inspect(&service, "{{.Spec.Mode.Replicated.Replicas}}"), "3");
    apply(
        via,
        SwarmOp::Rollback {
            service_id,
            service: service.clone(),
        },
    )
    .expect("rollback");
    assert_eq!(inspect(&service, "{{.Spec.Mode.Replicated.Replicas}}"), "1");
}

#[test]
fn remove_service_deletes_only_that_service() {
    require_lab!();
    remove(Via::Socket, "ldops-remove");
}

#[test]
fn remove_service_over_ssh() {
    require_lab!();
    remove(Via::Ssh, "ldops-remove-ssh");
}

fn remove(via: Via, name: &str) {
    let stack = Stack::deploy(name, &compose(1));
    assert!(stack.wait_converged(CONVERGE), "stack did not converge");
    let (service_id, service) = ids(&stack);
    apply(
        via,
        SwarmOp::RemoveService {
            service_id,
            service: service.clone(),
        },
    )
    .expect("remove");
    let gone = docker(&[
        "service",
        "ls",
        "-q",
        "--filter",
        &format!("name={service}"),
    ]);
    assert!(gone.trim().is_empty(), "{service} still listed");
    let network = format!("{}_default", stack.name());
    assert!(
        !docker(&[
            "network",
            "ls",
            "-q",
            "--filter",
            &format!("name={network}")
        ])
        .trim()
        .is_empty(),
        "the stack's network is not the service's to remove"
    );
}

/// A service with a healthcheck, scaled over ssh, keeps its healthcheck: the raw-JSON
/// read-modify-write goes over the same transport as the reads.
#[test]
fn scale_over_ssh_keeps_the_healthcheck() {
    require_lab!();
    let stack = Stack::deploy(
        "ldops-health-ssh",
        &format!(
            r#"version: "3.8"
services:
  app:
    image: {image}
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "/bin/true"]
      interval: 5s
    deploy:
      replicas: 1
"#,
            image = lab::IMAGE
        ),
    );
    assert!(stack.wait_converged(CONVERGE), "stack did not converge");
    let (service_id, service) = ids(&stack);
    let health = "{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}";
    assert!(inspect(&service, health).contains("/bin/true"));
    let said = apply(
        Via::Ssh,
        SwarmOp::Scale {
            service_id,
            service: service.clone(),
            replicas: 2,
        },
    )
    .expect("scale over ssh");
    assert_eq!(said, format!("scaled {service} to 2"));
    assert_eq!(inspect(&service, "{{.Spec.Mode.Replicated.Replicas}}"), "2");
    assert!(
        inspect(&service, health).contains("/bin/true"),
        "the healthcheck survived the write"
    );
}
