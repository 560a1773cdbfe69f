//! Where an engine is and how to open one connection to it: its address read into a
//! `Dial` (a unix socket, plain TCP, TCP with TLS, or ssh), and the opening itself.
//! Pooling and limits are the `Dialer`'s (`conn.rs`); this file only connects.

use super::engines::TlsFiles;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How to open a connection to one engine.
pub(super) enum Dial {
    Unix(PathBuf),
    Tcp(String),
    Tls {
        addr: String,
        name: rustls_pki_types::ServerName<'static>,
        config: Arc<rustls::ClientConfig>,
    },
    /// `ssh` arguments up to (not including) the remote command.
    Ssh(Vec<String>),
}

impl Dial {
    /// Every connection is an ssh session, with a process on each side.
    pub(super) fn is_ssh(&self) -> bool {
        matches!(self, Dial::Ssh(_))
    }
}

/// A byte stream of any kind.
pub(super) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// `host` read into how to reach it; `tls` turns TLS on for `tcp://` hosts.
pub(super) fn dial_for(host: &str, tls: Option<&TlsFiles>) -> Result<Dial, String> {
    let host = host.trim();
    if let Some(path) = host.strip_prefix("unix://") {
        return Ok(Dial::Unix(PathBuf::from(path)));
    }
    if let Some(rest) = host.strip_prefix("ssh://") {
        return ssh_args(rest).map(Dial::Ssh);
    }
    let (addr, want_tls) = if let Some(a) = host.strip_prefix("tcp://") {
        (a, tls.is_some())
    } else if let Some(a) = host.strip_prefix("http://") {
        (a, false)
    } else if let Some(a) = host.strip_prefix("https://") {
        (a, true)
    } else {
        return Err(format!(
            "unsupported engine address {host:?} (unix://, tcp://, ssh://)"
        ));
    };
    let addr = addr.trim_end_matches('/').to_string();
    if addr.is_empty() {
        return Err(format!("engine address {host:?} names no host"));
    }
    if !want_tls {
        return Ok(Dial::Tcp(addr));
    }
    let files = tls.ok_or_else(|| format!("{host}: TLS wanted but no certificate files"))?;
    let name_part = match addr.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => addr.as_str(),
    };
    let name_part = name_part.trim_start_matches('[').trim_end_matches(']');
    let name = rustls_pki_types::ServerName::try_from(name_part.to_string())
        .map_err(|e| format!("{host}: not a TLS server name: {e}"))?;
    Ok(Dial::Tls {
        addr,
        name,
        config: Arc::new(tls_config(files)?),
    })
}

/// `[user@]host[:port]` -> `ssh` arguments. Batch mode: labdeck never prompts, so a
/// missing key fails at once with ssh's reason instead of hanging.
fn ssh_args(rest: &str) -> Result<Vec<String>, String> {
    let rest = rest.trim_end_matches('/');
    if rest.contains('/') {
        return Err("ssh:// with a socket path is not supported".into());
    }
    let (user, hostport) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.parse::<u16>().is_ok() => (h, Some(p)),
        _ => (hostport, None),
    };
    if host.is_empty() || host.starts_with('-') {
        return Err(format!("ssh://{rest}: not a host"));
    }
    let mut args: Vec<String> = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-T"]
        .map(String::from)
        .to_vec();
    if let Some(u) = user {
        args.extend(["-l".into(), u.to_string()]);
    }
    if let Some(p) = port {
        args.extend(["-p".into(), p.to_string()]);
    }
    args.extend(["--".into(), host.to_string()]);
    Ok(args)
}

fn tls_config(files: &TlsFiles) -> Result<rustls::ClientConfig, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let read_err = |p: &PathBuf, e: rustls_pki_types::pem::Error| format!("{}: {e}", p.display());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&files.ca).map_err(|e| read_err(&files.ca, e))? {
        let cert = cert.map_err(|e| read_err(&files.ca, e))?;
        roots
            .add(cert)
            .map_err(|e| format!("{}: {e}", files.ca.display()))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots);
    match (&files.cert, &files.key) {
        (Some(cert), Some(key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .map_err(|e| read_err(cert, e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| read_err(cert, e))?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| read_err(key, e))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| format!("client certificate: {e}"))
        }
        _ => Ok(builder.with_no_client_auth()),
    }
}

pub(super) async fn open(dial: &Dial) -> io::Result<Box<dyn Io>> {
    Ok(match dial {
        Dial::Unix(path) => Box::new(tokio::net::UnixStream::connect(path).await?),
        Dial::Tcp(addr) => Box::new(tokio::net::TcpStream::connect(addr).await?),
        Dial::Tls { addr, name, config } => {
            let tcp = tokio::net::TcpStream::connect(addr).await?;
            let tls = tokio_rustls::TlsConnector::from(config.clone());
            Box::new(tls.connect(name.clone(), tcp).await?)
        }
        Dial::Ssh(args) => Box::new(SshStdio::spawn(args)?),
    })
}

/// `ssh ... docker system dial-stdio`: the engine's API over the child's stdin/stdout.
struct SshStdio {
    out: tokio::process::ChildStdout,
    inp: tokio::process::ChildStdin,
    /// Killed when the connection is dropped.
    _child: tokio::process::Child,
}

impl SshStdio {
    fn spawn(args: &[String]) -> io::Result<SshStdio> {
        let mut child = tokio::process::Command::new("ssh")
            .args(args)
            .args(["docker", "system", "dial-stdio"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot run ssh: {e}")))?;
        let out = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no ssh stdout"))?;
        let inp = child
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("no ssh stdin"))?;
        Ok(SshStdio {
            out,
            inp,
            _child: child,
        })
    }
}

impl AsyncRead for SshStdio {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.out).poll_read(cx, buf)
    }
}

impl AsyncWrite for SshStdio {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inp).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inp).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inp).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_addresses_become_argument_vectors() {
        let a = ssh_args("root@127.0.0.1:2222").unwrap();
        assert_eq!(
            a[a.len() - 6..],
            ["-l", "root", "-p", "2222", "--", "127.0.0.1"]
        );
        let a = ssh_args("nas").unwrap();
        assert_eq!(a[a.len() - 2..], ["--", "nas"]);
        assert!(ssh_args("-oProxyCommand=x").is_err(), "no option injection");
        assert!(ssh_args("nas/var/run/docker.sock").is_err());
    }

    #[test]
    fn addresses_are_checked() {
        assert!(dial_for("unix:///var/run/docker.sock", None).is_ok());
        assert!(dial_for("tcp://10.0.8.10:2375", None).is_ok());
        assert!(dial_for("npipe:////./pipe/docker", None).is_err());
        assert!(dial_for("tcp://", None).is_err());
        assert!(
            dial_for("https://nas:2376", None).is_err(),
            "TLS needs files"
        );
    }
}
