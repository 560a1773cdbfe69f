//! `config.toml`: the few settings that are not themes or keymaps.
use std::path::Path;

use serde::Deserialize;

use super::user_file::{read_optional, toml_error, warning};
use crate::core::text::SafeText;

const KNOWN_KEYS: &[&str] = &["read_only", "theme", "keymap", "docker", "zfs"];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Start without a `Writer`: nothing can be changed from this session.
    pub read_only: bool,
    /// Theme name; `None` lets the terminal's colour depth decide.
    pub theme: Option<String>,
    pub keymap: String,
    /// `[[docker]]` engines to watch; none: `DOCKER_HOST`, the Docker context, or the
    /// local socket.
    pub docker: Vec<crate::backend::swarm::engines::DockerEntry>,
    /// `[[zfs]]` hosts whose pools to watch; none: this machine.
    pub zfs: Vec<crate::backend::zfs::runner::ZfsHost>,
    /// Why config.toml could not be read (`line 3: ...`), if it could not.
    #[serde(skip)]
    pub broken: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            read_only: false,
            theme: None,
            keymap: "default".into(),
            docker: Vec::new(),
            zfs: Vec::new(),
            broken: None,
        }
    }
}

impl Settings {
    /// Defaults when the file is missing. A broken file gives defaults plus a
    /// warning, but read-only: the file may have asked for read-only mode, and
    /// guessing wrong that way is only an inconvenience.
    pub fn load(config_dir: &Path) -> (Settings, Vec<SafeText>) {
        let path = config_dir.join("config.toml");
        let text = match read_optional(&path) {
            Ok(Some(text)) => text,
            Ok(None) => return (Settings::default(), Vec::new()),
            Err(e) => return broken(&path, &e),
        };
        match Settings::parse(&text) {
            Ok((settings, unknown)) => {
                let warnings = unknown
                    .iter()
                    .map(|k| warning(format!("{}: unknown setting \"{k}\"", path.display())))
                    .collect();
                (settings, warnings)
            }
            Err(e) => broken(&path, &e),
        }
    }

    /// The settings and the names of keys labdeck does not know (probably typos;
    /// ignored so one stray key does not throw away the rest).
    pub fn parse(text: &str) -> Result<(Settings, Vec<String>), String> {
        let settings: Settings = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let unknown = table
            .keys()
            .filter(|k| !KNOWN_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        Ok((settings, unknown))
    }
}

fn broken(path: &Path, problem: &str) -> (Settings, Vec<SafeText>) {
    let settings = Settings {
        read_only: true,
        broken: Some(problem.to_string()),
        ..Settings::default()
    };
    let msg = format!("{}: {problem}; using defaults, read-only", path.display());
    (settings, vec![warning(msg)])
}

/// Read-only if any source asks for it: the `--read-only` flag, `LABDECK_READ_ONLY`
/// (`1`, `true` or `yes`, any case) or the config file. No source can switch it off
/// again, so a read-only box stays read-only whatever else is set.
pub fn read_only(cli_flag: bool, env_value: Option<&str>, settings: &Settings) -> bool {
    read_only_reason(cli_flag, env_value, settings).is_some()
}

/// Why this session is read-only (the first source that asked), or `None`.
pub fn read_only_reason(
    cli_flag: bool,
    env_value: Option<&str>,
    settings: &Settings,
) -> Option<String> {
    let env_says = env_value.is_some_and(|v| {
        let v = v.trim();
        ["1", "true", "yes"]
            .iter()
            .any(|t| v.eq_ignore_ascii_case(t))
    });
    let why = if cli_flag {
        "started with --read-only".to_string()
    } else if env_says {
        "LABDECK_READ_ONLY is set".to_string()
    } else if let Some(problem) = &settings.broken {
        format!(
            "config.toml could not be read ({problem}), so labdeck started read-only to be safe"
        )
    } else if settings.read_only {
        "read_only = true in config.toml".to_string()
    } else {
        return None;
    };
    Some(format!("read-only mode: {why}"))
}

#[cfg(test)]
mod reason_tests {
    use super::*;

