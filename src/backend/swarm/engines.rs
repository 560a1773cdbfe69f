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

/// How an engine address is reached. After parsing, http:// and https:// are both
/// written as tcp://.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unix,
    Tcp,
    /// tcp:// that must use TLS, whatever else is configured.
    Https,
    Ssh,
}

impl Kind {
    fn is_tcp(self) -> bool {
        matches!(self, Kind::Tcp | Kind::Https)
    }
}

/// An engine address in the form it is given to the client, and how it is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Host {
    address: String,
    kind: Kind,
}

fn parse_host(raw: &str) -> Result<Host, String> {
    let raw = raw.trim();
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{raw:?} contains spaces or control characters"));
    }
    let Some((scheme, rest)) = raw.split_once("://") else {
        return Err(format!(
            "{raw:?} has no scheme; use unix://, tcp:// or ssh://"
        ));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "unix" => unix_host(raw, rest),
        "tcp" | "http" => tcp_host(raw, rest, Kind::Tcp),
        "https" => tcp_host(raw, rest, Kind::Https),
        "ssh" => ssh_host(raw, rest),
        _ => Err(format!(
            "{raw:?}: unsupported scheme {scheme:?}; use unix://, tcp://, http(s):// or ssh://"
        )),
    }
}

/// `unix://` on its own is the default socket, as in the CLI.
fn unix_host(raw: &str, path: &str) -> Result<Host, String> {
    if path.contains("://") {
        return Err(format!("{raw:?} is not a socket path"));
    }
    let path = if path.is_empty() {
        DEFAULT_SOCKET_PATH
    } else {
        path
    };
    Ok(Host {
        address: format!("unix://{path}"),
        kind: Kind::Unix,
    })
}

/// `host[:port]`. A missing port is filled in, as the CLI does. A base path
/// (`tcp://h:2375/base`) is refused: the transport dials `host:port` only.
fn tcp_host(raw: &str, rest: &str, kind: Kind) -> Result<Host, String> {
    let (authority, path) = split_authority(rest);
    if !path.trim_end_matches('/').is_empty() {
        return Err(format!(
            "{raw:?}: a path after a tcp:// host is not supported"
        ));
    }
    let Some((host, port)) = split_port(authority).filter(|_| !rest.contains("://")) else {
        return Err(format!("{raw:?} is not a valid tcp:// address"));
    };
    let default_port = if kind == Kind::Https {
        TLS_PORT
    } else {
        PLAIN_PORT
    };
    let port = port.map_or_else(|| default_port.to_string(), str::to_string);
    Ok(Host {
        address: format!("tcp://{host}:{port}"),
        kind,
    })
}

/// `[user@]host[:port]`. A socket path (`ssh://host/path`) is refused rather than
/// ignored, because the client cannot use one over ssh.
fn ssh_host(raw: &str, rest: &str) -> Result<Host, String> {
    let (authority, path) = split_authority(rest);
    if !path.trim_end_matches('/').is_empty() {
        return Err(format!(
            "{raw:?}: a socket path after an ssh:// host is not supported"
        ));
    }
    // A machine name starting with '-' would reach ssh as an option.
    let machine_ok = |host: &str| {
        let machine = host.rsplit_once('@').map_or(host, |(_, m)| m);
        !machine.is_empty() && !machine.starts_with('-')
    };
    let valid = !rest.contains("://") && split_port(authority).is_some_and(|(h, _)| machine_ok(h));
    if !valid {
        return Err(format!("{raw:?} is not a valid ssh:// address"));
    }
    Ok(Host {
        address: format!("ssh://{authority}"),
        kind: Kind::Ssh,
    })
}

/// `authority` and `/path` (which may be empty).
fn split_authority(rest: &str) -> (&str, &str) {
    match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    }
}

