//! The Swarm pane's state and its side of the `Pane` trait.

use super::msg::SwarmMsg;
use super::view::SwarmView;
use super::{actions, writes};
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::logs::LogView;
use crate::app::pane::{Feed, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::{FlashLevel, Shell};
use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::stats::ContainerStats;
use crate::backend::swarm::watch::{Faults, SwarmFeed, SwarmWatcher};
use crate::config::keymap::Section;
use crate::core::action::Action;
use crate::core::status::SourceStatus;
use crate::core::time::Timestamp;
use crate::ui::theme::Theme;
use futures::StreamExt;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

pub const ID: PaneId = "swarm";
pub const SECTION: Section = Section::named("swarm");

pub struct SwarmPane {
    pub endpoint: Endpoint,
    pub status: SourceStatus,
    pub snapshot: Option<Arc<SwarmSnapshot>>,
    pub levels: Levels<SwarmView>,
    /// The log viewer, when open (it covers the table).
    pub logs: Option<LogView>,
    /// Stats of the one container the user opened (`x` on a task).
    pub stats: Option<StatsView>,
    watcher: Option<SwarmWatcher>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    pub generation: u64,
    /// The task whose container this is; stats close when its view does.
    pub task_id: String,
    pub service_id: String,
    pub latest: Option<ContainerStats>,
    pub error: Option<String>,
}

pub fn level(view: SwarmView) -> Level<SwarmView> {
    let columns = super::rows::columns(&view);
    Level::new(view, columns)
}

impl SwarmPane {
    pub fn new(endpoint: Endpoint) -> SwarmPane {
        SwarmPane {
            endpoint,
            status: SourceStatus::Connecting,
            snapshot: None,
            levels: Levels::new(level(SwarmView::Stacks)),
            logs: None,
            stats: None,
            watcher: None,
        }
    }

    pub fn level(&self) -> &Level<SwarmView> {
        self.levels.current()
    }

    pub fn level_mut(&mut self) -> &mut Level<SwarmView> {
        self.levels.current_mut()
    }

    /// Rebuild every level's rows from the current snapshot; true if any row changed.
    pub fn rebuild(&mut self, now: Timestamp) -> bool {
        let Some(snap) = self.snapshot.clone() else {
            return false;
        };
        let mut changed = false;
        for l in self.levels.iter_mut() {
            changed |= l.table.set_rows(super::rows::rows(&l.view, &snap, now));
        }
        changed
    }

    pub fn swarm_manager(&self) -> bool {
        self.snapshot
            .as_ref()
            .is_none_or(|s| s.engine.swarm_manager)
    }

    fn feed(&mut self, shell: &mut Shell, feed: SwarmFeed) {
        let manager_changed = feed
            .snapshot
            .as_ref()
            .is_some_and(|s| s.engine.swarm_manager != self.swarm_manager());
        let status_changed = self.status != feed.status;
        self.status = feed.status;
        if let Some(s) = feed.snapshot {
            self.snapshot = Some(s);
        }
        if manager_changed {
            // The engine joined or left a swarm: its top-level views changed.
            actions::reset_views(self);
        }
        let rows_changed = self.rebuild(shell.now());
        // Nothing visible changed, nothing to draw: an idle lab writes no bytes.
        shell.dirty |= status_changed || rows_changed || manager_changed;
    }
}

impl Pane for SwarmPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "Swarm"
    }

    fn jump(&self) -> Action {
        Action::TabSwarm
    }

    fn sections(&self) -> Vec<Section> {
        if self.logs.is_some() {
            vec![Section::LOGS]
        } else {
            vec![SECTION, Section::TABLE]
        }
    }

    fn own_sections(&self) -> &'static [&'static str] {
        &["swarm"]
    }

    fn words(&self) -> Vec<&'static str> {
        SwarmView::WITH_COMMANDS
            .iter()
            .filter_map(SwarmView::command)
            .collect()
    }

    fn command(&mut self, shell: &mut Shell, word: &str) -> Vec<Effect> {
        match SwarmView::from_command(word) {
            Some(v) => actions::show_view(self, shell, v),
            None => Vec::new(),
        }
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        let mut effects = if action.writes() {
            writes::start(self, shell, action);
            Vec::new()
        } else {
            actions::run(self, shell, action)
        };
        effects.extend(actions::close_stats_if_hidden(self));
        effects
    }

    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        let Ok(msg) = msg.take::<SwarmMsg>() else {
            return Vec::new();
        };
        match msg {
            SwarmMsg::Feed(feed) => self.feed(shell, feed),
            SwarmMsg::Log { generation, feed } => {
                if let Some(l) = self.logs.as_mut().filter(|l| l.generation == generation) {
                    l.feed(feed);
                    shell.dirty = true;
                }
            }
            SwarmMsg::Stats { generation, sample } => {
                if let Some(st) = self.stats.as_mut().filter(|s| s.generation == generation) {
                    match sample {
                        Ok(s) => {
                            st.latest = Some(s);
                            st.error = None;
                        }
                        Err(e) => st.error = Some(e),
                    }
                    shell.dirty = true;
                }
            }
        }
        Vec::new()
    }

    fn input(
        &mut self,
        shell: &mut Shell,
        purpose: &str,
        value: &str,
        event: InputEvent,
    ) -> Result<Vec<Effect>, String> {
        match (purpose, event) {
            ("filter", InputEvent::Cancelled) => self.level_mut().table.set_filter(""),
            ("filter", _) => self.level_mut().table.set_filter(value),
            ("search", InputEvent::Submitted) => {
                if let Some(why) = self.logs.as_mut().and_then(|l| l.search_for(value)) {
                    shell.flash(FlashLevel::Info, why);
                }
            }
            (p, InputEvent::Submitted) => return writes::submit(self, shell, p, value),
            _ => {}
        }
        Ok(Vec::new())
    }

    fn hints(&self) -> Vec<Action> {
        use Action::*;
        if self.logs.is_some() {
            return vec![Back, Follow, Timestamps, Filter, SearchNext];
        }
        match &self.level().view {
            SwarmView::Stacks => vec![Open, Filter, ViewNext, Remove],
            SwarmView::Services { .. } => vec![
                Open, Logs, Scale, Redeploy, Rollback, Remove, Describe, Filter, Back,
            ],
            SwarmView::Tasks { .. } => vec![Logs, Stats, Describe, Filter, SortNext, Back],
            SwarmView::Nodes => vec![Describe, Filter, SortNext, ViewNext],
            SwarmView::Describe { .. } => vec![Back, Filter],
            SwarmView::Projects => vec![Open, Filter, ViewNext],
            _ => vec![Filter, SortNext, ViewNext, Back],
        }
    }

    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        match &self.logs {
            Some(logs) => crate::ui::panes::logs::render(f, area, shell, logs, theme),
            None => crate::ui::panes::swarm::render(f, area, self, shell, theme),
        }
    }

    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        Some(Summary {
            text: "swarm".into(),
            status: self.status.clone(),
        })
    }

    fn touch(&mut self, now: Timestamp) -> bool {
        self.rebuild(now)
    }

    fn hidden(&mut self, _shell: &mut Shell) -> Vec<Effect> {
        actions::close_stats_if_hidden_on(self, false)
            .into_iter()
            .collect()
    }

    fn start(&mut self, cancel: &CancellationToken) -> Vec<Feed> {
        let w = SwarmWatcher::spawn_with(
            self.endpoint.clone(),
            cancel.child_token(),
            Faults::from_env(),
        );
        let feed = crate::app::feed::watch_stream(w.feed.clone())
            .map(|f| PaneMsg::new(SwarmMsg::Feed(f)))
            .boxed();
        self.watcher = Some(w);
        vec![feed]
    }

    fn refresh(&self) {
        if let Some(w) = &self.watcher {
            w.refresh();
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
