//! `update`: the only place state changes. Synchronous; returns the effects to run.
//! The shell takes what is global (quit, help, `:`, panes, refusals, plans); the
//! active pane gets the rest.

mod overlay;

use super::effect::Effect;
use super::keys;
use super::msg::Msg;
use super::shell::{FlashLevel, InputKind, Overlay};
use super::state::State;
use crate::core::action::Action;
use crossterm::event::KeyEventKind;

/// One message, as a batch of one: its effects, with what it changed settled.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = handle(state, msg);
    effects.extend(settle(state));
    effects
}

/// After a batch of messages (the run loop takes whatever waits, then draws once): each
/// pane works out what the batch changed, once; what that stops comes back as effects.
pub fn settle(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    for p in &mut state.panes {
        effects.extend(p.settle(&mut state.shell));
    }
    effects
}

/// One message, its consequences for the panes left to `settle`.
pub fn handle(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) => {
            if k.kind == KeyEventKind::Release {
                return vec![];
            }
            state.shell.dirty = true;
            // No timer ticks while idle, so ages are brought up to date when the user looks.
            let now = state.shell.now();
            state.panes[state.active].touch(now);
            if !matches!(state.shell.overlay, Overlay::None) {
                return overlay::key(state, k);
            }
            // Until the next key, but never one that has not been on screen yet.
            if state.shell.flash.as_ref().is_some_and(|f| f.drawn) {
                state.shell.flash = None;
            }
            // An open modal takes the keys; what it picked goes to its pane at once.
            if let Some(reply) = super::modal::key(&mut state.shell, k) {
                let mut effects = reply.effects;
                if let Some((pane, msg)) = reply.tell
                    && let Some(i) = state.index_of(pane)
                {
                    effects.extend(state.panes[i].message(&mut state.shell, msg));
                }
                return effects;
            }
            let sections = keys::sections(state);
            let action = keys::to_spec(&k)
                .and_then(|spec| state.shell.keymap.lookup(&sections, &spec))
                .map(|b| b.action);
            match action {
                Some(a) => run(state, a),
                None => vec![],
            }
        }
        Msg::Resize(w, h) => {
            state.shell.size = (w, h);
            state.shell.dirty = true;
            vec![]
        }
        Msg::Pane {
            pane: super::modal::MODAL,
            msg,
        } => super::modal::message(&mut state.shell, msg),
        Msg::Pane { pane, msg } => match state.index_of(pane) {
            Some(i) => state.panes[i].message(&mut state.shell, msg),
            None => vec![],
        },
        Msg::PlanProgress { id, text } => {
            if id.pane == super::modal::MODAL {
                super::modal::plan_progress(&mut state.shell, id, &text);
            }
            state.shell.progress = Some(crate::core::text::SafeText::new(&format!(
                "{}: {text}",
                id.pane
            )));
            state.shell.dirty = true;
            vec![]
        }
        Msg::PlanDone { id, result } => {
            use crate::ops::plan::StepError;
            let pane = id.pane;
            state.shell.running.remove(&id);
            state.shell.progress = None;
            match &result {
                Ok(s) => state.shell.flash(FlashLevel::Ok, s),
                Err(e @ StepError::Unknown(_)) => state
                    .shell
                    .flash(FlashLevel::Warn, format!("{e} (re-reading)")),
                Err(e) => state.shell.flash(FlashLevel::Err, e.to_string()),
            }
            let mut after = Vec::new();
            if pane == super::modal::MODAL {
                after = super::modal::plan_done(&mut state.shell, id, &result);
            } else if let Some(i) = state.index_of(pane) {
                state.panes[i].plan_done(&mut state.shell, id, &result);
            }
            state.shell.dirty = true;
            // What the write changed, or may have, is read at once: the lists never
            // lag behind labdeck's own writes. A refused plan changed nothing.
            match result {
                Err(StepError::Refused(_)) => after,
                _ if pane == super::modal::MODAL => after,
                _ => {
                    after.push(Effect::Refresh(pane));
                    after
                }
            }
        }
        Msg::WriteRefused(key) => {
            let why = crate::core::access::READ_ONLY_REASON;
            tracing::warn!(?key, "a writing job refused: no Writer");
            state
                .shell
                .flash(FlashLevel::Err, format!("refused: {why}"));
            state.shell.dirty = true;
            vec![]
        }
        Msg::HandedBack { result, .. } => {
            match &result {
                Ok(s) => state.shell.flash(FlashLevel::Ok, s),
                Err(e) => state.shell.flash(FlashLevel::Err, e),
            }
            state.shell.dirty = true;
            vec![]
        }
    }
}

