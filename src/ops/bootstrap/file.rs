//! `bootstrap.toml`: its shape, read strictly. A wrong file is refused whole, each
//! problem with its line and field; relative paths are the file's folder's.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// How long a stack may take to be healthy when its `gate` does not say.
pub const DEFAULT_GATE: Duration = Duration::from_secs(120);

/// A bootstrap file, checked, with its paths made whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    /// The folder relative paths were read against.
    pub dir: PathBuf,
    pub swarm: SwarmInit,
    pub networks: Vec<Network>,
    pub secrets: Vec<FileObject>,
    pub configs: Vec<FileObject>,
    pub stacks: Vec<Stack>,
    /// Values typed for variables nothing else sets (the wizard asks for them).
    pub given: Given,
}

/// Variables' values the user typed: they may be passwords, so they never print.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Given(pub Vec<(String, String)>);

impl std::fmt::Debug for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|(n, _)| n.as_str()).collect();
        write!(f, "Given({names:?}, values hidden)")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwarmInit {
    /// For `swarm init` when the engine is not in a swarm.
    pub advertise_addr: Option<String>,
    /// Where the new manager listens (`0.0.0.0:2377` when not said): another port
    /// when something else on the host has 2377.
    pub listen_addr: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    /// `overlay` unless said otherwise.
    pub driver: String,
    pub attachable: bool,
    pub encrypted: bool,
    pub subnet: Option<String>,
}

/// A secret or a config: the name services refer to, and the file it is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileObject {
    pub name: String,
    pub file: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub name: String,
    /// Merged in order, as `docker stack deploy -c a -c b` does.
    pub compose: Vec<PathBuf>,
    pub env_file: Option<PathBuf>,
    /// How long it may take to be healthy.
    pub gate: Duration,
    pub order: Order,
}

/// How a stack's services start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// All at once, as `docker stack deploy` does.
    #[default]
    Together,
    /// In waves along `depends_on`, each wave healthy before the next.
    DependsOn,
}

// The file as written: spans kept where a later check needs a line to point at.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    swarm: SwarmInit,
    #[serde(default)]
    networks: Vec<RawNetwork>,
    #[serde(default)]
    secrets: Vec<RawObject>,
    #[serde(default)]
    configs: Vec<RawObject>,
    #[serde(default)]
    stacks: Vec<RawStack>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    name: Spanned<String>,
    driver: Option<String>,
    #[serde(default)]
    attachable: bool,
    #[serde(default)]
    encrypted: bool,
    subnet: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    name: Spanned<String>,
    file: Spanned<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStack {
    name: Spanned<String>,
    compose: Spanned<Vec<Spanned<PathBuf>>>,
    env_file: Option<Spanned<PathBuf>>,
    gate: Option<RawGate>,
    #[serde(default)]
    order: Order,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    timeout: Spanned<String>,
}

/// Read and check the file at `path`: every problem, each `path: line N: field: what`.
pub fn load(path: &Path) -> Result<Bootstrap, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(&text, &dir).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| format!("{}: {e}", path.display()))
            .collect()
    })
}

