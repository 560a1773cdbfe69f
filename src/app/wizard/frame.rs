//! The frame every wizard runs in. A wizard (a [`Flow`]) says which fields it asks
//! for and how they become a plan; the frame does the rest, the same way for each:
//! the fields, validated as they are typed; the plan checked against the live state
//! in a task and shown as a diff; the confirmation; the apply, each step's state and
//! elapsed time with a live log; the end, what to do next, and a rollback when the
//! failed step can be undone. Read-only, it shows the plan and cannot apply.

use crate::app::effect::Effect;
use crate::app::input::LineInput;
use crate::app::modal::{MODAL, Modal, Reply};
use crate::app::pane::PaneMsg;
use crate::app::shell::{FlashLevel, Shell};
use crate::app::task::{Job, PlanId, TaskKey};
use crate::core::text::SafeText;
use crate::ops::plan::{Check, Outcome, Plan, Review, step_of};
use crossterm::event::{KeyCode, KeyEvent};
use std::any::Any;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The task that checks a wizard's plan against the live state.
pub const REVIEW: TaskKey = TaskKey {
    pane: MODAL,
    name: "wizard-review",
};

/// Log lines kept while a plan runs: the newest, enough to scroll back a screen or two.
const LOG_LINES: usize = 200;

/// A field a wizard asks for.
pub struct FieldSpec {
    pub label: String,
    pub initial: String,
    /// Under the field while nothing is wrong with it.
    pub hint: String,
    /// Shown as dots (a password).
    pub secret: bool,
}

impl FieldSpec {
    pub fn new(label: &str, initial: &str, hint: &str) -> FieldSpec {
        FieldSpec {
            label: label.into(),
            initial: initial.into(),
            hint: hint.into(),
            secret: false,
        }
    }
}

/// What one wizard brings to the frame.
pub trait Flow: Send + 'static {
    /// Its name, in the frame's title (`Bootstrap`).
    fn title(&self) -> &'static str;
    /// The fields it asks for, in order.
    fn fields(&self) -> Vec<FieldSpec>;
    /// What is wrong with field `index` as typed so far, if anything: shown under it
    /// at once, and it cannot be submitted so.
    fn check_field(&self, _index: usize, _value: &str) -> Option<String> {
        None
    }
    /// Fields the values so far call for and that are not there yet (a variable the
    /// file needs and nothing sets), asked before the plan is made.
    fn more_fields(&mut self, _fields: &[(String, String)]) -> Vec<FieldSpec> {
        Vec::new()
    }
    /// The plan the fields ask for (label and value each), or what is wrong with them
    /// (a line each).
    fn prepare(&mut self, fields: &[(String, String)]) -> Result<Plan, Vec<String>>;
    /// What to do next once it ended, well or not.
    fn next_steps(&self, ok: bool) -> Vec<String>;
}

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Filling the fields.
    Fields,
    /// Checking the plan against the live state.
    Checking,
    /// The diff, to read and confirm.
    Review,
    /// The plan (or the rollback) runs.
    Applying,
    /// How it ended.
    End(Result<String, String>),
}

/// How far one step of the plan got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// To do, not begun.
    Waiting,
    /// Nothing to do: the check found it done.
    Unchanged,
    Running(Instant),
    Done(Duration),
    Failed(Duration),
    /// The plan stopped before it.
    NotRun,
}

#[derive(Debug, Clone)]
pub struct StepRun {
    pub what: SafeText,
    pub state: RunState,
}

pub struct Field {
    pub spec: FieldSpec,
    pub input: LineInput,
    pub problem: Option<String>,
}

pub struct Wizard<F: Flow> {
    pub flow: F,
    pub screen: Screen,
    pub fields: Vec<Field>,
    /// The field that takes the keys.
    pub focus: usize,
    /// What is wrong with the fields as a whole (the file they name).
    pub errors: Vec<SafeText>,
    pub review: Vec<SafeText>,
    pub settled: bool,
    pub scroll: usize,
    pub runs: Vec<StepRun>,
    pub log: VecDeque<SafeText>,
    /// The step the plan was at when it failed (0-based).
    pub failed: Option<usize>,
    /// What would undo the failed step, offered at the end.
    pub rollback: Option<Plan>,
    /// The rollback is what runs (or ran) now.
    pub rolling_back: bool,
    plan: Option<Plan>,
}

/// What the review task found.
struct Reviewed(Review);

