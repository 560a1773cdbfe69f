//! The VLANs pane's state and its side of the `Pane` trait.

use super::rows;
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::pane::{Feed, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::Shell;
use crate::app::sources::Shared as Source;
use crate::backend::kube::config::ClusterSpec;
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::watch::KubeFeed;
use crate::backend::net::watch::{LinkWatcher, LinksFeed};
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::model::SwarmSnapshot;
use crate::backend::swarm::watch::SwarmFeed;
use crate::config::inventory::Inventory;
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::lab::vlan_checks::Warning;
use crate::lab::vlans::{DockerNet, Inputs, VlanRow, table};
use std::any::Any;
use std::sync::Arc;

pub const ID: PaneId = "vlans";

pub enum VlansMsg {
    Swarm { engine: String, feed: SwarmFeed },
    Kube { cluster: String, feed: KubeFeed },
    Links(LinksFeed),
}

/// Which list is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VlansView {
    Vlans,
    /// What is on one VLAN.
    Vlan(u16),
}

impl VlansView {
    pub fn label(&self) -> String {
        match self {
            VlansView::Vlans => "vlans".into(),
            VlansView::Vlan(id) => format!("vlan {id}"),
        }
    }
}

pub struct VlansPane {
    pub engines: Vec<Source<Endpoint, Arc<SwarmSnapshot>>>,
    pub clusters: Vec<Source<ClusterSpec, Arc<ClusterData>>>,
    pub inventory: Inventory,
    pub warnings: Vec<SafeText>,
    pub hostname: String,
    pub links: LinksFeed,
    /// The joined table and every warning (those on no VLAN too).
    pub vlans: Vec<VlanRow>,
    pub checks: Vec<Warning>,
    pub levels: Levels<VlansView>,
    watcher: Option<LinkWatcher>,
    due: bool,
}

impl VlansPane {
    pub fn new(
        engines: Vec<Endpoint>,
        clusters: Vec<ClusterSpec>,
        inventory: Result<Option<Inventory>, Vec<String>>,
    ) -> VlansPane {
        let (inventory, warnings) = match inventory {
            Ok(i) => (i.unwrap_or_default(), Vec::new()),
            Err(e) => (
                Inventory::default(),
                e.iter().map(|w| SafeText::new(w)).collect(),
            ),
        };
        VlansPane {
            engines: engines
                .into_iter()
                .map(|e| Source::new(e.name.clone(), e))
                .collect(),
            clusters: clusters
                .into_iter()
                .map(|c| Source::new(c.name.clone(), c))
                .collect(),
            inventory,
            warnings,
            hostname: crate::backend::net::hostname(),
            links: LinksFeed {
                links: Arc::default(),
                rates: Arc::default(),
                status: SourceStatus::Connecting,
            },
            vlans: Vec::new(),
            checks: Vec::new(),
            levels: Levels::new(level_for(VlansView::Vlans)),
            watcher: None,
            due: true,
        }
    }

    pub fn level(&self) -> &Level<VlansView> {
        self.levels.current()
    }

    /// This machine's name: the inventory host with one of its addresses, else its
    /// hostname.
    fn here(&self) -> String {
        let mine: Vec<std::net::IpAddr> = self
            .links
            .links
            .iter()
            .flat_map(|l| l.addresses.iter().map(|a| a.addr()))
            .collect();
        self.inventory
            .hosts
            .iter()
            .find(|h| h.name == self.hostname || h.addresses.iter().any(|a| mine.contains(&a.ip)))
            .map_or_else(|| self.hostname.clone(), |h| h.name.clone())
    }

    /// Join the sources into the VLAN table, then every level's rows.
    pub fn rebuild(&mut self) -> bool {
        let here = self.here();
        let networks = self
            .engines
            .iter()
            .filter_map(|e| Some((e.name.as_str(), e.data.as_ref()?)))
            .flat_map(|(engine, s)| {
                s.networks.iter().map(move |n| DockerNet {
                    engine,
                    name: n.name.as_str(),
                    driver: n.driver.as_str(),
                    parent: n.parent.as_ref().map(|p| p.as_str()),
                    subnets: n.subnets.iter().map(|s| s.as_str()).collect(),
                })
            })
            .collect();
        let clusters = crate::lab::vlans_clusters::cluster_nets(
            self.clusters
                .iter()
                .filter_map(|c| Some((c.name.as_str(), c.data.as_deref()?))),
        );
        let (vlans, checks) = table(&Inputs {
            inventory: &self.inventory,
            here: &here,
            links: &self.links.links,
            networks,
            balancers: clusters.balancers,
            found_pools: clusters.pools,
            attachments: clusters.attachments,
        });
        self.vlans = vlans;
        self.checks = checks;
        let mut changed = false;
        for i in 0..self.levels.len() {
            let Some(view) = self.levels.iter().nth(i).map(|l| l.view.clone()) else {
                continue;
            };
            let out = rows::rows(self, &view);
            changed |= self
                .levels
                .iter_mut()
                .nth(i)
                .is_some_and(|l| l.table.set_rows(out));
        }
        changed
    }

