//! crossterm key events <-> keymap key specs, and which keymap sections apply where.

use super::state::State;
use crate::config::keymap::{KeyName, KeySpec, Section};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn to_spec(k: &KeyEvent) -> Option<KeySpec> {
    let code = match k.code {
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::F(n) => KeyName::F(n),
        _ => return None,
    };
    Some(KeySpec {
        code,
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}

/// The inverse, for tests and scripted input.
pub fn to_event(spec: &KeySpec) -> KeyEvent {
    let code = match spec.code {
        KeyName::Char(c) => KeyCode::Char(c),
        KeyName::Enter => KeyCode::Enter,
        KeyName::Esc => KeyCode::Esc,
        KeyName::Tab => KeyCode::Tab,
        KeyName::BackTab => KeyCode::BackTab,
        KeyName::Up => KeyCode::Up,
        KeyName::Down => KeyCode::Down,
        KeyName::Left => KeyCode::Left,
        KeyName::Right => KeyCode::Right,
        KeyName::PageUp => KeyCode::PageUp,
        KeyName::PageDown => KeyCode::PageDown,
        KeyName::Home => KeyCode::Home,
        KeyName::End => KeyCode::End,
        KeyName::Backspace => KeyCode::Backspace,
        KeyName::Delete => KeyCode::Delete,
        KeyName::F(n) => KeyCode::F(n),
    };
    let mut m = KeyModifiers::NONE;
    if spec.ctrl {
        m |= KeyModifiers::CONTROL;
    }
    if spec.alt {
        m |= KeyModifiers::ALT;
    }
    KeyEvent::new(code, m)
}

/// Keymap sections in force, most specific first: the active pane's, then global.
pub fn sections(state: &State) -> Vec<Section> {
    let mut v = state.pane().sections();
    v.push(Section::GLOBAL);
    v
}
