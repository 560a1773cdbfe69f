//! An env file as Docker reads one: `KEY=VALUE` lines taken literally (quotes are part
//! of the value), `#` comments and blank lines skipped, a bare `KEY` passed through
//! from the environment when it is set there.

use std::path::Path;

/// The variables in file order: a name and its value.
pub type Lines = Vec<(String, Option<String>)>;

pub fn read(path: &Path) -> Result<Lines, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse(&text, &|k| std::env::var(k).ok())
        .map_err(|(line, why)| format!("{}:{line}: {why}", path.display()))
}

/// The lines of `text`; a bare name is looked up with `env`.
pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Lines, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = match line.split_once('=') {
            Some((k, v)) => (k.trim_start(), Some(v.to_string())),
            None => (line.trim(), None),
        };
        if name.is_empty() {
            // The line itself is not said: it may hold a password.
            return Err((i + 1, "a line with no variable name".to_string()));
        }
        if name.contains(char::is_whitespace) {
            return Err((i + 1, format!("variable {name:?} contains whitespace")));
        }
        match value {
            Some(v) => out.push((name.to_string(), Some(v))),
            None => {
                if let Some(v) = env(name) {
                    out.push((name.to_string(), Some(v)));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_literal_and_bare_names_pass_through() {
        let env = |k: &str| (k == "HOME_SET").then(|| "/root".to_string());
        let got = parse(
            "\u{feff}# top\n\n  A=1\nB=\"quoted\" # not a comment\nC=x=y\nHOME_SET\nNOT_SET\nE=\n",
            &env,
        )
        .unwrap();
        let want: Vec<(String, Option<String>)> = [
            ("A", "1"),
            ("B", "\"quoted\" # not a comment"),
            ("C", "x=y"),
            ("HOME_SET", "/root"),
            ("E", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), Some(v.to_string())))
        .collect();
        assert_eq!(got, want);
        assert_eq!(parse("A B=1\n", &env).unwrap_err().0, 1);
        assert_eq!(parse("ok=1\n=2\n", &env).unwrap_err().0, 2);
    }
}
