//! Keys while an overlay (help, an input line, a dialog) is open.

use crate::app::command::{self, Command};
use crate::app::effect::Effect;
use crate::app::pane::InputEvent;
use crate::app::shell::{FlashLevel, InputKind, Overlay, Then};
use crate::app::state::State;
use crossterm::event::{KeyCode, KeyEvent};

pub fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    let overlay = std::mem::take(&mut state.shell.overlay);
    match overlay {
        Overlay::None => vec![],
        Overlay::Help { scroll } => {
            let max = crate::app::help::max_scroll(state);
            let shell = &mut state.shell;
            let scroll = scroll.min(max);
            shell.overlay = match k.code {
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Enter => {
                    Overlay::None
                }
                KeyCode::Down | KeyCode::Char('j') => Overlay::Help {
                    scroll: scroll.saturating_add(1).min(max),
                },
                KeyCode::Up | KeyCode::Char('k') => Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                },
                KeyCode::PageDown => Overlay::Help {
                    scroll: scroll.saturating_add(10).min(max),
                },
                KeyCode::PageUp => Overlay::Help {
                    scroll: scroll.saturating_sub(10),
                },
                KeyCode::Char('g') | KeyCode::Home => Overlay::Help { scroll: 0 },
                // The renderer stops at the last page.
                KeyCode::Char('G') | KeyCode::End => Overlay::Help { scroll: max },
                _ => Overlay::Help { scroll },
            };
            vec![]
        }
        Overlay::Confirm(mut c) => {
            let shell = &mut state.shell;
            // One convention for what cannot be undone: only `y` confirms it. Enter
            // cancels, arrows do nothing, so no arrow plus Enter can destroy anything.
            // Reversible changes also take Enter on the focused button.
            match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => return confirmed(state, c),
                KeyCode::Enter if c.yes_focused && !c.danger => return confirmed(state, c),
                KeyCode::Enter
                | KeyCode::Esc
                | KeyCode::Char('n')
                | KeyCode::Char('N')
                | KeyCode::Char('q') => {
                    shell.flash(FlashLevel::Info, "cancelled");
                }
                KeyCode::Left
                | KeyCode::Right
                | KeyCode::Tab
                | KeyCode::BackTab
                | KeyCode::Char('h')
                | KeyCode::Char('l')
                    if !c.danger =>
                {
                    c.yes_focused = !c.yes_focused;
                    shell.overlay = Overlay::Confirm(c);
                }
                _ => shell.overlay = Overlay::Confirm(c),
            }
            vec![]
        }
        Overlay::Input { kind, mut input } => {
            let event = match k.code {
                KeyCode::Esc => InputEvent::Cancelled,
                KeyCode::Enter => InputEvent::Submitted,
                KeyCode::Tab if kind == InputKind::Command => {
                    let done = command::complete(state, input.value());
                    input.set(&done);
                    state.shell.overlay = Overlay::Input { kind, input };
                    return vec![];
                }
                // History: ↑ older, ↓ newer; a line being typed comes back at the end.
                KeyCode::Up | KeyCode::Down if kind == InputKind::Command => {
                    let h = &state.shell.history;
                    let at = h.iter().rposition(|l| l == input.value());
                    let next = match (k.code, at) {
                        (KeyCode::Up, None) => h.last(),
                        (KeyCode::Up, Some(i)) => h.get(i.saturating_sub(1)),
                        (KeyCode::Down, Some(i)) => h.get(i + 1),
                        _ => None,
                    };
                    let text = next.cloned().unwrap_or_default();
                    input.set(&text);
                    state.shell.overlay = Overlay::Input { kind, input };
                    return vec![];
                }
                _ => {
                    input.handle(k);
                    InputEvent::Typed
                }
            };
            // What the user typed or pasted is text from outside too: a pasted CSI
            // (U+009B) or escape must not reach the screen through a filter title.
            let value = crate::core::text::SafeText::new(input.value()).to_string();
            if event == InputEvent::Typed {
                state.shell.overlay = Overlay::Input {
                    kind: kind.clone(),
                    input,
                };
            }
            let purpose = match &kind {
                InputKind::Command if event == InputEvent::Submitted => {
                    return command_line(state, &value);
                }
                InputKind::Command => return vec![],
                InputKind::Filter => "filter".to_string(),
                InputKind::Search => "search".to_string(),
                InputKind::Prompt { purpose, .. } => purpose.clone(),
            };
            let i = state.active;
            match state.panes[i].input(&mut state.shell, &purpose, &value, event) {
                Ok(effects) => effects,
                Err(why) => {
                    // Keep the prompt open with what was typed, and say what is wrong.
                    state.shell.flash(FlashLevel::Err, why);
                    if event == InputEvent::Submitted {
                        state.shell.prompt(kind, &value);
                    }
                    vec![]
                }
            }
        }
    }
}

fn command_line(state: &mut State, value: &str) -> Vec<Effect> {
    let line = value.trim().to_string();
    if !line.is_empty() {
        let h = &mut state.shell.history;
        h.retain(|l| *l != line);
        h.push(line);
        if h.len() > crate::app::shell::HISTORY {
            h.remove(0);
        }
    }
    let (_, arg) = command::split(state, value);
    match command::parse(state, value) {
        // `:scale 3`: the action, then its prompt answered with the argument.
        Ok(Command::Action(a)) if arg.is_some() => {
            let mut effects = super::run(state, a);
            if let Overlay::Input {
                kind: kind @ InputKind::Prompt { .. },
                mut input,
            } = std::mem::take(&mut state.shell.overlay)
            {
                input.set(arg.as_deref().unwrap_or_default());
                state.shell.overlay = Overlay::Input { kind, input };
                effects.extend(key(state, KeyEvent::from(KeyCode::Enter)));
            }
            effects
        }
        Ok(Command::Pane(i)) => super::show(state, i),
        Ok(Command::Word(i, w)) => {
            let mut effects = super::show(state, i);
            effects.extend(state.panes[i].command(&mut state.shell, w));
            effects
        }
        Ok(Command::Action(a)) => super::run(state, a),
        Ok(Command::Wizard(word)) => {
            if let Some((_, open)) = crate::app::wizard::WORDS.iter().find(|(w, _)| *w == word) {
                open(&mut state.shell);
            }
            vec![]
        }
        Err(e) => {
            if !value.trim().is_empty() {
                state.shell.flash(FlashLevel::Err, e);
            }
            vec![]
        }
    }
}

/// A confirmation said yes: run its plan (its pane hears under which id), or quit.
fn confirmed(state: &mut State, c: crate::app::shell::Confirm) -> Vec<Effect> {
    let shell = &mut state.shell;
    match c.then {
        Then::Apply(plan) => {
            let effect = shell.start_plan(c.pane, plan);
            if let Effect::Apply { id, plan } = &effect
                && let Some(i) = state.index_of(c.pane)
            {
                state.panes[i].plan_started(&mut state.shell, *id, plan);
            }
            vec![effect]
        }
        Then::Quit => {
            shell.quit = true;
            vec![Effect::Quit]
        }
    }
}
