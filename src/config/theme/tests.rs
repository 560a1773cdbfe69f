use std::fs;

use super::*;

/// A config dir holding `themes/<name>.toml` with `text`.
fn user_dir(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("themes")).unwrap();
    fs::write(dir.path().join("themes").join(format!("{name}.toml")), text).unwrap();
    dir
}

fn shipped(name: &str) -> ThemeSpec {
    ThemeSpec::embedded(name).unwrap()
}

#[test]
fn no_user_file_gives_the_embedded_theme() {
    let dir = tempfile::tempdir().unwrap();
    for (name, _) in EMBEDDED {
        let (theme, warnings) = load(dir.path(), name);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(theme, shipped(name));
    }
}

#[test]
fn overlay_replaces_one_slot_and_keeps_the_rest() {
    let dir = user_dir(
        "default",
        "[slots]\n\"status.ok\" = { fg = \"green\", mods = [\"italic\"] }\n",
    );
    let (theme, warnings) = load(dir.path(), "default");
    assert!(warnings.is_empty(), "{warnings:?}");
    let ok = theme.style(Slot::StatusOk).unwrap();
    assert_eq!(ok.fg, Some(ColorSpec::Named(AnsiName::Green)));
    assert_eq!(ok.mods, [ModSpec::Italic]);
    let mut expected = shipped("default");
    expected.slots.remove("status.ok");
    let mut rest = theme.clone();
    rest.slots.remove("status.ok");
    assert_eq!(rest, expected);
}

#[test]
fn overlay_applies_to_the_theme_of_the_same_name() {
    let dir = user_dir("ansi16", "[slots]\n\"text\" = { fg = 7 }\n");
    let (theme, _) = load(dir.path(), "ansi16");
    assert_eq!(
        theme.style(Slot::Text).unwrap().fg,
        Some(ColorSpec::Indexed(7))
    );
    assert_eq!(
        theme.style(Slot::Selection),
        shipped("ansi16").style(Slot::Selection)
    );
}

#[test]
fn user_only_theme_builds_on_default() {
    let dir = user_dir("mine", "[slots]\n\"title\" = { fg = \"#010203\" }\n");
    let (theme, warnings) = load(dir.path(), "mine");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        theme.style(Slot::Title).unwrap().fg,
        Some(ColorSpec::Rgb(1, 2, 3))
    );
    assert_eq!(
        theme.style(Slot::Border),
        shipped("default").style(Slot::Border)
    );
    assert!(theme.missing_slots().is_empty());
}

#[test]
fn broken_user_files_warn_and_leave_the_defaults() {
    let cases = [
        ("[slots\n\"text\" = { fg = \"red\" }", "line 1"),
        (
            "[slots]\n\"text\" = { fg = \"grene\" }",
            "unknown colour \"grene\"",
        ),
        (
            "[slots]\n\"text\" = { fg = \"red\", mods = [\"blink\"] }",
            "unknown modifier \"blink\"",
        ),
        ("[slots]\n\"text\" = { fg = 300 }", "300 is not in 0-255"),
        ("[colours]\n", "colours"),
    ];
    for (text, problem) in cases {
        let dir = user_dir("default", text);
        let (theme, warnings) = load(dir.path(), "default");
        assert_eq!(theme, shipped("default"), "{text}");
        assert_eq!(warnings.len(), 1, "{text}: {warnings:?}");
        let w = warnings[0].as_str();
        assert!(w.contains("themes/default.toml"), "{w}");
        assert!(w.contains(problem), "{w}");
    }
}

#[test]
fn unknown_slot_warns_but_the_rest_applies() {
    let dir = user_dir(
        "light",
        "[slots]\n\"status.okk\" = { fg = \"red\" }\n\"text\" = { fg = \"red\" }\n",
    );
    let (theme, warnings) = load(dir.path(), "light");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].as_str().contains("unknown slot \"status.okk\""));
    assert_eq!(
        theme.style(Slot::Text).unwrap().fg,
        Some(ColorSpec::Named(AnsiName::Red))
    );
    assert!(!theme.slots.contains_key("status.okk"));
}

#[test]
fn unknown_theme_name_falls_back_to_default_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (theme, warnings) = load(dir.path(), "solarized");
    assert_eq!(theme, shipped("default"));
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().contains("unknown theme \"solarized\""));
    assert!(warnings[0].as_str().contains("ansi16"));
}

#[test]
fn path_like_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (theme, warnings) = load(dir.path(), "../../etc/evil");
    assert_eq!(theme, shipped("default"));
    assert_eq!(warnings.len(), 1);
}

#[test]
fn warnings_cannot_carry_escape_sequences() {
    let dir = user_dir("default", "[slots]\n\"\\u001b]52;c;x\\u0007\" = {}\n");
    let (_, warnings) = load(dir.path(), "default");
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].as_str().contains("unknown slot"),
        "{:?}",
        warnings[0]
    );
    assert!(
        !warnings[0].as_str().contains('\u{1b}'),
        "{:?}",
        warnings[0]
    );
}
