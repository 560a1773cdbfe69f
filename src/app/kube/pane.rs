//! The Kubernetes pane's state and its side of the `Pane` trait: every cluster at once,
//! each a source of its own, its rows keyed by its name.

use super::msg::KubeMsg;
use super::rows;
use super::summary::cluster_row;
pub use super::summary::problems;
use super::verbs::KubeVerb;
use super::view::{KubeView, PodScope};
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::logs::{LogFeed, LogView};
use crate::app::pane::{Feed, Identity, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::app::sources;
use crate::backend::kube::config::ClusterSpec;
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::watch::{ClusterWatcher, KubeFeed};
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::any::Any;
use std::sync::Arc;

pub const ID: PaneId = "kube";
pub const SECTION: Section = Section::named("kube");
pub const NODES_SECTION: Section = Section::named("kube-nodes");
pub const FLUX_SECTION: Section = Section::named("kube-flux");
pub const FORWARDS_SECTION: Section = Section::named("kube-forwards");

/// One cluster: how it is configured, how fresh, and what was read.
pub struct Cluster {
    pub spec: ClusterSpec,
    pub status: SourceStatus,
    pub data: Arc<ClusterData>,
    /// The connection, once the watcher made it (describe, logs, writes).
    pub conn: Option<crate::backend::kube::conn::Conn>,
    watcher: Option<ClusterWatcher>,
}

/// What the feeds of a batch changed, for the rows to rebuild at its end.
#[derive(Debug, Default, Clone, Copy)]
struct Due {
    /// The events (only the events views read them).
    events: bool,
    /// Anything else.
    rest: bool,
}

pub struct KubePane {
    pub clusters: Vec<Cluster>,
    pub levels: Levels<KubeView>,
    /// The namespaces shown (all when empty).
    pub namespaces: Vec<String>,
    /// The log or document open over the table, if one is.
    pub logs: Option<LogView>,
    /// A feed in this batch of messages changed what the rows show.
    due: Due,
    /// The plan in the open dialog, with the marks it acts on.
    pub(super) offered: Option<(crate::ops::plan::Plan, Option<super::writes::Marks>)>,
    /// The port-forwards started here.
    pub forwards: super::forwards::Forwards,
    /// Marks to drop when a running plan succeeds, by plan.
    pub(super) pending: std::collections::BTreeMap<crate::app::task::PlanId, super::writes::Marks>,
    /// The ZFS sources and this host's links, for where the claims' data is.
    pub data: crate::app::data_sources::DataSources,
}

impl Cluster {
    /// In read-only mode, who keeps this cluster unchanged: the server itself when its
    /// RBAC denies every write labdeck asked about, else labdeck alone. `None` before
    /// the access reviews answered.
    pub fn read_only_note(&self) -> Option<&'static str> {
        let perms = self.data.perms.as_ref()?;
        Some(if perms.denies_every_write() {
            "RO: enforced by the server"
        } else {
            "RO: labdeck only"
        })
    }
}

impl KubePane {
    pub fn new(specs: Vec<ClusterSpec>) -> KubePane {
        let clusters: Vec<Cluster> = specs
            .into_iter()
            .map(|spec| Cluster {
                spec,
                status: SourceStatus::Connecting,
                data: Arc::default(),
                conn: None,
                watcher: None,
            })
            .collect();
        let multi = clusters.len() > 1;
        KubePane {
            clusters,
            namespaces: Vec::new(),
            logs: None,
            due: Due::default(),
            offered: None,
            forwards: Default::default(),
            pending: Default::default(),
            data: Default::default(),
            levels: Levels::new(level_for(KubeView::Workloads, None, multi)),
        }
    }

    pub fn multi(&self) -> bool {
        self.clusters.len() > 1
    }

    pub fn level(&self) -> &Level<KubeView> {
        self.levels.current()
    }

