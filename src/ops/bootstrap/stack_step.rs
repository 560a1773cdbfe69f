//! A bootstrap's stack as one step: its compose files read and converted as
//! `labdeck stack deploy` reads them, the bootstrap's secrets and configs named by
//! their current version, then deployed with a health gate (in `depends_on` waves
//! when the stack asks).

use super::file::{Order, Stack};
use crate::backend::swarm::connect::Endpoint;
use crate::core::access::Writer;
use crate::ops::plan::{Check, Danger, Outcome, Progress, Step, StepError, Target, TargetKind};
use crate::ops::stack::deploy::{self, Options};
use crate::ops::stack::desired::Desired;
use crate::ops::stack::load::{Variables, load};
use futures::future::BoxFuture;

#[derive(Debug)]
pub struct StackStep {
    pub endpoint: Endpoint,
    pub stack: Stack,
    /// A bootstrap secret's or config's name and its versioned Swarm name: a compose
    /// file refers to `op_credentials` (external), the engine holds
    /// `op_credentials_3f2a9c1b`.
    pub versions: Vec<(String, String)>,
}

impl StackStep {
    fn desired(&self) -> Result<Desired, String> {
        let mut vars = Variables::from_env();
        if let Some(f) = &self.stack.env_file {
            vars = vars.with_file(f)?;
        }
        let loaded = load(&self.stack.compose, &vars).map_err(|e| e.join("; "))?;
        let mut d = crate::ops::stack::convert::convert(&self.stack.name, &loaded)
            .map_err(|e| e.join("; "))?;
        for (base, versioned) in &self.versions {
            d.rename_external(base, versioned);
        }
        Ok(d)
    }
}

impl Step for StackStep {
    fn describe(&self) -> String {
        let files: Vec<String> = self
            .stack
            .compose
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!(
            "deploy stack {} from {}, healthy within {}s{}",
            self.stack.name,
            files.join(", "),
            self.stack.gate.as_secs(),
            match self.stack.order {
                Order::DependsOn => ", in depends_on waves",
                Order::Together => "",
            }
        )
    }

    fn danger(&self) -> Danger {
        Danger::Reversible
    }

    fn target(&self) -> Target {
        Target {
            kind: TargetKind::Engine,
            name: self.endpoint.name.clone(),
            address: self.endpoint.host.clone(),
        }
    }

    fn key(&self) -> String {
        format!("{} stack {}", self.target(), self.stack.name)
    }

    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            let d = self.desired()?;
            let state = deploy::read_state(&self.endpoint, &d.stack).await?;
            let r = deploy::review(&d, &state, false);
            Ok(if !r.blocked.is_empty() {
                Check::Blocked(r.blocked.join("; "))
            } else if state.services.is_empty() {
                Check::Create
            } else if r.changes.is_empty() {
                Check::Unchanged
            } else {
                Check::Update(r.changes.iter().map(ToString::to_string).collect())
            })
        })
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let d = self.desired()?;
            let opts = Options {
                prune: false,
                waves: self.stack.order == Order::DependsOn,
                gate: Some(self.stack.gate),
            };
            deploy::deploy(writer, &self.endpoint, &d, &opts, progress)
                .await
                .map_err(StepError::from)
        })
    }
}
