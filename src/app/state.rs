//! Everything the screen shows, owned by the run loop and changed only by `update`:
//! the shared shell, and the panes from the registry.

use super::pane::{Pane, PaneId};
use super::shell::Shell;
use crate::config::keymap::Keymap;
use crate::core::access::AccessMode;
use crate::core::text::SafeText;

pub struct State {
    pub shell: Shell,
    /// In tab order; never empty.
    pub panes: Vec<Box<dyn Pane>>,
    /// The pane on screen.
    pub active: usize,
}

impl State {
    /// `panes` from the registry; `first` is shown first.
    pub fn new(
        access: AccessMode,
        keymap: Keymap,
        warnings: Vec<SafeText>,
        panes: Vec<Box<dyn Pane>>,
        first: PaneId,
    ) -> State {
        assert!(!panes.is_empty(), "the registry has panes");
        let active = panes.iter().position(|p| p.id() == first).unwrap_or(0);
        State {
            shell: Shell::new(access, keymap, warnings),
            panes,
            active,
        }
    }

    pub fn pane(&self) -> &dyn Pane {
        self.panes[self.active].as_ref()
    }

    pub fn active_id(&self) -> PaneId {
        self.pane().id()
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.panes.iter().position(|p| p.id() == id)
    }

    /// The pane of type `P` (tests, and panes that look at each other never do).
    pub fn find<P: Pane>(&self) -> Option<&P> {
        self.panes
            .iter()
            .find_map(|p| p.as_any().downcast_ref::<P>())
    }

    pub fn find_mut<P: Pane>(&mut self) -> Option<&mut P> {
        self.panes
            .iter_mut()
            .find_map(|p| p.as_any_mut().downcast_mut::<P>())
    }
}
