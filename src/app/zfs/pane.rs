//! The ZFS pane's state and its side of the `Pane` trait.

use super::msg::ZfsMsg;
use super::rows::{self, Context};
use super::verbs::ZfsVerb;
use super::view::ZfsView;
use crate::app::effect::Effect;
use crate::app::levels::{Level, Levels};
use crate::app::pane::{Feed, Identity, InputEvent, Pane, PaneId, PaneMsg, Summary};
use crate::app::shell::{FlashLevel, Shell};
use crate::app::sources;
use crate::backend::zfs::runner::ZfsHost;
use crate::backend::zfs::watch::{ZfsFeed, ZfsSnapshot, ZfsWatcher};
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::any::Any;
use std::sync::Arc;

pub const ID: PaneId = "zfs";
pub const SECTION: Section = Section::named("zfs");

/// One host's ZFS: where, how fresh, and what was read.
pub struct Host {
    pub host: ZfsHost,
    pub status: SourceStatus,
    pub snapshot: Option<Arc<ZfsSnapshot>>,
    watcher: Option<ZfsWatcher>,
}

pub struct ZfsPane {
    pub hosts: Vec<Host>,
    pub levels: Levels<ZfsView>,
    /// A feed in this batch of messages changed what the rows show.
    due: bool,
}

impl ZfsPane {
    pub fn new(hosts: Vec<ZfsHost>) -> ZfsPane {
        let hosts: Vec<Host> = hosts
            .into_iter()
            .map(|host| Host {
                host,
                status: SourceStatus::Connecting,
                snapshot: None,
                watcher: None,
            })
            .collect();
        let multi = hosts.len() > 1;
        ZfsPane {
            hosts,
            due: false,
            levels: Levels::new(level_for(ZfsView::Pools, None, multi)),
        }
    }

    pub fn multi(&self) -> bool {
        self.hosts.len() > 1
    }

    pub fn level(&self) -> &Level<ZfsView> {
        self.levels.current()
    }

    /// The selected row as (host name, object name).
    pub fn selected(&self) -> Option<(String, String)> {
        let l = self.level();
        let key = l.table.selected_key()?;
        let only = self.hosts[0].host.name.as_str();
        Some(sources::split_key(l.source.as_deref(), key, only))
    }

    /// The host named `name`.
    pub fn host(&self, name: &str) -> Option<&Host> {
        sources::find(&self.hosts, name).map(|(_, h)| h)
    }

    /// Rebuild every level's rows; true if any changed.
    pub fn rebuild(&mut self, now: Timestamp) -> bool {
        let multi = self.multi();
        let mut changed = false;
        if self.hosts.iter().all(|h| h.snapshot.is_none()) {
            return false;
        }
        for l in self.levels.iter_mut() {
            let spans = l.source.is_none() && multi;
            let mut out = Vec::new();
            for h in &self.hosts {
                if l.source.as_ref().is_some_and(|s| *s != h.host.name) {
                    continue;
                }
                let Some(snap) = &h.snapshot else { continue };
                let c = Context {
                    now,
                    scrub_warn_days: h.host.scrub_warn_days,
                };
                let mine = rows::rows(&l.view, snap, c);
                if spans {
                    out.extend(mine.into_iter().map(|r| sources::source_row(h, r)));
                } else {
                    out.extend(mine);
                }
            }
            changed |= l.table.set_rows(out);
        }
        changed
    }

    fn feed(&mut self, shell: &mut Shell, host: &str, feed: ZfsFeed) {
        let Some(h) = self.hosts.iter_mut().find(|h| h.host.name == host) else {
            return;
        };
        let status_changed = h.status != feed.status;
        h.status = feed.status;
        let mut header_changed = false;
        if let Some(s) = feed.snapshot {
            header_changed = h.snapshot.as_deref().map(header_facts) != Some(header_facts(&s));
            h.snapshot = Some(s);
            self.due = true;
        }
        // Rows are rebuilt once per batch of messages (`settle`); a status alone shows
        // in the host column of a view of several hosts.
        self.due |= status_changed && self.multi();
        shell.dirty |= status_changed || header_changed;
    }