    fn feed(&mut self, shell: &mut Shell, msg: VlansMsg) {
        let changed = match msg {
            VlansMsg::Swarm { engine, feed } => {
                match self.engines.iter_mut().find(|e| e.name == engine) {
                    Some(e) => {
                        let s = e.status != feed.status;
                        e.status = feed.status;
                        // Only the networks are read here: other news changes nothing.
                        let d = feed.snapshot.is_some_and(|snap| {
                            let news = e
                                .data
                                .as_ref()
                                .is_none_or(|old| old.networks != snap.networks);
                            e.data = Some(snap);
                            news
                        });
                        s || d
                    }
                    None => false,
                }
            }
            VlansMsg::Kube { cluster, feed } => {
                match self.clusters.iter_mut().find(|c| c.name == cluster) {
                    Some(c) => {
                        let s = c.status != feed.status;
                        c.status = feed.status;
                        let news = c
                            .data
                            .as_ref()
                            .is_none_or(|old| old.services != feed.data.services);
                        c.data = Some(feed.data);
                        s || news
                    }
                    None => false,
                }
            }
            VlansMsg::Links(f) => {
                let news = f != self.links;
                self.links = f;
                news
            }
        };
        self.due |= changed;
        shell.dirty |= changed;
    }

    /// Warnings in all, for the tab bar.
    pub fn unwell(&self) -> Vec<String> {
        self.checks.iter().map(|w| w.text.clone()).collect()
    }
}

pub fn level_for(view: VlansView) -> Level<VlansView> {
    let columns = rows::columns(&view);
    Level::new(view, columns)
}

pub static TAB: Verb = Verb {
    name: "tab-vlans",
    desc: "VLANs pane",
    writes: false,
};

impl Pane for VlansPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "VLANs"
    }

    fn tab(&self) -> &'static Verb {
        &TAB
    }

    fn sections(&self) -> Vec<Section> {
        vec![Section::TABLE]
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        match action {
            Action::Open if self.level().view == VlansView::Vlans => {
                if let Some(id) = self
                    .level()
                    .table
                    .selected_key()
                    .and_then(|k| k.parse().ok())
                {
                    self.levels.push(level_for(VlansView::Vlan(id)));
                    self.rebuild();
                }
            }
            a => {
                self.levels.table_action(shell, a);
            }
        }
        Vec::new()
    }

    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(m) = msg.take::<VlansMsg>() {
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
            VlansView::Vlans => vec![Action::Open, Action::Filter, Action::SortNext],
            VlansView::Vlan(_) => vec![Action::Back, Action::Filter, Action::SortNext],
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
        Some(Summary {
            text: format!("vlans {}", self.vlans.len()),
            status: self.links.status.clone(),
            alert: (!unwell.is_empty())
                .then(|| SafeText::new(&format!("{} VLAN warning(s)", unwell.len()))),
        })
    }

    fn warnings(&self) -> Vec<SafeText> {
        self.warnings.clone()
    }

    /// Rates are read only while the pane is on screen.
    fn shown(&mut self, _shell: &mut Shell) {
        if let Some(w) = &self.watcher {
            w.show_rates(true);
        }
    }

    fn hidden(&mut self, _shell: &mut Shell) -> Vec<Effect> {
        if let Some(w) = &self.watcher {
            w.show_rates(false);
        }
        Vec::new()
    }

    fn start(&mut self, hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        use crate::app::feed::feed_of;
        let mut feeds: Vec<Feed> = Vec::new();
        for e in &self.engines {
            let engine = e.name.clone();
            feeds.push(feed_of(hub.swarm(&e.spec).feed, move |feed| {
                VlansMsg::Swarm {
                    engine: engine.clone(),
                    feed,
                }
            }));
        }
        for c in &self.clusters {
            let cluster = c.name.clone();
            feeds.push(feed_of(hub.kube(&c.spec).feed, move |feed| {
                VlansMsg::Kube {
                    cluster: cluster.clone(),
                    feed,
                }
            }));
        }
        let links = hub.links();
        feeds.push(feed_of(links.feed.clone(), VlansMsg::Links));
        self.watcher = Some(links);
        feeds
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
