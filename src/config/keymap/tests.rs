use std::fs;

const SWARM: Section = Section::named("swarm");
const ALL_SECTIONS: &[Section] = &[Section::GLOBAL, Section::TABLE, SWARM, Section::LOGS];

use super::*;
use crate::app::logs::LogVerb;
use crate::app::swarm::verbs::SwarmVerb;

/// The real vocabulary: the registry's panes, their verbs and their keys.
fn vocab() -> Vocab {
    let panes = crate::app::registry::panes(&crate::config::settings::Settings::default());
    crate::app::registry::vocab(&panes)
}

fn user_dir(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("keymaps")).unwrap();
    fs::write(
        dir.path().join("keymaps").join(format!("{name}.toml")),
        text,
    )
    .unwrap();
    dir
}

fn key(s: &str) -> KeySpec {
    s.parse().unwrap()
}

fn action_at(k: &Keymap, section: Section, on: &str) -> Option<Action> {
    k.bindings(&section)
        .iter()
        .find(|b| b.key == key(on))
        .map(|b| b.action)
}

fn shipped(name: &str) -> Keymap {
    Keymap::embedded(name, &vocab()).unwrap()
}

#[test]
fn no_user_file_gives_the_embedded_keymap() {
    let dir = tempfile::tempdir().unwrap();
    let (k, warnings) = load(dir.path(), "vim", &vocab());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(k, shipped("vim"));
    assert_eq!(action_at(&k, SWARM, "D"), Some(SwarmVerb::Remove.act()));
}

#[test]
fn overlay_replaces_one_key_in_its_section_only() {
    let dir = user_dir(
        "default",
        "[swarm]\nkeys = [{ on = [\"s\"], run = \"logs\", desc = \"Logs!\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert!(warnings.is_empty(), "{warnings:?}");
    let s = k
        .bindings(&SWARM)
        .iter()
        .find(|b| b.key == key("s"))
        .unwrap();
    assert_eq!(
        (s.action, s.desc.as_str()),
        (SwarmVerb::Logs.act(), "Logs!")
    );
    let base = shipped("default");
    for section in ALL_SECTIONS {
        let others = |k: &Keymap| -> Vec<Binding> {
            k.bindings(section)
                .iter()
                .filter(|b| !(*section == SWARM && b.key == key("s")))
                .cloned()
                .collect()
        };
        assert_eq!(others(&k), others(&base), "{section:?}");
    }
    // Position is kept, so help lists the key where it was.
    let pos = |k: &Keymap| k.bindings(&SWARM).iter().position(|b| b.key == key("s"));
    assert_eq!(pos(&k), pos(&base));
}

#[test]
fn overlay_adds_new_keys_and_defaults_the_desc() {
    let dir = user_dir(
        "default",
        "[logs]\nkeys = [{ on = [\"w\"], run = \"follow\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        k.keys_for(&Section::LOGS, LogVerb::Follow.act()),
        [key("f"), key("w")]
    );
    let w = k.lookup(&[Section::LOGS], &key("w")).unwrap();
    assert_eq!(w.desc.as_str(), LogVerb::Follow.verb().desc);
}

#[test]
fn run_none_unbinds_only_that_key() {
    let dir = user_dir(
        "default",
        "[global]\nkeys = [{ on = [\"q\"], run = \"none\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(action_at(&k, Section::GLOBAL, "q"), None);
    assert_eq!(action_at(&k, Section::GLOBAL, "ctrl-c"), Some(Action::Quit));
    assert_eq!(
        k.bindings(&Section::GLOBAL).len(),
        shipped("default").bindings(&Section::GLOBAL).len() - 1
    );
}

#[test]
fn unknown_action_warns_with_a_suggestion_and_drops_the_entry() {
    let text = "[swarm]\nkeys = [\n { on = [\"s\"], run = \"scael\" },\n { on = [\"y\"], run = \"logs\" },\n]\n";
    let dir = user_dir("default", text);
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0].as_str();
    assert!(
        w.ends_with("default.toml [swarm]: unknown action \"scael\" (did you mean \"scale\"?)"),
        "{w}"
    );
    assert!(w.starts_with("keymap "), "{w}");
    assert_eq!(action_at(&k, SWARM, "s"), Some(SwarmVerb::Scale.act()));
    assert_eq!(action_at(&k, SWARM, "y"), Some(SwarmVerb::Logs.act()));
}

#[test]
fn bad_key_warns_and_drops_only_that_key() {
    let dir = user_dir(
        "default",
        "[global]\nkeys = [{ on = [\"ctrl-qq\", \"Q\"], run = \"quit\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .as_str()
            .contains("[global]: unknown key \"ctrl-qq\""),
        "{warnings:?}"
    );
    assert_eq!(action_at(&k, Section::GLOBAL, "Q"), Some(Action::Quit));
    assert_eq!(action_at(&k, Section::GLOBAL, "q"), Some(Action::Quit));
}

#[test]
fn broken_user_files_warn_and_leave_the_defaults() {
    let cases = [
        ("[global]\nkeys = [{ on = [\"q\"], run = \"quit\" }", "line"),
        (
            "[global]\nkeys = [{ on = \"q\", run = \"quit\" }]",
            "line 2",
        ),
        (
            "[global]\nkeys = [{ on = [\"q\"], runn = \"quit\" }]",
            "runn",
        ),
    ];
    for (text, problem) in cases {
        let dir = user_dir("default", text);
        let (k, warnings) = load(dir.path(), "default", &vocab());
        assert_eq!(k, shipped("default"), "{text}");
        assert_eq!(warnings.len(), 1, "{text}: {warnings:?}");
        let w = warnings[0].as_str();
        assert!(
            w.contains("keymaps/default.toml") && w.contains(problem),
            "{w}"
        );
        assert!(w.ends_with("file ignored"), "{w}");
    }
}

#[test]
fn unknown_section_and_duplicate_keys_warn() {
    let text = "[swarmm]\nkeys = []\n[logs]\nkeys = [{ on = [\"w\"], run = \"follow\" }, { on = [\"w\"], run = \"top\" }]\n";
    let dir = user_dir("default", text);
    let (k, warnings) = load(dir.path(), "default", &vocab());
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().contains("unknown section [swarmm]"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().contains("\"w\" bound twice"))
    );
    assert_eq!(action_at(&k, Section::LOGS, "w"), Some(Action::Top));
}

