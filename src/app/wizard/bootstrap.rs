//! `:bootstrap`: the bootstrap file's path, then the frame's review, confirmation,
//! apply (reconciled, journalled) and end.

use super::frame::{FieldSpec, Flow, Wizard};
use crate::app::shell::Shell;
use crate::ops::bootstrap::file::Given;
use crate::ops::bootstrap::{file, journal_path, steps};
use crate::ops::plan::Plan;
use crate::ops::stack::load::{Variables, missing};
use std::path::{Path, PathBuf};

pub struct BootstrapFlow {
    path: String,
    data_dir: PathBuf,
}

pub type BootstrapWizard = Wizard<BootstrapFlow>;

/// The path's field.
const FILE: &str = "file";

/// The variables typed so far: every field after the path.
fn given(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields.iter().skip(1).cloned().collect()
}

/// A name that says it holds a secret: its value is shown as dots.
fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL"]
        .iter()
        .any(|w| n.contains(w))
}

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
        vec![FieldSpec::new(
            FILE,
            &self.path,
            "The bootstrap file (see examples/bootstrap).",
        )]
    }

    /// The compose files' variables nothing sets (the environment, a stack's
    /// env_file, a value typed already): each asked for, named with its stack.
    fn more_fields(&mut self, fields: &[(String, String)]) -> Vec<FieldSpec> {
        let Some(path) = fields.first().map(|(_, v)| PathBuf::from(v.trim())) else {
            return Vec::new();
        };
        // A wrong file is said by `prepare`.
        let Ok(b) = file::load(&path) else {
            return Vec::new();
        };
        let given = given(fields);
        let mut out: Vec<FieldSpec> = Vec::new();
        for stack in &b.stacks {
            let mut vars = Variables::from_env().with_given(&given);
            if let Some(f) = &stack.env_file {
                match vars.clone().with_file(f) {
                    Ok(v) => vars = v,
                    Err(_) => continue,
                }
            }
            for name in missing(&stack.compose, &vars) {
                let asked = fields.iter().any(|(l, _)| *l == name);
                if asked || out.iter().any(|f| f.label == name) {
                    continue;
                }
                let hint = match &stack.env_file {
                    Some(f) => format!(
                        "stack {}: not set; put it in {} for the boot unit too",
                        stack.name,
                        f.display()
                    ),
                    None => format!(
                        "stack {}: not set; give the stack an env_file with it for the boot unit",
                        stack.name
                    ),
                };
                out.push(FieldSpec {
                    secret: looks_secret(&name),
                    ..FieldSpec::new(&name, "", &hint)
                });
            }
        }
        out
    }

    fn check_field(&self, index: usize, value: &str) -> Option<String> {
        if index > 0 {
            return None;
        }
        let path = Path::new(value.trim());
        match std::fs::metadata(path) {
            _ if value.trim().is_empty() => Some("the bootstrap file's path".into()),
            Ok(m) if m.is_dir() => Some("a folder: name the file in it".into()),
            Ok(_) => None,
            Err(e) => Some(format!("cannot read {}: {e}", path.display())),
        }
    }

    fn prepare(&mut self, fields: &[(String, String)]) -> Result<Plan, Vec<String>> {
        let path = PathBuf::from(fields.first().map_or("", |(_, v)| v.trim()));
        let mut b = file::load(&path)?;
        b.given = Given(given(fields));
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