    fn show(&mut self, shell: &mut Shell, view: ZfsView) {
        self.read_snapshots_for(&view, None);
        let l = level_for(view, None, self.multi());
        self.levels.reset(l);
        self.rebuild(shell.now());
    }

    /// The watchers publish the ARC's every move only while its view is open.
    fn sync_arc(&self) {
        let open = self.level().view == ZfsView::Arc;
        for w in self.hosts.iter().filter_map(|h| h.watcher.as_ref()) {
            w.show_arc(open);
        }
    }

    /// Opening a snapshots list reads the snapshots now (of its host, or of all), so
    /// the list is not up to a minute old.
    fn read_snapshots_for(&self, view: &ZfsView, host: Option<&str>) {
        if !matches!(view, ZfsView::Snapshots { .. }) {
            return;
        }
        for h in &self.hosts {
            if host.is_none_or(|x| x == h.host.name)
                && let Some(w) = &h.watcher
            {
                w.read_snapshots();
            }
        }
    }

    fn open(&mut self, shell: &mut Shell) {
        let Some((host, name)) = self.selected() else {
            return;
        };
        let next = match &self.level().view {
            ZfsView::Pools => ZfsView::Vdevs { pool: name },
            ZfsView::Datasets => ZfsView::Snapshots {
                dataset: Some(name),
            },
            _ => return,
        };
        self.read_snapshots_for(&next, Some(&host));
        let l = level_for(next, Some(host), self.multi());
        self.levels.push(l);
        self.rebuild(shell.now());
    }

    /// Pools not ONLINE, by name: what the tab bar says loudly.
    pub fn unwell(&self) -> Vec<String> {
        self.hosts
            .iter()
            .filter_map(|h| h.snapshot.as_ref())
            .flat_map(|s| s.pools.iter())
            .filter(|p| p.health.as_str() != "ONLINE")
            .map(|p| format!("{} {}", p.name, p.health))
            .collect()
    }
}

/// What the header line says of a host, as it is drawn: when it changes, the screen has.
pub fn header_facts(s: &ZfsSnapshot) -> String {
    let n = s.pools.len();
    let mut parts = vec![format!("{n} pool{}", if n == 1 { "" } else { "s" })];
    parts.push(format!("{} datasets", s.datasets.len()));
    parts.push(format!("{} snapshots", s.snapshots.len()));
    if let Some(a) = &s.arc {
        parts.push(rows::arc_line(a));
    }
    if let Some(p) = &s.partial {
        parts.push(p.to_string());
    }
    parts.join(" · ")
}

impl sources::Source for Host {
    fn name(&self) -> &str {
        &self.host.name
    }
    fn status(&self) -> &SourceStatus {
        &self.status
    }
}

pub fn level_for(view: ZfsView, source: Option<String>, multi: bool) -> Level<ZfsView> {
    let columns =
        sources::with_source_column(rows::columns(&view), "HOST", multi && source.is_none());
    Level::new(view, columns).of_source(source)
}

