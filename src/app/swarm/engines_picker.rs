//! `:engines`: a picker of the Swarm pane's engines, to show one alone or all again.

use super::actions;
use super::msg::SwarmMsg;
use super::pane::{ID, SwarmPane};
use super::view::SwarmView;
use crate::app::effect::Effect;
use crate::app::pane::PaneMsg;
use crate::app::shell::Shell;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;

impl SwarmPane {
    /// `:engines`: every engine with its state, to show one alone (or all again).
    pub fn engines_picker(&self) -> crate::app::picker::Picker {
        let mut choices = vec![(String::new(), SafeText::trusted("every engine"))];
        choices.extend(self.engines.iter().map(|e| {
            let state = match &e.status {
                SourceStatus::Live => "live".to_string(),
                SourceStatus::Connecting => "connecting".to_string(),
                SourceStatus::Stale { reason, .. } => format!("stale: {reason}"),
            };
            let label = format!("{}  {}  ({state})", e.endpoint.name, e.endpoint.host);
            (e.endpoint.name.clone(), SafeText::new(&label))
        }));
        crate::app::picker::Picker::new("engines", choices, ID, |name| {
            PaneMsg::new(SwarmMsg::ShowEngine(name))
        })
    }

    /// Show engine `name` alone from its top view (empty: every engine again).
    pub(super) fn show_engine(&mut self, shell: &mut Shell, name: String) -> Vec<Effect> {
        let source = (!name.is_empty()).then_some(name);
        if source.as_ref().is_some_and(|n| self.engine(n).is_none()) {
            return Vec::new();
        }
        let first = SwarmView::top_level_for(self.kinds())[0].clone();
        let mut effects: Vec<Effect> = Vec::new();
        if self.logs.take().is_some() {
            effects.push(Effect::Cancel(super::jobs::LOGS));
        }
        let level = self.level_of(first, source);
        self.levels.reset(level);
        self.rebuild(shell.now());
        effects.extend(actions::close_stats_if_hidden(self));
        effects
    }
}
