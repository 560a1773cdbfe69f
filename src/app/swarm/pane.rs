//! The Swarm pane's state and its side of the `Pane` trait.

use super::msg::SwarmMsg;
use super::verbs::SwarmVerb;
use super::view::SwarmView;
use super::{actions, writes};
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::logs::{LogFeed, LogView};
use crate::app::pane::{Feed, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::{FlashLevel, Shell};
use crate::app::sources;
use crate::app::task::PlanId;
use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::stats::ContainerStats;
use crate::backend::swarm::watch::SwarmWatcher;
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::ops::plan::{Outcome, Plan};
use std::any::Any;
use std::sync::Arc;

pub const ID: PaneId = "swarm";
/// The `:` word of the engines picker.
const ENGINES: &str = "engines";
pub const SECTION: Section = Section::named("swarm");
/// Keys of the nodes view (drain, pause, ...), looked up before the pane's.
pub const NODES_SECTION: Section = Section::named("swarm-nodes");

pub struct SwarmPane {
    /// Every engine watched, in config order; never empty.
    pub engines: Vec<Engine>,
    pub levels: Levels<SwarmView>,
    /// The log viewer, when open (it covers the table).
    pub logs: Option<LogView>,
    /// Stats of the one container the user opened (`x` on a task).
    pub stats: Option<StatsView>,
    /// Problems with the configured engines, for help and the first flash.
    pub warnings: Vec<SafeText>,
    /// The open dialog's plan, with what to do after it if it is applied.
    pub offered: Option<super::after::Offer>,
    /// What to do after each plan applied and not yet ended (follow a redeploy or a
    /// rollback once the engine accepts it; unmark the rows acted on), by plan.
    pub pending: std::collections::BTreeMap<crate::app::task::PlanId, super::after::After>,
    /// The rolling update being followed: its state is the progress line until it ends.
    pub following: Option<Follow>,
    /// How rows are asked for (finished tasks hidden or not).
    pub options: super::rows::Options,
    /// The object the describe view shows, as the engine has it (read when it opened).
    pub raw: Option<Raw>,
    /// The engine the open log comes from (its snapshot names the lines' tasks).
    pub log_engine: Option<String>,
    /// Down nodes and failing services, for the tab bar; made when a snapshot comes, so
    /// drawing the tab bar costs nothing.
    pub alert: Option<SafeText>,
    /// Engines whose feed brought news in this batch of messages, by name.
    pub(super) due: std::collections::BTreeSet<String>,
    /// Which views make sense, as last worked out (see `kinds`).
    pub(super) kinds_shown: (bool, bool),
    /// With several engines, every engine's container health together: a manager lists
    /// tasks on other nodes, whose health only their own engines know.
    pub(super) health: super::rows::HealthMap,
    /// The ZFS sources, for where each service's data is.
    pub storage: super::storage::Storage,
}

/// One object read whole for describe: its spec fields join the view when it comes.
#[derive(Debug, Clone)]
pub struct Raw {
    pub generation: u64,
    pub id: String,
    pub value: Result<Option<Arc<serde_json::Value>>, String>,
}

/// A service whose rolling update labdeck started, seen through the engine's update
/// state (not through the write's reply, which comes when the update has only begun).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub engine: String,
    pub service_id: String,
    pub service: String,
    /// `redeploying`, `rolling back`.
    pub verb: &'static str,
    /// The service's version before the write: older update states are not this one's.
    pub version_before: u64,
}

/// One Docker engine: where it is, how fresh its data is, and the data.
pub struct Engine {
    pub endpoint: Endpoint,
    pub status: SourceStatus,
    pub snapshot: Option<Arc<SwarmSnapshot>>,
    watcher: Option<SwarmWatcher>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsView {
    pub generation: u64,
    /// The engine and task whose container this is; stats close when its view does.
    pub engine: String,
    pub task_id: String,
    pub service_id: String,
    pub latest: Option<ContainerStats>,
    /// The last samples, oldest first, for the charts (bounded: `STATS_KEPT`).
    pub history: std::collections::VecDeque<ContainerStats>,
    pub error: Option<String>,
}

impl StatsView {
    /// The task's short ID, as the tables show it.
    pub fn short_task(&self) -> &str {
        crate::backend::swarm::query::short_id(&self.task_id)
    }
}

/// Samples kept for the stats charts: two minutes at the engine's one a second.
pub const STATS_KEPT: usize = 120;

impl SwarmPane {
    pub fn new(endpoint: Endpoint) -> SwarmPane {
        SwarmPane::with_engines(vec![endpoint])
    }

