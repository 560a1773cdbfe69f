//! `config.toml`: the shell's few settings, and each pane's own tables (`[[docker]]`,
//! `[[zfs]]`), kept as TOML for the pane to read: adding a pane adds no field here.
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::user_file::{read_optional, toml_error, warning};
use crate::core::text::SafeText;

/// The shell's own keys; the panes' come from their `Table`s.
const SHELL_KEYS: &[&str] = &["read_only", "theme", "keymap"];

/// A pane's table in config.toml: its key, and a check that reads the whole file as
/// the pane will (so a bad entry is found at start, with its line).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub key: &'static str,
    pub check: fn(&str) -> Result<(), String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Start without a `Writer`: nothing can be changed from this session.
    pub read_only: bool,
    /// Theme name; `None` lets the terminal's colour depth decide.
    pub theme: Option<String>,
    pub keymap: String,
    /// Every other key: the panes' own tables, each read by its pane (`Settings::table`).
    #[serde(flatten)]
    pub panes: toml::Table,
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
            panes: toml::Table::new(),
            broken: None,
        }
    }
}

impl Settings {
    /// Defaults when the file is missing. A broken file gives defaults plus a
    /// warning, but read-only: the file may have asked for read-only mode, and
    /// guessing wrong that way is only an inconvenience.
    pub fn load(config_dir: &Path, tables: &[Table]) -> (Settings, Vec<SafeText>) {
        let path = config_dir.join("config.toml");
        let text = match read_optional(&path) {
            Ok(Some(text)) => text,
            Ok(None) => return (Settings::default(), Vec::new()),
            Err(e) => return broken(&path, &e),
        };
        match Settings::parse(&text, tables) {
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
    /// ignored so one stray key does not throw away the rest). A pane's table that its
    /// pane cannot read is an error, as a broken file is.
    pub fn parse(text: &str, tables: &[Table]) -> Result<(Settings, Vec<String>), String> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        for t in tables {
            (t.check)(text)?;
        }
        let known = |k: &str| SHELL_KEYS.contains(&k) || tables.iter().any(|t| t.key == k);
        let unknown: Vec<String> = settings
            .panes
            .keys()
            .filter(|k| !known(k))
            .cloned()
            .collect();
        settings.panes.retain(|k, _| known(k));
        Ok((settings, unknown))
    }

    /// The pane table `key` as `T`; the default when the file has none. (Checked at
    /// load, so an error here means a table built by hand.)
    pub fn table<T: DeserializeOwned + Default>(&self, key: &str) -> Result<T, String> {
        match self.panes.get(key) {
            None => Ok(T::default()),
            Some(v) => v
                .clone()
                .try_into()
                .map_err(|e: toml::de::Error| e.to_string()),
        }
    }
}

/// A check for [`Table`]: the whole file read as `{ key: T }`, errors with their line.
pub fn check_as<T: DeserializeOwned>(text: &str) -> Result<(), String> {
    toml::from_str::<T>(text)
        .map(|_| ())
        .map_err(|e| toml_error(text, &e))
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
        let (s, _) = Settings::load(dir.path(), &[]);
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
        let (s, w) = Settings::load(dir.path(), &[]);
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
        let (s, w) = Settings::load(dir.path(), &[]);
        assert!(w.is_empty(), "{w:?}");
        assert!(s.read_only);
        assert_eq!(s.theme.as_deref(), Some("light"));
        assert_eq!(s.keymap, "vim");
    }

    #[test]
    fn unset_keys_keep_their_defaults() {
        let (s, unknown) = Settings::parse("theme = \"ansi16\"", &[]).unwrap();
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
        let (s, w) = Settings::load(dir.path(), &[]);
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
            let (s, w) = Settings::load(dir.path(), &[]);
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

    /// The file as the hosts' pane reads it (the check reads it whole).
    #[derive(Debug, Default, serde::Deserialize)]
    struct Hosts {
        #[serde(default)]
        #[allow(dead_code)]
        hosts: Vec<Host>,
    }

    #[derive(Debug, Default, Clone, PartialEq, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Host {
        name: String,
    }

    const HOSTS: Table = Table {
        key: "hosts",
        check: check_as::<Hosts>,
    };

    /// A pane's table is the pane's: read as its type when asked, checked at load,
    /// and a key no pane reads is reported.
    #[test]
    fn a_pane_reads_its_own_table_and_a_bad_one_fails_closed() {
        let text = "keymap = \"vim\"\n[[hosts]]\nname = \"n5\"\n";
        let (s, unknown) = Settings::parse(text, &[HOSTS]).unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
        let hosts: Vec<Host> = s.table("hosts").unwrap();
        assert_eq!(hosts, [Host { name: "n5".into() }]);
        let none: Vec<Host> = Settings::default().table("hosts").unwrap();
        assert!(none.is_empty(), "no table: the default");
        // Without the pane, its table is an unknown key.
        let (_, unknown) = Settings::parse(text, &[]).unwrap();
        assert_eq!(unknown, ["hosts"]);
        // A bad entry breaks the file, with its line: read-only, as a broken file is.
        let dir = tempfile::tempdir().unwrap();
        let bad = "keymap = \"vim\"\n[[hosts]]\nnmae = \"n5\"\n";
        std::fs::write(dir.path().join("config.toml"), bad).unwrap();
        let (s, w) = Settings::load(dir.path(), &[HOSTS]);
        assert!(s.read_only && s.broken.is_some());
        assert!(w[0].as_str().contains("line 3"), "{w:?}");
    }
}