/// The review task's message, as it sends it (for tests that have no live state).
#[cfg(test)]
pub fn review_message(review: Review) -> crate::app::msg::Msg {
    crate::app::msg::Msg::to_pane(MODAL, Reviewed(review))
}

impl<F: Flow> Wizard<F> {
    pub fn new(flow: F) -> Wizard<F> {
        let fields = flow
            .fields()
            .into_iter()
            .map(|spec| Field {
                input: LineInput::new(&spec.initial),
                spec,
                problem: None,
            })
            .collect();
        Wizard {
            flow,
            screen: Screen::Fields,
            fields,
            focus: 0,
            errors: Vec::new(),
            review: Vec::new(),
            settled: false,
            scroll: 0,
            runs: Vec::new(),
            log: VecDeque::new(),
            failed: None,
            rollback: None,
            rolling_back: false,
            plan: None,
        }
    }

    pub fn value(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", |f| f.input.value())
    }

    fn recheck(&mut self, index: usize) {
        let value = self.value(index).to_string();
        if let Some(f) = self.fields.get_mut(index) {
            f.problem = self.flow.check_field(index, &value);
        }
    }

    /// Check the fields; if they are right, check their plan against the live state.
    fn submit(&mut self) -> Vec<Effect> {
        for i in 0..self.fields.len() {
            self.recheck(i);
        }
        if let Some(i) = self.fields.iter().position(|f| f.problem.is_some()) {
            self.focus = i;
            return Vec::new();
        }
        let values: Vec<(String, String)> = self
            .fields
            .iter()
            .map(|f| (f.spec.label.clone(), f.input.value().to_string()))
            .collect();
        let more = self.flow.more_fields(&values);
        if !more.is_empty() {
            // Asked for now, with what they are for; Enter again makes the plan.
            self.focus = self.fields.len();
            self.errors = vec![SafeText::trusted(format!(
                "{} more value{} needed (below).",
                more.len(),
                if more.len() == 1 { " is" } else { "s are" }
            ))];
            self.fields.extend(more.into_iter().map(|spec| Field {
                input: LineInput::new(&spec.initial),
                spec,
                problem: None,
            }));
            return Vec::new();
        }
        let plan = match self.flow.prepare(&values) {
            Ok(p) => p,
            Err(errors) => {
                self.errors = errors.iter().map(|e| SafeText::new(e)).collect();
                return Vec::new();
            }
        };
        self.errors.clear();
        self.screen = Screen::Checking;
        self.plan = Some(plan.clone());
        vec![Effect::Start {
            key: REVIEW,
            job: Job::new("wizard review", move |out, _cancel| async move {
                out.send(Reviewed(plan.review().await)).await;
            }),
        }]
    }

    fn reviewed(&mut self, r: Review) {
        self.review = r.lines().iter().map(|l| SafeText::new(l)).collect();
        self.settled = r.settled();
        self.runs = r
            .steps
            .iter()
            .map(|(what, check)| StepRun {
                what: SafeText::new(what),
                state: match check {
                    Ok(Check::Unchanged) => RunState::Unchanged,
                    _ => RunState::Waiting,
                },
            })
            .collect();
        self.scroll = 0;
        self.screen = Screen::Review;
    }

    /// The plan began step `i` (1-based): the one before has ended, and the steps it
    /// passed over were found done when it checked them again.
    fn step_began(&mut self, i: usize) {
        let now = Instant::now();
        for run in self.runs.iter_mut().take(i - 1) {
            run.state = match run.state {
                RunState::Running(t) => RunState::Done(now - t),
                RunState::Waiting => RunState::Unchanged,
                s => s,
            };
        }
        if let Some(run) = self.runs.get_mut(i - 1) {
            run.state = RunState::Running(now);
        }
    }

    fn log_line(&mut self, text: &str) {
        if self.log.len() == LOG_LINES {
            self.log.pop_front();
        }
        self.log.push_back(SafeText::new(text));
    }

    fn ended(&mut self, result: &Outcome) {
        let now = Instant::now();
        let ok = result.is_ok();
        for (i, run) in self.runs.iter_mut().enumerate() {
            run.state = match (run.state, ok) {
                (RunState::Running(t), true) => RunState::Done(now - t),
                (RunState::Running(t), false) => {
                    self.failed = Some(i);
                    RunState::Failed(now - t)
                }
                // A step not begun by a plan that ended well was done already.
                (RunState::Waiting, true) => RunState::Unchanged,
                (RunState::Waiting, false) => RunState::NotRun,
                (s, _) => s,
            };
        }
        self.rollback = match (self.failed, &self.plan) {
            (Some(i), Some(plan)) => plan
                .steps()
                .get(i)
                .and_then(|s| s.undo())
                .map(|u| Plan::of(vec![u])),
            _ => None,
        };
        self.screen = Screen::End(result.clone().map_err(|e| e.to_string()));
    }

