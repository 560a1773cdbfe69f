//! Keymaps: which key runs which `Action`, per section. The embedded files in
//! `keymaps/` are the defaults; `<config_dir>/keymaps/<name>.toml` overlays them
//! key by key within each section.
use std::{collections::BTreeMap, path::Path};

use super::{
    paths::user_keymap,
    user_file::{is_plain_name, read_optional, warning},
};
use crate::{app::action::Action, core::text::SafeText};

mod key;
mod parse;

pub use key::{KeyName, KeySpec};

pub const DEFAULT_KEYMAP: &str = "default";

/// Shipped keymaps: (name, file text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// Where a binding applies. The app looks keys up in the focused pane's section
/// first, then `table` (for panes that are tables), then `global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    /// Row navigation, filter and sort in every table.
    Table,
    Swarm,
    /// The log viewer.
    Logs,
}

impl Section {
    pub const ALL: &[Section] = &[
        Section::Global,
        Section::Table,
        Section::Swarm,
        Section::Logs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::Table => "table",
            Section::Swarm => "swarm",
            Section::Logs => "logs",
        }
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.iter().copied().find(|s| s.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub key: KeySpec,
    pub action: Action,
    /// Short text for help and status-bar hints.
    pub desc: SafeText,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    /// Bindings per section in file order (help lists them that way).
    sections: BTreeMap<Section, Vec<Binding>>,
}

impl Keymap {
    /// A keymap file on its own. `label` names the file in warnings.
    pub fn parse(label: &str, text: &str) -> Result<(Keymap, Vec<SafeText>), String> {
        let mut keymap = Keymap::default();
        let warnings = keymap.overlay(label, text)?;
        Ok((keymap, warnings))
    }

    /// A shipped keymap by name. Its files are checked by tests.
    pub fn embedded(name: &str) -> Option<Keymap> {
        let (n, text) = EMBEDDED.iter().find(|(n, _)| *n == name)?;
        Keymap::parse(&format!("{n}.toml"), text)
            .ok()
            .map(|(k, _)| k)
    }

    /// Apply a file on top: each key it binds replaces that key in its section,
    /// `run = "none"` unbinds it, all other keys stay. On error nothing changes.
    pub fn overlay(&mut self, label: &str, text: &str) -> Result<Vec<SafeText>, String> {
        let (entries, warnings) = parse::parse(label, text)?;
        for e in entries {
            let list = self.sections.entry(e.section).or_default();
            let at = list.iter().position(|b| b.key == e.key);
            match (e.action, at) {
                (None, Some(i)) => {
                    list.remove(i);
                }
                (None, None) => {}
                (Some(action), at) => {
                    let binding = Binding {
                        key: e.key,
                        action,
                        desc: e.desc,
                    };
                    match at {
                        Some(i) => list[i] = binding,
                        None => list.push(binding),
                    }
                }
            }
        }
        Ok(warnings)
    }

    pub fn bindings(&self, section: Section) -> &[Binding] {
        self.sections.get(&section).map_or(&[], Vec::as_slice)
    }

    /// The first binding for `key` in `sections`, most specific first.
    pub fn lookup(&self, sections: &[Section], key: &KeySpec) -> Option<&Binding> {
        sections
            .iter()
            .find_map(|s| self.bindings(*s).iter().find(|b| b.key == *key))
    }

    /// Keys that run `action` in `section`, for hints ("l logs").
    pub fn keys_for(&self, section: Section, action: Action) -> Vec<KeySpec> {
        self.bindings(section)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.key)
            .collect()
    }

    pub fn is_bound(&self, action: Action) -> bool {
        self.sections.values().flatten().any(|b| b.action == action)
    }
}

/// The keymap `name`: embedded defaults overlaid by the user's file of that name. A
/// user file for a name labdeck does not ship builds on `default`. Problems become
/// warnings; a file TOML cannot read is ignored whole.
pub fn load(config_dir: &Path, name: &str) -> (Keymap, Vec<SafeText>) {
    let mut warnings = Vec::new();
    let name = if is_plain_name(name) {
        name
    } else {
        warnings.push(warning(format!(
            "keymap name \"{name}\" must be letters, digits, - or _; using \"{DEFAULT_KEYMAP}\""
        )));
        DEFAULT_KEYMAP
    };
    let embedded = Keymap::embedded(name);
    let path = user_keymap(config_dir, name);
    let user_text = read_optional(&path).unwrap_or_else(|e| {
        warnings.push(warning(format!(
            "keymap {}: {e}; file ignored",
            path.display()
        )));
        None
    });
    if embedded.is_none() && user_text.is_none() && warnings.is_empty() {
        let shipped: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        warnings.push(warning(format!(
            "unknown keymap \"{name}\" (shipped: {}); using \"{DEFAULT_KEYMAP}\"",
            shipped.join(", ")
        )));
    }
    let mut keymap = embedded
        .or_else(|| Keymap::embedded(DEFAULT_KEYMAP))
        .unwrap_or_default();
    if let Some(text) = user_text {
        let label = path.display().to_string();
        match keymap.overlay(&label, &text) {
            Ok(w) => warnings.extend(w),
            Err(e) => warnings.push(warning(format!("keymap {label}: {e}; file ignored"))),
        }
    }
    (keymap, warnings)
}

#[cfg(test)]
mod tests;
