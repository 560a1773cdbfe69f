//! Which key hints the status bar and help show, from the active keymap.

use crate::app::keys;
use crate::app::state::State;
use crate::core::action::Action;

pub struct Hint {
    pub key: String,
    pub desc: String,
    /// The action writes and this session is read-only, or the source forbids it.
    pub unavailable: bool,
}

/// Actions worth a hint here, most useful first: help, the pane's, `:` and quit.
fn relevant(state: &State) -> Vec<Action> {
    // Help first: whatever else the width cuts, the way to every key stays visible.
    let mut v = vec![Action::Help];
    v.extend(state.pane().hints());
    v.extend([Action::Command, Action::Quit]);
    v
}

pub fn hints(state: &State) -> Vec<Hint> {
    let sections = keys::sections(state);
    relevant(state)
        .into_iter()
        .filter_map(|a| {
            // The first key that really runs it here (in logs `q` goes back, so quit
            // is `^c` there).
            let keymap = &state.shell.keymap;
            let (key, binding) = sections.iter().find_map(|s| {
                keymap.keys_for(s, a).into_iter().find_map(|k| {
                    let b = keymap.lookup(&sections, &k).filter(|b| b.action == a)?;
                    Some((k, b))
                })
            })?;
            Some(Hint {
                key: key.label(),
                desc: binding.desc.to_string(),
                unavailable: a.writes()
                    && (state.shell.access.is_read_only() || state.pane().denied(a).is_some()),
            })
        })
        .collect()
}
