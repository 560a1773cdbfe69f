//! Compose files to one checked tree: each file read, its variables replaced, its keys
//! checked, then merged in order. Relative paths are the first file's folder's, as
//! with `docker stack deploy`.

use super::interpolate::interpolate;
use super::keys;
use super::merge::merge_files;
use super::tree::{self, Node, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a stack's variables come from: the process's environment, and a file's
/// (`KEY=VALUE` lines) read first, so the environment wins as it does for compose.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    from_file: HashMap<String, String>,
    /// Typed in by the user for what nothing else sets (a wizard asks for them).
    given: HashMap<String, String>,
    from_env: bool,
}

impl Variables {
    /// The process's environment only: what `docker stack deploy` reads.
    pub fn from_env() -> Variables {
        Variables {
            from_file: HashMap::new(),
            given: HashMap::new(),
            from_env: true,
        }
    }

    /// Only these (tests).
    pub fn only(vars: &[(&str, &str)]) -> Variables {
        Variables {
            from_file: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            given: HashMap::new(),
            from_env: false,
        }
    }

    /// The environment, then `file`'s lines for what it does not set.
    pub fn with_file(mut self, file: &Path) -> Result<Variables, String> {
        for (k, v) in super::env_file::read(file)? {
            if let Some(v) = v {
                self.from_file.insert(k, v);
            }
        }
        Ok(self)
    }

    /// Values the user typed, for what the environment does not set.
    pub fn with_given(mut self, given: &[(String, String)]) -> Variables {
        self.given.extend(given.iter().cloned());
        self
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.from_env
            .then(|| std::env::var(name).ok())
            .flatten()
            .or_else(|| self.given.get(name).cloned())
            .or_else(|| self.from_file.get(name).cloned())
    }
}

/// The files, merged, with what was said about them on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub root: Node,
    /// The first file's folder: relative paths are its.
    pub dir: PathBuf,
    /// What the first file is called in messages (bind and env_file paths name it).
    pub file: String,
    pub warnings: Vec<String>,
}

/// Read, interpolate, check and merge `files`. Every problem of every file is said,
/// each with its file and line.
pub fn load(files: &[PathBuf], vars: &Variables) -> Result<Loaded, Vec<String>> {
    let Some(first) = files.first() else {
        return Err(vec!["no compose file given".into()]);
    };
    let dir = first
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut unset = Vec::new();
    let mut root: Option<Node> = None;
    for path in files {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{name}: cannot read: {e}"));
                continue;
            }
        };
        let mut node = match tree::parse(&text) {
            Ok(n) => n,
            Err(e) => {
                errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        substitute(
            &mut node,
            "",
            &name,
            vars,
            &mut unset,
            &mut Vec::new(),
            &mut errors,
        );
        let found = keys::check(&node, &name);
        warnings.extend(found.warnings);
        errors.extend(found.errors);
        match &mut root {
            None => root = Some(node),
            Some(r) => merge_files(r, node),
        }
    }
    for name in unset {
        warnings.insert(
            0,
            format!("the {name} variable is not set: read as a blank string"),
        );
    }
    match (errors.is_empty(), root) {
        (true, Some(root)) => Ok(Loaded {
            root,
            dir,
            file: first.display().to_string(),
            warnings,
        }),
        _ => Err(errors),
    }
}

/// The variables `files` read that nothing sets: those a value requires
/// (`${DB_PASSWORD?}`) and those that would be read as blank, in the order met, each
/// once. What a wizard asks for. Files that cannot be read are left to `load` to say.
pub fn missing(files: &[PathBuf], vars: &Variables) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for path in files {
        let Some(mut node) = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| tree::parse(&t).ok())
        else {
            continue;
        };
        let (mut unset, mut required) = (Vec::new(), Vec::new());
        let name = path.display().to_string();
        substitute(
            &mut node,
            "",
            &name,
            vars,
            &mut unset,
            &mut required,
            &mut Vec::new(),
        );
        for n in required.into_iter().chain(unset) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
}

/// Replace variables in every string value of `n` (not in keys, as the CLI does).
fn substitute(
    n: &mut Node,
    path: &str,
    file: &str,
    vars: &Variables,
    unset: &mut Vec<String>,
    required: &mut Vec<String>,
    errors: &mut Vec<String>,
) {
    let line = n.line;
    match &mut n.value {
        Value::Str(s) => match interpolate(s, &|name| vars.get(name), unset) {
            Ok(v) => *s = v,
            Err(p) => {
                if let super::interpolate::Problem::Required { name, .. } = &p {
                    required.push(name.clone());
                }
                errors.push(format!("{file}:{line}: {path}: {p}"))
            }
        },
        Value::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let p = format!("{path}[{i}]");
                substitute(item, &p, file, vars, unset, required, errors);
            }
        }
        Value::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                let p = match path {
                    "" => k.name.clone(),
                    p => format!("{p}.{}", k.name),
                };
                substitute(v, &p, file, vars, unset, required, errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn variables_are_replaced_and_their_errors_say_file_line_and_key() {
        let d = tempfile::tempdir().unwrap();
        let a = write(
            d.path(),
            "a.yaml",
            "services:\n  web:\n    image: \"nginx:${TAG:-1}\"\n    user: $WHO\n",
        );
        let vars = Variables::only(&[("TAG", "2")]);
        let l = load(std::slice::from_ref(&a), &vars).unwrap();
        let web = l.root.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("image").and_then(Node::as_str), Some("nginx:2"));
        assert_eq!(web.get("user").and_then(Node::as_str), Some(""));
        assert_eq!(
            l.warnings,
            ["the WHO variable is not set: read as a blank string"]
        );
        assert_eq!(l.dir, d.path());
        let b = write(
            d.path(),
            "b.yaml",
            "services:\n  web:\n    image: x\n    hostname: ${NAME?give the host a name}\n    \
             user: $1\n    bogus: 1\n",
        );
        let errors = load(&[a, b.clone()], &vars).unwrap_err();
        let b = b.display();
        assert_eq!(
            errors,
            [
                format!(
                    "{b}:4: services.web.hostname: required variable NAME is not set: give the \
                     host a name"
                ),
                format!("{b}:5: services.web.user: invalid interpolation format in \"$1\""),
                format!("{b}:6: services.web.bogus: not a compose key"),
            ]
        );
    }

    #[test]
    fn a_file_s_variables_come_after_the_environment_s() {
        let d = tempfile::tempdir().unwrap();
        let env = write(
            d.path(),
            ".env",
            "# comment\nTAG=from-file\nPATH=not-used\n",
        );
        let vars = Variables::from_env().with_file(&env).unwrap();
        assert_eq!(vars.get("TAG").as_deref(), Some("from-file"));
        assert_ne!(vars.get("PATH").as_deref(), Some("not-used"));
        assert!(load(&[d.path().join("missing.yaml")], &vars).is_err());
    }
}
