//! Everything the screen shows, owned by the run loop and changed only by `update`.

use super::input::LineInput;
use super::logs::LogView;
use super::swarm::view::SwarmView;
use super::tab::Tab;
use super::table::Table;
use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::ops::SwarmOp;
use crate::config::keymap::Keymap;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::sync::Arc;

pub struct State {
    pub tab: Tab,
    pub access: AccessMode,
    pub keymap: Keymap,
    pub swarm: SwarmPane,
    pub logs: Option<LogView>,
    /// Stats of the one container the user opened (`x` on a task).
    pub stats: Option<StatsView>,
    pub overlay: Overlay,
    /// The last outcome or problem, shown until the next key.
    pub flash: Option<Flash>,
    /// Problems with the user's config files, listed in help.
    pub warnings: Vec<SafeText>,
    pub size: (u16, u16),
    /// Where ages are measured from; replaced in tests for stable output.
    pub clock: fn() -> Timestamp,
    pub quit: bool,
    /// Something visible changed since the last frame.
    pub dirty: bool,
    generation_counter: u64,
}

pub struct SwarmPane {
    pub status: SourceStatus,
    pub snapshot: Option<Arc<SwarmSnapshot>>,
    /// Drill-down levels; never empty.
    pub levels: Vec<Level>,
}

pub struct Level {
    pub view: SwarmView,
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    pub generation: u64,
    /// The task whose container this is; stats close when its view does.
    pub task_id: String,
    pub service_id: String,
    pub latest: Option<crate::backend::swarm::stats::ContainerStats>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: SafeText,
    pub level: FlashLevel,
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
    Filter,
    Search,
    Scale {
        service_id: String,
        service: String,
        current: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub op: SwarmOp,
    /// Exactly what will happen.
    pub text: String,
    /// Irreversible: the dialog starts on Cancel and is drawn in the danger style.
    pub danger: bool,
    pub yes_focused: bool,
}

impl State {
    pub fn new(access: AccessMode, keymap: Keymap, warnings: Vec<SafeText>) -> State {
        let flash = warnings.first().map(|w| Flash {
            text: SafeText::trusted(format!("{} config warning(s), see ? : {w}", warnings.len())),
            level: FlashLevel::Warn,
        });
        State {
            tab: Tab::Swarm,
            access,
            keymap,
            swarm: SwarmPane {
                status: SourceStatus::Connecting,
                snapshot: None,
                levels: vec![Level::new(SwarmView::Stacks)],
            },
            logs: None,
            stats: None,
            overlay: Overlay::None,
            flash,
            warnings,
            size: (80, 24),
            clock: Timestamp::now,
            quit: false,
            dirty: true,
            generation_counter: 0,
        }
    }

    /// A fresh id for a log or stats stream, so messages of closed streams are ignored.
    pub fn next_generation(&mut self) -> u64 {
        self.generation_counter += 1;
        self.generation_counter
    }

    /// Rows of table body that fit on screen (tabs, borders, header, status bar).
    pub fn table_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(5)).max(1)
    }

    pub fn flash(&mut self, level: FlashLevel, text: impl Into<String>) {
        self.flash = Some(Flash {
            text: SafeText::new(&text.into()),
            level,
        });
    }
}

impl Level {
    pub fn new(view: SwarmView) -> Level {
        let table = Table::new(super::swarm::rows::columns(&view));
        Level { view, table }
    }
}

impl SwarmPane {
    pub fn level(&self) -> &Level {
        self.levels.last().expect("levels is never empty")
    }

    pub fn level_mut(&mut self) -> &mut Level {
        self.levels.last_mut().expect("levels is never empty")
    }

    /// Rebuild every level's rows from the current snapshot; true if any row changed.
    pub fn rebuild(&mut self, now: Timestamp) -> bool {
        let Some(snap) = self.snapshot.clone() else {
            return false;
        };
        let mut changed = false;
        for l in &mut self.levels {
            changed |= l
                .table
                .set_rows(super::swarm::rows::rows(&l.view, &snap, now));
        }
        changed
    }

    pub fn swarm_manager(&self) -> bool {
        self.snapshot
            .as_ref()
            .is_none_or(|s| s.engine.swarm_manager)
    }
}
