//! The shipped default keymap, read from `keymaps/default.toml` as data, and its key
//! strings ("ctrl-d", "shift-tab", "G") as tmux `send-keys` names ("C-d", "BTab", "G").

/// One key of one binding: `{ on = ["up", "k"], run = "up" }` gives two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub section: String,
    /// The key as the keymap writes it.
    pub key: String,
    /// The action it runs.
    pub run: String,
}

/// Every key of every section of the default keymap: the shell's file
/// (`keymaps/default.toml`), each pane's own (`src/app/<pane>/keys/default.toml`), and
/// the number keys the tab order gives the panes.
pub fn default_keymap() -> Vec<Bound> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = vec![format!("{root}/keymaps/default.toml")];
    let mut panes: Vec<String> = std::fs::read_dir(format!("{root}/src/app"))
        .unwrap()
        .map(|e| e.unwrap().path().join("keys/default.toml"))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    panes.sort();
    assert!(panes.len() >= 2, "the panes' key files: {panes:?}");
    files.extend(panes);
    let mut out = Vec::new();
    for (i, tab) in vocab().tabs.iter().take(9).enumerate() {
        out.push(Bound {
            section: "global".into(),
            key: (i + 1).to_string(),
            run: tab.0.name.to_owned(),
        });
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc: toml::Table = text.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
        for (section, table) in &doc {
            let entries = table
                .get("keys")
                .and_then(toml::Value::as_array)
                .unwrap_or_else(|| panic!("[{section}] has no keys array"));
            for entry in entries {
                let run = entry["run"].as_str().expect("run is a string");
                let on = entry["on"].as_array().expect("on is an array");
                for key in on {
                    out.push(Bound {
                        section: section.clone(),
                        key: key.as_str().expect("a key is a string").to_owned(),
                        run: run.to_owned(),
                    });
                }
            }
        }
    }
    out
}

/// labdeck's vocabulary, as the program builds it from its panes.
fn vocab() -> ::labdeck::config::keymap::Vocab {
    let settings = ::labdeck::config::settings::Settings::default();
    ::labdeck::app::registry::vocab(&::labdeck::app::registry::panes(&settings))
}

/// Does the binding write (refused in read-only mode)? As labdeck resolves it.
pub fn writes(b: &Bound) -> bool {
    vocab()
        .resolve(&b.section, &b.run)
        .unwrap_or_else(|| panic!("{b:?} names nothing"))
        .writes()
}

/// A keymap key string as a tmux key name. Panics on a key it does not know, so a
/// new kind of key in the keymap cannot be skipped silently.
pub fn tmux_key(key: &str) -> String {
    if let Some(rest) = key.strip_prefix("ctrl-") {
        return format!("C-{}", tmux_key(rest));
    }
    if let Some(rest) = key.strip_prefix("alt-") {
        return format!("M-{}", tmux_key(rest));
    }
    let named = match key {
        "enter" => "Enter",
        "esc" => "Escape",
        "tab" => "Tab",
        "shift-tab" => "BTab",
        "up" => "Up",
        "down" => "Down",
        "left" => "Left",
        "right" => "Right",
        "pageup" => "PPage",
        "pagedown" => "NPage",
        "home" => "Home",
        "end" => "End",
        "space" => "Space",
        "backspace" => "BSpace",
        "delete" => "DC",
        _ => "",
    };
    if !named.is_empty() {
        return named.to_owned();
    }
    if let Some(n) = key.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return format!("F{n}");
    }
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.to_string(),
        _ => panic!("no tmux name for keymap key {key:?}"),
    }
}