    /// Ask to run `plan` (the shell confirms it), unless read-only.
    fn ask(&self, shell: &mut Shell, plan: Option<&Plan>) {
        if shell.access.is_read_only() {
            let why = shell.read_only_reason.clone();
            shell.flash(
                FlashLevel::Warn,
                format!("the plan is shown; nothing can be applied: {why}"),
            );
        } else if let Some(plan) = plan {
            shell.confirm(MODAL, plan.clone());
        }
    }

    fn scroll_by(&mut self, delta: isize) {
        let last = self.review.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }

    /// Keys while a field takes them.
    fn field_key(&mut self, key: KeyEvent) -> Reply {
        let n = self.fields.len();
        match key.code {
            KeyCode::Enter => {
                return Reply {
                    effects: self.submit(),
                    ..Reply::stay()
                };
            }
            KeyCode::Tab | KeyCode::Down if n > 0 => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up if n > 0 => self.focus = (self.focus + n - 1) % n,
            _ => {
                if let Some(f) = self.fields.get_mut(self.focus)
                    && f.input.handle(key)
                {
                    self.recheck(self.focus);
                }
            }
        }
        Reply::stay()
    }
}

impl<F: Flow> Modal for Wizard<F> {
    fn label(&self) -> String {
        format!("{} wizard", self.flow.title().to_lowercase())
    }

    fn key(&mut self, shell: &mut Shell, key: KeyEvent) -> Reply {
        let running = shell.running.keys().any(|id| id.pane == MODAL);
        if key.code == KeyCode::Esc {
            if running {
                // A change under way is seen through; leaving would hide its end.
                shell.flash(
                    FlashLevel::Info,
                    "a change is under way: its end is shown here",
                );
                return Reply::stay();
            }
            return Reply::close();
        }
        match &self.screen {
            Screen::Fields => return self.field_key(key),
            Screen::Review => match key.code {
                KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1),
                KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1),
                KeyCode::PageDown => self.scroll_by(10),
                KeyCode::PageUp => self.scroll_by(-10),
                KeyCode::Enter if running => {}
                KeyCode::Enter if self.settled => {
                    self.screen = Screen::End(Ok("nothing to change".into()));
                }
                KeyCode::Enter => self.ask(shell, self.plan.as_ref()),
                _ => {}
            },
            Screen::End(Err(_)) if key.code == KeyCode::Char('r') && !running => {
                if self.rollback.is_some() && !shell.access.is_read_only() {
                    // The only plan that can run from here.
                    self.rolling_back = true;
                }
                self.ask(shell, self.rollback.as_ref());
            }
            _ => {}
        }
        Reply::stay()
    }

    fn message(&mut self, _shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(Reviewed(r)) = msg.take::<Reviewed>() {
            self.reviewed(r);
        }
        Vec::new()
    }

    fn plan_progress(&mut self, _shell: &mut Shell, _id: PlanId, text: &str) {
        if self.screen != Screen::Applying {
            // Confirmed: the first line says it has begun.
            self.screen = Screen::Applying;
            self.log.clear();
        }
        if !self.rolling_back
            && let Some((i, _)) = step_of(text)
        {
            self.step_began(i);
        }
        self.log_line(text);
    }

    fn plan_done(&mut self, _shell: &mut Shell, _id: PlanId, result: &Outcome) -> Vec<Effect> {
        if self.rolling_back {
            // The rollback's outcome is the end now; it is not offered again.
            self.rollback = None;
            self.screen = Screen::End(result.clone().map_err(|e| e.to_string()));
        } else {
            self.ended(result);
        }
        let line = match result {
            Ok(s) => format!("done: {s}"),
            Err(e) => format!("failed: {e}"),
        };
        self.log_line(&line);
        Vec::new()
    }

    fn next_redraw(&self) -> Option<u64> {
        // A running step's elapsed time counts seconds.
        (self.screen == Screen::Applying).then_some(1)
    }

    fn tasks(&self) -> Vec<TaskKey> {
        vec![REVIEW]
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
