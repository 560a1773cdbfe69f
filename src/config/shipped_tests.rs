//! Every theme and keymap labdeck ships must load cleanly: a warning on a fresh
//! install would train users to ignore warnings.
use std::{fs, path::Path};

const SWARM: Section = Section::named("swarm");
const ALL_SECTIONS: &[Section] = &[Section::GLOBAL, Section::TABLE, SWARM, Section::LOGS];

use super::{
    keymap::{self, Keymap, Section},
    theme::{self, ColorSpec, ThemeSpec},
};
use crate::core::action::{ALL, Action};

/// The real vocabulary: the registry's panes, their verbs and their keys.
fn vocab() -> keymap::Vocab {
    let panes = crate::app::registry::panes(&crate::config::settings::Settings::default());
    crate::app::registry::vocab(&panes)
}

/// Status-bar hints have little room.
const MAX_DESC: usize = 22;

/// File stems in a shipped directory, so a new file cannot miss the embedded list.
fn stems(dir: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sorted(names: impl Iterator<Item = &'static str>) -> Vec<String> {
    let mut v: Vec<String> = names.map(String::from).collect();
    v.sort();
    v
}

#[test]
fn every_theme_file_is_embedded() {
    assert_eq!(
        stems("themes"),
        sorted(theme::EMBEDDED.iter().map(|(n, _)| *n))
    );
}

#[test]
fn every_keymap_file_is_embedded() {
    assert_eq!(
        stems("keymaps"),
        sorted(keymap::EMBEDDED.iter().map(|(n, _)| *n))
    );
}

#[test]
fn shipped_themes_parse_and_fill_every_slot() {
    for (name, text) in theme::EMBEDDED {
        let (spec, unknown) = ThemeSpec::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(unknown.is_empty(), "{name}: unknown slots {unknown:?}");
        assert!(
            spec.missing_slots().is_empty(),
            "{name}: missing {:?}",
            spec.missing_slots()
        );
    }
}

#[test]
fn ansi16_theme_uses_only_ansi_names() {
    let spec = ThemeSpec::embedded(theme::ANSI16_THEME).unwrap();
    for (slot, style) in &spec.slots {
        for c in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                matches!(c, ColorSpec::Named(_) | ColorSpec::Reset),
                "{slot}: {c:?}"
            );
        }
    }
}

#[test]
fn shipped_keymaps_load_without_warnings_and_short_descs() {
    let v = vocab();
    // Each file alone: the shell's, and every pane's.
    let files = keymap::EMBEDDED
        .iter()
        .map(|(n, t)| (n.to_string(), *t))
        .chain(v.keys.iter().map(|(p, n, t)| (format!("{p}/{n}"), *t)));
    for (name, text) in files {
        let (_, warnings) =
            Keymap::parse(&name, text, &v).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
    }
    for (name, _) in keymap::EMBEDDED {
        let k = Keymap::embedded(name, &v).unwrap();
        for section in ALL_SECTIONS {
            assert!(
                !k.bindings(section).is_empty(),
                "{name}: [{}] empty",
                section.name()
            );
            for b in k.bindings(section) {
                let len = b.desc.as_str().chars().count();
                assert!(
                    (1..=MAX_DESC).contains(&len),
                    "{name} {}: {:?}",
                    b.key,
                    b.desc
                );
            }
        }
    }
}

#[test]
fn shipped_keymaps_bind_every_action() {
    let v = vocab();
    let every: Vec<Action> = ALL
        .iter()
        .map(|i| i.action)
        .chain(v.tabs.iter().map(|(t, _)| Action::Jump(t)))
        .chain(
            v.sections
                .iter()
                .flat_map(|(_, verbs)| verbs.iter().map(Action::Verb)),
        )
        .collect();
    assert!(every.len() > 50, "the whole vocabulary: {}", every.len());
    for (name, _) in keymap::EMBEDDED {
        let k = Keymap::embedded(name, &v).unwrap();
        let unbound: Vec<&str> = every
            .iter()
            .filter(|a| !k.is_bound(**a))
            .map(|a| a.name())
            .collect();
        assert!(unbound.is_empty(), "{name}: unbound {unbound:?}");
    }
}

/// A pane key that hides a global or table key with another action makes the
/// hidden action unreachable in that pane. Same action (esc = back) is fine.
#[test]
fn shipped_keymaps_do_not_shadow_keys() {
    let (table, global, logs) = (Section::TABLE, Section::GLOBAL, Section::LOGS);
    let chains: [&[Section]; 3] = [
        &[SWARM, table.clone(), global.clone()],
        &[logs, global.clone()],
        &[table, global],
    ];
    let v = vocab();
    for (name, _) in keymap::EMBEDDED {
        let k = Keymap::embedded(name, &v).unwrap();
        for chain in &chains {
            for (i, section) in chain.iter().enumerate() {
                for b in k.bindings(section) {
                    // Meant: `q` closes the log viewer instead of quitting (less, k9s).
                    let meant = section.name() == "logs" && b.key.to_string() == "q";
                    if let Some(hidden) = k.lookup(&chain[i + 1..], &b.key).filter(|_| !meant) {
                        assert_eq!(
                            hidden.action,
                            b.action,
                            "{name}: {} in [{}]",
                            b.key,
                            section.name()
                        );
                    }
                }
            }
        }
    }
}
