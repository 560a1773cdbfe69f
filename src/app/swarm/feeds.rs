//! The Swarm pane's feeds: each engine's message kept as it comes, and what a batch of
//! them changed on screen worked out once.

use super::actions;
use super::pane::SwarmPane;
use crate::app::effect::Effect;
use crate::app::shell::Shell;
use crate::backend::swarm::watch::SwarmFeed;

impl SwarmPane {
    /// A feed message: kept; what it changes on screen is worked out once per batch of
    /// messages, in `settle`.
    pub(super) fn feed(&mut self, shell: &mut Shell, engine: &str, feed: SwarmFeed) {
        let multi = self.multi();
        let Some(e) = self.engines.iter_mut().find(|e| e.endpoint.name == engine) else {
            return; // an engine since removed: its last words are not news
        };
        let status_changed = e.status != feed.status;
        e.status = feed.status;
        let new_snapshot = feed.snapshot.is_some();
        if let Some(s) = feed.snapshot {
            e.snapshot = Some(s);
        }
        // A status alone changes rows only where the source column shows it.
        if new_snapshot || (status_changed && multi) {
            self.due.insert(engine.to_string());
        }
        shell.dirty |= status_changed;
    }

    /// What this batch's feeds changed: the health and the alert over every engine,
    /// the views (an engine joined or left a swarm), a followed update, and the rows of
    /// the levels that show a changed engine.
    pub(super) fn settle_feeds(&mut self, shell: &mut Shell) -> Vec<Effect> {
        if self.due.is_empty() {
            return Vec::new();
        }
        let due = std::mem::take(&mut self.due);
        // With several engines, a container's health comes from its own node's engine
        // and shows in levels of any engine: when it changed, every level is redrawn.
        let mut health_changed = false;
        if self.engines.len() > 1 {
            let health: super::rows::HealthMap = self
                .engines
                .iter()
                .filter_map(|e| e.snapshot.as_deref())
                .flat_map(|s| s.health.iter().map(|(k, v)| (k.clone(), v.clone())))
                .collect();
            health_changed = std::mem::replace(&mut self.health, health.clone()) != health;
        }
        let alert_changed = {
            let alert =
                super::alert::alert(self.engines.iter().filter_map(|e| e.snapshot.as_deref()));
            std::mem::replace(&mut self.alert, alert.clone()) != alert
        };
        let kinds = self.kinds();
        let kinds_changed = std::mem::replace(&mut self.kinds_shown, kinds) != kinds;
        let mut effects = Vec::new();
        let rows_changed = if kinds_changed {
            // An engine joined or left a swarm: the top-level views changed.
            effects.extend(actions::reset_views(self));
            self.rebuild(shell.now())
        } else if health_changed {
            self.rebuild(shell.now())
        } else {
            self.rebuild_for(shell.now(), |source| due.contains(source))
        };
        self.follow_update(shell);
        // Nothing visible changed, nothing to draw: an idle lab writes no bytes.
        shell.dirty |= rows_changed || kinds_changed || alert_changed;
        effects
    }
}
