//! Keys while an overlay (help, an input line, a dialog) is open.

use super::{actions, writes};
use crate::app::command::{self, Command};
use crate::app::effect::Effect;
use crate::app::state::{FlashLevel, InputKind, Overlay, State};
use crate::backend::swarm::ops::SwarmOp;
use crossterm::event::{KeyCode, KeyEvent};

pub fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    match std::mem::take(&mut state.overlay) {
        Overlay::None => vec![],
        Overlay::Help { scroll } => {
            state.overlay = match k.code {
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Enter => {
                    Overlay::None
                }
                KeyCode::Down | KeyCode::Char('j') => Overlay::Help {
                    scroll: scroll.saturating_add(1),
                },
                KeyCode::Up | KeyCode::Char('k') => Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                },
                KeyCode::PageDown => Overlay::Help {
                    scroll: scroll.saturating_add(10),
                },
                KeyCode::PageUp => Overlay::Help {
                    scroll: scroll.saturating_sub(10),
                },
                _ => Overlay::Help { scroll },
            };
            vec![]
        }
        Overlay::Confirm(mut c) => {
            match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => return vec![Effect::Apply(c.op)],
                KeyCode::Enter if c.yes_focused => return vec![Effect::Apply(c.op)],
                KeyCode::Enter
                | KeyCode::Esc
                | KeyCode::Char('n')
                | KeyCode::Char('N')
                | KeyCode::Char('q') => {
                    state.flash(FlashLevel::Info, "cancelled");
                }
                KeyCode::Left
                | KeyCode::Right
                | KeyCode::Tab
                | KeyCode::BackTab
                | KeyCode::Char('h')
                | KeyCode::Char('l') => {
                    c.yes_focused = !c.yes_focused;
                    state.overlay = Overlay::Confirm(c);
                }
                _ => state.overlay = Overlay::Confirm(c),
            }
            vec![]
        }
        Overlay::Input { kind, mut input } => match k.code {
            KeyCode::Esc => {
                if kind == InputKind::Filter {
                    state.swarm.level_mut().table.set_filter("");
                }
                vec![]
            }
            KeyCode::Enter => submit(state, kind, input.value().to_string()),
            KeyCode::Tab if kind == InputKind::Command => {
                let done = command::complete(input.value());
                input.set(&done);
                state.overlay = Overlay::Input { kind, input };
                vec![]
            }
            _ => {
                input.handle(k);
                if kind == InputKind::Filter {
                    // Filter as you type.
                    state.swarm.level_mut().table.set_filter(input.value());
                }
                state.overlay = Overlay::Input { kind, input };
                vec![]
            }
        },
    }
}

fn submit(state: &mut State, kind: InputKind, value: String) -> Vec<Effect> {
    match kind {
        InputKind::Filter => {
            state.swarm.level_mut().table.set_filter(&value);
            vec![]
        }
        InputKind::Search => {
            if let Some(l) = state.logs.as_mut() {
                l.search = value.to_lowercase();
                // Newest match first: the bottom of a log is what people came for.
                if !l.search.is_empty() && !l.jump(false) && !l.jump(true) {
                    state.flash(FlashLevel::Info, format!("no line matches {value:?}"));
                }
            }
            vec![]
        }
        InputKind::Command => match command::parse(&value) {
            Ok(Command::Tab(t)) => {
                state.tab = t;
                vec![]
            }
            Ok(Command::View(v)) => {
                actions::show_view(state, v);
                vec![]
            }
            Ok(Command::Action(a)) => actions::run(state, a),
            Err(e) => {
                if !value.trim().is_empty() {
                    state.flash(FlashLevel::Err, e);
                }
                vec![]
            }
        },
        InputKind::Scale {
            service_id,
            service,
            current,
        } => {
            match value.trim().parse::<u64>() {
                Ok(n) if n == current => state.flash(
                    FlashLevel::Info,
                    format!("{service} already has {n} replicas"),
                ),
                Ok(n) if n <= 1000 => writes::confirm(
                    state,
                    SwarmOp::Scale {
                        service_id,
                        service,
                        replicas: n,
                    },
                ),
                _ => state.flash(
                    FlashLevel::Err,
                    format!("not a replica count (0-1000): {value:?}"),
                ),
            }
            vec![]
        }
    }
}
