//! `labdeck status`: one look at every source, for people and for monitoring.
//!
//! Exit codes: 0 healthy, 1 degraded (a service under-replicated, a node down),
//! 2 a source unreachable.

mod report;
mod text;

pub use report::{Health, StatusReport, build};

use crate::backend::swarm::{client, connect::Endpoint, connect::describe_error};

/// Read every source once and build the report.
pub async fn collect(endpoint: &Endpoint) -> StatusReport {
    let snap = match endpoint.connect().await {
        Ok(docker) => client::list_all(&docker)
            .await
            .map_err(|e| describe_error(&e)),
        Err(e) => Err(describe_error(&e)),
    };
    build(snap.as_ref().map_err(String::as_str))
}

/// Print the report; returns the process exit code.
pub fn print(report: &StatusReport, json: bool) -> i32 {
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("labdeck: cannot encode the report: {e}"),
        }
    } else {
        print!("{}", text::render(report));
    }
    report.health.exit_code()
}
