//! A Swarm stack owned by one test: deployed under a name no other test (or test
//! process) uses, so tests run in parallel, and removed again when dropped.

use std::fs;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tempfile::TempDir;

use super::{docker, docker_result, wait_until};

/// Removal is asynchronous in the engine: networks go only once the tasks have
/// stopped, which takes a task's stop_grace_period (10 s unless the compose file says).
const REMOVE_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Stack {
    name: String,
    _dir: TempDir,
}

impl Stack {
    /// Deploys `compose_yaml` as stack `<name_prefix>-<pid>-<n>`. Images are not
    /// resolved against a registry (none is reachable from the lab). Services are
    /// created but not necessarily running yet: see [`Stack::wait_converged`].
    pub fn deploy(name_prefix: &str, compose_yaml: &str) -> Stack {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("{name_prefix}-{}-{n}", std::process::id());
        let dir = tempfile::tempdir().expect("tempdir for the compose file");
        let file = dir.path().join("compose.yml");
        fs::write(&file, compose_yaml).expect("write the compose file");
        // Built before deploying so that a failed deploy still removes what it created.
        let stack = Stack { name, _dir: dir };
        let file = file.to_str().expect("UTF-8 tempdir path");
        docker(&[
            "stack",
            "deploy",
            "--resolve-image",
            "never",
            "-c",
            file,
            &stack.name,
        ]);
        stack
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Full name of the stack's service `short` (`<stack>_<short>`).
    pub fn service(&self, short: &str) -> String {
        format!("{}_{short}", self.name)
    }

    /// Full names of the stack's services, sorted.
    pub fn services(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .list("service", "{{.Name}}")
            .unwrap_or_else(|e| panic!("{e}"))
            .lines()
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    /// Waits until every service runs as many tasks as it wants ("2/2"); false on timeout.
    pub fn wait_converged(&self, timeout: Duration) -> bool {
        wait_until(timeout, || {
            self.list("service", "{{.Replicas}}").is_ok_and(|out| {
                out.lines().all(|line| {
                    // "1/1", or "1/1 (max 1 per node)".
                    let counts = line.split_whitespace().next().unwrap_or("");
                    counts
                        .split_once('/')
                        .is_some_and(|(running, wanted)| running == wanted)
                })
            })
        })
    }

    fn list(&self, object: &str, format: &str) -> Result<String, String> {
        let filter = format!("label=com.docker.stack.namespace={}", self.name);
        docker_result(&[object, "ls", "--filter", &filter, "--format", format])
    }

    fn remove(&self) -> Result<(), String> {
        let rm = docker_result(&["stack", "rm", &self.name]);
        let gone = |object| {
            self.list(object, "{{.ID}}")
                .is_ok_and(|out| out.trim().is_empty())
        };
        // `stack rm` gives up on a network still used by a task that is shutting down,
        // and nothing removes it later: once the services are gone, ask again (it
        // removes whatever of the stack is left).
        let mut again = std::time::Instant::now();
        if wait_until(REMOVE_TIMEOUT, || {
            let services_gone = gone("service");
            if services_gone && !gone("network") && again.elapsed() > Duration::from_secs(2) {
                let _ = docker_result(&["stack", "rm", &self.name]);
                again = std::time::Instant::now();
            }
            services_gone && gone("network")
        }) {
            return Ok(());
        }
        Err(format!(
            "still present {REMOVE_TIMEOUT:?} after `docker stack rm` ({rm:?})"
        ))
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let Err(e) = self.remove() else { return };
        // A leak must be seen, but panicking while already unwinding would abort.
        if std::thread::panicking() {
            let _ = writeln!(std::io::stderr(), "stack {}: {e}", self.name);
        } else {
            panic!("stack {}: {e}", self.name);
        }
    }
}
