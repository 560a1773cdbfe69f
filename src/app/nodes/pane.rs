//! The Nodes pane's state and its side of the `Pane` trait.

use super::msg::{Here, NodesMsg};
use super::rows;
use super::view::NodesView;
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::pane::{Feed, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::Shell;
use crate::app::sources::Shared as Source;
use crate::backend::kube::config::ClusterSpec;
use crate::backend::kube::data::ClusterData;
use crate::backend::probe::Reaches;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::model::SwarmSnapshot;
use crate::backend::zfs::runner::ZfsHost;
use crate::backend::zfs::watch::ZfsSnapshot;
use crate::config::inventory::Inventory;
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::lab::nodes::{Machine, Sources, merge};
use futures::StreamExt;
use std::any::Any;
use std::net::IpAddr;
use std::sync::Arc;

pub const ID: PaneId = "nodes";

pub struct NodesPane {
    pub engines: Vec<Source<Endpoint, Arc<SwarmSnapshot>>>,
    pub clusters: Vec<Source<ClusterSpec, Arc<ClusterData>>>,
    pub zfs: Vec<Source<ZfsHost, Arc<ZfsSnapshot>>>,
    pub inventory: Inventory,
    pub warnings: Vec<SafeText>,
    pub hostname: String,
    pub here: Here,
    pub reach: Reaches,
    /// The merged machines: rebuilt once per batch of messages that changed a source.
    pub machines: Vec<Machine>,
    /// Which dataset holds each workload's data.
    pub storage: Vec<crate::lab::storage::Use>,
    pub levels: Levels<NodesView>,
    due: bool,
}

impl NodesPane {
    pub fn new(
        engines: Vec<Endpoint>,
        clusters: Vec<ClusterSpec>,
        zfs: Vec<ZfsHost>,
        inventory: Result<Option<Inventory>, Vec<String>>,
    ) -> NodesPane {
        let (inventory, warnings) = match inventory {
            Ok(i) => (i.unwrap_or_default(), Vec::new()),
            Err(e) => (
                Inventory::default(),
                e.iter().map(|w| SafeText::new(w)).collect(),
            ),
        };
        let hostname = crate::backend::net::hostname();
        NodesPane {
            engines: engines
                .into_iter()
                .map(|e| Source::new(e.name.clone(), e))
                .collect(),
            clusters: clusters
                .into_iter()
                .map(|c| Source::new(c.name.clone(), c))
                .collect(),
            zfs: zfs
                .into_iter()
                .map(|h| Source::new(h.name.clone(), h))
                .collect(),
            inventory,
            warnings,
            hostname,
            here: Here::default(),
            reach: Reaches::default(),
            machines: Vec::new(),
            storage: Vec::new(),
            levels: Levels::new(level_for(NodesView::Hosts)),
            due: true,
        }
    }

    pub fn level(&self) -> &Level<NodesView> {
        self.levels.current()
    }

    /// Join the sources into machines, then every level's rows; true if rows changed.
    pub fn rebuild(&mut self) -> bool {
        let addrs: Vec<IpAddr> = self
            .here
            .links
            .iter()
            .flat_map(|l| l.addresses.iter().map(|a| a.addr()))
            .collect();
        let swarm: Vec<(&str, &[_])> = self
            .engines
            .iter()
            .filter_map(|e| Some((e.name.as_str(), e.data.as_ref()?.nodes.as_slice())))
            .collect();
        let kube = self
            .clusters
            .iter()
            .filter_map(|c| Some((c.name.as_str(), c.data.as_ref()?.nodes.values().collect())))
            .collect();
        self.machines = merge(&Sources {
            inventory: &self.inventory,
            swarm,
            kube,
            here: (&self.hostname, &addrs),
        });
        self.storage = super::storage::uses(self, &addrs);
        let mut changed = false;
        for i in 0..self.levels.len() {
            let view = self.levels.iter().nth(i).map(|l| l.view.clone());
            let Some(view) = view else { continue };
            let out = rows::rows(self, &view);
            changed |= self
                .levels
                .iter_mut()
                .nth(i)
                .is_some_and(|l| l.table.set_rows(out));
        }
        changed
    }

    /// Its problems, for the tab bar: hosts down or unreachable, workloads whose data
    /// is on a degraded pool.
    pub fn unwell(&self) -> Vec<String> {
        let degraded = self.storage.iter().filter(|u| u.degraded()).count();
        self.machines
            .iter()
            .filter_map(|m| {
                let h = rows::health(self, m);
                (h.1 == crate::app::table::Tone::Err).then(|| format!("{} {}", m.name, h.0))
            })
            .chain((degraded > 0).then(|| format!("{degraded} on degraded pools")))
            .collect()
    }

    fn feed(&mut self, shell: &mut Shell, msg: NodesMsg) {
        let status_of = |old: &mut SourceStatus, new: SourceStatus| {
            let changed = *old != new;
            *old = new;
            changed
        };
        let changed = match msg {
            NodesMsg::Swarm { engine, feed } => {
                match self.engines.iter_mut().find(|e| e.name == engine) {
                    Some(e) => {
                        let s = status_of(&mut e.status, feed.status);
                        let d = feed.snapshot.is_some_and(|snap| {
                            let news = e.data.as_ref().is_none_or(|old| !Arc::ptr_eq(old, &snap));
                            e.data = Some(snap);
                            news
                        });
                        s || d
                    }
                    None => false,
                }
            }
            NodesMsg::Kube { cluster, feed } => {
                match self.clusters.iter_mut().find(|c| c.name == cluster) {
                    Some(c) => {
                        let s = status_of(&mut c.status, feed.status);
                        let news = c
                            .data
                            .as_ref()
                            .is_none_or(|old| !Arc::ptr_eq(old, &feed.data));
                        c.data = Some(feed.data);
                        s || news
                    }
                    None => false,
                }
            }
            NodesMsg::Zfs { host, feed } => match self.zfs.iter_mut().find(|z| z.name == host) {
                Some(z) => {
                    let s = status_of(&mut z.status, feed.status);
                    let d = feed.snapshot.is_some_and(|snap| {
                        z.data = Some(snap);
                        true
                    });
                    s || d
                }
                None => false,
            },
            NodesMsg::Reach(r) => {
                let news = *r != *self.reach;
                self.reach = r;
                news
            }
            NodesMsg::Here(h) => {
                let news = h != self.here;
                self.here = h;
                news
            }
            NodesMsg::Links(f) => {
                let error = match &f.status {
                    SourceStatus::Stale { reason, .. } => Some(reason.to_string()),
                    _ => None,
                };
                let news = *f.links != self.here.links || error != self.here.error;
                self.here.links = f.links.to_vec();
                self.here.error = error;
                news
            }
            NodesMsg::Machine { cpus, memory } => {
                let news = (cpus, memory) != (self.here.cpus, self.here.memory);
                self.here.cpus = cpus;
                self.here.memory = memory;
                news
            }
        };
        self.due |= changed;
        shell.dirty |= changed;
    }

    fn open(&mut self) {
        if self.level().view != NodesView::Hosts {
            return;
        }
        let Some(name) = self.level().table.selected_key().map(str::to_string) else {
            return;
        };
        self.levels.push(level_for(NodesView::Host { name }));
        self.rebuild();
    }

    /// Where each inventory host is probed: its addresses on its port.
    pub fn probe_targets(&self) -> Vec<(IpAddr, u16)> {
        let inv = &self.inventory;
        inv.hosts
            .iter()
            .filter_map(|h| Some((h, inv.probe_port(h)?)))
            .flat_map(|(h, port)| h.addresses.iter().map(move |a| (a.ip, port)))
            .collect()
    }
}

pub fn level_for(view: NodesView) -> Level<NodesView> {
    let columns = rows::columns(&view);
    Level::new(view, columns)
}

pub static TAB: Verb = Verb {
    name: "tab-nodes",
    desc: "Nodes pane",
    writes: false,
};

impl Pane for NodesPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "Nodes"
    }

    fn tab(&self) -> &'static Verb {
        &TAB
    }

    fn sections(&self) -> Vec<Section> {
        vec![Section::TABLE]
    }

    fn words(&self) -> Vec<&'static str> {
        // Not `storage`: that is the Kubernetes pane's claims.
        vec!["hosts", "storagemap"]
    }

    fn command(&mut self, _shell: &mut Shell, word: &str) -> Vec<Effect> {
        let view = match word {
            "storagemap" => NodesView::Storage,
            _ => NodesView::Hosts,
        };
        self.levels.reset(level_for(view));
        self.rebuild();
        Vec::new()
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        match action {
            Action::Open => self.open(),
            a => {
                self.levels.table_action(shell, a);
            }
        }
        Vec::new()
    }

    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(m) = msg.take::<NodesMsg>() {
            self.feed(shell, m);
        }
        Vec::new()
    }

    fn input(
        &mut self,
        _shell: &mut Shell,
        purpose: &str,
        value: &str,
        event: InputEvent,
    ) -> Result<Vec<Effect>, String> {
        self.levels.filter_input(purpose, value, event);
        Ok(Vec::new())
    }

    fn hints(&self) -> Vec<Action> {
        match self.level().view {
            NodesView::Hosts => vec![Action::Open, Action::Filter, Action::SortNext],
            NodesView::Host { .. } | NodesView::Storage => {
                vec![Action::Back, Action::Filter, Action::SortNext]
            }
        }
    }

    fn settle(&mut self, shell: &mut Shell) -> Vec<Effect> {
        if std::mem::take(&mut self.due) {
            shell.dirty |= self.rebuild();
        }
        Vec::new()
    }

    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        let unwell = self.unwell();
        let n = self.machines.len();
        Some(Summary {
            text: format!("nodes {n}"),
            status: SourceStatus::Live,
            alert: (!unwell.is_empty()).then(|| SafeText::new(&unwell.join(" · "))),
        })
    }

    fn warnings(&self) -> Vec<SafeText> {
        self.warnings.clone()
    }

    fn start(&mut self, hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        use crate::app::feed::feed_of;
        let mut feeds: Vec<Feed> = Vec::new();
        for e in &self.engines {
            let engine = e.name.clone();
            feeds.push(feed_of(hub.swarm(&e.spec).feed, move |feed| {
                NodesMsg::Swarm {
                    engine: engine.clone(),
                    feed,
                }
            }));
        }
        for c in &self.clusters {
            let cluster = c.name.clone();
            feeds.push(feed_of(hub.kube(&c.spec).feed, move |feed| {
                NodesMsg::Kube {
                    cluster: cluster.clone(),
                    feed,
                }
            }));
        }
        for z in &self.zfs {
            let host = z.name.clone();
            feeds.push(feed_of(hub.zfs(&z.spec).feed, move |feed| NodesMsg::Zfs {
                host: host.clone(),
                feed,
            }));
        }
        let probe = self.inventory.probe;
        let reach = crate::backend::probe::spawn(
            self.probe_targets(),
            probe.timeout,
            crate::backend::probe::EVERY,
            hub.cancel_token(),
        );
        feeds.push(feed_of(reach, NodesMsg::Reach));
        feeds.push(feed_of(hub.links().feed, NodesMsg::Links));
        feeds.push(
            futures::stream::once(machine())
                .map(|(cpus, memory)| PaneMsg::new(NodesMsg::Machine { cpus, memory }))
                .boxed(),
        );
        feeds
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// This machine's CPUs and memory, from /proc (sysinfo).
async fn machine() -> (usize, u64) {
    tokio::task::spawn_blocking(|| {
        let mut s = sysinfo::System::new();
        s.refresh_memory();
        s.refresh_cpu_list(sysinfo::CpuRefreshKind::nothing());
        (s.cpus().len(), s.total_memory())
    })
    .await
    .unwrap_or_default()
}