/// Run an action: global ones here, the rest in the active pane.
pub fn run(state: &mut State, action: Action) -> Vec<Effect> {
    let shell = &mut state.shell;
    if action.writes() && shell.access.is_read_only() {
        let reason = shell.read_only_reason.clone();
        shell.flash(
            FlashLevel::Warn,
            format!("{} is unavailable: {reason}", action.name()),
        );
        return vec![];
    }
    match action {
        Action::Quit => {
            let pane = state.panes[state.active].id();
            state.shell.quit(pane)
        }
        Action::Help => {
            shell.overlay = Overlay::Help { scroll: 0 };
            vec![]
        }
        Action::CancelPlans => {
            if shell.running.is_empty() {
                shell.flash(FlashLevel::Info, "no change is under way");
                return vec![];
            }
            let n = shell.running.len();
            shell.flash(
                FlashLevel::Warn,
                format!("stopping {n} change(s) before their next step"),
            );
            shell
                .running
                .keys()
                .map(|id| Effect::CancelPlan(*id))
                .collect()
        }
        Action::Command => {
            shell.prompt(InputKind::Command, "");
            vec![]
        }
        Action::Refresh => {
            let pane = state.panes[state.active].as_ref();
            if pane.summary(shell.now()).is_some() {
                shell.flash(FlashLevel::Info, format!("re-reading {}", pane.title()));
                vec![Effect::Refresh(pane.id())]
            } else {
                let why = format!("{} has nothing to re-read yet", pane.title());
                shell.flash(FlashLevel::Info, why);
                vec![]
            }
        }
        Action::Copy | Action::CopyId => {
            let pane = state.panes[state.active].as_ref();
            let Some(who) = pane.identity() else {
                shell.flash(FlashLevel::Info, "copy: nothing selected to copy");
                return vec![];
            };
            let (what, text) = if action == Action::Copy {
                ("name", who.name)
            } else {
                ("ID", who.id)
            };
            let shown = crate::core::text::SafeText::new(&text);
            shell.flash(FlashLevel::Ok, format!("copied {what} {shown}"));
            vec![Effect::Copy(text)]
        }
        Action::NextTab | Action::PrevTab => {
            let n = state.panes.len() as isize;
            let by = if action == Action::NextTab { 1 } else { -1 };
            let to = (state.active as isize + by).rem_euclid(n) as usize;
            show(state, to)
        }
        Action::Jump(tab) => match state.panes.iter().position(|p| p.tab() == tab) {
            Some(i) => show(state, i),
            None => vec![],
        },
        a => {
            let i = state.active;
            state.panes[i].action(&mut state.shell, a)
        }
    }
}

/// Put pane `i` on screen; the one leaving is told, to stop what only its view needs.
pub fn show(state: &mut State, i: usize) -> Vec<Effect> {
    if i == state.active {
        return vec![];
    }
    let old = state.active;
    state.active = i;
    let now = state.shell.now();
    state.panes[i].touch(now);
    state.panes[i].shown(&mut state.shell);
    state.panes[old].hidden(&mut state.shell)
}

#[cfg(test)]
mod command_tests;
#[cfg(test)]
mod follow_tests;
#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod selection_tests;
#[cfg(test)]
mod stats_tests;
#[cfg(test)]
pub mod tests;
#[cfg(test)]
mod write_tests;
