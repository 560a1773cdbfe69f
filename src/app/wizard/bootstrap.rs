//! `:bootstrap`: the bootstrap file's path, then the frame's review, confirmation,
//! apply (reconciled, journalled) and end.

use super::frame::{FieldSpec, Flow, Wizard};
use crate::app::shell::Shell;
use crate::ops::bootstrap::{file, journal_path, steps};
use crate::ops::plan::Plan;
use std::path::{Path, PathBuf};

pub struct BootstrapFlow {
    path: String,
    data_dir: PathBuf,
}

pub type BootstrapWizard = Wizard<BootstrapFlow>;

pub fn open(shell: &mut Shell) {
    let data_dir = crate::config::paths::Paths::from_env().data_dir;
    shell.open_modal(Box::new(BootstrapFlow::wizard("bootstrap.toml", data_dir)));
}

impl BootstrapFlow {
    pub fn wizard(path: &str, data_dir: PathBuf) -> BootstrapWizard {
        Wizard::new(BootstrapFlow {
            path: path.into(),
            data_dir,
        })
    }
}

impl Flow for BootstrapFlow {
    fn title(&self) -> &'static str {
        "Bootstrap"
    }

    fn fields(&self) -> Vec<FieldSpec> {
        vec![FieldSpec {
            label: "file",
            initial: self.path.clone(),
            hint: "The bootstrap file (see examples/bootstrap).",
        }]
    }

    fn check_field(&self, _index: usize, value: &str) -> Option<String> {
        let path = Path::new(value.trim());
        match std::fs::metadata(path) {
            _ if value.trim().is_empty() => Some("the bootstrap file's path".into()),
            Ok(m) if m.is_dir() => Some("a folder: name the file in it".into()),
            Ok(_) => None,
            Err(e) => Some(format!("cannot read {}: {e}", path.display())),
        }
    }

    fn prepare(&mut self, values: &[String]) -> Result<Plan, Vec<String>> {
        let path = PathBuf::from(values.first().map_or("", |v| v.trim()));
        let b = file::load(&path)?;
        let plan = steps::plan_here(&b, &self.data_dir).map_err(|e| vec![e])?;
        Ok(plan.with_journal(journal_path(&self.data_dir, &path)))
    }

    fn next_steps(&self, ok: bool) -> Vec<String> {
        match ok {
            true => vec![
                "Run it again at any time: what is as the file says is left alone.".into(),
                "At boot: `labdeck bootstrap unit -f FILE` prints a systemd unit.".into(),
            ],
            false => vec![
                "Fix what it says and run it again: what was done is kept, the rest is finished."
                    .into(),
                "The Swarm pane shows the services and their tasks' errors.".into(),
            ],
        }
    }
}