    /// The selected row as (cluster name, object key).
    pub fn selected(&self) -> Option<(String, String)> {
        let l = self.level();
        let key = l.table.selected_key()?;
        let only = self.clusters.first().map_or("", |c| c.spec.name.as_str());
        Some(sources::split_key(l.source.as_deref(), key, only))
    }

    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        sources::find(&self.clusters, name).map(|(_, c)| c)
    }

    /// The clusters the current level is about.
    pub fn relevant(&self) -> Vec<&Cluster> {
        match &self.level().source {
            Some(name) => self.cluster(name).into_iter().collect(),
            None => self.clusters.iter().collect(),
        }
    }

    /// Rebuild every level's rows; true if any changed.
    pub fn rebuild(&mut self) -> bool {
        self.rebuild_where(|_| true)
    }

    /// Rebuild the rows of the levels whose view `stale` says may have changed.
    fn rebuild_where(&mut self, stale: impl Fn(&KubeView) -> bool) -> bool {
        let multi = self.multi();
        let mut changed = false;
        for l in self.levels.iter_mut().filter(|l| stale(&l.view)) {
            let spans = l.source.is_none() && multi;
            let mut out = Vec::new();
            for c in &self.clusters {
                if l.source.as_ref().is_some_and(|s| *s != c.spec.name) {
                    continue;
                }
                let mine = if l.view == KubeView::Clusters {
                    vec![cluster_row(c)]
                } else if l.view == KubeView::Forwards {
                    super::forwards::rows(&self.forwards, &c.spec.name)
                } else {
                    let mut rows = rows::rows(&l.view, &c.data, &self.namespaces);
                    super::storage::annotate(&mut rows, &l.view, &c.spec.name, &c.data, &self.data);
                    rows
                };
                if spans || l.view == KubeView::Clusters {
                    out.extend(mine.into_iter().map(|r| sources::source_row(c, r)));
                } else {
                    out.extend(mine);
                }
            }
            changed |= l.table.set_rows(out);
        }
        changed
    }

    fn feed(&mut self, shell: &mut Shell, cluster: &str, feed: KubeFeed) {
        let Some(c) = self.clusters.iter_mut().find(|c| c.spec.name == cluster) else {
            return;
        };
        let status_changed = c.status != feed.status;
        c.status = feed.status;
        if feed.conn.is_some() {
            c.conn = feed.conn;
        }
        if !Arc::ptr_eq(&c.data, &feed.data) {
            self.due.events |= !Arc::ptr_eq(&c.data.events, &feed.data.events);
            self.due.rest |= c.data.differs_beyond_events(&feed.data);
            c.data = feed.data;
        }
        // A cluster's state shows in every view (its rows' tone, its line).
        self.due.events |= status_changed;
        self.due.rest |= status_changed;
        shell.dirty |= status_changed;
    }

    fn show(&mut self, view: KubeView) -> Vec<Effect> {
        self.levels.reset(level_for(view, None, self.multi()));
        self.rebuild();
        self.close_logs()
    }

    /// Close the log or document over the table, and stop reading it.
    fn close_logs(&mut self) -> Vec<Effect> {
        match self.logs.take() {
            Some(l) if l.document => vec![Effect::Cancel(super::jobs::READ)],
            Some(_) => vec![Effect::Cancel(super::jobs::LOGS)],
            None => Vec::new(),
        }
    }

    /// A key while a log or document is open.
    fn log_action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        let page = shell.table_height();
        let Some(l) = self.logs.as_mut() else {
            return Vec::new();
        };
        match action {
            // Esc clears a search first, then closes the log.
            Action::Back if !l.search.is_empty() => l.search.clear(),
            Action::Back => return self.close_logs(),
            Action::Filter => {
                let current = l.search.clone();
                shell.prompt(InputKind::Search, &current);
            }
            a => {
                if let Some(why) = l.act(a, page) {
                    shell.flash(FlashLevel::Info, why);
                }
            }
        }
        Vec::new()
    }

    fn open(&mut self, shell: &mut Shell) {
        let Some((cluster, key)) = self.selected() else {
            return;
        };
        let next = match &self.level().view {
            KubeView::Workloads => {
                let Some((kind, at)) = key.split_once('/') else {
                    return;
                };
                KubeView::Pods(PodScope::Workload {
                    kind: kind.to_string(),
                    at: at.to_string(),
                })
            }
            KubeView::Pods(_) => KubeView::Containers { pod: key },
            KubeView::Nodes => KubeView::Pods(PodScope::Node(key)),
            KubeView::Flux => {
                let Some((kind, at)) = key.split_once('/') else {
                    return;
                };
                KubeView::Events {
                    about: Some((kind.to_string(), at.to_string())),
                }
            }
            KubeView::Clusters => KubeView::Workloads,
            _ => return,
        };
        let _ = shell;
        self.levels
            .push(level_for(next, Some(cluster), self.multi()));
        self.rebuild();
    }

    /// The events of the selected object.
    fn events(&mut self, shell: &mut Shell) {
        let Some((cluster, key)) = self.selected() else {
            return;
        };
        let about = match &self.level().view {
            KubeView::Workloads | KubeView::Flux => key
                .split_once('/')
                .map(|(k, at)| (k.to_string(), at.to_string())),
            KubeView::Pods(_) => Some(("Pod".to_string(), key)),
            KubeView::Nodes => Some(("Node".to_string(), key)),
            KubeView::Storage => Some(("PersistentVolumeClaim".to_string(), key)),
            KubeView::Services => Some(("Service".to_string(), key)),
            KubeView::Vms => Some(("VirtualMachine".to_string(), key)),
            _ => None,
        };
        let Some(about) = about else {
            shell.flash(FlashLevel::Info, "no events for this view");
            return;
        };
        let view = KubeView::Events { about: Some(about) };
        self.levels
            .push(level_for(view, Some(cluster), self.multi()));
        self.rebuild();
    }
}

