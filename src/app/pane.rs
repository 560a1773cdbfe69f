//! What the app knows of a pane: this trait. A pane owns its view state, rows, key
//! handling, hints, `:` words, keymap section, renderer, tab-bar summary and sources;
//! the shell (tabs, overlays, help, the run loop) reaches it only through here.

use super::effect::Effect;
use super::shell::Shell;
use super::task::PlanId;
use crate::config::keymap::Section;
use crate::core::action::{Action, Verb};
use crate::core::status::SourceStatus;
use crate::core::time::Timestamp;
use crate::ops::plan::{Outcome, Plan};
use crate::term::theme::Theme;
use futures::stream::BoxStream;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::any::Any;
use std::fmt;

/// A pane's name: its `:` command, its keymap section, the address of its messages.
pub type PaneId = &'static str;

/// A message for one pane, of that pane's own type; only that pane opens it.
pub struct PaneMsg(Box<dyn Any + Send>);

impl PaneMsg {
    pub fn new<T: Any + Send>(m: T) -> PaneMsg {
        PaneMsg(Box::new(m))
    }

    /// The message as `T`, or itself back if it is something else.
    pub fn take<T: Any>(self) -> Result<T, PaneMsg> {
        self.0.downcast::<T>().map(|b| *b).map_err(PaneMsg)
    }
}

impl fmt::Debug for PaneMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PaneMsg(..)")
    }
}

/// A live source's messages, merged by the run loop with every other pane's.
pub type Feed = BoxStream<'static, PaneMsg>;

/// What a line typed into a prompt the pane opened did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEvent {
    /// A key changed the text (filters follow as you type).
    Typed,
    Submitted,
    Cancelled,
}

/// The tab bar's word on a pane: its sources' state, worst first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub text: String,
    pub status: SourceStatus,
    /// Something wrong in what the source reports (a pool DEGRADED), said in the tab
    /// bar whichever pane is shown; `None` when all is well.
    pub alert: Option<crate::core::text::SafeText>,
}

/// What identifies the selected item, raw (not its cut display text): for copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub id: String,
}

/// How a pane draws itself. Each pane's renderer implements it beside its drawing code
/// in `ui/panes/`: the runtime holds and drives panes without knowing how they look.
pub trait Render {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme);
}

pub trait Pane: Any + Send + Render {
    fn id(&self) -> PaneId;
    fn title(&self) -> &'static str;
    /// Its tab verb (`tab-swarm`): keymaps bind it, and the registry gives it a number
    /// key by tab order.
    fn tab(&self) -> &'static Verb;
    /// Keymap sections in force now, most specific first; `global` is added after.
    fn sections(&self) -> Vec<Section>;
    /// Keymap sections this pane owns: their keys may name its `verbs`.
    fn own_sections(&self) -> &'static [&'static str] {
        &[]
    }
    /// Its own verbs, beside the shell's actions: what its sections' keys and `:` may
    /// name. A pane adds verbs without touching the shell.
    fn verbs(&self) -> &'static [Verb] {
        &[]
    }
    /// Its default keys for the keymap `name` (`default`, `vim`) as keymap TOML for its
    /// own sections; `None` for a name it ships no file for (the default is used).
    fn keys(&self, _name: &str) -> Option<&'static str> {
        None
    }
    /// `:` words this pane answers besides its id (its views).
    fn words(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Short forms of its words (`svc` for `services`), as k9s has them.
    fn aliases(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Run the `:` word `word` (one of `words`), the pane being shown.
    fn command(&mut self, _shell: &mut Shell, _word: &str) -> Vec<Effect> {
        Vec::new()
    }
    /// A key's action, once the shell has taken the global ones.
    fn action(&mut self, shell: &mut Shell, action: Action) -> Vec<Effect>;
    /// A message addressed to this pane (a feed update, a task's result).
    fn message(&mut self, shell: &mut Shell, msg: PaneMsg) -> Vec<Effect>;
    /// The text of a filter, search or prompt this pane opened. `Err` keeps the prompt
    /// open and says why.
    fn input(
        &mut self,
        _shell: &mut Shell,
        _purpose: &str,
        _value: &str,
        _event: InputEvent,
    ) -> Result<Vec<Effect>, String> {
        Ok(Vec::new())
    }
    /// Actions worth a hint here, most useful first (help, `:` and quit are added).
    fn hints(&self) -> Vec<Action>;
    /// Its sources' state for the tab bar; `None` for a pane without sources.
    fn summary(&self, now: Timestamp) -> Option<Summary>;
    /// Does `action` do something in the view on screen? Help marks the pane's keys
    /// that do not.
    fn works(&self, _action: Action) -> bool {
        true
    }
    /// Why `action` (a write) is not allowed on what is selected, when the source
    /// said so before it was tried (a cluster's RBAC); help and hints mark it.
    fn denied(&self, _action: Action) -> Option<String> {
        None
    }
    /// After a batch of messages: work out once what they changed (rows rebuilt once
    /// per batch, not once per message).
    /// Effects: what the batch made moot (a panel whose view went away).
    fn settle(&mut self, _shell: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }
    /// A plan this pane asked for was confirmed and runs under `id` (several may run
    /// at once; each has its own id).
    fn plan_started(&mut self, _shell: &mut Shell, _id: PlanId, _plan: &Plan) {}
    /// Plan `id` of this pane finished (the shell has flashed the outcome); a pane may
    /// follow what that plan started (a rolling update) until it ends.
    fn plan_done(&mut self, _shell: &mut Shell, _id: PlanId, _result: &Outcome) {}
    /// Seconds until something drawn changes by itself (an age label); the loop
    /// wakes then and redraws, and sleeps otherwise.
    fn next_redraw(&self, _shell: &Shell) -> Option<u64> {
        None
    }
    /// Problems with this pane's configuration, shown with the config warnings.
    fn warnings(&self) -> Vec<crate::core::text::SafeText> {
        Vec::new()
    }
    /// Time passed with no data (a key was pressed): bring ages up to date.
    fn touch(&mut self, _now: Timestamp) -> bool {
        false
    }
    /// The pane is on screen now: start what only its view needs.
    fn shown(&mut self, _shell: &mut Shell) {}
    /// The pane is no longer on screen: stop what only its view needs.
    fn hidden(&mut self, _shell: &mut Shell) -> Vec<Effect> {
        Vec::new()
    }
    /// Start reading its sources from the hub (each watched once, whoever reads it);
    /// the loop merges the feeds.
    fn start(&mut self, _hub: &mut crate::backend::hub::Hub) -> Vec<Feed> {
        Vec::new()
    }
    /// Re-read every source now.
    fn refresh(&self) {}
    /// The selected item's name and ID, for copy (`c`, `C`); `None` when nothing is.
    fn identity(&self) -> Option<Identity> {
        None
    }
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}