    #[test]
    fn a_broken_file_says_so_as_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "theme = \"x\"\nread_only = maybe\n",
        )
        .unwrap();
        let (s, _) = Settings::load(dir.path());
        let why = read_only_reason(false, None, &s).expect("read-only");
        assert!(
            why.contains("config.toml could not be read (line 2"),
            "{why}"
        );
        assert!(
            why.ends_with("so labdeck started read-only to be safe"),
            "{why}"
        );
        assert!(!why.contains("--read-only"), "{why}");
    }

    #[test]
    fn each_source_is_named() {
        let ro = Settings {
            read_only: true,
            ..Settings::default()
        };
        let d = Settings::default();
        assert!(
            read_only_reason(true, None, &d)
                .unwrap()
                .contains("--read-only")
        );
        assert!(
            read_only_reason(false, Some("1"), &d)
                .unwrap()
                .contains("LABDECK_READ_ONLY")
        );
        assert!(
            read_only_reason(false, None, &ro)
                .unwrap()
                .contains("read_only = true")
        );
        assert_eq!(read_only_reason(false, Some("0"), &d), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let (s, w) = Settings::load(dir.path());
        assert_eq!(s, Settings::default());
        assert_eq!(s.keymap, "default");
        assert!(!s.read_only);
        assert!(w.is_empty());
    }

    #[test]
    fn file_values_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let text = "read_only = true\ntheme = \"light\"\nkeymap = \"vim\"\n";
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        let (s, w) = Settings::load(dir.path());
        assert!(w.is_empty(), "{w:?}");
        assert!(s.read_only);
        assert_eq!(s.theme.as_deref(), Some("light"));
        assert_eq!(s.keymap, "vim");
    }

    #[test]
    fn unset_keys_keep_their_defaults() {
        let (s, unknown) = Settings::parse("theme = \"ansi16\"").unwrap();
        assert_eq!(s.keymap, "default");
        assert!(!s.read_only);
        assert!(unknown.is_empty());
    }

    #[test]
    fn unknown_key_warns_but_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "keymap = \"vim\"\nthemme = \"x\"",
        )
        .unwrap();
        let (s, w) = Settings::load(dir.path());
        assert_eq!(s.keymap, "vim");
        assert_eq!(w.len(), 1);
        assert!(
            w[0].as_str().contains("unknown setting \"themme\""),
            "{w:?}"
        );
    }

    #[test]
    fn broken_file_warns_and_fails_closed() {
        for text in ["read_only = tru", "read_only = \"yes\"", "keymap = 3"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("config.toml"), text).unwrap();
            let (s, w) = Settings::load(dir.path());
            assert_eq!(w.len(), 1, "{text}");
            assert!(w[0].as_str().contains("config.toml: line 1"), "{w:?}");
            assert_eq!(s.keymap, "default");
            assert_eq!(s.theme, None);
            assert!(s.read_only, "{text}");
        }
    }

    #[test]
    fn read_only_env_values() {
        let off = Settings::default();
        for v in ["1", "true", "TRUE", "Yes", " yes "] {
            assert!(read_only(false, Some(v), &off), "{v:?}");
        }
        for v in ["", "0", "false", "no", "on", "2"] {
            assert!(!read_only(false, Some(v), &off), "{v:?}");
        }
        assert!(!read_only(false, None, &off));
    }

    #[test]
    fn any_source_makes_it_read_only_and_none_undoes_it() {
        let off = Settings::default();
        let on = Settings {
            read_only: true,
            ..Settings::default()
        };
        assert!(read_only(true, None, &off));
        assert!(read_only(false, Some("1"), &off));
        assert!(read_only(false, None, &on));
        assert!(read_only(false, Some("0"), &on));
        assert!(read_only(true, Some("false"), &off));
    }
}