#[test]
fn user_only_keymap_builds_on_default_and_unknown_names_fall_back() {
    let dir = user_dir(
        "mine",
        "[table]\nkeys = [{ on = [\"J\"], run = \"page-down\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "mine", &vocab());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(action_at(&k, Section::TABLE, "J"), Some(Action::PageDown));
    assert_eq!(action_at(&k, SWARM, "l"), Some(SwarmVerb::Logs.act()));
    let (k, warnings) = load(dir.path(), "emacs", &vocab());
    assert_eq!(k, shipped("default"));
    assert!(
        warnings[0].as_str().contains("unknown keymap \"emacs\""),
        "{warnings:?}"
    );
}

#[test]
fn lookup_prefers_the_more_specific_section() {
    let k = shipped("default");
    let logs = [Section::LOGS, Section::GLOBAL];
    assert_eq!(
        k.lookup(&logs, &key("esc")).unwrap().desc.as_str(),
        "Close logs"
    );
    // In the log viewer q goes back (as in less); ctrl-c still quits.
    assert_eq!(k.lookup(&logs, &key("q")).unwrap().action, Action::Back);
    assert_eq!(
        k.lookup(&logs, &key("ctrl-c")).unwrap().action,
        Action::Quit
    );
    assert_eq!(k.lookup(&[Section::GLOBAL], &key("l")), None);
    let swarm = [SWARM, Section::TABLE, Section::GLOBAL];
    assert_eq!(
        k.lookup(&swarm, &key("ctrl-d")).unwrap().action,
        SwarmVerb::Remove.act()
    );
}

#[test]
fn user_desc_is_cleaned() {
    let dir = user_dir(
        "default",
        "[global]\nkeys = [{ on = [\"q\"], run = \"quit\", desc = \"\\u001b[2JBye\" }]\n",
    );
    let (k, _) = load(dir.path(), "default", &vocab());
    let desc = k
        .lookup(&[Section::GLOBAL], &key("q"))
        .unwrap()
        .desc
        .as_str()
        .to_string();
    assert!(
        !desc.contains('\u{1b}') && desc.ends_with("Bye"),
        "{desc:?}"
    );
}

/// A pane's verbs are its own sections' words: `scale` in [zfs] names nothing there
/// (and says what would), `snapshot` in [zfs] is the ZFS pane's.
#[test]
fn a_pane_s_verbs_resolve_only_in_its_own_sections() {
    let v = vocab();
    assert_eq!(v.resolve("swarm", "scale"), Some(SwarmVerb::Scale.act()));
    assert_eq!(v.resolve("zfs", "scale"), None);
    assert_eq!(v.resolve("global", "scale"), None);
    let snapshot = v.resolve("zfs", "snapshot").unwrap();
    assert!(snapshot.writes() && snapshot.name() == "snapshot");
    assert_ne!(
        v.resolve("zfs", "remove"),
        v.resolve("swarm", "remove"),
        "two panes' remove are two verbs"
    );
    // The shell's actions and the tabs resolve anywhere.
    assert_eq!(v.resolve("zfs", "quit"), Some(Action::Quit));
    assert!(matches!(v.resolve("swarm", "tab-zfs"), Some(Action::Jump(t)) if t.name == "tab-zfs"));
    let dir = user_dir(
        "default",
        "[zfs]\nkeys = [{ on = [\"Z\"], run = \"scale\" }]\n",
    );
    let (k, warnings) = load(dir.path(), "default", &v);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].as_str().contains("unknown action \"scale\""),
        "{warnings:?}"
    );
    assert_eq!(action_at(&k, Section::named("zfs"), "Z"), None);
}

/// The number keys come from the tab order, after quit in the global section.
#[test]
fn number_keys_come_from_the_tab_order() {
    let k = shipped("default");
    let global = k.bindings(&Section::GLOBAL);
    let names: Vec<&str> = global.iter().map(|b| b.action.name()).collect();
    let quit = names.iter().position(|n| *n == "quit").unwrap();
    assert_eq!(
        &names[quit + 1..quit + 6],
        ["tab-nodes", "tab-vlans", "tab-zfs", "tab-swarm", "tab-kube"]
    );
    assert_eq!(global[quit + 3].key, key("3"));
}