    /// A pane over `endpoints` (at least one: the local one if the list is empty).
    pub fn with_engines(mut endpoints: Vec<Endpoint>) -> SwarmPane {
        if endpoints.is_empty() {
            endpoints.push(Endpoint::from_value(None));
        }
        let engines: Vec<Engine> = endpoints
            .into_iter()
            .map(|endpoint| Engine {
                endpoint,
                status: SourceStatus::Connecting,
                snapshot: None,
                watcher: None,
            })
            .collect();
        let multi = engines.len() > 1;
        SwarmPane {
            engines,
            levels: Levels::new(level_for(SwarmView::Stacks, None, multi)),
            logs: None,
            stats: None,
            warnings: Vec::new(),
            offered: None,
            pending: Default::default(),
            following: None,
            options: Default::default(),
            raw: None,
            log_engine: None,
            alert: None,
            health: Default::default(),
            storage: Default::default(),
            due: Default::default(),
            kinds_shown: (true, false),
        }
    }

    pub fn multi(&self) -> bool {
        self.engines.len() > 1
    }

    /// A level for `view`, about engine `source` (or all).
    pub fn level_of(&self, view: SwarmView, source: Option<String>) -> Level<SwarmView> {
        level_for(view, source, self.multi())
    }

    pub fn level(&self) -> &Level<SwarmView> {
        self.levels.current()
    }

    pub fn level_mut(&mut self) -> &mut Level<SwarmView> {
        self.levels.current_mut()
    }

    /// The engine named `name`.
    pub fn engine(&self, name: &str) -> Option<&Engine> {
        sources::find(&self.engines, name).map(|(_, e)| e)
    }

    pub fn snap(&self, engine: &str) -> Option<Arc<SwarmSnapshot>> {
        self.engine(engine).and_then(|e| e.snapshot.clone())
    }

    /// The selected row as (engine name, object id).
    pub fn selected(&self) -> Option<(String, String)> {
        let level = self.level();
        let key = level.table.selected_key()?;
        let only = self.engines[0].endpoint.name.as_str();
        Some(sources::split_key(level.source.as_deref(), key, only))
    }

    /// Does any engine run a swarm manager / a plain engine? (Which views make sense.)
    pub fn kinds(&self) -> (bool, bool) {
        let known: Vec<bool> = self
            .engines
            .iter()
            .filter_map(|e| e.snapshot.as_ref().map(|s| s.engine.swarm_manager))
            .collect();
        if known.is_empty() {
            return (true, false);
        }
        (known.iter().any(|m| *m), known.iter().any(|m| !*m))
    }

    pub fn swarm_manager(&self) -> bool {
        self.kinds().0
    }

    /// While an update labdeck started runs, its state is the progress line; when the
    /// engine says it ended (completed, paused, rolled back), that is said once and the
    /// line goes.
    pub fn follow_update(&mut self, shell: &mut Shell) {
        let Some(f) = self.following.clone() else {
            return;
        };
        let Some(svc) = self
            .snap(&f.engine)
            .and_then(|s| s.service(&f.service_id).cloned())
        else {
            self.following = None;
            shell.progress = None;
            return;
        };
        if svc.version <= f.version_before {
            return; // the engine has not recorded the write yet
        }
        let state = svc.update_state.as_ref().map(|s| s.as_str().to_string());
        let name = SafeText::new(&f.service);
        match state.as_deref() {
            Some("updating") | Some("rollback_started") | None => {
                let what = state.unwrap_or_else(|| "starting".into());
                shell.progress = Some(SafeText::new(&format!("swarm: {} {name}: {what}", f.verb)));
            }
            Some(done) => {
                self.following = None;
                shell.progress = None;
                let level = if matches!(done, "completed" | "rollback_completed") {
                    FlashLevel::Ok
                } else {
                    FlashLevel::Warn
                };
                let why = svc
                    .update_message
                    .as_ref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                shell.flash(level, format!("{} {name}: {done}{why}", f.verb));
            }
        }
        shell.dirty = true;
    }

    /// Name each line's task as `docker service logs` does (`media_plex.2@nas`), from
    /// the snapshot of the engine the log comes from.
    fn name_sources(&self, lines: &mut [crate::core::log_line::LogLine]) {
        let Some(snap) = self.log_engine.as_deref().and_then(|e| self.snap(e)) else {
            return;
        };
        let mut known: std::collections::HashMap<String, SafeText> = Default::default();
        for l in lines.iter_mut() {
            let Some(id) = l.source.as_deref() else {
                continue;
            };
            if let Some(p) = known.get(id) {
                l.prefix = p.clone();
                continue;
            }
            let name = match snap.tasks.iter().find(|t| t.id == id) {
                Some(t) => format!(
                    "{}@{}",
                    super::rows::task_name(&snap, t),
                    snap.node_name(t.node_id.as_deref())
                ),
                None => crate::backend::swarm::query::short_id(id).to_string(),
            };
            let p = SafeText::new(&name);
            known.insert(id.to_string(), p.clone());
            l.prefix = p;
        }
    }

