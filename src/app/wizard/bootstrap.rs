//! `:bootstrap`: the bootstrap file's path, its plan checked against the engine and
//! shown as a diff, a confirmation, the apply (reconciled, journalled), the end.
//! Read-only, it shows the plan and cannot apply.

use crate::app::effect::Effect;
use crate::app::input::LineInput;
use crate::app::modal::{MODAL, Modal, Reply};
use crate::app::pane::PaneMsg;
use crate::app::shell::{FlashLevel, Shell};
use crate::app::task::{Job, PlanId, TaskKey};
use crate::ops::bootstrap::{file, steps};
use crate::ops::plan::{Outcome, Plan};
use crossterm::event::{KeyCode, KeyEvent};
use std::any::Any;
use std::path::PathBuf;

/// The task that checks the plan against the engine.
pub const REVIEW: TaskKey = TaskKey {
    pane: MODAL,
    name: "bootstrap-review",
};

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Typing the file's path; `errors` say what is wrong with the last one tried.
    Path,
    /// Reading the engine.
    Checking,
    /// The diff, scrolled to `scroll`.
    Review,
    /// How it ended.
    End(Result<String, String>),
}

pub struct BootstrapWizard {
    pub screen: Screen,
    pub path: LineInput,
    pub errors: Vec<String>,
    pub review: Vec<String>,
    pub settled: bool,
    pub scroll: usize,
    plan: Option<Plan>,
    data_dir: PathBuf,
}

/// What the review task found.
struct Reviewed {
    lines: Vec<String>,
    settled: bool,
}

/// The review task's message, as it sends it (for tests that have no engine).
#[cfg(test)]
pub fn review_message(lines: Vec<String>, settled: bool) -> crate::app::msg::Msg {
    crate::app::msg::Msg::to_pane(MODAL, Reviewed { lines, settled })
}

pub fn open(shell: &mut Shell) {
    let data_dir = crate::config::paths::Paths::from_env().data_dir;
    shell.open_modal(Box::new(BootstrapWizard::new("bootstrap.toml", data_dir)));
}

impl BootstrapWizard {
    pub fn new(path: &str, data_dir: PathBuf) -> BootstrapWizard {
        BootstrapWizard {
            screen: Screen::Path,
            path: LineInput::new(path),
            errors: Vec::new(),
            review: Vec::new(),
            settled: false,
            scroll: 0,
            plan: None,
            data_dir,
        }
    }

    /// Read the file; on success, check its plan against the engine in a task.
    fn submit_path(&mut self) -> Vec<Effect> {
        let path = PathBuf::from(self.path.value().trim());
        let b = match file::load(&path) {
            Ok(b) => b,
            Err(errors) => {
                self.errors = errors;
                return Vec::new();
            }
        };
        let plan = match steps::plan_here(&b, &self.data_dir) {
            Ok(p) => p.with_journal(crate::ops::bootstrap::journal_path(&self.data_dir, &path)),
            Err(e) => {
                self.errors = vec![e];
                return Vec::new();
            }
        };
        self.errors.clear();
        self.screen = Screen::Checking;
        self.plan = Some(plan.clone());
        vec![Effect::Start {
            key: REVIEW,
            job: Job::new("bootstrap review", move |out, _cancel| async move {
                let r = plan.review().await;
                out.send(Reviewed {
                    lines: r.lines(),
                    settled: r.settled(),
                })
                .await;
            }),
        }]
    }
}

impl Modal for BootstrapWizard {
    fn label(&self) -> String {
        "bootstrap wizard".into()
    }

    fn key(&mut self, shell: &mut Shell, key: KeyEvent) -> Reply {
        let running = shell.running.keys().any(|id| id.pane == MODAL);
        match (&self.screen, key.code) {
            // A change under way is seen through; leaving would hide its end.
            (_, KeyCode::Esc) if running => {
                shell.flash(FlashLevel::Info, "the bootstrap is being applied");
                Reply::stay()
            }
            (_, KeyCode::Esc) => Reply::close(),
            (Screen::Path, KeyCode::Enter) => Reply {
                effects: self.submit_path(),
                ..Reply::stay()
            },
            (Screen::Path, _) => {
                self.path.handle(key);
                Reply::stay()
            }
            (Screen::Review, KeyCode::Down) => {
                self.scroll = (self.scroll + 1).min(self.review.len().saturating_sub(1));
                Reply::stay()
            }
            (Screen::Review, KeyCode::Up) => {
                self.scroll = self.scroll.saturating_sub(1);
                Reply::stay()
            }
            (Screen::Review, KeyCode::Enter) if running => Reply::stay(),
            (Screen::Review, KeyCode::Enter) if self.settled => {
                self.screen = Screen::End(Ok("nothing to change".into()));
                Reply::stay()
            }
            (Screen::Review, KeyCode::Enter) if shell.access.is_read_only() => {
                let why = shell.read_only_reason.clone();
                shell.flash(
                    FlashLevel::Warn,
                    format!("the plan is shown; nothing can be applied: {why}"),
                );
                Reply::stay()
            }
            (Screen::Review, KeyCode::Enter) => {
                if let Some(plan) = &self.plan {
                    shell.confirm(MODAL, plan.clone());
                }
                Reply::stay()
            }
            _ => Reply::stay(),
        }
    }

    fn message(&mut self, _shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(r) = msg.take::<Reviewed>() {
            self.review = r.lines;
            self.settled = r.settled;
            self.scroll = 0;
            self.screen = Screen::Review;
        }
        Vec::new()
    }

    fn plan_done(&mut self, _shell: &mut Shell, _id: PlanId, result: &Outcome) -> Vec<Effect> {
        self.screen = Screen::End(result.clone().map_err(|e| e.to_string()));
        Vec::new()
    }

    fn tasks(&self) -> Vec<TaskKey> {
        vec![REVIEW]
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
