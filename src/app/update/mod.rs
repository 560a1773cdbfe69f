//! `update`: the only place state changes. Synchronous; returns the effects to run.

mod actions;
mod overlay;
mod writes;

use super::effect::Effect;
use super::keys;
use super::msg::Msg;
use super::state::{FlashLevel, Overlay, State};
use crossterm::event::KeyEventKind;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return vec![];
            }
            state.dirty = true;
            // No timer ticks while idle, so ages are brought up to date when the user looks.
            state.swarm.rebuild((state.clock)());
            let mut effects = if !matches!(state.overlay, Overlay::None) {
                overlay::key(state, k)
            } else {
                state.flash = None;
                let sections = keys::sections(state);
                let action = keys::to_spec(&k)
                    .and_then(|spec| state.keymap.lookup(sections, &spec))
                    .map(|b| b.action);
                match action {
                    Some(a) => actions::run(state, a),
                    None => vec![],
                }
            };
            effects.extend(actions::close_stats_if_hidden(state));
            effects
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            state.dirty = true;
            vec![]
        }
        Msg::SwarmUpdated(feed) => {
            let manager_changed = feed
                .snapshot
                .as_ref()
                .is_some_and(|s| s.engine.swarm_manager != state.swarm.swarm_manager());
            let status_changed = state.swarm.status != feed.status;
            state.swarm.status = feed.status;
            if let Some(s) = feed.snapshot {
                state.swarm.snapshot = Some(s);
            }
            if manager_changed {
                // The engine joined or left a swarm: its top-level views changed.
                actions::reset_views(state);
            }
            let rows_changed = state.swarm.rebuild((state.clock)());
            // Nothing visible changed, nothing to draw: an idle lab writes no bytes.
            state.dirty |= status_changed || rows_changed || manager_changed;
            vec![]
        }
        Msg::LogLines { generation, lines } => {
            if let Some(l) = state.logs.as_mut().filter(|l| l.generation == generation) {
                l.push(lines);
                state.dirty = true;
            }
            vec![]
        }
        Msg::LogEnded { generation, reason } => {
            if let Some(l) = state.logs.as_mut().filter(|l| l.generation == generation) {
                l.ended = Some(reason.unwrap_or_else(|| "log stream ended".into()));
                state.dirty = true;
            }
            vec![]
        }
        Msg::Stats { generation, sample } => {
            if let Some(st) = state.stats.as_mut().filter(|s| s.generation == generation) {
                match sample {
                    Ok(s) => {
                        st.latest = Some(s);
                        st.error = None;
                    }
                    Err(e) => st.error = Some(e),
                }
                state.dirty = true;
            }
            vec![]
        }
        Msg::OpFinished(r) => {
            match r {
                Ok(s) => state.flash(FlashLevel::Ok, s),
                Err(e) => state.flash(FlashLevel::Err, e),
            }
            state.dirty = true;
            vec![]
        }
    }
}

/// Open a view directly (tests of other layers).
#[cfg(test)]
pub fn show_view_for_tests(state: &mut State, view: crate::app::swarm::view::SwarmView) {
    actions::show_view(state, view);
}

#[cfg(test)]
mod tests;
