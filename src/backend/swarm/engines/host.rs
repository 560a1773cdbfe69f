//! Engine addresses as the docker CLI accepts them: `unix://`, `tcp://` (`http://`),
//! `https://` (TLS) and `ssh://[user@]host[:port]`, checked and written in one form.

use super::{DEFAULT_SOCKET_PATH, PLAIN_PORT, TLS_PORT};

/// How an engine address is reached. After parsing, http:// and https:// are both
/// written as tcp://.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Unix,
    Tcp,
    /// tcp:// that must use TLS, whatever else is configured.
    Https,
    Ssh,
}

impl Kind {
    pub(super) fn is_tcp(self) -> bool {
        matches!(self, Kind::Tcp | Kind::Https)
    }
}

/// An engine address in the form it is given to the client, and how it is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Host {
    pub(super) address: String,
    pub(super) kind: Kind,
}

pub(super) fn parse_host(raw: &str) -> Result<Host, String> {
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
