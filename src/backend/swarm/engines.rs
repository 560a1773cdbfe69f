//! Which Docker engines labdeck watches, and how to reach each one.
//!
//! With `[[docker]]` entries in config.toml there is one engine per usable entry, in
//! order, named after the entry. An entry gives either a `host` or a docker CLI
//! `context`. The environment then matters only for `context = "default"` and for
//! finding the docker config dir.
//!
//! Without entries there is one engine, picked the way the docker CLI picks it:
//! 1. a non-empty `DOCKER_HOST`, named "local" (it stands where the local socket would);
//! 2. else a non-empty `DOCKER_CONTEXT`;
//! 3. else `currentContext` in `<config dir>/config.json`;
//! 4. else `unix:///var/run/docker.sock`, named "local".
//!
//! The context "default" at step 2 or 3 means step 4. Any other context gives an
//! engine named after the context. `<config dir>` is `DOCKER_CONFIG`, else
//! `$HOME/.docker`. A context named N is stored in
//! `<config dir>/contexts/meta/<sha256 hex of N>/meta.json`, and its TLS files are in
//! `contexts/tls/<same>/docker/`.
//!
//! TLS applies to tcp:// hosts only, and labdeck always verifies the certificate.
//! Anything that cannot be used becomes a one-line warning. Nothing here panics.
use std::{
    fmt::Write as _,
    io,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

const LOCAL_NAME: &str = "local";
const LOCAL_SOCKET: &str = "unix:///var/run/docker.sock";
const DEFAULT_SOCKET_PATH: &str = "/var/run/docker.sock";
const DEFAULT_CONTEXT: &str = "default";
/// The CLI's port for a tcp:// host given without one. The address always gets a port,
/// so that no client falls back to port 80.
const PLAIN_PORT: u16 = 2375;
/// The Docker TLS port, for https:// hosts given without one.
const TLS_PORT: u16 = 2376;
const TLS_FILE_NAMES: [&str; 3] = ["ca.pem", "cert.pem", "key.pem"];

/// The key of the engines' table in config.toml.
pub const CONFIG_KEY: &str = "docker";

/// config.toml as the engines read it: its `[[docker]]` entries, nothing else.
#[derive(Debug, Default, Deserialize)]
pub struct DockerTable {
    #[serde(default)]
    pub docker: Vec<DockerEntry>,
}

/// One `[[docker]]` entry of config.toml.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DockerEntry {
    /// What labdeck calls the engine. It must be non-empty and unique among the entries.
    pub name: String,
    /// `unix://`, `tcp://`, `http(s)://` or `ssh://`. Give this or `context`, not both.
    pub host: Option<String>,
    /// A docker CLI context to take the host and TLS from. "default" means
    /// `DOCKER_HOST` or the local socket.
    pub context: Option<String>,
    /// TLS for a tcp:// host (always verified).
    pub tls_verify: Option<bool>,
    /// The directory with ca.pem, cert.pem and key.pem. Setting it turns TLS on.
    /// Default: the docker config dir.
    pub cert_path: Option<String>,
}

/// TLS material for a tcp:// engine, in the docker CLI's `DOCKER_CERT_PATH` layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// Always set, even when the file is missing, so the connection error names it.
    pub ca: PathBuf,
    /// Set only when both cert.pem and key.pem exist. A client certificate is optional.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// An engine to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSpec {
    pub name: String,
    /// `unix://…`, `tcp://host:port` (http:// and https:// become this) or
    /// `ssh://[user@]host[:port]`.
    pub host: String,
    /// `Some` means TLS to a tcp:// host.
    pub tls: Option<TlsFiles>,
}

/// What resolution reads from the environment. It is passed in so the tests do not
/// depend on the process environment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Env {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub docker_config: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub tls_verify: Option<String>,
    pub cert_path: Option<PathBuf>,
}

impl Env {
    pub fn from_process() -> Env {
        // Lossy rather than dropped: a mangled DOCKER_HOST should fail loudly, not
        // quietly turn into the local socket.
        let text = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
        let path = |k: &str| std::env::var_os(k).map(PathBuf::from);
        Env {
            docker_host: text("DOCKER_HOST"),
            docker_context: text("DOCKER_CONTEXT"),
            docker_config: path("DOCKER_CONFIG"),
            home: path("HOME"),
            tls_verify: text("DOCKER_TLS_VERIFY"),
            cert_path: path("DOCKER_CERT_PATH"),
        }
    }
}

/// The engines to watch and one warning line for each thing that could not be used.
/// If every entry is unusable the list is empty: it does not fall back to an engine
/// the config did not name.
pub fn resolve(entries: &[DockerEntry], env: &Env) -> (Vec<EngineSpec>, Vec<String>) {
    resolve_with(entries, env, &Disk)
}

