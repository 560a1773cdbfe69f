//! A shell in a container, whichever backend starts it (a Docker exec, a pod's exec):
//! the command that finds one, and the line that says how it ended.

/// A shell, whatever the image has: bash if there is one, else sh. An argument vector
/// run by the container's `/bin/sh`; the script is a constant, nothing is spliced in.
pub fn shell_command() -> Vec<String> {
    [
        "/bin/sh",
        "-c",
        "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi",
    ]
    .map(String::from)
    .to_vec()
}

/// One line for the flash once the process ended: `what` is the thing it ran in, `tail`
/// the last bytes it printed. Exit 126/127 is the runtime saying it could not run the
/// command at all (no shell in the image): its last line says why.
pub fn outcome(what: &str, code: Option<i64>, tail: &[u8]) -> Result<String, String> {
    match code {
        Some(c @ (126 | 127)) => {
            let why = last_line(tail);
            let why = if why.is_empty() {
                "no shell in the image?".into()
            } else {
                why
            };
            Err(format!("shell in {what} failed (exit {c}): {why}"))
        }
        Some(c) => Ok(format!("shell in {what} ended (exit {c})")),
        None => Ok(format!("shell in {what} ended")),
    }
}

/// The last non-empty line of raw TTY output, as text (still untrusted: the caller
/// shows it only through `SafeText`).
fn last_line(tail: &[u8]) -> String {
    let text = String::from_utf8_lossy(tail);
    text.split(['\n', '\r'])
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_is_an_argument_vector_that_prefers_bash() {
        let cmd = shell_command();
        assert_eq!(cmd[..2], ["/bin/sh", "-c"]);
        assert_eq!(cmd.len(), 3);
        assert!(cmd[2].contains("exec bash") && cmd[2].contains("exec sh"));
    }

    #[test]
    fn the_outcome_names_the_exit_and_why_a_shell_could_not_start() {
        assert_eq!(
            outcome("web.1", Some(0), b"/ # exit\r\n"),
            Ok("shell in web.1 ended (exit 0)".into())
        );
        assert_eq!(
            outcome("web.1", Some(130), b""),
            Ok("shell in web.1 ended (exit 130)".into())
        );
        let tail = b"OCI runtime exec failed: exec failed: stat /bin/sh: no such file or directory: unknown\r\n";
        assert_eq!(
            outcome("web.1", Some(126), tail),
            Err("shell in web.1 failed (exit 126): OCI runtime exec failed: exec failed: stat /bin/sh: no such file or directory: unknown".into())
        );
        assert!(
            outcome("web.1", Some(127), b"\r\n")
                .unwrap_err()
                .contains("no shell")
        );
    }
}
