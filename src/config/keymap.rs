//! Keymaps: which key runs which `Action`, per section. The shell's keys are the files
//! in `keymaps/`; each pane ships its own sections' keys, and its number key comes from
//! the tab order; `<config_dir>/keymaps/<name>.toml` overlays them all key by key
//! within each section. A name resolves against its section's vocabulary (`Vocab`): the
//! shell's actions, the panes' tabs, and the verbs of the pane (or the log viewer) the
//! section belongs to.
use std::{collections::BTreeMap, path::Path};

use super::{
    paths::user_keymap,
    user_file::{is_plain_name, read_optional, warning},
};
use crate::core::{
    action::{ALL, Action, Verb},
    text::SafeText,
};

mod key;
mod parse;

/// What keymap entries may name.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// The panes' tab verbs with their titles, in tab order: `1`… show them.
    pub tabs: Vec<(&'static Verb, &'static str)>,
    /// Each section's own verbs: a pane's sections, the log viewer's `logs`.
    pub sections: Vec<(&'static str, &'static [Verb])>,
    /// The panes' own keys: (pane, keymap name, TOML) for each keymap a pane ships.
    pub keys: Vec<(&'static str, &'static str, &'static str)>,
}

impl Vocab {
    /// What `name` means in `section`, if anything.
    pub fn resolve(&self, section: &str, name: &str) -> Option<Action> {
        if let Some(a) = Action::shell(name) {
            return Some(a);
        }
        if let Some((tab, _)) = self.tabs.iter().find(|(t, _)| t.name == name) {
            return Some(Action::Jump(tab));
        }
        self.own(section)
            .iter()
            .find(|v| v.name == name)
            .map(Action::Verb)
    }

    /// The section's own verbs.
    pub fn own(&self, section: &str) -> &'static [Verb] {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(&[], |(_, v)| v)
    }

    /// The valid name in `section` closest to `name`, for "unknown action" warnings.
    pub fn nearest(&self, section: &str, name: &str) -> &'static str {
        ALL.iter()
            .map(|i| i.name)
            .chain(self.tabs.iter().map(|(t, _)| t.name))
            .chain(self.own(section).iter().map(|v| v.name))
            .min_by_key(|n| strsim::levenshtein(name, n))
            .unwrap_or("help")
    }

    /// Sections that panes bring (for checking user keymaps).
    fn pane_sections(&self) -> Vec<&'static str> {
        self.sections
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| !Section::SHARED.iter().any(|x| x.name() == *s))
            .collect()
    }
}

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
    pub fn parse(
        label: &str,
        text: &str,
        vocab: &Vocab,
    ) -> Result<(Keymap, Vec<SafeText>), String> {
        let mut keymap = Keymap::default();
        let warnings = keymap.overlay(label, text, vocab)?;
        Ok((keymap, warnings))
    }

    /// A shipped keymap by name, whole: the panes' number keys, the shell's file, each
    /// pane's own keys (its `default` ones if it ships none of this name).
    pub fn embedded(name: &str, vocab: &Vocab) -> Option<Keymap> {
        let (n, text) = EMBEDDED.iter().find(|(n, _)| *n == name)?;
        let mut k = Keymap::default();
        k.overlay(&format!("{n}.toml"), text, vocab).ok()?;
        k.bind_tabs(vocab);
        let mut panes: Vec<&str> = vocab.keys.iter().map(|(p, _, _)| *p).collect();
        panes.dedup();
        for pane in panes {
            let file = |want: &str| {
                vocab
                    .keys
                    .iter()
                    .find(|(p, kn, _)| *p == pane && *kn == want)
            };
            if let Some((_, kn, text)) = file(n).or_else(|| file(DEFAULT_KEYMAP)) {
                k.overlay(&format!("{pane}/{kn}.toml"), text, vocab).ok()?;
            }
        }
        Some(k)
    }

    /// `1`…`9` show the panes in tab order: in the global section after quit (where
    /// help lists them), unless the shell's file binds the digit already.
    fn bind_tabs(&mut self, vocab: &Vocab) {
        let global = self.sections.entry(Section::GLOBAL).or_default();
        let mut at = global
            .iter()
            .position(|b| b.action == Action::Quit)
            .map_or(global.len(), |i| i + 1);
        for (i, (tab, title)) in vocab.tabs.iter().take(9).enumerate() {
            let digit = char::from(b'1' + i as u8);
            let Ok(key) = digit.to_string().parse::<KeySpec>() else {
                continue;
            };
            if global.iter().any(|b| b.key == key) {
                continue;
            }
            global.insert(
                at,
                Binding {
                    key,
                    action: Action::Jump(tab),
                    desc: SafeText::trusted(*title),
                },
            );
            at += 1;
        }
    }

    /// Apply a file on top: each key it binds replaces that key in its section,
    /// `run = "none"` unbinds it, all other keys stay. On error nothing changes.
    pub fn overlay(
        &mut self,
        label: &str,
        text: &str,
        vocab: &Vocab,
    ) -> Result<Vec<SafeText>, String> {
        self.overlay_where(label, text, vocab, false)
    }

    /// With `checked` (a user's file), a section outside the shared ones and the
    /// panes' is reported with the valid names and left out, so help does not list it.
    fn overlay_where(
        &mut self,
        label: &str,
        text: &str,
        vocab: &Vocab,
        checked: bool,
    ) -> Result<Vec<SafeText>, String> {
        let known = vocab.pane_sections();
        let known = checked.then_some(known.as_slice());
        let (entries, mut warnings, names) = parse::parse(label, text, vocab)?;
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
/// warnings; a file TOML cannot read is ignored whole. A user section that is neither
/// shared nor a pane's is reported (with the valid ones).
pub fn load(config_dir: &Path, name: &str, vocab: &Vocab) -> (Keymap, Vec<SafeText>) {
    let mut warnings = Vec::new();
    let name = if is_plain_name(name) {
        name
    } else {
        warnings.push(warning(format!(
            "keymap name \"{name}\" must be letters, digits, - or _; using \"{DEFAULT_KEYMAP}\""
        )));
        DEFAULT_KEYMAP
    };
    let embedded = Keymap::embedded(name, vocab);
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
        .or_else(|| Keymap::embedded(DEFAULT_KEYMAP, vocab))
        .unwrap_or_default();
    if let Some(text) = user_text {
        let label = path.display().to_string();
        match keymap.overlay_where(&label, &text, vocab, true) {
            Ok(w) => warnings.extend(w),
            Err(e) => warnings.push(warning(format!("keymap {label}: {e}; file ignored"))),
        }
    }
    (keymap, warnings)
}

#[cfg(test)]
mod tests;
