//! Where the engine is and how to reach it.

use super::engines::{EngineSpec, TlsFiles};
use super::reader::SwarmReader;
use super::transport::{Transport, WeakTransport};
use bollard::Docker;
use std::sync::Mutex;
use std::time::Duration;

/// Per-request timeout for reads and writes (streams are not limited by it).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// One engine: its name (shown when there are several), its address, its TLS files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub name: String,
    pub host: String,
    pub tls: Option<TlsFiles>,
}

impl From<EngineSpec> for Endpoint {
    fn from(e: EngineSpec) -> Endpoint {
        Endpoint {
            name: e.name,
            host: e.host,
            tls: e.tls,
        }
    }
}

impl Endpoint {
    /// The one engine of the environment: `DOCKER_HOST`, a Docker context, else the
    /// local socket (see `engines`).
    pub fn from_env() -> Self {
        let (mut engines, _) = super::engines::resolve(&[], &super::engines::Env::from_process());
        engines
            .pop()
            .map(Endpoint::from)
            .unwrap_or_else(|| Endpoint::from_value(None))
    }

    /// An engine at `docker_host` (else the local socket), named "local", no TLS.
    pub fn from_value(docker_host: Option<&str>) -> Self {
        Endpoint {
            name: "local".into(),
            host: docker_host
                .filter(|h| !h.trim().is_empty())
                .unwrap_or(DEFAULT_HOST)
                .trim()
                .to_string(),
            tls: None,
        }
    }

    /// This engine's client (nothing is dialled until the first request): the one the
    /// process already has for this address and TLS files, else a new one. The
    /// watcher, logs, stats, describes, writes and execs then share one pool, and over
    /// ssh one limit on sessions.
    pub(super) fn transport(&self) -> Result<Transport, bollard::errors::Error> {
        shared_transport(&self.host, self.tls.as_ref())
            .map_err(|e| bollard::errors::Error::UnsupportedURISchemeError { uri: e })
    }

    /// Connect for reading (the only kind of client this gives).
    pub async fn connect(&self) -> Result<SwarmReader, bollard::errors::Error> {
        let transport = self.transport()?;
        let docker = self.negotiate(&transport).await?;
        Ok(SwarmReader::new(docker, transport))
    }

    /// bollard over `transport`, with the API version negotiated down to what the
    /// engine speaks (bollard defaults to 1.53; the lab's dockerd 20.10 speaks 1.41).
    /// Only this backend sees the raw client: readers get a `SwarmReader`, writers a
    /// `SwarmWriter`.
    pub(super) async fn negotiate(
        &self,
        transport: &Transport,
    ) -> Result<Docker, bollard::errors::Error> {
        let docker = transport.docker();
        tokio::time::timeout(REQUEST_TIMEOUT, docker.negotiate_version())
            .await
            .map_err(|_| bollard::errors::Error::RequestTimeoutError)?
    }
}

/// The engines' clients in use, by address, TLS files and tokio runtime. Weak: a client
/// nobody uses any more is dropped with its idle connections; the next user makes a new
/// one. By runtime: a client's connections are tasks of the runtime that dialled them,
/// and are gone with it ("runtime dropped the dispatch task"), so a client made in one
/// runtime is never handed to another (the CLI and tests make several).
type InUse = Vec<(
    (String, Option<TlsFiles>, Option<tokio::runtime::Id>),
    WeakTransport,
)>;

fn shared_transport(host: &str, tls: Option<&TlsFiles>) -> Result<Transport, String> {
    static IN_USE: Mutex<InUse> = Mutex::new(Vec::new());
    let runtime = tokio::runtime::Handle::try_current().ok().map(|h| h.id());
    let key = (host.trim().to_string(), tls.cloned(), runtime);
    // Only looked up and filled: nothing is dialled under the lock.
    let mut in_use = IN_USE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    in_use.retain(|(_, t)| t.in_use());
    let found = in_use.iter().find(|(k, _)| *k == key);
    if let Some(t) = found.and_then(|(_, t)| t.upgrade()) {
        return Ok(t);
    }
    let t = Transport::new(&key.0, key.1.as_ref())?;
    in_use.push((key, t.downgrade()));
    Ok(t)
}

/// A short, single-line reason for an error, for a status bar.
pub fn describe_error(e: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code,
            message,
        } => format!("engine said {status_code}: {message}"),
        E::RequestTimeoutError => "engine did not answer in time".into(),
        E::IOError { err } => format!("cannot reach engine: {err}"),
        E::HyperResponseError { err } => format!("connection to engine failed: {err}"),
        // bollard's transport reports refused connections and dropped streams this way;
        // its own text ("client error (Connect)") hides the cause, which is in the chain.
        E::HyperLegacyError { err } if err.is_connect() => {
            format!("cannot reach engine: {}", root_cause(err))
        }
        E::HyperLegacyError { err } => {
            format!("connection to engine failed: {}", root_cause(err))
        }
        // One line for the status bar, whatever the engine sent.
        E::JsonDataError {
            message, column, ..
        } => {
            format!("engine sent data labdeck cannot read (column {column}): {message}")
        }
        other => other.to_string(),
    }
}

/// The innermost error of a chain: the one that says what actually happened.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_engine_data_is_one_short_line() {
        let e = bollard::errors::Error::JsonDataError {
            message: "unknown variant `paused`".into(),
            column: 42,
        };
        let text = describe_error(&e);
        assert_eq!(
            text,
            "engine sent data labdeck cannot read (column 42): unknown variant `paused`"
        );
    }

    /// The watcher, logs, stats and writes of one engine share one client (one pool,
    /// one ssh limit); another engine has its own; one nobody holds is let go.
    #[test]
    fn one_client_per_engine_while_it_is_in_use() {
        let engine = Endpoint::from_value(Some("unix:///nowhere/shared-a.sock"));
        let a = engine.transport().unwrap();
        let b = engine.transport().unwrap();
        assert!(std::sync::Arc::ptr_eq(&a.client, &b.client));
        let other = Endpoint::from_value(Some("unix:///nowhere/shared-b.sock"));
        let c = other.transport().unwrap();
        assert!(!std::sync::Arc::ptr_eq(&a.client, &c.client));
        let weak = a.downgrade();
        drop((a, b));
        assert!(
            !weak.in_use(),
            "nobody holds it: closed with its connections"
        );
    }

    #[test]
    fn docker_host_defaults_to_the_local_socket() {
        assert_eq!(
            Endpoint::from_value(None).host,
            "unix:///var/run/docker.sock"
        );
        assert_eq!(
            Endpoint::from_value(Some(" ")).host,
            "unix:///var/run/docker.sock"
        );
        assert_eq!(
            Endpoint::from_value(Some("tcp://10.0.8.10:2375")).host,
            "tcp://10.0.8.10:2375"
        );
    }
}
