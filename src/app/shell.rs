//! The parts of the state every pane shares: access mode, keymap, overlays (help,
//! input line, confirmation), the flash line, a write's progress, the terminal size.

use super::effect::Effect;
use super::input::LineInput;
use super::pane::PaneId;
use super::task::PlanId;
use crate::config::keymap::Keymap;
use crate::core::access::{AccessMode, READ_ONLY_REASON};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::ops::plan::{Danger, Plan};

pub struct Shell {
    pub access: AccessMode,
    /// Why writes are off, when they are (the flag, the variable, or a broken file).
    pub read_only_reason: String,
    pub keymap: Keymap,
    pub overlay: Overlay,
    /// The last outcome or problem, shown until the next key.
    pub flash: Option<Flash>,
    /// A write under way: what it is doing now.
    pub progress: Option<SafeText>,
    /// Problems with the user's config files, listed in help.
    pub warnings: Vec<SafeText>,
    pub size: (u16, u16),
    /// Where ages are measured from; replaced in tests for stable output.
    pub clock: fn() -> Timestamp,
    pub quit: bool,
    /// Something visible changed since the last frame.
    pub dirty: bool,
    /// `:` lines run, newest last (↑/↓ in the command line), at most `HISTORY`.
    pub history: Vec<String>,
    /// Plans under way, with what each does: quitting asks first while any runs.
    pub running: std::collections::BTreeMap<PlanId, SafeText>,
    /// The modal slot: a picker, a form, a wizard over the panes (see `modal`).
    pub modal: Option<Box<dyn super::modal::Modal>>,
    generation_counter: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: SafeText,
    pub level: FlashLevel,
    /// It has been on screen: the next key may clear it. A flash set in the same batch
    /// as a key (a plan's outcome) stays until a frame has shown it.
    pub drawn: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashLevel {
    Info,
    Ok,
    Warn,
    Err,
}

#[derive(Debug, Clone, Default)]
pub enum Overlay {
    #[default]
    None,
    Help {
        scroll: u16,
    },
    Input {
        kind: InputKind,
        input: Box<LineInput>,
    },
    Confirm(Confirm),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    Command,
    /// The active pane's filter (as you type) or search (on enter); the pane decides.
    Filter,
    Search,
    /// A value the active pane asked for; `purpose` tells it which.
    Prompt {
        purpose: String,
        prompt: SafeText,
    },
}

/// What a confirmation does on yes.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Apply(Plan),
    /// Quit although plans run (each stops before its next step).
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub pane: PaneId,
    pub then: Then,
    /// Exactly what will happen: a line per step (a plan over marked rows has several).
    pub lines: Vec<SafeText>,
    /// Irreversible: drawn in the danger style, and only `y` confirms.
    pub danger: bool,
    /// Where the focus starts: on Confirm only for a plan that stops nothing.
    pub yes_focused: bool,
}

impl Confirm {
    /// The whole text, a line per step.
    pub fn text(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(SafeText::as_str).collect();
        lines.join("\n")
    }
}

/// Command lines kept for ↑/↓.
pub const HISTORY: usize = 100;

impl Shell {
    pub fn new(access: AccessMode, keymap: Keymap, mut warnings: Vec<SafeText>) -> Shell {
        // Panes that read one file (the inventory) each say what is wrong with it: said
        // once.
        let mut seen = std::collections::HashSet::new();
        warnings.retain(|w| seen.insert(w.as_str().to_string()));
        let flash = warnings.first().map(|w| Flash {
            text: SafeText::trusted(format!("{} config warning(s), see ? : {w}", warnings.len())),
            level: FlashLevel::Warn,
            drawn: false,
        });
        Shell {
            access,
            read_only_reason: READ_ONLY_REASON.into(),
            keymap,
            overlay: Overlay::None,
            flash,
            progress: None,
            warnings,
            size: (80, 24),
            clock: Timestamp::now,
            quit: false,
            dirty: true,
            history: Vec::new(),
            running: Default::default(),
            modal: None,
            generation_counter: 0,
        }
    }

    /// A fresh id for a stream, so messages of closed streams are ignored.
    pub fn next_generation(&mut self) -> u64 {
        self.generation_counter += 1;
        self.generation_counter
    }

    /// Rows of table body that fit on screen (tabs, borders, header, status bar).
    pub fn table_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(5)).max(1)
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn flash(&mut self, level: FlashLevel, text: impl Into<String>) {
        self.flash = Some(Flash {
            text: SafeText::new(&text.into()),
            level,
            drawn: false,
        });
    }

    /// A frame was drawn: nothing is left to draw, and the flash has been seen, unless
    /// a write's progress line stood in its place.
    pub fn drawn(&mut self) {
        self.dirty = false;
        if self.progress.is_none()
            && let Some(f) = &mut self.flash
        {
            f.drawn = true;
        }
    }

    /// Ask before running `plan`: the dialog says where and exactly what it does.
    /// Disruptive and irreversible plans start on Cancel.
    pub fn confirm(&mut self, pane: PaneId, plan: Plan) {
        let danger = plan.danger() == Danger::Irreversible;
        self.overlay = Overlay::Confirm(Confirm {
            pane,
            lines: plan
                .confirm_lines()
                .iter()
                .map(|l| SafeText::new(l))
                .collect(),
            yes_focused: plan.danger() == Danger::Reversible,
            then: Then::Apply(plan),
            danger,
        });
    }

    /// Open `modal` over the panes (in place of one already open).
    pub fn open_modal(&mut self, modal: Box<dyn super::modal::Modal>) {
        tracing::debug!(modal = %modal.label(), "modal opened");
        self.modal = Some(modal);
        self.dirty = true;
    }

    /// Start `plan` for `pane` under an id of its own; it counts as running until its
    /// outcome comes back.
    pub fn start_plan(&mut self, pane: PaneId, plan: Plan) -> Effect {
        let id = PlanId {
            pane,
            serial: self.next_generation(),
        };
        self.running.insert(id, SafeText::new(&plan.describe()));
        Effect::Apply { id, plan }
    }

    /// Quit, or while plans run, ask first: they are stopped before their next step,
    /// and the runtime waits for the step under way before it goes.
    pub fn quit(&mut self, pane: PaneId) -> Vec<Effect> {
        if self.running.is_empty() {
            self.quit = true;
            return vec![Effect::Quit];
        }
        let mut lines = vec![SafeText::trusted(format!(
            "{} change(s) still running:",
            self.running.len()
        ))];
        lines.extend(self.running.values().cloned());
        lines.push(SafeText::trusted(
            "Quit now? Each ends the step under way, then stops; what they have not begun is not done.",
        ));
        self.overlay = Overlay::Confirm(Confirm {
            pane,
            then: Then::Quit,
            lines,
            danger: false,
            yes_focused: false,
        });
        vec![]
    }

    /// Open the input line.
    pub fn prompt(&mut self, kind: InputKind, initial: &str) {
        self.overlay = Overlay::Input {
            kind,
            input: Box::new(LineInput::new(initial)),
        };
    }
}
