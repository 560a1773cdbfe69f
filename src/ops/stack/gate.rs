//! A health gate: the services run all their desired tasks, healthy where they have a
//! healthcheck (Swarm reports such a task `running` only once it is healthy), and
//! any rolling update is complete, within the timeout. Otherwise: which tasks failed
//! and the engine's words for why.

use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::ops::plan::Progress;
use std::time::Duration;

/// After this many failed tasks of one service since the deploy, waiting is over.
const FAILURES: usize = 3;

pub async fn healthy(
    endpoint: &Endpoint,
    stack: &str,
    services: &[String],
    rolling: &[String],
    since: jiff::Timestamp,
    timeout: Duration,
    progress: &Progress,
) -> Result<(), String> {
    let reader = endpoint.connect().await.map_err(|e| describe_error(&e))?;
    let start = tokio::time::Instant::now();
    let mut said = String::new();
    loop {
        let state = reader.stack_state(stack, super::desired::NAMESPACE).await?;
        let mut waiting = Vec::new();
        let mut ids = Vec::new();
        for name in services {
            let Some(s) = state.services.get(name) else {
                return Err(format!("{name} is gone"));
            };
            ids.push(s.id.as_str());
            let running = s.status["RunningTasks"].as_u64().unwrap_or(0);
            let desired = desired_tasks(&s.spec, &s.status);
            let update = s.update_status["State"].as_str().unwrap_or("completed");
            match update {
                // Only this deploy's updates: an old run's paused update is history.
                "paused" | "rollback_started" | "rollback_paused" | "rollback_completed"
                    if rolling.contains(name) =>
                {
                    let msg = s.update_status["Message"].as_str().unwrap_or_default();
                    return Err(format!("{name}: its update is {update}: {msg}"));
                }
                _ => {}
            }
            // A service whose tasks are being replaced: its update must have started
            // after the deploy did, and be complete (the engine clears the last
            // update's status when it takes a new spec, then starts the new one).
            let started: Option<jiff::Timestamp> = s.update_status["StartedAt"]
                .as_str()
                .and_then(|t| t.parse().ok());
            let replaced = !rolling.contains(name)
                || (started.is_some_and(|t| t >= since) && update == "completed");
            if running < desired || update != "completed" || !replaced {
                waiting.push(format!("{name} {running}/{desired}"));
            }
        }
        let failures = failed_tasks(&reader, &ids, services, since).await?;
        if let Some((name, errs)) = failures.iter().find(|(_, e)| e.len() >= FAILURES) {
            return Err(format!("{name} keeps failing: {}", errs.join("; ")));
        }
        if waiting.is_empty() {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            let why: Vec<String> = failures
                .iter()
                .map(|(n, e)| format!("{n}: {}", e.join("; ")))
                .collect();
            return Err(format!(
                "not healthy within {}s: {}{}",
                timeout.as_secs(),
                waiting.join(", "),
                match why.is_empty() {
                    true => String::new(),
                    false => format!(" (failed tasks: {})", why.join(" | ")),
                }
            ));
        }
        let now = format!("waiting for {}", waiting.join(", "));
        if now != said {
            progress(now.clone());
            said = now;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// How many tasks must run. From the spec where it says (the engine's count is 0
/// until its orchestrator has looked, which would pass a gate at once); a global
/// service needs the engine's count, and at least one.
fn desired_tasks(spec: &serde_json::Value, status: &serde_json::Value) -> u64 {
    let mode = &spec["Mode"];
    if mode.get("Replicated").is_some() {
        mode["Replicated"]["Replicas"].as_u64().unwrap_or(1)
    } else if mode.get("Global").is_some() {
        status["DesiredTasks"].as_u64().unwrap_or(0).max(1)
    } else {
        // A job runs to completion: nothing stays running to wait for.
        0
    }
}

/// Per service (by name), the errors of its tasks that failed since `since`.
async fn failed_tasks(
    reader: &crate::backend::swarm::reader::SwarmReader,
    ids: &[&str],
    names: &[String],
    since: jiff::Timestamp,
) -> Result<Vec<(String, Vec<String>)>, String> {
    let tasks = reader.tasks_of(ids).await?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for t in tasks {
        let state = t["Status"]["State"].as_str().unwrap_or_default();
        if !matches!(state, "failed" | "rejected") {
            continue;
        }
        let at: Option<jiff::Timestamp> = t["CreatedAt"].as_str().and_then(|s| s.parse().ok());
        if at.is_some_and(|at| at < since) {
            continue;
        }
        let sid = t["ServiceID"].as_str().unwrap_or_default();
        let Some(i) = ids.iter().position(|id| *id == sid) else {
            continue;
        };
        let err = t["Status"]["Err"].as_str().unwrap_or(state);
        let text = format!("task {state}: {err}");
        match out.iter_mut().find(|(n, _)| n == &names[i]) {
            Some((_, errs)) => errs.push(text),
            None => out.push((names[i].clone(), vec![text])),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::desired_tasks;
    use serde_json::json;

    #[test]
    fn a_new_service_is_not_healthy_before_the_engine_has_counted_its_tasks() {
        let nothing_yet = json!({"RunningTasks": 0, "DesiredTasks": 0});
        let replicated = json!({"Mode": {"Replicated": {"Replicas": 3}}});
        assert_eq!(desired_tasks(&replicated, &nothing_yet), 3);
        assert_eq!(
            desired_tasks(&json!({"Mode": {"Replicated": {}}}), &nothing_yet),
            1
        );
        let global = json!({"Mode": {"Global": {}}});
        assert_eq!(desired_tasks(&global, &nothing_yet), 1);
        assert_eq!(
            desired_tasks(&global, &json!({"DesiredTasks": 4})),
            4,
            "one per eligible node"
        );
        let job = json!({"Mode": {"ReplicatedJob": {"TotalCompletions": 2}}});
        assert_eq!(desired_tasks(&job, &nothing_yet), 0);
    }
}
