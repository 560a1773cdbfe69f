//! A Unix-socket proxy in front of the Docker engine, in-process: tests see which API
//! calls the app makes (method and path), and can cut the engine away and bring it
//! back on the same socket path, as when dockerd restarts.
//!
//! It runs on its own thread and tokio runtime, so it works the same from plain and
//! `#[tokio::test]` tests and keeps forwarding while a test blocks on a child process.

mod connection;
mod request_parser;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc as std_mpsc};
use std::thread::JoinHandle;

use tempfile::TempDir;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use connection::Requests;
pub use request_parser::RequestParser;

pub struct DockerProxy {
    path: PathBuf,
    requests: Requests,
    accepted: Arc<AtomicUsize>,
    control: mpsc::UnboundedSender<Control>,
    thread: Option<JoinHandle<()>>,
    _dir: TempDir,
}

enum Control {
    Stop,
    Cut(std_mpsc::Sender<()>),
    Restore(std_mpsc::Sender<io::Result<()>>),
}

impl DockerProxy {
    /// Listens on a fresh socket in a tempdir and forwards each connection to a new
    /// connection to `upstream` (e.g. [`super::lab::SOCKET`]).
    pub fn start(upstream: &Path) -> DockerProxy {
        let dir = tempfile::tempdir().expect("tempdir for the proxy socket");
        let path = dir.path().join("docker.sock");
        let requests = Requests::default();
        let accepted = Arc::new(AtomicUsize::new(0));
        let (control, control_rx) = mpsc::unbounded_channel();
        let (ready, ready_rx) = std_mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("docker-proxy".into())
            .spawn({
                let (path, upstream) = (path.clone(), upstream.to_owned());
                let (requests, accepted) = (requests.clone(), accepted.clone());
                move || serve(path, upstream, requests, accepted, control_rx, ready)
            })
            .expect("spawn the proxy thread");
        ready_rx
            .recv()
            .expect("proxy thread died")
            .unwrap_or_else(|e| panic!("proxy cannot listen on {}: {e}", path.display()));
        DockerProxy {
            path,
            requests,
            accepted,
            control,
            thread: Some(thread),
            _dir: dir,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `unix:///...`, for `DOCKER_HOST` or `docker -H`.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.path.display())
    }

    /// `(method, path-with-query)` of every request so far, in arrival order.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.lock().clone()
    }

    /// Forgets the recorded requests (not the connection count).
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many client connections were accepted so far: shows reconnects, and that
    /// several requests shared a keep-alive connection.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// The engine goes away: every open connection is closed (both ways) and new ones
    /// are refused, until [`DockerProxy::restore`]. Done when this returns.
    pub fn cut(&self) {
        let (done, wait) = std_mpsc::channel();
        self.send(Control::Cut(done));
        wait.recv().expect("proxy thread died");
    }

    /// The engine is back: connections are accepted again on the same path.
    pub fn restore(&self) {
        let (done, wait) = std_mpsc::channel();
        self.send(Control::Restore(done));
        let result = wait.recv().expect("proxy thread died");
        result.unwrap_or_else(|e| {
            panic!("proxy cannot listen again on {}: {e}", self.path.display())
        });
    }

    fn send(&self, control: Control) {
        if self.control.send(control).is_err() {
            panic!("proxy thread died");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, String)>> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for DockerProxy {
    fn drop(&mut self) {
        // Ending the serve loop closes the listener and every connection.
        let _ = self.control.send(Control::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    path: PathBuf,
    upstream: PathBuf,
    requests: Requests,
    accepted: Arc<AtomicUsize>,
    mut control: mpsc::UnboundedReceiver<Control>,
    ready: std_mpsc::Sender<io::Result<()>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let mut listener = match UnixListener::bind(&path) {
            Ok(listener) => Some(listener),
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let _ = ready.send(Ok(()));
        let upstream = Arc::new(upstream);
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                command = control.recv() => match command {
                    None | Some(Control::Stop) => break,
                    Some(Control::Cut(done)) => {
                        // A closed listener leaves the socket file: connecting is refused.
                        listener = None;
                        // Aborting a connection's task drops, and so closes, both streams.
                        connections.shutdown().await;
                        let _ = done.send(());
                    }
                    Some(Control::Restore(done)) => {
                        let result = match listener {
                            Some(_) => Ok(()),
                            None => rebind(&path).map(|l| listener = Some(l)),
                        };
                        let _ = done.send(result);
                    }
                },
                client = accept(listener.as_ref()) => match client {
                    Ok(client) => {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        let (upstream, requests) = (upstream.clone(), requests.clone());
                        connections.spawn(async move {
                            connection::forward(client, &upstream, requests).await;
                        });
                    }
                    // Out of descriptors or similar: back off rather than spin.
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.shutdown().await;
    });
}

async fn accept(listener: Option<&UnixListener>) -> io::Result<UnixStream> {
    match listener {
        Some(listener) => listener.accept().await.map(|(stream, _)| stream),
        None => std::future::pending().await,
    }
}

fn rebind(path: &Path) -> io::Result<UnixListener> {
    // The old listener's socket file is still there; bind refuses an existing path.
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    UnixListener::bind(path)
}
