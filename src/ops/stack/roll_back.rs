//! Taking a stack's updated services back to the spec they had before the update:
//! what a wizard offers when an update failed its health gate.

use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::writer::SwarmWriter;
use crate::core::access::Writer;
use crate::ops::plan::{Check, Danger, Outcome, Progress, Step, Target};
use futures::future::BoxFuture;

#[derive(Debug)]
pub struct RollBack {
    pub endpoint: Endpoint,
    pub stack: String,
    /// The services' full names (`<stack>_<service>`).
    pub services: Vec<String>,
}

impl Step for RollBack {
    fn describe(&self) -> String {
        format!(
            "roll back {} of stack {} to the spec before the update",
            self.services.join(", "),
            self.stack
        )
    }

    /// Their tasks are replaced again.
    fn danger(&self) -> Danger {
        Danger::Disruptive
    }

    fn target(&self) -> Target {
        crate::ops::bootstrap::steps::engine_target(&self.endpoint)
    }

    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            let state = super::deploy::read_state(&self.endpoint, &self.stack).await?;
            let missing: Vec<&str> = self
                .services
                .iter()
                .filter(|n| !state.services.get(*n).is_some_and(|s| s.has_previous))
                .map(String::as_str)
                .collect();
            Ok(match missing.is_empty() {
                true => Check::Update(self.services.clone()),
                false => Check::Blocked(format!("no previous spec: {}", missing.join(", "))),
            })
        })
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let w = SwarmWriter::connect(writer, &self.endpoint).await?;
            let state = super::deploy::read_state(&self.endpoint, &self.stack).await?;
            for name in &self.services {
                let live = state
                    .services
                    .get(name)
                    .ok_or_else(|| format!("service {name} is gone"))?;
                progress(format!("rolling back {name}"));
                w.roll_back_service(live).await?;
            }
            Ok(format!(
                "rolled back {} to the previous spec",
                self.services.join(", ")
            ))
        })
    }
}
