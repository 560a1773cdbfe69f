//! What `?` says, as data: every key of the active keymap, grouped by action, with the
//! keys that cannot run here marked, and the config warnings. The renderer only styles
//! these lines; the shell scrolls them, so both count the same lines.

use super::keys;
use super::state::State;
use crate::config::keymap::{Binding, Section};

/// Why a key is shown greyed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    ReadOnly,
    NotInThisView,
    /// The source forbids it (a cluster's RBAC, asked before it is tried).
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Blank,
    /// `Config warnings (defaults used):` and each warning.
    Warning(String),
    /// `Writes are off.`, then why.
    WritesOff,
    Reason(String),
    /// A keymap section; `here` when its keys work in this view.
    Section {
        name: String,
        here: bool,
    },
    /// One action's keys (`↑/k`) and what it does.
    Key {
        keys: String,
        desc: String,
        unavailable: Option<Unavailable>,
    },
    /// The `:` words.
    Commands(String),
}

pub fn lines(state: &State) -> Vec<HelpLine> {
    let mut out = Vec::new();
    // Problems with the user's files first: they explain surprises below.
    if !state.shell.warnings.is_empty() {
        out.push(HelpLine::Warning("Config warnings (defaults used):".into()));
        out.extend(
            state
                .shell
                .warnings
                .iter()
                .map(|w| HelpLine::Warning(format!("  {w}"))),
        );
        out.push(HelpLine::Blank);
    }
    let read_only = state.shell.access.is_read_only();
    if read_only {
        out.push(HelpLine::WritesOff);
        out.push(HelpLine::Reason(state.shell.read_only_reason.clone()));
        out.push(HelpLine::Blank);
    }
    let active = keys::sections(state);
    // The sections in force here first, most specific first; then the others.
    let mut sections: Vec<&Section> = active
        .iter()
        .filter(|s| !state.shell.keymap.bindings(s).is_empty())
        .collect();
    for s in state.shell.keymap.sections() {
        if !sections.contains(&s) {
            sections.push(s);
        }
    }
    let pane = state.pane();
    for section in sections {
        let bindings = state.shell.keymap.bindings(section);
        if bindings.is_empty() {
            continue;
        }
        out.push(HelpLine::Section {
            name: section.name().to_string(),
            here: section == &Section::GLOBAL || active.contains(section),
        });
        // One line per action, its keys together: `↑/k  Up`.
        let mut grouped: Vec<(String, &Binding)> = Vec::new();
        for b in bindings {
            match grouped.iter_mut().find(|(_, g)| g.action == b.action) {
                Some((keys, _)) => {
                    keys.push('/');
                    keys.push_str(&b.key.label());
                }
                None => grouped.push((b.key.label(), b)),
            }
        }
        let pane_own = pane.own_sections().contains(&section.name());
        for (keys, b) in grouped {
            let unavailable = if read_only && b.action.writes() {
                Some(Unavailable::ReadOnly)
            } else if pane_own && !pane.works(b.action) {
                // The pane's own keys that do nothing in this view say so.
                Some(Unavailable::NotInThisView)
            } else if pane_own && b.action.writes() && pane.denied(b.action).is_some() {
                Some(Unavailable::NotAllowed)
            } else {
                None
            };
            out.push(HelpLine::Key {
                keys,
                desc: b.desc.to_string(),
                unavailable,
            });
        }
    }
    out.push(HelpLine::Blank);
    // The panes' and their views' words, from the registry.
    let mut words: Vec<String> = state.panes.iter().map(|p| format!(":{}", p.id())).collect();
    words.extend(
        state
            .panes
            .iter()
            .flat_map(|p| p.words())
            .map(|w| format!(":{w}")),
    );
    out.push(HelpLine::Commands(format!(
        "Commands: {}, any action name, :q",
        words.join(" ")
    )));
    out
}

/// How far help can scroll at this terminal size: its last line at the bottom.
pub fn max_scroll(state: &State) -> u16 {
    let shown = usize::from(state.shell.size.1.saturating_sub(4));
    lines(state)
        .len()
        .saturating_sub(shown)
        .min(usize::from(u16::MAX)) as u16
}
