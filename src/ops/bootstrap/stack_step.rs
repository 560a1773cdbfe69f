//! A bootstrap's stack as one step: its compose files read and converted as
//! `labdeck stack deploy` reads them, the bootstrap's secrets and configs named by
//! their current version, then deployed with a health gate (in `depends_on` waves
//! when the stack asks).

use super::file::{Order, Stack};
use crate::backend::swarm::connect::Endpoint;
use crate::core::access::Writer;
use crate::ops::plan::{Check, Danger, Outcome, Progress, Step, StepError, Target};
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
    /// Values typed for the compose files' variables that nothing else sets.
    pub given: super::file::Given,
    /// The services the last apply updated (not created): what its undo rolls back.
    pub updated: std::sync::Mutex<Vec<String>>,
}

impl StackStep {
    fn desired(&self) -> Result<Desired, String> {
        let mut vars = Variables::from_env().with_given(&self.given.0);
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
        super::steps::engine_target(&self.endpoint)
    }

    fn key(&self) -> String {
        format!("{} stack {}", self.target(), self.stack.name)
    }

    fn undo(&self) -> Option<std::sync::Arc<dyn Step>> {
        let services = self
            .updated
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        (!services.is_empty()).then(|| {
            std::sync::Arc::new(crate::ops::stack::roll_back::RollBack {
                endpoint: self.endpoint.clone(),
                stack: self.stack.name.clone(),
                services,
            }) as std::sync::Arc<dyn Step>
        })
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
                // As the files say, but a stack that failed its gate last time must
                // not read as done: it is checked for health now, without waiting.
                let names: Vec<String> = d.services.iter().map(|s| s.name.clone()).collect();
                let now = jiff::Timestamp::now();
                let quiet: Progress = std::sync::Arc::new(|_| {});
                match crate::ops::stack::gate::healthy(
                    &self.endpoint,
                    &d.stack,
                    &names,
                    &[],
                    now,
                    std::time::Duration::ZERO,
                    &quiet,
                )
                .await
                {
                    Ok(()) => Check::Unchanged,
                    Err(e) => Check::Update(vec![format!("not healthy: {e}")]),
                }
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
            let mut updated = Vec::new();
            let r =
                deploy::deploy_noting(writer, &self.endpoint, &d, &opts, progress, &mut updated)
                    .await;
            *self.updated.lock().unwrap_or_else(|e| e.into_inner()) = updated;
            r.map_err(StepError::from)
        })
    }
}

/// After the stacks: the older versions of the bootstrap's secrets and configs that no
/// service uses any more, removed (the services moved to the new version and passed
/// their gates first).
#[derive(Debug)]
pub struct OldVersions {
    pub endpoint: Endpoint,
    /// Each base name and its current Swarm name.
    pub versions: Vec<(String, String)>,
}

impl OldVersions {
    /// The old versions no service refers to: (kind, name, ID).
    async fn unused(&self) -> Result<Vec<(&'static str, String, String)>, String> {
        let state = deploy::read_state(&self.endpoint, "").await?;
        let reader = self
            .endpoint
            .connect()
            .await
            .map_err(|e| crate::backend::swarm::connect::describe_error(&e))?;
        let in_use = reader.objects_in_use().await?;
        let mut out = Vec::new();
        for (kind, live) in [("secrets", &state.secrets), ("configs", &state.configs)] {
            for (name, o) in live {
                let Some(base) = o.labels.get(super::steps::LABEL) else {
                    continue;
                };
                let current = self.versions.iter().any(|(b, v)| b == base && v == name);
                let ours = self.versions.iter().any(|(b, _)| b == base);
                if ours && !current && !in_use.contains(&o.id) {
                    out.push((kind, name.clone(), o.id.clone()));
                }
            }
        }
        Ok(out)
    }
}

impl Step for OldVersions {
    fn describe(&self) -> String {
        "remove the older versions of the bootstrap's secrets and configs that no service uses"
            .to_string()
    }

    fn danger(&self) -> Danger {
        Danger::Reversible
    }

    fn target(&self) -> Target {
        super::steps::engine_target(&self.endpoint)
    }

    fn key(&self) -> String {
        format!("{} old versions", self.target())
    }

    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            let old = self.unused().await?;
            Ok(match old.is_empty() {
                true => Check::Unchanged,
                false => Check::Update(old.into_iter().map(|(_, n, _)| format!("- {n}")).collect()),
            })
        })
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let w =
                crate::backend::swarm::writer::SwarmWriter::connect(writer, &self.endpoint).await?;
            let old = self.unused().await?;
            for (kind, name, id) in &old {
                progress(format!("removing {name}"));
                w.remove_object(kind, id).await?;
            }
            Ok(format!("removed {} old version(s)", old.len()))
        })
    }
}
