//! The Swarm pane's part of `labdeck status`.

pub mod report;
pub mod text;

use super::Part;
use crate::backend::swarm::connect::{Endpoint, describe_error};
use futures::future::BoxFuture;

/// Read the engine once and report on it.
pub fn collect(_settings: &crate::config::settings::Settings) -> BoxFuture<'static, Part> {
    let endpoint = Endpoint::from_env();
    Box::pin(async move {
        let snap = match endpoint.connect().await {
            Ok(r) => r.list_all().await.map_err(|e| describe_error(&e)),
            Err(e) => Err(describe_error(&e)),
        };
        let r = report::build(snap.as_ref().map_err(String::as_str));
        Part {
            key: "swarm",
            health: r.health,
            sources: r.sources.clone(),
            json: serde_json::to_value(&r.swarm).unwrap_or_default(),
            text: text::render(&r),
        }
    })
}
