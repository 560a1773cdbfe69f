//! Key strings from keymap files ("q", "ctrl-d", "shift-tab", "f5") as plain data.
//! The app converts a `KeySpec` to and from crossterm events; config stays
//! terminal-free.
use std::{fmt, str::FromStr};

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyName {
    /// A printable character, case-sensitive ("G" is shift-g). Space is `Char(' ')`.
    Char(char),
    Enter,
    Esc,
    Tab,
    /// shift-tab.
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
    /// F1-F12.
    F(u8),
}

const NAMED: &[(&str, KeyName)] = &[
    ("enter", KeyName::Enter),
    ("esc", KeyName::Esc),
    ("tab", KeyName::Tab),
    ("shift-tab", KeyName::BackTab),
    ("up", KeyName::Up),
    ("down", KeyName::Down),
    ("left", KeyName::Left),
    ("right", KeyName::Right),
    ("pageup", KeyName::PageUp),
    ("pagedown", KeyName::PageDown),
    ("home", KeyName::Home),
    ("end", KeyName::End),
    ("space", KeyName::Char(' ')),
    ("backspace", KeyName::Backspace),
    ("delete", KeyName::Delete),
];

/// A key with its ctrl/alt modifiers. Shift is part of the character ("G") or
/// of the name ("shift-tab").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpec {
    pub code: KeyName,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    /// Short key label: `ctrl-d` -> `^d`.
    pub fn label(&self) -> String {
        let k = self;
        let base = match k.code {
            KeyName::Char(' ') => "space".to_string(),
            KeyName::Char(c) => c.to_string(),
            KeyName::Enter => "enter".into(),
            KeyName::Esc => "esc".into(),
            KeyName::Tab => "tab".into(),
            KeyName::BackTab => "S-tab".into(),
            KeyName::Up => "↑".into(),
            KeyName::Down => "↓".into(),
            KeyName::Left => "←".into(),
            KeyName::Right => "→".into(),
            KeyName::PageUp => "pgup".into(),
            KeyName::PageDown => "pgdn".into(),
            KeyName::Home => "home".into(),
            KeyName::End => "end".into(),
            KeyName::Backspace => "bksp".into(),
            KeyName::Delete => "del".into(),
            KeyName::F(n) => format!("F{n}"),
        };
        match (k.ctrl, k.alt) {
            (true, _) => format!("^{base}"),
            (false, true) => format!("M-{base}"),
            _ => base,
        }
    }
}

impl KeySpec {
    pub fn plain(code: KeyName) -> KeySpec {
        KeySpec {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub fn char(c: char) -> KeySpec {
        KeySpec::plain(KeyName::Char(c))
    }
}

impl FromStr for KeySpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (mut ctrl, mut alt, mut rest) = (false, false, s);
        // A lone "-" is the minus key, so only strip a prefix with something after it.
        while rest.chars().nth(1).is_some() {
            if let Some(r) = strip_prefix_ci(rest, "ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = key_name(rest).ok_or_else(|| format!("unknown key \"{s}\""))?;
        Ok(KeySpec { code, ctrl, alt })
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn key_name(s: &str) -> Option<KeyName> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control()).then_some(KeyName::Char(c));
    }
    let lower = s.to_ascii_lowercase();
    if let Some((_, k)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Some(*k);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyName::F(n))
}

/// The canonical spelling, as help and hints show it; parses back to the same key.
impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyName::Char(' ') => f.write_str("space"),
            KeyName::Char(c) => write!(f, "{c}"),
            KeyName::F(n) => write!(f, "f{n}"),
            code => {
                let (name, _) = NAMED.iter().find(|(_, k)| *k == code).expect("named");
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> KeySpec {
        s.parse().unwrap()
    }

    #[test]
    fn single_characters_keep_their_case() {
        assert_eq!(key("q"), KeySpec::char('q'));
        assert_eq!(key("G"), KeySpec::char('G'));
        for c in ["?", "/", ":", "1", "[", "-", "é"] {
            assert_eq!(key(c).code, KeyName::Char(c.chars().next().unwrap()));
        }
    }

    #[test]
    fn named_keys_and_function_keys() {
        assert_eq!(key("enter"), KeySpec::plain(KeyName::Enter));
        assert_eq!(key("Esc"), KeySpec::plain(KeyName::Esc));
        assert_eq!(key("shift-tab"), KeySpec::plain(KeyName::BackTab));
        assert_eq!(key("pagedown"), KeySpec::plain(KeyName::PageDown));
        assert_eq!(key("space"), KeySpec::char(' '));
        assert_eq!(key("f1"), KeySpec::plain(KeyName::F(1)));
        assert_eq!(key("F12"), KeySpec::plain(KeyName::F(12)));
    }

    #[test]
    fn modifiers() {
        let k = key("ctrl-d");
        assert_eq!((k.code, k.ctrl, k.alt), (KeyName::Char('d'), true, false));
        let k = key("alt-ctrl-left");
        assert_eq!((k.code, k.ctrl, k.alt), (KeyName::Left, true, true));
        let k = key("ctrl--");
        assert_eq!((k.code, k.ctrl), (KeyName::Char('-'), true));
    }

    #[test]
    fn bad_keys_are_named_in_the_error() {
        for bad in [
            "",
            "ctrl-",
            "f0",
            "f13",
            "pgdn",
            "shift-x",
            "qq",
            "ctrl-enterr",
            "\u{7}",
        ] {
            let err = bad.parse::<KeySpec>().unwrap_err();
            assert!(err.contains("unknown key"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn display_parses_back() {
        for s in [
            "q",
            "G",
            "ctrl-d",
            "alt-x",
            "shift-tab",
            "space",
            "f5",
            "ctrl-alt-pageup",
            "-",
        ] {
            let k = key(s);
            assert_eq!(key(&k.to_string()), k, "{s}");
        }
        assert_eq!(key("Ctrl-D").to_string(), "ctrl-D");
        assert_eq!(key(" ").to_string(), "space");
    }
}