impl Pane for ZfsPane {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> &'static str {
        "ZFS"
    }

    fn tab(&self) -> &'static Verb {
        &super::verbs::TAB
    }

    fn verbs(&self) -> &'static [Verb] {
        ZfsVerb::all()
    }

    fn keys(&self, name: &str) -> Option<&'static str> {
        match name {
            "default" => Some(include_str!("keys/default.toml")),
            "vim" => Some(include_str!("keys/vim.toml")),
            _ => None,
        }
    }

    fn sections(&self) -> Vec<Section> {
        vec![SECTION, Section::TABLE]
    }

    fn own_sections(&self) -> &'static [&'static str] {
        &["zfs"]
    }

    fn words(&self) -> Vec<&'static str> {
        ZfsView::TOP.iter().filter_map(ZfsView::command).collect()
    }

    fn command(&mut self, shell: &mut Shell, word: &str) -> Vec<Effect> {
        if let Some(v) = ZfsView::from_command(word) {
            self.show(shell, v);
        }
        self.sync_arc();
        Vec::new()
    }

    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect> {
        if action.writes() {
            super::writes::start(self, shell, action);
            return Vec::new();
        }
        match action {
            Action::Open => self.open(shell),
            Action::ViewNext | Action::ViewPrev => {
                let root = &self.levels.root().view;
                let i = ZfsView::TOP.iter().position(|v| v == root).unwrap_or(0) as isize;
                let by = if action == Action::ViewNext { 1 } else { -1 };
                let n = ZfsView::TOP.len() as isize;
                let next = ZfsView::TOP[(i + by).rem_euclid(n) as usize].clone();
                self.show(shell, next);
            }
            Action::LastView => {
                if !self.levels.swap_previous() {
                    shell.flash(FlashLevel::Info, "no previous view yet");
                }
            }
            a => {
                self.levels.table_action(shell, a);
            }
        }
        self.sync_arc();
        Vec::new()
    }

    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(ZfsMsg::Feed { host, feed }) = msg.take::<ZfsMsg>() {
            self.feed(shell, &host, feed);
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
        if purpose != "filter" && event == InputEvent::Submitted {
            return super::writes::submit(self, shell, purpose, value);
        }
        self.levels.filter_input(purpose, value, event);
        Ok(Vec::new())
    }

    fn hints(&self) -> Vec<Action> {
        use Action::*;
        use ZfsVerb as V;
        let v = |x: ZfsVerb| x.act();
        match &self.level().view {
            ZfsView::Pools => vec![
                Open,
                v(V::Scrub),
                v(V::ScrubPause),
                v(V::ScrubStop),
                Filter,
                ViewNext,
                SortNext,
            ],
            ZfsView::Datasets => vec![Open, v(V::Snapshot), Filter, ViewNext, SortNext],
            ZfsView::Snapshots { .. } => {
                vec![v(V::Remove), v(V::Snapshot), Filter, SortNext, Back]
            }
            _ => vec![Back, Filter, ViewNext, SortNext],
        }
    }

    /// Write keys work where the view's hints offer them.
    fn works(&self, action: Action) -> bool {
        !action.writes() || self.hints().contains(&action)
    }

    fn settle(&mut self, shell: &mut Shell) -> Vec<Effect> {
        if std::mem::take(&mut self.due) {
            shell.dirty |= self.rebuild(shell.now());
        }
        Vec::new()
    }

    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        let text = sources::summary_text("zfs", &self.hosts);
        let status = sources::overall(&self.hosts).0;
        let unwell = self.unwell();
        let alert = (!unwell.is_empty()).then(|| SafeText::new(&unwell.join(" · ")));
        Some(Summary {
            text,
            status,
            alert,
        })
    }

    fn next_redraw(&self, shell: &Shell) -> Option<u64> {
        self.level()
            .table
            .next_age_change(shell.now(), shell.table_height())
    }

    fn touch(&mut self, _now: Timestamp) -> bool {
        false
    }

    fn start(&mut self, hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        let mut feeds = Vec::new();
        for h in self.hosts.iter_mut() {
            let host = h.host.name.clone();
            let w = hub.zfs(&h.host);
            let feed = crate::app::feed::feed_of(w.feed.clone(), move |feed| ZfsMsg::Feed {
                host: host.clone(),
                feed,
            });
            h.watcher = Some(w);
            feeds.push(feed);
        }
        feeds
    }

    fn refresh(&self) {
        for w in self.hosts.iter().filter_map(|h| h.watcher.as_ref()) {
            w.refresh();
        }
    }

    fn identity(&self) -> Option<Identity> {
        let (_, name) = self.selected()?;
        Some(Identity {
            name: name.clone(),
            id: name,
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
