//! Where the engine is and how to reach it.

use super::reader::SwarmReader;
use bollard::Docker;
use std::time::Duration;

/// Per-request timeout for reads and writes (streams are not limited by it).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// The engine address: `DOCKER_HOST`, else the local socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(pub String);

impl Endpoint {
    pub fn from_env() -> Self {
        Endpoint::from_value(std::env::var("DOCKER_HOST").ok().as_deref())
    }

    pub fn from_value(docker_host: Option<&str>) -> Self {
        Endpoint(
            docker_host
                .filter(|h| !h.trim().is_empty())
                .unwrap_or(DEFAULT_HOST)
                .to_string(),
        )
    }

    /// Connect for reading (the only kind of client this gives).
    pub async fn connect(&self) -> Result<SwarmReader, bollard::errors::Error> {
        self.negotiate().await.map(SwarmReader::new)
    }

    /// Connect and negotiate the API version down to what the engine speaks
    /// (bollard defaults to 1.53; the lab's dockerd 20.10 speaks 1.41). Only this
    /// backend sees the raw client: readers get a `SwarmReader`, writers a `SwarmWriter`.
    pub(super) async fn negotiate(&self) -> Result<Docker, bollard::errors::Error> {
        let docker = Docker::connect_with_host(&self.0)?.with_timeout(REQUEST_TIMEOUT);
        tokio::time::timeout(REQUEST_TIMEOUT, docker.negotiate_version())
            .await
            .map_err(|_| bollard::errors::Error::RequestTimeoutError)?
    }
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

    #[test]
    fn docker_host_defaults_to_the_local_socket() {
        assert_eq!(Endpoint::from_value(None).0, "unix:///var/run/docker.sock");
        assert_eq!(
            Endpoint::from_value(Some(" ")).0,
            "unix:///var/run/docker.sock"
        );
        assert_eq!(
            Endpoint::from_value(Some("tcp://10.0.8.10:2375")).0,
            "tcp://10.0.8.10:2375"
        );
    }
}
