//! A shell in a pod's container: `pods/exec` over WebSocket with a TTY, its stream
//! handed to the caller untouched. Running a process in a pod changes it, so this
//! starts from a `KubeWriter`, which only a `Writer` makes. No terminal code here: the
//! caller pumps the stream to and from its terminal.

use super::writer::KubeWriter;
use crate::backend::shell::shell_command;
use futures::SinkExt;
use futures::channel::mpsc;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::{AttachParams, AttachedProcess, TerminalSize};
use tokio::io::{Join, ReadHalf, SimplexStream, WriteHalf};

/// A running shell.
pub struct PodShell {
    /// What the shell prints, and where keys go.
    pub io: Join<ReadHalf<SimplexStream>, WriteHalf<SimplexStream>>,
    pub resize: Resizer,
    /// The session: it holds the WebSocket open, and says how the shell ended.
    pub ended: Ended,
}

/// Sizes the shell's TTY (cheap to clone).
#[derive(Clone)]
pub struct Resizer(mpsc::Sender<TerminalSize>);

impl Resizer {
    pub async fn resize(&self, cols: u16, rows: u16) {
        let size = TerminalSize {
            width: cols,
            height: rows,
        };
        // A closed channel means the shell has ended: nothing left to size.
        let _ = self.0.clone().send(size).await;
    }
}

pub struct Ended(AttachedProcess);

impl Ended {
    /// The shell's exit code once it ended (`None` when the server did not say), or
    /// the server's message when the shell could not run at all.
    pub async fn wait(mut self) -> Result<Option<i64>, String> {
        let Some(status) = self.0.take_status() else {
            return Ok(None);
        };
        let Some(status) = status.await else {
            return Ok(None);
        };
        match exit_code(&status) {
            Some(code) => Ok(Some(code)),
            None => Err(status.message.unwrap_or_else(|| "the shell failed".into())),
        }
    }
}

impl KubeWriter {
    /// Start a shell (bash if the image has it, else sh) in `container` of `ns/pod`
    /// (the pod's only or default container when `None`), its TTY `size` (columns,
    /// rows) and `TERM` as the caller's.
    pub async fn shell(
        &self,
        ns: &str,
        pod: &str,
        container: Option<&str>,
        size: (u16, u16),
    ) -> Result<PodShell, String> {
        let mut params = AttachParams::interactive_tty();
        if let Some(c) = container {
            params = params.container(c);
        }
        let api: kube::Api<Pod> = kube::Api::namespaced(self.client().clone(), ns);
        let mut proc = api
            .exec(pod, shell_command(), &params)
            .await
            .map_err(|e| super::follow::reason(&e))?;
        let (Some(stdout), Some(stdin), Some(sizes)) =
            (proc.stdout(), proc.stdin(), proc.terminal_size())
        else {
            return Err("the exec session has no TTY streams".into());
        };
        let resize = Resizer(sizes);
        resize.resize(size.0, size.1).await;
        Ok(PodShell {
            io: tokio::io::join(stdout, stdin),
            resize,
            ended: Ended(proc),
        })
    }
}

/// The exit code a final `Status` carries: 0 on success; on failure the `ExitCode`
/// cause kubelet adds (`NonZeroExitCode`). `None` when it says neither.
pub fn exit_code(s: &Status) -> Option<i64> {
    if s.status.as_deref() == Some("Success") {
        return Some(0);
    }
    s.details
        .as_ref()?
        .causes
        .as_ref()?
        .iter()
        .find(|c| c.reason.as_deref() == Some("ExitCode"))
        .and_then(|c| c.message.as_deref()?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(v: serde_json::Value) -> Status {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_exit_code_is_read_from_the_final_status() {
        assert_eq!(
            exit_code(&status(serde_json::json!({"status": "Success"}))),
            Some(0)
        );
        let failed = status(serde_json::json!({"status": "Failure",
            "reason": "NonZeroExitCode",
            "message": "command terminated with non-zero exit code: exit code 3",
            "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}}));
        assert_eq!(exit_code(&failed), Some(3));
        let internal = status(serde_json::json!({"status": "Failure",
            "reason": "InternalError", "message": "failed to exec in container"}));
        assert_eq!(exit_code(&internal), None);
    }
}