/// Check `text`, its relative paths read against `dir`.
pub fn parse(text: &str, dir: &Path) -> Result<Bootstrap, Vec<String>> {
    let raw: Raw = toml::from_str(text).map_err(|e| vec![toml_problem(text, &e)])?;
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>| format!("line {}", line_of(text, span.start));
    let mut names = std::collections::HashSet::new();
    let mut unique = |kind: &str, name: &Spanned<String>, errors: &mut Vec<String>| {
        let n = name.get_ref();
        if let Err(why) = docker_name(n) {
            errors.push(format!("{}: {kind} name {n:?}: {why}", at(name.span())));
        } else if !names.insert((kind.to_string(), n.clone())) {
            errors.push(format!("{}: {kind} {n:?} is named twice", at(name.span())));
        }
    };
    let file = |what: &str, p: &Spanned<PathBuf>, errors: &mut Vec<String>| {
        let full = dir.join(p.get_ref());
        if !full.is_file() {
            errors.push(format!(
                "{}: {what}: no such file: {}",
                at(p.span()),
                full.display()
            ));
        }
        full
    };
    let mut networks = Vec::new();
    for n in &raw.networks {
        unique("network", &n.name, &mut errors);
        if let Some(s) = &n.subnet
            && let Err(why) = subnet(s.get_ref())
        {
            errors.push(format!("{}: subnet {:?}: {why}", at(s.span()), s.get_ref()));
        }
        networks.push(Network {
            name: n.name.get_ref().clone(),
            driver: n.driver.clone().unwrap_or_else(|| "overlay".into()),
            attachable: n.attachable,
            encrypted: n.encrypted,
            subnet: n.subnet.as_ref().map(|s| s.get_ref().clone()),
        });
    }
    let mut objects = |kind: &str, list: &[RawObject], errors: &mut Vec<String>| {
        list.iter()
            .map(|o| {
                unique(kind, &o.name, errors);
                FileObject {
                    name: o.name.get_ref().clone(),
                    file: file(
                        &format!("{kind} {:?}: file", o.name.get_ref()),
                        &o.file,
                        errors,
                    ),
                }
            })
            .collect::<Vec<_>>()
    };
    let secrets = objects("secret", &raw.secrets, &mut errors);
    let configs = objects("config", &raw.configs, &mut errors);
    let mut stacks = Vec::new();
    for s in &raw.stacks {
        unique("stack", &s.name, &mut errors);
        let name = s.name.get_ref();
        if s.compose.get_ref().is_empty() {
            errors.push(format!(
                "{}: stack {name:?}: compose names no file",
                at(s.compose.span())
            ));
        }
        let compose = s
            .compose
            .get_ref()
            .iter()
            .map(|c| file(&format!("stack {name:?}: compose"), c, &mut errors))
            .collect();
        let env_file = s
            .env_file
            .as_ref()
            .map(|e| file(&format!("stack {name:?}: env_file"), e, &mut errors));
        let gate = match &s.gate {
            None => DEFAULT_GATE,
            Some(g) => match timeout(g.timeout.get_ref()) {
                Ok(d) => d,
                Err(why) => {
                    errors.push(format!(
                        "{}: stack {name:?}: gate.timeout {:?}: {why}",
                        at(g.timeout.span()),
                        g.timeout.get_ref()
                    ));
                    DEFAULT_GATE
                }
            },
        };
        stacks.push(Stack {
            name: name.clone(),
            compose,
            env_file,
            gate,
            order: s.order,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Bootstrap {
        dir: dir.to_path_buf(),
        swarm: raw.swarm,
        networks,
        secrets,
        configs,
        stacks,
        given: Given::default(),
    })
}

/// A TOML error as `line N: what` (its message names the field).
fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    let what = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(s) => format!("line {}: {what}", line_of(text, s.start)),
        None => what,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// What Docker accepts as an object's name: letters, digits, `_ . -`, starting with a
/// letter or digit, at most 63 characters.
fn docker_name(n: &str) -> Result<(), &'static str> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if n.is_empty() {
        Err("empty")
    } else if n.len() > 63 {
        Err("longer than 63 characters")
    } else if !n.starts_with(|c: char| c.is_ascii_alphanumeric()) || !n.chars().all(ok_char) {
        Err("only letters, digits, _ . - and starting with a letter or digit")
    } else {
        Ok(())
    }
}

/// `10.20.0.0/24`: an address and a prefix length that fits it.
fn subnet(s: &str) -> Result<(), String> {
    let (addr, len) = s.split_once('/').ok_or("not ADDRESS/PREFIX")?;
    let addr: std::net::IpAddr = addr.parse().map_err(|e| format!("{e}"))?;
    let len: u8 = len.parse().map_err(|_| "the prefix is not a number")?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if len > max {
        return Err(format!("a prefix of {len} is longer than {max}"));
    }
    Ok(())
}

/// `180s`, `3m`, `1m30s` (jiff's friendly format, or ISO 8601): at least a second.
fn timeout(s: &str) -> Result<Duration, String> {
    let d: jiff::SignedDuration = s
        .parse()
        .map_err(|e| format!("not a duration (say 180s or 3m): {e}"))?;
    let d = Duration::try_from(d).map_err(|_| "negative".to_string())?;
    if d < Duration::from_secs(1) {
        return Err("shorter than a second".into());
    }
    Ok(d)
}

#[cfg(test)]
mod tests;
