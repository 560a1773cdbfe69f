//! Where labdeck reads its config and writes its data (logs, wizard journals).
use std::{
    env,
    ffi::OsStr,
    path::{Path, PathBuf},
};

/// Used when the platform has no home directory (a bare container, `env -i`).
const FALLBACK_DIR: &str = "./.labdeck";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// Platform dirs, overridden by `LABDECK_CONFIG_DIR` / `LABDECK_DATA_DIR`.
    pub fn from_env() -> Paths {
        Paths::with_overrides(
            env::var_os("LABDECK_CONFIG_DIR").as_deref(),
            env::var_os("LABDECK_DATA_DIR").as_deref(),
        )
    }

    /// Same as `from_env` with the variables passed in, so tests leave the process
    /// environment alone. An empty value counts as unset.
    pub fn with_overrides(config_dir: Option<&OsStr>, data_dir: Option<&OsStr>) -> Paths {
        let platform = directories::ProjectDirs::from("", "", "labdeck")
            .map(|p| (p.config_dir().to_path_buf(), p.data_dir().to_path_buf()));
        resolve(platform, config_dir, data_dir)
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn user_theme(&self, name: &str) -> PathBuf {
        user_theme(&self.config_dir, name)
    }

    pub fn user_keymap(&self, name: &str) -> PathBuf {
        user_keymap(&self.config_dir, name)
    }
}

pub(crate) fn user_theme(config_dir: &Path, name: &str) -> PathBuf {
    config_dir.join("themes").join(format!("{name}.toml"))
}

pub(crate) fn user_keymap(config_dir: &Path, name: &str) -> PathBuf {
    config_dir.join("keymaps").join(format!("{name}.toml"))
}

/// The decision itself, with the platform lookup passed in so the no-home case is
/// testable.
fn resolve(
    platform: Option<(PathBuf, PathBuf)>,
    config_dir: Option<&OsStr>,
    data_dir: Option<&OsStr>,
) -> Paths {
    let (platform_config, platform_data) =
        platform.unwrap_or_else(|| (FALLBACK_DIR.into(), FALLBACK_DIR.into()));
    let pick = |over: Option<&OsStr>, default: PathBuf| match over {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => default,
    };
    Paths {
        config_dir: pick(config_dir, platform_config),
        data_dir: pick(data_dir, platform_data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform() -> Option<(PathBuf, PathBuf)> {
        Some((
            "/home/u/.config/labdeck".into(),
            "/home/u/.local/share/labdeck".into(),
        ))
    }

    #[test]
    fn platform_dirs_without_overrides() {
        let p = resolve(platform(), None, None);
        assert_eq!(p.config_dir, Path::new("/home/u/.config/labdeck"));
        assert_eq!(p.data_dir, Path::new("/home/u/.local/share/labdeck"));
    }

    #[test]
    fn env_overrides_each_dir_independently() {
        let p = resolve(platform(), Some(OsStr::new("/etc/labdeck")), None);
        assert_eq!(p.config_dir, Path::new("/etc/labdeck"));
        assert_eq!(p.data_dir, Path::new("/home/u/.local/share/labdeck"));
        let p = resolve(platform(), None, Some(OsStr::new("/var/lib/labdeck")));
        assert_eq!(p.config_dir, Path::new("/home/u/.config/labdeck"));
        assert_eq!(p.data_dir, Path::new("/var/lib/labdeck"));
    }

    #[test]
    fn empty_override_counts_as_unset() {
        let p = resolve(platform(), Some(OsStr::new("")), Some(OsStr::new("")));
        assert_eq!(p, resolve(platform(), None, None));
    }

    #[test]
    fn no_home_falls_back_to_the_working_dir() {
        let p = resolve(None, None, None);
        assert_eq!(p.config_dir, Path::new("./.labdeck"));
        assert_eq!(p.data_dir, Path::new("./.labdeck"));
        let p = resolve(None, Some(OsStr::new("/cfg")), None);
        assert_eq!(p.config_dir, Path::new("/cfg"));
    }

    #[test]
    fn public_constructor_applies_overrides() {
        let p = Paths::with_overrides(Some(OsStr::new("/c")), Some(OsStr::new("/d")));
        assert_eq!(p.config_dir, Path::new("/c"));
        assert_eq!(p.data_dir, Path::new("/d"));
        assert_eq!(p.config_file(), Path::new("/c/config.toml"));
        assert_eq!(p.user_theme("light"), Path::new("/c/themes/light.toml"));
        assert_eq!(p.user_keymap("vim"), Path::new("/c/keymaps/vim.toml"));
    }
}
