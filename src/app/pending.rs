//! Panes whose sources arrive in later releases: a tab that says what it will read.
//! They go through the same registry and trait as every pane.

use super::effect::Effect;
use super::pane::{Pane, PaneId, PaneMsg, Summary};
use super::shell::Shell;
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::time::Timestamp;
use std::any::Any;

pub struct PendingPane {
    pub id: PaneId,
    pub title: &'static str,
    pub tab: &'static Verb,
    /// What it will read.
    pub source: &'static str,
}

impl Pane for PendingPane {
    fn id(&self) -> PaneId {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn tab(&self) -> &'static Verb {
        self.tab
    }
    fn sections(&self) -> Vec<Section> {
        Vec::new()
    }
    fn action(&mut self, _shell: &mut Shell, _action: Action) -> Vec<Effect> {
        Vec::new()
    }
    fn message(&mut self, _shell: &mut Shell, _msg: PaneMsg) -> Vec<Effect> {
        Vec::new()
    }
    fn hints(&self) -> Vec<Action> {
        vec![Action::NextTab]
    }
    fn summary(&self, _now: Timestamp) -> Option<Summary> {
        None
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

pub const VLANS: super::registry::Entry = super::registry::Entry {
    make: vlans,
    config: None,
};

fn vlans(_: &crate::config::settings::Settings) -> Box<dyn Pane> {
    Box::new(PendingPane {
        id: "vlans",
        title: "VLANs",
        tab: &VLANS_TAB,
        source: "netlink (VLAN links, bridges, addresses) and the inventory's VLAN plan",
    })
}

static VLANS_TAB: Verb = Verb {
    name: "tab-vlans",
    desc: "VLANs pane",
    writes: false,
};
