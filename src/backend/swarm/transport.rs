//! One HTTP/1.1 client per engine, over whatever reaches it: a unix socket, plain TCP,
//! TCP with TLS (client certificates, as `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH` have
//! it) or ssh (`ssh HOST docker system dial-stdio`, as the docker CLI does). bollard
//! talks through it as a custom transport, and the raw-JSON spec writes use the same
//! client, so writes work wherever reads do.
//!
//! Written here rather than taken from bollard's own `ssl`/`ssh` features: those make
//! their own client that the raw requests cannot share, `ssh` pulls in an ssh master
//! process per connection, and neither takes TLS files per engine.

use super::connect::REQUEST_TIMEOUT;
use super::engines::TlsFiles;
use crate::core::access::Writer;
use bollard::{API_DEFAULT_VERSION, BollardRequest, Docker};
use bytes::Bytes;
use futures::future::BoxFuture;
use http_body_util::BodyExt;
use hyper::Uri;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How to open a connection to one engine.
#[derive(Clone)]
enum Dial {
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

/// A connection of any kind, as hyper wants it.
pub struct Conn(TokioIo<Box<dyn Io>>);

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

#[derive(Clone)]
pub struct Dialer(Arc<Dial>);

type Body = <BollardRequest as BodyOf>::Body;

/// The body type bollard's requests carry (its alias is private).
pub trait BodyOf {
    type Body;
}
impl<B> BodyOf for hyper::Request<B> {
    type Body = B;
}

/// The engine's client: cheap to clone, shared by bollard and the raw requests.
#[derive(Clone)]
pub struct Transport {
    /// Also used by `exec`, which upgrades a request to a raw stream.
    pub(super) client: Client<Dialer, Body>,
}

/// A raw response: status and whole body.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Transport {
    /// A client for `host` (`unix://`, `tcp://`, `http://`, `https://`, `ssh://`);
    /// `tls` turns TLS on for TCP hosts. Nothing is dialled yet.
    pub(super) fn new(host: &str, tls: Option<&TlsFiles>) -> Result<Transport, String> {
        let dial = dial_for(host, tls)?;
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(Dialer(Arc::new(dial)));
        Ok(Transport { client })
    }

    /// bollard over this client (API version still to negotiate). Only this backend
    /// sees it: readers wrap it in a `SwarmReader`, the writer in a `SwarmWriter`, and a
    /// source check keeps bollard's writing calls in the writer's files.
    pub(super) fn docker(&self) -> Docker {
        let client = self.client.clone();
        let transport = move |req: BollardRequest| {
            let client = client.clone();
            async move {
                client
                    .request(req)
                    .await
                    .map_err(bollard::errors::Error::from)
            }
        };
        Docker::connect_with_custom_transport(
            transport,
            Some("http://docker"),
            REQUEST_TIMEOUT.as_secs(),
            API_DEFAULT_VERSION,
        )
        .expect("a custom transport with a fixed address always builds")
    }

    /// A read: GET `path`, answered whole.
    pub(super) async fn get(&self, path: &str) -> Result<RawResponse, String> {
        self.request("GET", path, None).await
    }

    /// A write: any method, with a JSON body. Needs the `Writer`.
    pub(super) async fn send(
        &self,
        _w: &Writer,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, String> {
        self.request(method, path, body).await
    }

    /// One request with a JSON body, answered whole (chunked or not: hyper decodes it).
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<RawResponse, String> {
        let req = hyper::Request::builder()
            .method(method)
            .uri(format!("http://docker{path}"))
            .header("Content-Type", "application/json")
            .body(bollard::body_full(Bytes::copy_from_slice(
                body.unwrap_or_default(),
            )))
            .map_err(|e| format!("bad request {method} {path}: {e}"))?;
        let work = async {
            let res = self
                .client
                .request(req)
                .await
                .map_err(|e| format!("cannot reach engine: {}", root_cause(&e)))?;
            let status = res.status().as_u16();
            let body = res
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("engine's answer broke off: {e}"))?
                .to_bytes()
                .to_vec();
            Ok(RawResponse { status, body })
        };
        tokio::time::timeout(REQUEST_TIMEOUT, work)
            .await
            .map_err(|_| "engine did not answer in time".to_string())?
    }
}

/// A streamed answer: its status, then its body as it comes (a followed log).
pub struct RawStream {
    pub status: u16,
    pub body: futures::stream::BoxStream<'static, Result<Bytes, String>>,
}

impl Transport {
    /// GET `path` and hand over the body as it arrives; only the headers are awaited
    /// (with the usual timeout), the body may run forever.
    pub(super) async fn raw_stream(&self, path: &str) -> Result<RawStream, String> {
        use futures::StreamExt;
        let req = hyper::Request::builder()
            .method("GET")
            .uri(format!("http://docker{path}"))
            .body(bollard::body_full(Bytes::new()))
            .map_err(|e| format!("bad request GET {path}: {e}"))?;
        let res = tokio::time::timeout(REQUEST_TIMEOUT, self.client.request(req))
            .await
            .map_err(|_| "engine did not answer in time".to_string())?
            .map_err(|e| format!("cannot reach engine: {}", root_cause(&e)))?;
        let status = res.status().as_u16();
        let body = res
            .into_body()
            .into_data_stream()
            .map(|c| c.map_err(|e| format!("engine's answer broke off: {e}")))
            .boxed();
        Ok(RawStream { status, body })
    }
}

pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

/// The engine's `{"message": "..."}` error text, or the body itself.
pub fn error_message(r: &RawResponse) -> String {
    serde_json::from_slice::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(&r.body).trim().to_string())
}

fn dial_for(host: &str, tls: Option<&TlsFiles>) -> Result<Dial, String> {
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

impl tower_service::Service<Uri> for Dialer {
    type Response = Conn;
    type Error = io::Error;
    type Future = BoxFuture<'static, io::Result<Conn>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// The URI is bollard's placeholder (`http://docker/...`): where to go is ours.
    fn call(&mut self, _uri: Uri) -> Self::Future {
        let dial = self.0.clone();
        Box::pin(async move { open(&dial).await.map(|io| Conn(TokioIo::new(io))) })
    }
}

async fn open(dial: &Dial) -> io::Result<Box<dyn Io>> {
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

impl Connection for Conn {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

    /// A chunked answer (what the engine sends for large JSON) is decoded whole.
    #[tokio::test]
    async fn a_chunked_response_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("engine.sock");
        let listener = tokio::net::UnixListener::bind(&sock).unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let _ = s.read(&mut buf).await.unwrap();
            s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
                  7\r\n{\"Spec\"\r\n9\r\n:{\"a\":1}}\r\n0\r\n\r\n",
            )
            .await
            .unwrap();
        });
        let t = Transport::new(&format!("unix://{}", sock.display()), None).unwrap();
        let r = t.get("/v1.41/services/x").await.unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"{\"Spec\":{\"a\":1}}");
    }

    #[test]
    fn engine_errors_read_as_their_message() {
        let r = RawResponse {
            status: 404,
            body: b"{\"message\":\"service x not found\"}".to_vec(),
        };
        assert_eq!(error_message(&r), "service x not found");
    }
}
