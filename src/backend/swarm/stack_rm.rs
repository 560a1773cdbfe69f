//! `docker stack rm`: services first, then the stack's networks, secrets and configs.

use super::connect::describe_error;
use super::model::STACK_LABEL;
use crate::core::access::Writer;
use bollard::Docker;
use bollard::query_parameters::{
    ListConfigsOptions, ListNetworksOptions, ListSecretsOptions, ListServicesOptions,
};
use std::collections::HashMap;

/// Needs the `Writer` although bollard does not: the source check that keeps bollard's
/// writing calls in the writer's files lets this one through because it takes one.
pub(super) async fn remove_stack(
    _w: &Writer,
    docker: &Docker,
    stack: &str,
) -> Result<String, String> {
    let filters: HashMap<String, Vec<String>> =
        HashMap::from([("label".into(), vec![format!("{STACK_LABEL}={stack}")])]);
    let err = |e: bollard::errors::Error| describe_error(&e);
    let services = docker
        .list_services(Some(ListServicesOptions {
            filters: Some(filters.clone()),
            ..Default::default()
        }))
        .await
        .map_err(err)?;
    if services.is_empty() {
        return Err(format!("stack {stack} has no services"));
    }
    let mut failures = Vec::new();
    for s in services.iter().filter_map(|s| s.id.as_deref()) {
        if let Err(e) = docker.delete_service(s).await {
            failures.push(describe_error(&e));
        }
    }
    // Networks stay busy until the tasks are gone; the engine retries nothing, so try a
    // few times while the tasks drain.
    for attempt in 0..10 {
        let nets = docker
            .list_networks(Some(ListNetworksOptions {
                filters: Some(filters.clone()),
            }))
            .await
            .map_err(err)?;
        let mut busy = false;
        for n in nets.iter().filter_map(|n| n.id.as_deref()) {
            if docker.remove_network(n).await.is_err() {
                busy = true;
            }
        }
        if !busy {
            break;
        }
        if attempt == 9 {
            failures.push(format!("networks of {stack} still in use"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    for s in docker
        .list_secrets(Some(ListSecretsOptions {
            filters: Some(filters.clone()),
        }))
        .await
        .map_err(err)?
    {
        if let Some(id) = s.id.as_deref()
            && let Err(e) = docker.delete_secret(id).await
        {
            failures.push(describe_error(&e));
        }
    }
    for c in docker
        .list_configs(Some(ListConfigsOptions {
            filters: Some(filters),
        }))
        .await
        .map_err(err)?
    {
        if let Some(id) = c.id.as_deref()
            && let Err(e) = docker.delete_config(id).await
        {
            failures.push(describe_error(&e));
        }
    }
    if failures.is_empty() {
        let n = services.len();
        Ok(format!(
            "removed stack {stack} ({n} service{})",
            if n == 1 { "" } else { "s" }
        ))
    } else {
        Err(format!(
            "stack {stack} partly removed: {}",
            failures.join("; ")
        ))
    }
}
