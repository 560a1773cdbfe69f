//! Reading optional files from the config dir and turning their problems into
//! one-line warnings (they are shown in a status bar).
use std::{fs, io, path::Path};

use crate::core::text::SafeText;

/// The file's text, or `None` when it does not exist (the normal case). Any other
/// failure is an error: the user meant the file to count.
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// "line 3: invalid string" instead of toml's multi-line snippet.
pub(crate) fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let msg = err.message().trim();
    match err.span() {
        Some(span) => format!("line {}: {msg}", line_of(text, span.start)),
        None => msg.to_string(),
    }
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Theme and keymap names become file names: keep them to one plain path segment.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Warnings quote user files, so they are cleaned like any outside text.
pub(crate) fn warning(msg: impl AsRef<str>) -> SafeText {
    SafeText::new(msg.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_fit_on_one_line_with_the_line_number() {
        let text = "a = 1\nb = \"unterminated\n";
        let err = toml::from_str::<toml::Table>(text).unwrap_err();
        let msg = toml_error(text, &err);
        assert!(msg.starts_with("line 2: "), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }

    #[test]
    fn missing_file_is_not_an_error_but_a_directory_is() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_optional(&dir.path().join("nope.toml")), Ok(None));
        assert!(read_optional(dir.path()).is_err());
    }

    #[test]
    fn names_cannot_escape_their_directory() {
        assert!(is_plain_name("vim"));
        assert!(is_plain_name("my_dark-2"));
        for bad in ["", "../x", "a/b", "a.b", "a b"] {
            assert!(!is_plain_name(bad), "{bad:?}");
        }
    }
}