/// `host` and port of `host[:port]` or `[v6]`/`[v6]:port`. `None` when the host is
/// empty or the port is not a number from 1 to 65535.
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (host, after) = authority.split_at(end);
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port_ok = port.is_none_or(|p| {
        p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0)
    });
    let host_ok = !host.is_empty() && host != "[]";
    (host_ok && port_ok).then_some((host, port))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::fs;

    /// `printf %s nas | sha256sum`
    const NAS_ID: &str = "047de0f543c7e3596bb6dbd0e65f2c30357720a63eca423f08c52fae314f6806";

    fn write(path: &Path, text: impl AsRef<[u8]>) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn meta_path(config_dir: &Path, name: &str) -> PathBuf {
        config_dir
            .join("contexts/meta")
            .join(context_id(name))
            .join("meta.json")
    }

    fn tls_dir(config_dir: &Path, name: &str) -> PathBuf {
        config_dir
            .join("contexts/tls")
            .join(context_id(name))
            .join("docker")
    }

    /// A stored context as the CLI writes it (Go field names, capitalised).
    fn add_context(config_dir: &Path, name: &str, host: &str, skip_tls_verify: bool) {
        let meta = serde_json::json!({
            "Name": name,
            "Metadata": {"Description": "test"},
            "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}},
        });
        write(&meta_path(config_dir, name), meta.to_string());
    }

    fn add_files(dir: &Path, names: &[&str]) {
        for name in names {
            write(&dir.join(name), "-----BEGIN CERTIFICATE-----");
        }
    }

    /// A fake home with an empty `.docker`, and an environment pointing at it.
    fn fake_home() -> (tempfile::TempDir, Env) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(".docker")).unwrap();
        let env = Env {
            home: Some(dir.path().to_path_buf()),
            ..Env::default()
        };
        (dir, env)
    }

    fn docker_dir(home: &tempfile::TempDir) -> PathBuf {
        home.path().join(".docker")
    }

    fn spec(name: &str, host: &str) -> EngineSpec {
        EngineSpec {
            name: name.into(),
            host: host.into(),
            tls: None,
        }
    }

    fn local() -> EngineSpec {
        spec("local", "unix:///var/run/docker.sock")
    }

    fn all_tls(dir: &Path) -> Option<TlsFiles> {
        Some(TlsFiles {
            ca: dir.join("ca.pem"),
            cert: Some(dir.join("cert.pem")),
            key: Some(dir.join("key.pem")),
        })
    }

    fn host_entry(name: &str, host: &str) -> DockerEntry {
        DockerEntry {
            name: name.into(),
            host: Some(host.into()),
            ..DockerEntry::default()
        }
    }

    fn context_entry(name: &str, context: &str) -> DockerEntry {
        DockerEntry {
            name: name.into(),
            context: Some(context.into()),
            ..DockerEntry::default()
        }
    }

    #[test]
    fn no_entries_and_no_environment_watch_the_local_socket() {
        assert_eq!(resolve(&[], &Env::default()), (vec![local()], vec![]));
        let (_home, env) = fake_home();
        assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
    }

    #[test]
    fn docker_host_wins_over_docker_context() {
        let (home, mut env) = fake_home();
        add_context(&docker_dir(&home), "prod", "ssh://admin@10.0.8.10", false);
        env.docker_context = Some("prod".into());
        env.docker_host = Some(" tcp://10.0.8.10:2375 ".into());
        let (engines, warnings) = resolve(&[], &env);
        assert_eq!(engines, vec![spec("local", "tcp://10.0.8.10:2375")]);
        assert!(warnings.is_empty(), "{warnings:?}");

        // A blank DOCKER_HOST does not count.
        env.docker_host = Some("  ".into());
        let (engines, _) = resolve(&[], &env);
        assert_eq!(engines, vec![spec("prod", "ssh://admin@10.0.8.10")]);
    }

    #[test]
    fn docker_context_picks_the_contexts_ssh_host_and_name() {
        let (home, mut env) = fake_home();
        add_context(
            &docker_dir(&home),
            "prod",
            "ssh://admin@10.0.8.10:2222",
            false,
        );
        // Even TLS files do not apply to ssh.
        add_files(&tls_dir(&docker_dir(&home), "prod"), &TLS_FILE_NAMES);
        env.docker_context = Some(" prod ".into());
        let (engines, warnings) = resolve(&[], &env);
        assert_eq!(engines, vec![spec("prod", "ssh://admin@10.0.8.10:2222")]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn context_keys_are_matched_ignoring_case() {
        let (home, mut env) = fake_home();
        let meta = r#"{"name":"lab","endpoints":{"docker":{"host":"ssh://lab.lan","skipTLSVerify":false}}}"#;
        write(&meta_path(&docker_dir(&home), "lab"), meta);
        env.docker_context = Some("lab".into());
        assert_eq!(
            resolve(&[], &env),
            (vec![spec("lab", "ssh://lab.lan")], vec![])
        );
    }

    #[test]
    fn current_context_comes_from_config_json() {
        let (home, env) = fake_home();
        let docker = docker_dir(&home);
        add_context(&docker, "nas", "ssh://root@nas.lan", false);
        write(
            &docker.join("config.json"),
            r#"{"auths": {}, "currentContext": "nas"}"#,
        );
        assert_eq!(
            resolve(&[], &env),
            (vec![spec("nas", "ssh://root@nas.lan")], vec![])
        );

        write(
            &docker.join("config.json"),
            r#"{"currentContext": "default"}"#,
        );
        assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
    }

    #[test]
    fn docker_context_default_beats_current_context_as_in_the_cli() {
        let (home, mut env) = fake_home();
        let docker = docker_dir(&home);
        add_context(&docker, "nas", "ssh://root@nas.lan", false);
        write(&docker.join("config.json"), r#"{"currentContext": "nas"}"#);
        env.docker_context = Some("default".into());
        assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
    }

    #[test]
    fn docker_config_overrides_home() {
        let (home, mut env) = fake_home();
        add_context(&docker_dir(&home), "a", "ssh://wrong.lan", false);
        write(
            &docker_dir(&home).join("config.json"),
            r#"{"currentContext": "a"}"#,
        );
        let other = tempfile::tempdir().unwrap();
        add_context(other.path(), "b", "ssh://right.lan", false);
        write(
            &other.path().join("config.json"),
            r#"{"currentContext": "b"}"#,
        );

        env.docker_config = Some(other.path().to_path_buf());
        assert_eq!(resolve(&[], &env).0, vec![spec("b", "ssh://right.lan")]);

        // An empty DOCKER_CONFIG counts as unset.
        env.docker_config = Some(PathBuf::new());
        assert_eq!(resolve(&[], &env).0, vec![spec("a", "ssh://wrong.lan")]);
    }

    #[test]
    fn context_with_tls_files_for_tcp() {
        let (home, mut env) = fake_home();
        let docker = docker_dir(&home);
        add_context(&docker, "nas", "tcp://nas.lan:2376", false);
        // The CLI's layout, spelt out rather than built with context_id.
        let tls = docker.join("contexts/tls").join(NAS_ID).join("docker");
        add_files(&tls, &TLS_FILE_NAMES);
        env.docker_context = Some("nas".into());
        let (engines, warnings) = resolve(&[], &env);
        let want = EngineSpec {
            tls: all_tls(&tls),
            ..spec("nas", "tcp://nas.lan:2376")
        };
        assert_eq!(engines, vec![want]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn context_tls_without_a_client_pair_or_with_skip_verify() {
        let (home, mut env) = fake_home();
        let docker = docker_dir(&home);
        add_context(&docker, "nas", "tcp://nas.lan:2376", true);
        let tls = tls_dir(&docker, "nas");
        add_files(&tls, &["ca.pem", "cert.pem"]);
        env.docker_context = Some("nas".into());
        let (engines, warnings) = resolve(&[], &env);
        let want = TlsFiles {
            ca: tls.join("ca.pem"),
            cert: None,
            key: None,
        };
        assert_eq!(engines[0].tls, Some(want));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("does not skip TLS verification"),
            "{warnings:?}"
        );
    }

    #[test]
    fn tcp_context_without_tls_files_is_plain() {
        let (home, mut env) = fake_home();
        add_context(&docker_dir(&home), "lab", "tcp://10.0.8.10:2375", false);
        env.docker_context = Some("lab".into());
        assert_eq!(
            resolve(&[], &env),
            (vec![spec("lab", "tcp://10.0.8.10:2375")], vec![])
        );
    }

    #[test]
    fn docker_tls_verify_takes_files_from_docker_cert_path() {
        let certs = tempfile::tempdir().unwrap();
        add_files(certs.path(), &TLS_FILE_NAMES);
        let mut env = Env {
            docker_host: Some("tcp://10.0.8.10:2376".into()),
            tls_verify: Some("1".into()),
            cert_path: Some(certs.path().to_path_buf()),
            ..Env::default()
        };
        let (engines, warnings) = resolve(&[], &env);
        let want = EngineSpec {
            tls: all_tls(certs.path()),
            ..spec("local", "tcp://10.0.8.10:2376")
        };
        assert_eq!(engines, vec![want.clone()]);
        assert!(warnings.is_empty(), "{warnings:?}");

        // Any non-empty value turns TLS on, as in the CLI; an empty one does not.
        env.tls_verify = Some("0".into());
        assert_eq!(resolve(&[], &env).0, vec![want]);
        env.tls_verify = Some(String::new());
        assert_eq!(
            resolve(&[], &env).0,
            vec![spec("local", "tcp://10.0.8.10:2376")]
        );
    }

    #[test]
    fn docker_tls_verify_without_ca_keeps_tls_and_warns() {
        let (home, mut env) = fake_home();
        env.docker_host = Some("tcp://10.0.8.10:2376".into());
        env.tls_verify = Some("1".into());
        let (engines, warnings) = resolve(&[], &env);
        let ca = docker_dir(&home).join("ca.pem");
        let want = TlsFiles {
            ca: ca.clone(),
            cert: None,
            key: None,
        };
        assert_eq!(engines[0].tls, Some(want));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains(&ca.display().to_string()),
            "{warnings:?}"
        );
    }

    #[test]
    fn entries_with_duplicate_or_empty_names_are_skipped_with_warnings() {
        let entries = [
            host_entry("nas", "ssh://root@nas.lan"),
            host_entry(" ", "unix:///run/docker.sock"),
            host_entry("nas", "tcp://10.0.0.2:2375"),
            host_entry(" pi ", "tcp://pi.lan"),
        ];
        let (engines, warnings) = resolve(&entries, &Env::default());
        assert_eq!(
            engines,
            vec![
                spec("nas", "ssh://root@nas.lan"),
                spec("pi", "tcp://pi.lan:2375")
            ]
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("entry 2: no name"), "{warnings:?}");
        assert!(warnings[1].contains("\"nas\""), "{warnings:?}");
        assert!(warnings[1].contains("same name"), "{warnings:?}");
    }

    #[test]
    fn entry_with_both_host_and_context_or_neither_is_warned() {
        let both = DockerEntry {
            host: Some("ssh://nas.lan".into()),
            ..context_entry("nas", "nas")
        };
        let neither = DockerEntry {
            name: "pi".into(),
            host: Some(" ".into()),
            ..DockerEntry::default()
        };
        let ok = host_entry("ok", "unix:///run/docker.sock");
        let (engines, warnings) = resolve(&[both, neither, ok], &Env::default());
        assert_eq!(engines, vec![spec("ok", "unix:///run/docker.sock")]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("\"nas\": set host or context, not both"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("\"pi\": needs a host or a context"),
            "{warnings:?}"
        );
    }

    #[test]
    fn unknown_scheme_is_warned() {
        let entries = [
            host_entry("nas", "ftp://nas.lan"),
            host_entry("pi", "pi.lan:2375"),
            host_entry("win", "npipe:////./pipe/docker_engine"),
        ];
        let (engines, warnings) = resolve(&entries, &Env::default());
        assert!(engines.is_empty(), "{engines:?}");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        for (w, name) in warnings.iter().zip(["\"nas\"", "\"pi\"", "\"win\""]) {
            assert!(w.contains(name) && w.ends_with("skipped"), "{w}");
        }

        let env = Env {
            docker_host: Some("ftp://nas.lan".into()),
            ..Env::default()
        };
        let (engines, warnings) = resolve(&[], &env);
        assert_eq!(engines, vec![local()]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("DOCKER_HOST: "), "{warnings:?}");
    }

    #[test]
    fn missing_context_is_warned_and_falls_back_to_the_local_socket() {
        let (home, mut env) = fake_home();
        env.docker_context = Some("gone".into());
        let (engines, warnings) = resolve(&[], &env);
        assert_eq!(engines, vec![local()]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let meta = meta_path(&docker_dir(&home), "gone").display().to_string();
        for part in [
            "\"gone\"",
            &meta,
            "watching unix:///var/run/docker.sock instead",
        ] {
            assert!(warnings[0].contains(part), "{part} in {warnings:?}");
        }
    }

    #[test]
    fn entry_with_a_missing_context_is_skipped() {
        let (home, env) = fake_home();
        add_context(&docker_dir(&home), "nas", "ssh://root@nas.lan", false);
        let entries = [context_entry("nas", "nas"), context_entry("gone", "gone")];
        let (engines, warnings) = resolve(&entries, &env);
        assert_eq!(engines, vec![spec("nas", "ssh://root@nas.lan")]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("context \"gone\": no such context"),
            "{warnings:?}"
        );
        assert!(warnings[0].ends_with("skipped"), "{warnings:?}");
    }

    #[test]
    fn broken_context_files_are_warnings_not_panics() {
        let bad: [&[u8]; 8] = [
            b"{",
            b"null",
            b"[]",
            b"{\"Endpoints\": []}",
            b"{\"Endpoints\": {\"docker\": {\"Host\": 5}}}",
            b"{\"Endpoints\": {\"docker\": {\"Host\": \"  \"}}}",
            b"{\"Endpoints\": {\"docker\": {\"Host\": \"ftp://x\"}}}",
            b"\xff\xfe{}",
        ];
        for text in bad {
            let (home, mut env) = fake_home();
            write(&meta_path(&docker_dir(&home), "x"), text);
            env.docker_context = Some("x".into());
            let (engines, warnings) = resolve(&[], &env);
            let shown = String::from_utf8_lossy(text);
            assert_eq!(engines, vec![local()], "{shown}");
            assert_eq!(warnings.len(), 1, "{shown}: {warnings:?}");
            assert!(warnings[0].contains("meta.json"), "{shown}: {warnings:?}");
        }
    }

    #[test]
    fn broken_config_json_is_a_warning() {
        let (home, env) = fake_home();
        write(
            &docker_dir(&home).join("config.json"),
            "{\"currentContext\": ",
        );
        let (engines, warnings) = resolve(&[], &env);
        assert_eq!(engines, vec![local()]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("config.json is not valid JSON"),
            "{warnings:?}"
        );
    }

    #[test]
    fn context_ids_are_the_sha256_of_the_name() {
        assert_eq!(context_id("nas"), NAS_ID);
    }

    #[test]
    fn host_forms_are_normalised() {
        let cases = [
            (
                "unix:///run/user/1000/docker.sock",
                "unix:///run/user/1000/docker.sock",
                Kind::Unix,
            ),
            ("unix://", "unix:///var/run/docker.sock", Kind::Unix),
            ("tcp://10.0.8.10", "tcp://10.0.8.10:2375", Kind::Tcp),
            ("http://10.0.8.10:2380/", "tcp://10.0.8.10:2380", Kind::Tcp),
            ("https://nas.lan", "tcp://nas.lan:2376", Kind::Https),
            ("TCP://[::1]", "tcp://[::1]:2375", Kind::Tcp),
            ("tcp://[fe80::1]:2380", "tcp://[fe80::1]:2380", Kind::Tcp),
            (
                "ssh://root@nas.lan:2222",
                "ssh://root@nas.lan:2222",
                Kind::Ssh,
            ),
            ("ssh://nas.lan/", "ssh://nas.lan", Kind::Ssh),
        ];
        for (raw, address, kind) in cases {
            let want = Host {
                address: address.into(),
                kind,
            };
            assert_eq!(parse_host(raw), Ok(want), "{raw}");
        }
    }

    #[test]
    fn bad_hosts_are_refused() {
        for raw in [
            "",
            "nas.lan:2375",
            "ftp://nas.lan",
            "npipe:////./pipe/docker_engine",
            "tcp://",
            "tcp://:2375",
            "tcp://nas.lan:port",
            "tcp://nas.lan:0",
            "tcp://nas.lan:+80",
            "tcp://nas.lan:70000",
            "tcp://[::1",
            "tcp://[::1]x",
            "tcp://tcp://nas.lan",
            "tcp://nas lan",
            "ssh://nas.lan/var/run/docker.sock",
            "ssh://root@",
            "ssh://-oProxyCommand=x",
            "tcp://nas.lan:2375/base",
            "unix://unix:///x",
        ] {
            assert!(parse_host(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn entry_tls_follows_tls_verify_and_cert_path() {
        let (home, env) = fake_home();
        let certs = home.path().join("certs/nas");
        add_files(&certs, &TLS_FILE_NAMES);
        let entries = [
            DockerEntry {
                cert_path: Some(" ~/certs/nas ".into()),
                ..host_entry("nas", "tcp://nas.lan:2376")
            },
            DockerEntry {
                tls_verify: Some(true),
                ..host_entry("pi", "tcp://pi.lan:2376")
            },
            host_entry("https", "https://10.0.0.4"),
            DockerEntry {
                tls_verify: Some(false),
                ..host_entry("plain", "tcp://10.0.0.3:2375")
            },
            DockerEntry {
                tls_verify: Some(true),
                ..host_entry("ssh", "ssh://root@10.0.0.5")
            },
        ];
        let (engines, warnings) = resolve(&entries, &env);
        let ca_only = Some(TlsFiles {
            ca: docker_dir(&home).join("ca.pem"),
            cert: None,
            key: None,
        });
        let tls: Vec<_> = engines
            .iter()
            .map(|e| (e.name.as_str(), e.tls.clone()))
            .collect();
        assert_eq!(
            tls,
            vec![
                ("nas", all_tls(&certs)),
                ("pi", ca_only.clone()),
                ("https", ca_only),
                ("plain", None),
                ("ssh", None),
            ]
        );
        assert_eq!(engines[2].host, "tcp://10.0.0.4:2376");
        // ca.pem missing for pi and https; TLS settings ignored for ssh.
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings[0].starts_with("[[docker]] \"pi\": "),
            "{warnings:?}"
        );
        assert!(
            warnings[2].contains("\"ssh\": tls_verify and cert_path apply"),
            "{warnings:?}"
        );
    }

    #[test]
    fn entry_contexts_take_the_entry_name_and_default_means_docker_host() {
        let (home, mut env) = fake_home();
        add_context(&docker_dir(&home), "nas-ctx", "ssh://root@nas.lan", false);
        env.docker_host = Some("tcp://10.0.8.10".into());
        let entries = [
            context_entry("nas", "nas-ctx"),
            context_entry("lab", "default"),
        ];
        let (engines, warnings) = resolve(&entries, &env);
        assert_eq!(
            engines,
            vec![
                spec("nas", "ssh://root@nas.lan"),
                spec("lab", "tcp://10.0.8.10:2375")
            ]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    proptest! {
        #[test]
        fn any_text_gives_engines_or_one_line_warnings(
            host in "(?s).{0,40}",
            name in "(?s).{0,12}",
            context in "(?s).{0,12}",
        ) {
            let env = Env {
                docker_host: Some(host.clone()),
                docker_context: Some(context.clone()),
                tls_verify: Some("1".into()),
                ..Env::default()
            };
            let entries = [
                host_entry(&name, &host),
                context_entry(&format!("{name}-ctx"), &context),
            ];
            for (engines, warnings) in [resolve(&[], &env), resolve(&entries, &env)] {
                prop_assert!(engines.len() <= 2);
                for w in warnings {
                    prop_assert!(!w.contains('\n') && !w.contains('\r'), "{w:?}");
                }
            }
        }
    }
}
