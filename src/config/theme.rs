//! Themes: semantic slots mapped to styles, as pure data. The embedded files in
//! `themes/` are the defaults; `<config_dir>/themes/<name>.toml` overlays them slot
//! by slot. `ui::theme` resolves a `ThemeSpec` for the terminal's colour depth.
use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

use super::{
    paths::user_theme,
    user_file::{is_plain_name, read_optional, toml_error, warning},
};
use crate::core::text::SafeText;

mod ansi;
mod depth;
mod slot;
mod spec;

pub use depth::{ANSI16_THEME, ColorDepth, DEFAULT_THEME, choose};
pub use slot::Slot;
pub use spec::{AnsiName, ColorSpec, ModSpec, StyleSpec};

/// Shipped themes: (name, file text). Every one fills every slot (tested).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("ansi16", include_str!("../../themes/ansi16.toml")),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeSpec {
    /// Slot name -> style. Only names from `Slot` survive parsing.
    pub slots: BTreeMap<String, StyleSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    slots: BTreeMap<String, StyleSpec>,
}

impl ThemeSpec {
    /// The theme and the slot names it sets that labdeck does not know (dropped: a
    /// typo in one slot should not cost the user the rest of the file).
    pub fn parse(text: &str) -> Result<(ThemeSpec, Vec<String>), String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let (slots, unknown): (BTreeMap<_, _>, BTreeMap<_, _>) = file
            .slots
            .into_iter()
            .partition(|(name, _)| Slot::from_name(name).is_some());
        Ok((ThemeSpec { slots }, unknown.into_keys().collect()))
    }

    /// A shipped theme by name.
    pub fn embedded(name: &str) -> Option<ThemeSpec> {
        let (_, text) = EMBEDDED.iter().find(|(n, _)| *n == name)?;
        // Shipped files are checked by tests; an empty theme beats a panic regardless.
        Some(ThemeSpec::parse(text).map(|(t, _)| t).unwrap_or_default())
    }

    pub fn style(&self, slot: Slot) -> Option<&StyleSpec> {
        self.slots.get(slot.name())
    }

    /// Each slot `user` sets replaces that slot whole; the others stay.
    pub fn overlay(&mut self, user: ThemeSpec) {
        self.slots.extend(user.slots);
    }

    pub fn missing_slots(&self) -> Vec<Slot> {
        Slot::ALL
            .iter()
            .copied()
            .filter(|s| self.style(*s).is_none())
            .collect()
    }
}

/// The theme `name`: embedded defaults overlaid by the user's file of that name. A
/// user file for a name labdeck does not ship is a new theme based on `default`.
/// Problems become warnings and leave the embedded theme as it was.
pub fn load(config_dir: &Path, name: &str) -> (ThemeSpec, Vec<SafeText>) {
    let mut warnings = Vec::new();
    let name = if is_plain_name(name) {
        name
    } else {
        warnings.push(warning(format!(
            "theme name \"{name}\" must be letters, digits, - or _; using \"{DEFAULT_THEME}\""
        )));
        DEFAULT_THEME
    };
    let embedded = ThemeSpec::embedded(name);
    let path = user_theme(config_dir, name);
    let user = match read_optional(&path) {
        Ok(Some(text)) => ThemeSpec::parse(&text).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    let file = path.display();
    let user = match user {
        Ok(Some((spec, unknown))) => {
            for slot in unknown {
                warnings.push(warning(format!(
                    "theme {file}: unknown slot \"{slot}\" ignored"
                )));
            }
            Some(spec)
        }
        Ok(None) => None,
        Err(e) => {
            warnings.push(warning(format!("theme {file}: {e}; file ignored")));
            None
        }
    };
    if embedded.is_none() && user.is_none() && warnings.is_empty() {
        let shipped: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        warnings.push(warning(format!(
            "unknown theme \"{name}\" (shipped: {}); using \"{DEFAULT_THEME}\"",
            shipped.join(", ")
        )));
    }
    let mut theme = embedded
        .or_else(|| ThemeSpec::embedded(DEFAULT_THEME))
        .unwrap_or_default();
    if let Some(user) = user {
        theme.overlay(user);
    }
    (theme, warnings)
}

#[cfg(test)]
mod tests;