impl sources::Source for Cluster {
    fn name(&self) -> &str {
        &self.spec.name
    }
    fn status(&self) -> &SourceStatus {
        &self.status
    }
}

pub fn level_for(view: KubeView, source: Option<String>, multi: bool) -> Level<KubeView> {
    let always = view == KubeView::Clusters;
    let columns = sources::with_source_column(
        rows::columns(&view),
        "CLUSTER",
        always || (multi && source.is_none()),
    );
    Level::new(view, columns).of_source(source)
}

impl Pane for KubePane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "Kubernetes"
    }

    fn tab(&self) -> &'static Verb {
        &super::verbs::TAB
    }

    fn verbs(&self) -> &'static [Verb] {
        KubeVerb::all()
    }

    fn keys(&self, name: &str) -> Option<&'static str> {
        match name {
            "default" => Some(include_str!("keys/default.toml")),
            "vim" => Some(include_str!("keys/vim.toml")),
            _ => None,
        }
    }

    fn sections(&self) -> Vec<Section> {
        if self.logs.is_some() {
            return vec![Section::LOGS];
        }
        match self.level().view {
            KubeView::Nodes => vec![NODES_SECTION, SECTION, Section::TABLE],
            KubeView::Flux => vec![FLUX_SECTION, SECTION, Section::TABLE],
            KubeView::Forwards => vec![FORWARDS_SECTION, SECTION, Section::TABLE],
            _ => vec![SECTION, Section::TABLE],
        }
    }

    fn own_sections(&self) -> &'static [&'static str] {
        &["kube", "kube-nodes", "kube-flux", "kube-forwards"]
    }

    fn words(&self) -> Vec<&'static str> {
        KubeView::TOP.iter().filter_map(KubeView::command).collect()
    }

    fn aliases(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("po", "pods"),
            ("no", "kube-nodes"),
            ("deploy", "workloads"),
            ("wl", "workloads"),
            ("pvc", "storage"),
            ("ev", "events"),
            ("svc", "services"),
            ("ing", "ingresses"),
            ("hr", "flux"),
            ("ks", "flux"),
            ("vm", "vms"),
            ("ctx", "clusters"),
            ("pf", "forwards"),
        ]
    }

    fn command(&mut self, _shell: &mut Shell, word: &str) -> Vec<Effect> {
        match KubeView::from_command(word) {
            Some(v) => self.show(v),
            None => Vec::new(),
        }
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        if self.logs.is_some() {
            return self.log_action(shell, action);
        }
        let page = shell.table_height();
        if action == KubeVerb::Exec.act() {
            return super::exec::start(self, shell);
        }
        if action == KubeVerb::PortForward.act() {
            super::forwards::ask(self, shell);
            return Vec::new();
        }
        if action == KubeVerb::StopForward.act() {
            super::forwards::stop(self, shell);
            return Vec::new();
        }
        if action.writes() {
            super::writes::start(self, shell, action);
            return Vec::new();
        }
        match action {
            Action::Filter => {
                let current = self.level().table.filter.clone();
                shell.prompt(InputKind::Filter, &current);
            }
            Action::Back => {
                let t = &mut self.levels.current_mut().table;
                if !t.filter.is_empty() {
                    t.set_filter("");
                } else if !t.clear_marks() {
                    self.levels.pop();
                }
            }
            Action::Open if matches!(self.level().view, KubeView::Containers { .. }) => {
                return super::reads::open_logs(self, shell, false);
            }
            Action::Open => self.open(shell),
            Action::ViewNext | Action::ViewPrev => {
                let root = &self.levels.root().view;
                let i = KubeView::TOP.iter().position(|v| v == root).unwrap_or(0) as isize;
                let by = if action == Action::ViewNext { 1 } else { -1 };
                let n = KubeView::TOP.len() as isize;
                let next = KubeView::TOP[(i + by).rem_euclid(n) as usize].clone();
                return self.show(next);
            }
            Action::Wide => {
                let wide = !self.level().table.wide;
                self.levels.set_wide(wide);
            }
            Action::LastView => {
                if !self.levels.swap_previous() {
                    shell.flash(FlashLevel::Info, "no previous view yet");
                }
            }
            Action::Verb(v) => match KubeVerb::of(v) {
                Some(KubeVerb::Namespace) => shell.prompt(
                    InputKind::Prompt {
                        purpose: "namespaces".into(),
                        prompt: SafeText::trusted("namespaces (space or comma apart, empty: all)"),
                    },
                    &self.namespaces.join(" "),
                ),
                Some(KubeVerb::Events) => self.events(shell),
                Some(KubeVerb::Logs) => return super::reads::open_logs(self, shell, false),
                Some(KubeVerb::Previous) => return super::reads::open_logs(self, shell, true),
                Some(KubeVerb::Describe) => return super::reads::open_document(self, shell, true),
                Some(KubeVerb::Yaml) => return super::reads::open_document(self, shell, false),
                _ => {}
            },
            a => {
                self.levels.current_mut().table.act(a, page);
            }
        }
        Vec::new()
    }

    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        match msg.take::<KubeMsg>() {
            Ok(KubeMsg::Feed { cluster, feed }) => self.feed(shell, &cluster, feed),
            Ok(KubeMsg::Zfs { host, feed }) => {
                if self.data.feed(&host, feed) {
                    shell.dirty |= self.rebuild_where(super::storage::tells_data);
                }
            }
            Ok(KubeMsg::Links(f)) => {
                if self.data.links(f.links) {
                    shell.dirty |= self.rebuild_where(super::storage::tells_data);
                }
            }
            Ok(KubeMsg::Log { generation, feed }) => {
                if let Some(l) = self.logs.as_mut().filter(|l| l.generation == generation) {
                    let mut feed = feed;
                    if let LogFeed::Lines { lines, .. } = &mut feed {
                        for line in lines.iter_mut() {
                            if let Some(pod) = &line.source {
                                line.prefix = SafeText::new(pod);
                            }
                        }
                    }
                    l.feed(feed);
                    shell.dirty = true;
                }
            }
            Ok(KubeMsg::Forward { id, event }) => {
                super::forwards::heard(self, shell, id, event);
            }
            Ok(KubeMsg::Document { generation, result }) => {
                if let Some(l) = self.logs.as_mut().filter(|l| l.generation == generation) {
                    l.set_document(result.as_deref().map_err(String::clone));
                    shell.dirty = true;
                }
            }
            Err(_) => {}
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
            ("filter", InputEvent::Cancelled) => self.levels.current_mut().table.set_filter(""),
            ("filter", _) => self.levels.current_mut().table.set_filter(value),
            ("search", InputEvent::Submitted) => {
                if let Some(why) = self.logs.as_mut().and_then(|l| l.search_for(value)) {
                    shell.flash(FlashLevel::Info, why);
                }
            }
            ("namespaces", InputEvent::Submitted) => {
                self.namespaces = value
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                self.rebuild();
            }
            (super::forwards::PURPOSE, InputEvent::Submitted) => {
                return super::forwards::start(self, shell, value);
            }
            (p, InputEvent::Submitted) => return super::writes::submit(self, shell, p, value),
            _ => {}
        }
        Ok(Vec::new())
    }

    /// Write keys work in the views whose rows they act on.
    fn works(&self, action: Action) -> bool {
        let Action::Verb(v) = action else {
            return true;
        };
        let view = &self.level().view;
        match KubeVerb::of(v) {
            Some(KubeVerb::Scale | KubeVerb::Restart) => *view == KubeView::Workloads,
            Some(KubeVerb::PortForward) => matches!(
                view,
                KubeView::Pods(_) | KubeView::Containers { .. } | KubeView::Services
            ),
            Some(KubeVerb::StopForward) => *view == KubeView::Forwards,
            Some(KubeVerb::DeletePod | KubeVerb::Exec) => {
                matches!(view, KubeView::Pods(_) | KubeView::Containers { .. })
            }
            Some(KubeVerb::Cordon | KubeVerb::Uncordon | KubeVerb::Drain) => {
                *view == KubeView::Nodes
            }
            Some(KubeVerb::Suspend | KubeVerb::Resume | KubeVerb::Reconcile) => {
                *view == KubeView::Flux
            }
            _ => true,
        }
    }

    fn denied(&self, action: Action) -> Option<String> {
        self.denied_here(action)
    }

    fn plan_started(
        &mut self,
        _shell: &mut Shell,
        id: crate::app::task::PlanId,
        plan: &crate::ops::plan::Plan,
    ) {
        self.started(id, plan);
    }

    fn plan_done(
        &mut self,
        _shell: &mut Shell,
        id: crate::app::task::PlanId,
        result: &crate::ops::plan::Outcome,
    ) {
        self.ended(id, result);
    }

    fn hints(&self) -> Vec<Action> {
        super::hints::hints(self)
    }

    fn settle(&mut self, shell: &mut Shell) -> Vec<Effect> {
        let due = std::mem::take(&mut self.due);
        if due.events || due.rest {
            let events = |v: &KubeView| matches!(v, KubeView::Events { .. });
            shell.dirty |= self.rebuild_where(|v| if events(v) { due.events } else { due.rest });
        }
        Vec::new()
    }

    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        let text = if self.clusters.is_empty() {
            "kube: no contexts".to_string()
        } else {
            sources::summary_text("kube", &self.clusters)
        };
        let status = sources::overall(&self.clusters).0;
        let unwell = self.unwell();
        let alert = (!unwell.is_empty()).then(|| SafeText::new(&unwell.join(" · ")));
        Some(Summary {
            text,
            status,
            alert,
        })
    }

    fn next_redraw(&self, shell: &Shell) -> Option<u64> {
        if self.logs.is_some() {
            return None;
        }
        self.level()
            .table
            .next_age_change(shell.now(), shell.table_height())
    }

    fn start(&mut self, hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        let mut feeds = Vec::new();
        for c in self.clusters.iter_mut() {
            let cluster = c.spec.name.clone();
            let w = hub.kube(&c.spec);
            feeds.push(crate::app::feed::feed_of(w.feed.clone(), move |feed| {
                KubeMsg::Feed {
                    cluster: cluster.clone(),
                    feed,
                }
            }));
            c.watcher = Some(w);
        }
        // The ZFS sources and this host's links, shared with their own panes: where
        // the claims' data is.
        feeds.extend(
            self.data
                .zfs_feeds(hub, |host, feed| KubeMsg::Zfs { host, feed }),
        );
        if !self.clusters.is_empty() {
            feeds.push(crate::app::feed::feed_of(hub.links().feed, KubeMsg::Links));
        }
        feeds
    }

    fn identity(&self) -> Option<Identity> {
        if self.logs.is_some() {
            return None;
        }
        let (_, key) = self.selected()?;
        let name = key.rsplit('/').next().unwrap_or(&key).to_string();
        Some(Identity { name, id: key })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