fn resolve_with(
    entries: &[DockerEntry],
    env: &Env,
    files: &dyn Files,
) -> (Vec<EngineSpec>, Vec<String>) {
    let mut r = Resolver {
        env,
        files,
        warnings: Vec::new(),
    };
    let engines = if entries.is_empty() {
        vec![r.environment_engine()]
    } else {
        r.entry_engines(entries)
    };
    let warnings = r.warnings.iter().map(|w| one_line(w)).collect();
    (engines, warnings)
}

/// The only I/O done here is reading a few small files. It goes through this trait so
/// that the rules stay separate from the disk.
trait Files {
    /// The file's text, or `Ok(None)` when the file does not exist.
    fn read(&self, path: &Path) -> io::Result<Option<String>>;
    fn exists(&self, path: &Path) -> bool;
}

struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> io::Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }
}

struct Resolver<'a> {
    env: &'a Env,
    files: &'a dyn Files,
    warnings: Vec<String>,
}

impl Resolver<'_> {
    fn warn(&mut self, msg: String) {
        self.warnings.push(msg);
    }

    /// `DOCKER_CONFIG`, else `$HOME/.docker`. `None` when neither is set.
    fn config_dir(&self) -> Option<PathBuf> {
        set_path(&self.env.docker_config)
            .map(Path::to_path_buf)
            .or_else(|| set_path(&self.env.home).map(|home| home.join(".docker")))
    }

    fn environment_engine(&mut self) -> EngineSpec {
        if set(&self.env.docker_host).is_some() {
            return self.default_context(LOCAL_NAME);
        }
        match self.current_context() {
            Some((context, source)) => self.context_or_local_socket(&context, &source),
            None => local_socket(LOCAL_NAME),
        }
    }

    /// The context the CLI would use, and where that choice came from. `None` means
    /// "default". A non-empty `DOCKER_CONTEXT` decides even when it is "default", as
    /// in the CLI: config.json is then not read.
    fn current_context(&mut self) -> Option<(String, String)> {
        let env = self.env;
        let (context, source) = match set(&env.docker_context) {
            Some(context) => (context.to_string(), "from DOCKER_CONTEXT".to_string()),
            None => self.config_current_context()?,
        };
        (context != DEFAULT_CONTEXT).then_some((context, source))
    }

    fn config_current_context(&mut self) -> Option<(String, String)> {
        let path = self.config_dir()?.join("config.json");
        let json = match self.read_json(&path) {
            Ok(Some(json)) => json,
            Ok(None) => return None,
            Err(problem) => {
                self.warn(format!("{problem}; ignoring its currentContext"));
                return None;
            }
        };
        let context = match field(&json, "currentContext") {
            None | Some(Value::Null) => return None,
            Some(Value::String(context)) => context.trim(),
            Some(_) => {
                let msg = format!(
                    "{}: currentContext is not a string; ignored",
                    path.display()
                );
                self.warn(msg);
                return None;
            }
        };
        let source = format!("currentContext in {}", path.display());
        (!context.is_empty()).then(|| (context.to_string(), source))
    }

    /// Without entries, a broken context still leaves one engine. The local socket is
    /// what the user gets if they fix nothing, and the warning says so.
    fn context_or_local_socket(&mut self, context: &str, source: &str) -> EngineSpec {
        self.context_engine(context, context)
            .unwrap_or_else(|problem| {
                self.warn(format!(
                    "context {context:?} ({source}): {problem}; watching {LOCAL_SOCKET} instead"
                ));
                local_socket(LOCAL_NAME)
            })
    }

    /// The CLI's "default" context: `DOCKER_HOST` with the TLS variables, else the
    /// local socket.
    fn default_context(&mut self, name: &str) -> EngineSpec {
        let env = self.env;
        let Some(raw) = set(&env.docker_host) else {
            return local_socket(name);
        };
        match parse_host(raw) {
            Ok(host) => {
                let tls = self.env_tls(&host);
                engine(name, host, tls)
            }
            Err(problem) => {
                self.warn(format!(
                    "DOCKER_HOST: {problem}; watching {LOCAL_SOCKET} instead"
                ));
                local_socket(name)
            }
        }
    }

    /// TLS for `DOCKER_HOST`: an https:// host, or a tcp:// host with a non-empty
    /// `DOCKER_TLS_VERIFY`. As in the CLI, any value counts, even "0". The files come
    /// from `DOCKER_CERT_PATH`, else the config dir.
    fn env_tls(&mut self, host: &Host) -> Option<TlsFiles> {
        let env = self.env;
        let wanted =
            host.kind == Kind::Https || (host.kind == Kind::Tcp && set(&env.tls_verify).is_some());
        if !wanted {
            return None;
        }
        let dir = match set_path(&env.cert_path) {
            Some(dir) => dir.to_path_buf(),
            None => self.default_cert_dir("DOCKER_HOST"),
        };
        Some(self.tls_files(&dir, "DOCKER_HOST"))
    }

    /// Where the CLI looks for TLS files when it is told nothing else.
    fn default_cert_dir(&mut self, who: &str) -> PathBuf {
        self.config_dir().unwrap_or_else(|| {
            self.warn(format!(
                "{who}: neither DOCKER_CONFIG nor HOME is set; looking for TLS files in the current directory"
            ));
            PathBuf::from(".")
        })
    }

    /// A missing ca.pem gives a warning but TLS stays on. Dropping to plain HTTP would
    /// hide the problem, and this way the connection error names the file.
    fn tls_files(&mut self, dir: &Path, who: &str) -> TlsFiles {
        let [ca, cert, key] = TLS_FILE_NAMES.map(|f| dir.join(f));
        if !self.files.exists(&ca) {
            self.warn(format!(
                "{who}: {} does not exist; TLS connections will fail without it",
                ca.display()
            ));
        }
        let client = self.files.exists(&cert) && self.files.exists(&key);
        TlsFiles {
            ca,
            cert: client.then_some(cert),
            key: client.then_some(key),
        }
    }

    /// An engine from a stored context, or the reason there is none.
    fn context_engine(&mut self, name: &str, context: &str) -> Result<EngineSpec, String> {
        let stored = self.read_context(context)?;
        let tls = self.context_tls(context, &stored);
        Ok(engine(name, stored.host, tls))
    }

    fn read_context(&self, context: &str) -> Result<StoredContext, String> {
        let dir = self.config_dir().ok_or_else(|| {
            "neither DOCKER_CONFIG nor HOME is set, so there is no context store".to_string()
        })?;
        let id = context_id(context);
        let meta = dir
            .join("contexts")
            .join("meta")
            .join(&id)
            .join("meta.json");
        let json = self
            .read_json(&meta)?
            .ok_or_else(|| format!("no such context ({} does not exist)", meta.display()))?;
        let endpoint = field(&json, "Endpoints").and_then(|e| field(e, "docker"));
        let raw_host = endpoint
            .and_then(|e| field(e, "Host"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("{} has no docker endpoint Host", meta.display()))?;
        let host = parse_host(raw_host).map_err(|p| format!("{}: {p}", meta.display()))?;
        let skip_tls_verify = endpoint
            .and_then(|e| field(e, "SkipTLSVerify"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(StoredContext {
            host,
            skip_tls_verify,
            tls_dir: dir.join("contexts").join("tls").join(&id).join("docker"),
        })
    }

    /// A context's TLS, for tcp:// hosts only (the CLI uses none for sockets or ssh).
    /// TLS is on when the host is https://, when any TLS file is stored, or when
    /// SkipTLSVerify is set (the context speaks TLS, just unverified).
    fn context_tls(&mut self, context: &str, stored: &StoredContext) -> Option<TlsFiles> {
        if !stored.host.kind.is_tcp() {
            return None;
        }
        let dir = &stored.tls_dir;
        let any_file = TLS_FILE_NAMES
            .iter()
            .any(|f| self.files.exists(&dir.join(f)));
        if !(stored.host.kind == Kind::Https || any_file || stored.skip_tls_verify) {
            return None;
        }
        let who = format!("context {context:?}");
        if stored.skip_tls_verify {
            self.warn(format!(
                "{who}: SkipTLSVerify is set, but labdeck does not skip TLS verification and verifies anyway"
            ));
        }
        Some(self.tls_files(dir, &who))
    }

    fn entry_engines(&mut self, entries: &[DockerEntry]) -> Vec<EngineSpec> {
        // Names of all earlier entries, usable or not: names are unique within the file.
        let mut seen: Vec<&str> = Vec::new();
        let mut engines = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let name = entry.name.trim();
            if name.is_empty() {
                self.warn(format!("[[docker]] entry {}: no name; skipped", i + 1));
                continue;
            }
            if seen.contains(&name) {
                self.warn(format!(
                    "[[docker]] {name:?}: an earlier entry has the same name; skipped"
                ));
                continue;
            }
            seen.push(name);
            engines.extend(self.entry_engine(name, entry));
        }
        engines
    }

    fn entry_engine(&mut self, name: &str, entry: &DockerEntry) -> Option<EngineSpec> {
        let who = format!("[[docker]] {name:?}");
        match (set(&entry.host), set(&entry.context)) {
            (Some(host), None) => self.entry_host_engine(name, host, entry, &who),
            (None, Some(context)) => self.entry_context_engine(name, context, entry, &who),
            (Some(_), Some(_)) => {
                self.warn(format!("{who}: set host or context, not both; skipped"));
                None
            }
            (None, None) => {
                self.warn(format!("{who}: needs a host or a context; skipped"));
                None
            }
        }
    }

    fn entry_host_engine(
        &mut self,
        name: &str,
        raw: &str,
        entry: &DockerEntry,
        who: &str,
    ) -> Option<EngineSpec> {
        match parse_host(raw) {
            Ok(host) => {
                let tls = self.entry_tls(entry, &host, who);
                Some(engine(name, host, tls))
            }
            Err(problem) => {
                self.warn(format!("{who}: {problem}; skipped"));
                None
            }
        }
    }

    /// TLS for an entry's tcp:// host when it is https://, has `tls_verify = true` or
    /// has a `cert_path`.
    fn entry_tls(&mut self, entry: &DockerEntry, host: &Host, who: &str) -> Option<TlsFiles> {
        let cert_path = set(&entry.cert_path);
        let asked = entry.tls_verify == Some(true) || cert_path.is_some();
        if !host.kind.is_tcp() {
            if asked {
                self.warn(format!(
                    "{who}: tls_verify and cert_path apply to tcp:// hosts only; ignored"
                ));
            }
            return None;
        }
        if !(asked || host.kind == Kind::Https) {
            return None;
        }
        if entry.tls_verify == Some(false) {
            self.warn(format!(
                "{who}: tls_verify = false is not honoured; labdeck does not skip TLS verification"
            ));
        }
        let dir = match cert_path {
            Some(path) => expand_home(path, self.env),
            None => self.default_cert_dir(who),
        };
        Some(self.tls_files(&dir, who))
    }

    /// A named context's engine. Unlike the no-entries case, a broken context skips
    /// the entry: an engine with this name on the local socket would be the wrong one.
    fn entry_context_engine(
        &mut self,
        name: &str,
        context: &str,
        entry: &DockerEntry,
        who: &str,
    ) -> Option<EngineSpec> {
        if entry.tls_verify.is_some() || set(&entry.cert_path).is_some() {
            self.warn(format!(
                "{who}: tls_verify and cert_path are ignored with a context, which has its own TLS files"
            ));
        }
        if context == DEFAULT_CONTEXT {
            return Some(self.default_context(name));
        }
        match self.context_engine(name, context) {
            Ok(engine) => Some(engine),
            Err(problem) => {
                self.warn(format!("{who}: context {context:?}: {problem}; skipped"));
                None
            }
        }
    }

    /// A JSON file's contents. `Ok(None)` when the file is missing. `Err` (the start
    /// of a warning) when it cannot be read or parsed.
    fn read_json(&self, path: &Path) -> Result<Option<Value>, String> {
        let text = self
            .files
            .read(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let Some(text) = text else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
    }
}

/// What a stored context says about its docker endpoint.
struct StoredContext {
    host: Host,
    skip_tls_verify: bool,
    tls_dir: PathBuf,
}

/// The context store's directory name for a context: the lowercase hex sha256 of its
/// name. Hashing also keeps any name from escaping the store.
fn context_id(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// `obj[key]`, matched the way Go's encoding/json matches it: the exact key first,
/// then any key equal to it ignoring ASCII case. The CLI writes "Endpoints" and
/// reads "endpoints".
fn field<'v>(obj: &'v Value, key: &str) -> Option<&'v Value> {
    let map = obj.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A value that counts as set: trimmed and non-empty. The CLI ignores empty variables.
fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn set_path(value: &Option<PathBuf>) -> Option<&Path> {
    value.as_deref().filter(|p| !p.as_os_str().is_empty())
}

/// A leading `~` in config.toml means HOME, as it would in a shell.
fn expand_home(path: &str, env: &Env) -> PathBuf {
    let home = set_path(&env.home);
    match (path, path.strip_prefix("~/"), home) {
        ("~", _, Some(home)) => home.to_path_buf(),
        (_, Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

fn engine(name: &str, host: Host, tls: Option<TlsFiles>) -> EngineSpec {
    EngineSpec {
        name: name.to_string(),
        host: host.address,
        tls,
    }
}

fn local_socket(name: &str) -> EngineSpec {
    EngineSpec {
        name: name.to_string(),
        host: LOCAL_SOCKET.to_string(),
        tls: None,
    }
}

/// Warnings go to a status bar. Names and hosts are quoted with `{:?}`, but a path
/// could still contain a line break.
fn one_line(warning: &str) -> String {
    warning.replace(['\n', '\r'], " ")
}

mod host;

use host::{Host, Kind, parse_host};

#[cfg(test)]
mod tests;