    /// An object read for the YAML view or describe arrived.
    fn inspected(
        &mut self,
        shell: &mut Shell,
        generation: u64,
        result: Result<Arc<serde_json::Value>, String>,
    ) {
        if let Some(l) = self.logs.as_mut().filter(|l| l.generation == generation) {
            let yaml = result.and_then(|v| {
                serde_saphyr::to_string(v.as_ref()).map_err(|e| format!("not YAML: {e}"))
            });
            l.set_document(yaml.as_deref().map_err(Clone::clone));
            shell.dirty = true;
        } else if let Some(r) = self.raw.as_mut().filter(|r| r.generation == generation) {
            r.value = result.map(Some);
            shell.dirty |= self.rebuild(shell.now());
        }
    }
}

impl crate::app::sources::Source for Engine {
    fn name(&self) -> &str {
        &self.endpoint.name
    }
    fn status(&self) -> &SourceStatus {
        &self.status
    }
}

pub fn level_for(view: SwarmView, source: Option<String>, multi: bool) -> Level<SwarmView> {
    let columns = super::rows::columns(&view);
    let columns = sources::with_source_column(columns, "ENGINE", multi && source.is_none());
    Level::new(view, columns).of_source(source)
}

impl Pane for SwarmPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "Swarm"
    }

    fn tab(&self) -> &'static Verb {
        &super::verbs::TAB
    }

    fn sections(&self) -> Vec<Section> {
        if self.logs.is_some() {
            vec![Section::LOGS]
        } else if matches!(self.level().view, SwarmView::Nodes) {
            vec![NODES_SECTION, SECTION, Section::TABLE]
        } else {
            vec![SECTION, Section::TABLE]
        }
    }

    fn own_sections(&self) -> &'static [&'static str] {
        &["swarm", "swarm-nodes"]
    }

    fn verbs(&self) -> &'static [Verb] {
        SwarmVerb::all()
    }

    fn keys(&self, name: &str) -> Option<&'static str> {
        match name {
            "default" => Some(include_str!("keys/default.toml")),
            "vim" => Some(include_str!("keys/vim.toml")),
            _ => None,
        }
    }

    fn words(&self) -> Vec<&'static str> {
        let mut w: Vec<&'static str> = SwarmView::WITH_COMMANDS
            .iter()
            .filter_map(SwarmView::command)
            .collect();
        w.push(ENGINES);
        w
    }

    fn aliases(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("st", "stacks"),
            ("svc", "services"),
            ("no", "swarm-nodes"),
            ("net", "networks"),
            ("cm", "configs"),
        ]
    }

    fn command(&mut self, shell: &mut Shell, word: &str) -> Vec<Effect> {
        if word == ENGINES {
            shell.open_modal(Box::new(self.engines_picker()));
            return Vec::new();
        }
        match SwarmView::from_command(word) {
            Some(v) => actions::show_view(self, shell, v),
            None => Vec::new(),
        }
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        let mut effects = if action == SwarmVerb::Exec.act() {
            super::exec::start(self, shell)
        } else if action.writes() {
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
            SwarmMsg::Feed { engine, feed } => self.feed(shell, &engine, feed),
            SwarmMsg::Zfs { host, feed } => {
                if self.storage.feed(&host, feed) {
                    // Only a describe view shows it.
                    shell.dirty |= self.rebuild(shell.now());
                }
            }
            SwarmMsg::ShowEngine(name) => return self.show_engine(shell, name),
            SwarmMsg::Log {
                generation,
                mut feed,
            } => {
                if self
                    .logs
                    .as_ref()
                    .is_some_and(|l| l.generation == generation)
                {
                    if let LogFeed::Lines { lines, .. } = &mut feed {
                        self.name_sources(lines);
                    }
                    if let Some(l) = self.logs.as_mut() {
                        l.feed(feed);
                    }
                    shell.dirty = true;
                }
            }
            SwarmMsg::Inspected { generation, result } => self.inspected(shell, generation, result),
            SwarmMsg::Stats { generation, sample } => {
                if let Some(st) = self.stats.as_mut().filter(|s| s.generation == generation) {
                    match sample {
                        Ok(s) => {
                            if st.history.len() == STATS_KEPT {
                                st.history.pop_front();
                            }
                            st.history.push_back(s);
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
        use crate::app::logs::LogVerb as L;
        use Action::{Back, Filter, Open, SortNext, ViewNext};
        use SwarmVerb as V;
        let v = |x: SwarmVerb| x.act();
        if let Some(l) = &self.logs {
            if l.document {
                return vec![Back, Filter, L::SearchNext.act(), L::Wrap.act()];
            }
            return vec![
                Back,
                L::Follow.act(),
                L::Wrap.act(),
                L::Prefix.act(),
                L::Timestamps.act(),
                Filter,
                L::SearchNext.act(),
            ];
        }
        match &self.level().view {
            SwarmView::Stacks => vec![Open, Filter, ViewNext, v(V::Remove)],
            SwarmView::Services { .. } => vec![
                Open,
                v(V::Logs),
                v(V::Scale),
                v(V::Redeploy),
                v(V::Rollback),
                v(V::Remove),
                v(V::Describe),
                Filter,
                Back,
            ],
            SwarmView::Tasks { .. } => vec![
                v(V::Logs),
                v(V::Exec),
                v(V::Stats),
                v(V::Describe),
                Filter,
                SortNext,
                Back,
            ],
            SwarmView::Nodes => vec![
                Open,
                v(V::Drain),
                v(V::Activate),
                v(V::Pause),
                v(V::Promote),
                v(V::Demote),
                v(V::Describe),
                Filter,
                ViewNext,
            ],
            SwarmView::NodeTasks { .. } => vec![v(V::Logs), v(V::Describe), Filter, Back],
            SwarmView::Describe { .. } => vec![Back, Filter],
            SwarmView::Projects => vec![Open, Filter, ViewNext],
            _ => vec![Filter, SortNext, ViewNext, Back],
        }
    }

    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        Some(Summary {
            text: sources::summary_text("swarm", &self.engines),
            status: sources::overall(&self.engines).0,
            alert: self.alert.clone(),
        })
    }

    /// The Swarm keys work where the view's hints offer them (a task cannot be scaled).
    fn works(&self, action: Action) -> bool {
        use SwarmVerb::*;
        let Action::Verb(v) = action else {
            return true;
        };
        let view = &self.level().view;
        match SwarmVerb::of(v) {
            Some(Finished) => matches!(view, SwarmView::Tasks { .. }),
            Some(Inspect) => !matches!(view, SwarmView::Stacks | SwarmView::Projects),
            Some(Drain | Pause | Activate | Promote | Demote) => {
                matches!(view, SwarmView::Nodes)
            }
            Some(Logs | Exec | Stats | Describe | Scale | Redeploy | Rollback | Remove) => {
                self.hints().contains(&action)
            }
            None => true,
        }
    }

    fn settle(&mut self, shell: &mut Shell) -> Vec<Effect> {
        self.settle_feeds(shell)
    }

    fn plan_started(&mut self, _shell: &mut Shell, id: PlanId, plan: &Plan) {
        self.started(id, plan);
    }

    fn plan_done(&mut self, shell: &mut Shell, id: PlanId, result: &Outcome) {
        self.ended(shell, id, result);
    }

    fn next_redraw(&self, shell: &Shell) -> Option<u64> {
        if self.logs.is_some() {
            return None;
        }
        self.level()
            .table
            .next_age_change(shell.now(), shell.table_height())
    }

    fn warnings(&self) -> Vec<SafeText> {
        self.warnings.clone()
    }

    fn hidden(&mut self, _shell: &mut Shell) -> Vec<Effect> {
        actions::close_stats_if_hidden_on(self, false)
            .into_iter()
            .collect()
    }

    /// One watcher per engine, each its own feed: a dead or slow engine delays no
    /// other, and marks only its own rows stale.
    fn start(&mut self, hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        let mut feeds = Vec::new();
        for e in self.engines.iter_mut() {
            let engine = e.endpoint.name.clone();
            let w = hub.swarm(&e.endpoint);
            feeds.push(crate::app::feed::feed_of(w.feed.clone(), move |feed| {
                SwarmMsg::Feed {
                    engine: engine.clone(),
                    feed,
                }
            }));
            e.watcher = Some(w);
        }
        // The ZFS sources, shared with their own pane: where the services' data is.
        feeds.extend(
            self.storage
                .zfs_feeds(hub, |host, feed| SwarmMsg::Zfs { host, feed }),
        );
        feeds
    }

    fn identity(&self) -> Option<crate::app::pane::Identity> {
        if self.logs.is_some() {
            return None;
        }
        super::identity::selected(self)
    }

    fn refresh(&self) {
        for w in self.engines.iter().filter_map(|e| e.watcher.as_ref()) {
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
