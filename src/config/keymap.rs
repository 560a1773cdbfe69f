//! Keymaps: which key runs which `Action`, per section. The embedded files in
//! `keymaps/` are the defaults; `<config_dir>/keymaps/<name>.toml` overlays them
//! key by key within each section.
use std::{collections::BTreeMap, path::Path};

use super::{
    paths::user_keymap,
    user_file::{is_plain_name, read_optional, warning},
};
use crate::core::{action::Action, text::SafeText};

mod key;
mod parse;

pub use key::{KeyName, KeySpec};

pub const DEFAULT_KEYMAP: &str = "default";

/// Shipped keymaps: (name, file text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// Where a binding applies: `global`, `table` (row navigation, filter and sort in
/// every table), `logs` (the log viewer), or a pane's own section, named after the pane
/// (`swarm`, ...). Open, so that a pane brings its section without changing this file;
/// which names are valid is the app's registry's business (see [`load`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Section(std::borrow::Cow<'static, str>);

impl Section {
    pub const GLOBAL: Section = Section::named("global");
    pub const TABLE: Section = Section::named("table");
    pub const LOGS: Section = Section::named("logs");
    /// Sections every build has, whatever its panes.
    pub const SHARED: &[Section] = &[Section::GLOBAL, Section::TABLE, Section::LOGS];

    pub const fn named(name: &'static str) -> Section {
        Section(std::borrow::Cow::Borrowed(name))
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    fn from_file(name: &str) -> Section {
        Section(std::borrow::Cow::Owned(name.to_string()))
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
        self.overlay_where(label, text, None)
    }

    /// With `known` (the panes' sections), a section outside them and the shared ones
    /// is reported with the valid names and left out, so help does not list it.
    fn overlay_where(
        &mut self,
        label: &str,
        text: &str,
        known: Option<&[&str]>,
    ) -> Result<Vec<SafeText>, String> {
        let (entries, mut warnings, names) = parse::parse(label, text)?;
        let valid: Option<Vec<&str>> = known.map(|k| {
            Section::SHARED
                .iter()
                .map(Section::name)
                .chain(k.iter().copied())
                .collect()
        });
        let wanted = |name: &str| valid.as_ref().is_none_or(|v| v.contains(&name));
        for name in names.iter().filter(|n| !wanted(n)) {
            warnings.push(warning(format!(
                "keymap {label}: unknown section [{name}] (sections: {})",
                valid.as_deref().unwrap_or_default().join(", ")
            )));
        }
        for e in entries.into_iter().filter(|e| wanted(e.section.name())) {
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

    pub fn bindings(&self, section: &Section) -> &[Binding] {
        self.sections.get(section).map_or(&[], Vec::as_slice)
    }

    /// Every section with bindings, shared ones first, then in name order.
    pub fn sections(&self) -> Vec<&Section> {
        let mut v: Vec<&Section> = Section::SHARED
            .iter()
            .filter(|s| self.sections.contains_key(*s))
            .collect();
        v.extend(
            self.sections
                .keys()
                .filter(|s| !Section::SHARED.contains(s)),
        );
        v
    }

    /// The first binding for `key` in `sections`, most specific first.
    pub fn lookup(&self, sections: &[Section], key: &KeySpec) -> Option<&Binding> {
        sections
            .iter()
            .find_map(|s| self.bindings(s).iter().find(|b| b.key == *key))
    }

    /// Keys that run `action` in `section`, for hints ("l logs").
    pub fn keys_for(&self, section: &Section, action: Action) -> Vec<KeySpec> {
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
/// warnings; a file TOML cannot read is ignored whole. `known` names the panes'
/// sections: a user section outside them is reported (with the valid ones).
pub fn load(config_dir: &Path, name: &str, known: &[&str]) -> (Keymap, Vec<SafeText>) {
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
        match keymap.overlay_where(&label, &text, Some(known)) {
            Ok(w) => warnings.extend(w),
            Err(e) => warnings.push(warning(format!("keymap {label}: {e}; file ignored"))),
        }
    }
    (keymap, warnings)
}

#[cfg(test)]
mod tests;
