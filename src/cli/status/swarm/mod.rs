//! The Swarm pane's part of `labdeck status`: one part per engine, read at the same
//! time (a dead engine delays no other beyond its own timeout).

pub mod report;
pub mod text;

use super::Part;
use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::backend::swarm::engines;
use futures::future::BoxFuture;

/// Read every engine once and report on each.
pub fn collect(
    settings: &crate::config::settings::Settings,
    _reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<Part>> {
    let docker: Vec<engines::DockerEntry> = settings.table(engines::CONFIG_KEY).unwrap_or_default();
    let (found, _) = engines::resolve(&docker, &engines::Env::from_process());
    let endpoints: Vec<Endpoint> = found.into_iter().map(Endpoint::from).collect();
    let multi = endpoints.len() > 1;
    Box::pin(async move {
        let reads = endpoints.into_iter().enumerate().map(|(i, e)| async move {
            let snap = match e.connect().await {
                Ok(r) => r.list_all().await.map_err(|e| describe_error(&e)),
                Err(err) => Err(describe_error(&err)),
            };
            let mut r = report::build(snap.as_ref().map_err(String::as_str));
            let (key, mut text) = if i == 0 {
                ("swarm".to_string(), text::render(&r))
            } else {
                (format!("swarm:{}", e.name), text::render(&r))
            };
            if multi {
                for s in &mut r.sources {
                    s.name = format!("swarm:{}", e.name);
                }
                text = format!(
                    "engine {}:\n{text}",
                    crate::core::text::SafeText::new(&e.name)
                );
            }
            let mut reasons = report::reasons(&r);
            if multi {
                for why in &mut reasons {
                    *why = format!(
                        "engine {}: {why}",
                        crate::core::text::SafeText::new(&e.name)
                    );
                }
            }
            Part {
                key,
                reasons,
                health: r.health,
                sources: r.sources.clone(),
                json: serde_json::to_value(&r.swarm).unwrap_or_default(),
                text,
            }
        });
        futures::future::join_all(reads).await
    })
}
