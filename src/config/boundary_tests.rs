//! Crate boundaries from ARCHITECTURE.md that concern config: no terminal crates
//! in `config/`, and `directories` nowhere else.
use std::{fs, path::Path};

fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

fn src() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "found the sources");
    files
}

/// Built at run time so this file does not match itself.
fn path_of(krate: &str) -> String {
    format!("{krate}::")
}

#[test]
fn config_never_uses_terminal_crates() {
    for (path, text) in src() {
        if path.contains("/src/config/") {
            for krate in ["ratatui", "crossterm"] {
                assert!(!text.contains(&path_of(krate)), "{path} uses {krate}");
            }
        }
    }
}

#[test]
fn directories_is_used_only_in_config() {
    let mut users = 0;
    for (path, text) in src() {
        if text.contains(&path_of("directories")) {
            assert!(path.contains("/src/config/"), "{path} uses directories");
            users += 1;
        }
    }
    assert!(users > 0, "the check looks for the right string");
}
