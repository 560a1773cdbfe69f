//! The lab's second engine: plain Docker, no Swarm (`scripts/lab up` starts it). Only
//! the Compose-host tests and the bootstrap's swarm init (which leaves the swarm
//! again) use it, each in a test binary of its own, so its state is theirs alone.

use super::lab::{docker_result, in_ci, skip_message};
use std::io::Write;

pub const PLAIN_SOCK: &str = "/var/tmp/labdeck-lab/plain/docker.sock";

pub fn plain_host() -> String {
    format!("unix://{PLAIN_SOCK}")
}

/// The docker CLI against the plain engine; `Err` carries stderr.
pub fn plain_docker(args: &[&str]) -> Result<String, String> {
    let host = plain_host();
    let mut all = vec!["-H", host.as_str()];
    all.extend_from_slice(args);
    docker_result(&all)
}

/// Like `require_lab`: false (after saying so) when the plain engine is absent; a
/// failure under `CI=true`.
pub fn require_plain() -> bool {
    let status = plain_docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"])
        .map_err(|e| format!("plain engine does not answer: {e}"))
        .and_then(|s| {
            if s.trim() == "inactive" {
                Ok(())
            } else {
                Err(format!("plain engine is in a swarm: {s}"))
            }
        });
    match skip_message(&status, in_ci()) {
        None => true,
        Some(skip) => {
            let _ = writeln!(std::io::stderr(), "{skip}");
            false
        }
    }
}

/// Containers of one Compose project, removed (by label) when dropped.
pub struct Project {
    pub name: String,
}

impl Project {
    pub fn new(prefix: &str) -> Project {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        Project { name }
    }

    /// `docker run -d` a container labelled as Compose service `service` of this project.
    pub fn run(&self, service: &str, cmd: &[&str]) -> String {
        self.run_with(service, &[], cmd)
    }

    /// `run`, with more `docker run` options (`-v /src:/dst`).
    pub fn run_with(&self, service: &str, options: &[&str], cmd: &[&str]) -> String {
        let project = format!("com.docker.compose.project={}", self.name);
        let svc = format!("com.docker.compose.service={service}");
        let name = format!("{}-{service}-1", self.name);
        let mut args = vec![
            "run",
            "-d",
            "--network",
            "none",
            "--name",
            &name,
            "--label",
            &project,
            "--label",
            &svc,
        ];
        args.extend_from_slice(options);
        args.push(super::lab::IMAGE);
        args.extend_from_slice(cmd);
        plain_docker(&args)
            .unwrap_or_else(|e| panic!("{e}"))
            .trim()
            .to_string()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let filter = format!("label=com.docker.compose.project={}", self.name);
        if let Ok(ids) = plain_docker(&["ps", "-aq", "--filter", &filter]) {
            for id in ids.split_whitespace() {
                let _ = plain_docker(&["rm", "-f", id]);
            }
        }
    }
}
