//! Keymap files to per-key entries. Problems with one entry or key drop just that
//! and become warnings; only a file TOML cannot read is an error as a whole.
use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::{KeySpec, Section, Vocab};
use crate::{
    config::user_file::{toml_error, warning},
    core::action::Action,
    core::text::SafeText,
};

/// `run = "none"` unbinds the key (useful in user overlays).
pub(super) const UNBIND: &str = "none";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    keys: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    on: Vec<String>,
    run: String,
    desc: Option<String>,
}

/// One key of one file entry. `action: None` means unbind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub section: Section,
    pub key: KeySpec,
    pub action: Option<Action>,
    pub desc: SafeText,
}

/// `label` names the file in warnings ("default.toml" or a user path).
/// Also returns every section name the file has, for the caller to check.
pub(super) type Parsed = (Vec<Entry>, Vec<SafeText>, Vec<String>);

pub(super) fn parse(label: &str, text: &str, vocab: &Vocab) -> Result<Parsed, String> {
    let file: BTreeMap<String, RawSection> =
        toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    let names: Vec<String> = file.keys().cloned().collect();
    for (name, raw) in file {
        let section = Section::from_file(&name);
        let mut warn =
            |msg: String| warnings.push(warning(format!("keymap {label} [{name}]: {msg}")));
        let mut seen = HashSet::new();
        for raw in raw.keys {
            let action = match raw.run.as_str() {
                UNBIND => None,
                run => match vocab.resolve(&name, run) {
                    Some(a) => Some(a),
                    None => {
                        let near = vocab.nearest(&name, run);
                        warn(format!(
                            "unknown action \"{run}\" (did you mean \"{near}\"?)"
                        ));
                        continue;
                    }
                },
            };
            if raw.on.is_empty() {
                warn(format!("\"{}\" has no keys (on = [])", raw.run));
            }
            let desc = match (&raw.desc, action) {
                (Some(d), _) => SafeText::new(d),
                (None, Some(a)) => SafeText::trusted(a.desc()),
                (None, None) => SafeText::default(),
            };
            for on in &raw.on {
                let key: KeySpec = match on.parse() {
                    Ok(k) => k,
                    Err(e) => {
                        warn(format!("{e} for \"{}\"", raw.run));
                        continue;
                    }
                };
                if !seen.insert(key) {
                    warn(format!("key \"{key}\" bound twice; the later entry wins"));
                }
                entries.push(Entry {
                    section: section.clone(),
                    key,
                    action,
                    desc: desc.clone(),
                });
            }
        }
    }
    Ok((entries, warnings, names))
}
