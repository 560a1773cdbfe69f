//! `labdeck bootstrap plan|apply -f FILE`: the bootstrap file's plan, checked against
//! the engine and shown as a diff, or applied step by step with a journal. The same
//! plan code the wizard will drive.

use crate::core::access::Writer;
use crate::ops::bootstrap::{file, steps};
use crate::ops::journal::Journal;
use std::io::Write;
use std::path::Path;
use tokio_util::sync::CancellationToken;

/// Exit codes: nothing to change (or done), an error, changes pending.
pub const SETTLED: i32 = 0;
pub const FAILED: i32 = 1;
pub const PENDING: i32 = 2;

/// `plan`: print the diff; exit 0 when nothing would change, 2 when something would.
pub async fn plan(path: &Path, json: bool, data_dir: &Path) -> i32 {
    let plan = match load(path, data_dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let review = plan.review().await;
    if json {
        let lines = review.lines();
        let v = serde_json::json!({ "settled": review.settled(), "steps": lines });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for l in review.lines() {
            println!("{}", crate::core::text::SafeText::new(&l));
        }
    }
    if review.steps.iter().any(|(_, c)| c.is_err()) {
        FAILED
    } else if review.settled() {
        SETTLED
    } else {
        PENDING
    }
}

/// `apply`: show the plan, ask unless `yes`, then reconcile with a journal in
/// `data_dir`. Without a `Writer` (read-only), refuses after showing the plan.
pub async fn apply(path: &Path, yes: bool, writer: Option<Writer>, data_dir: &Path) -> i32 {
    let plan = match load(path, data_dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let review = plan.review().await;
    for l in review.lines() {
        println!("{}", crate::core::text::SafeText::new(&l));
    }
    if review.settled() {
        println!("nothing to change");
        return SETTLED;
    }
    let Some(writer) = writer else {
        eprintln!(
            "labdeck: refused: {}",
            crate::core::access::READ_ONLY_REASON
        );
        return FAILED;
    };
    if !yes && !confirmed() {
        eprintln!("labdeck: nothing changed");
        return FAILED;
    }
    let journal_path = crate::ops::bootstrap::journal_path(data_dir, path);
    // A run that was killed left steps under way: said, then checked again like any.
    let left = Journal::read(&journal_path)
        .map(|e| Journal::interrupted(&e))
        .unwrap_or_default();
    if !left.is_empty() {
        println!(
            "… the last apply stopped during: {}; checking it again",
            crate::core::text::SafeText::new(&left.join(", "))
        );
    }
    let journal = match Journal::open(&journal_path) {
        Ok(j) => j,
        Err(e) => {
            eprintln!(
                "labdeck: {}",
                crate::core::text::SafeText::new(&e.to_string())
            );
            return FAILED;
        }
    };
    let (shown, progress) = super::progress::Shown::start("… ");
    let outcome = plan
        .reconcile(&writer, progress, &CancellationToken::new(), &journal)
        .await;
    shown.finish();
    match outcome {
        Ok(done) => {
            println!("done: {}", crate::core::text::SafeText::new(&done));
            SETTLED
        }
        Err(e) => {
            eprintln!(
                "labdeck: {}",
                crate::core::text::SafeText::new(&e.to_string())
            );
            FAILED
        }
    }
}

/// The file's plan; secrets are named with the key in `data_dir`.
fn load(path: &Path, data_dir: &Path) -> Result<crate::ops::plan::Plan, i32> {
    let b = file::load(path).map_err(|errors| {
        for e in errors {
            eprintln!(
                "labdeck: {}",
                crate::core::text::SafeText::new(&e.to_string())
            );
        }
        FAILED
    })?;
    steps::plan_here(&b, data_dir).map_err(|e| {
        eprintln!(
            "labdeck: {}",
            crate::core::text::SafeText::new(&e.to_string())
        );
        FAILED
    })
}

/// Apply? on the terminal; anything but y or yes is no.
fn confirmed() -> bool {
    print!("Apply these changes? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

/// `unit`: a systemd unit that applies `file` at boot, once the engine is up: a oneshot
/// after docker.service, with a timeout, as labdeck itself at `program` runs it.
pub fn unit(file: &Path, program: &Path) -> String {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    // systemd splits ExecStart on spaces: a path with spaces is quoted.
    let quote = |p: &Path| {
        let s = p.display().to_string();
        if s.contains(char::is_whitespace) {
            format!("\"{s}\"")
        } else {
            s
        }
    };
    format!(
        "[Unit]\n\
         Description=labdeck bootstrap: the infrastructure tier from {file}\n\
         Wants=network-online.target\n\
         After=docker.service network-online.target\n\
         Requires=docker.service\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={program} bootstrap apply --yes -f {path}\n\
         TimeoutStartSec=15min\n\
         RemainAfterExit=yes\n\
         \n\
         [Install]\n\
         WantedBy=multi-user.target\n",
        file = file.display(),
        program = quote(program),
        path = quote(&file),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_applies_the_file_once_docker_is_up() {
        let u = unit(
            Path::new("/mnt/tank/infra/bootstrap.toml"),
            Path::new("/usr/local/bin/labdeck"),
        );
        for line in [
            "After=docker.service network-online.target",
            "Requires=docker.service",
            "Type=oneshot",
            "ExecStart=/usr/local/bin/labdeck bootstrap apply --yes -f /mnt/tank/infra/bootstrap.toml",
            "TimeoutStartSec=15min",
            "WantedBy=multi-user.target",
        ] {
            assert!(u.lines().any(|l| l == line), "{line}\n{u}");
        }
        let spaced = unit(
            Path::new("/mnt/my pool/b.toml"),
            Path::new("/opt/lab deck/labdeck"),
        );
        assert!(
            spaced.contains("ExecStart=\"/opt/lab deck/labdeck\" bootstrap apply --yes -f \"/mnt/my pool/b.toml\""),
            "{spaced}"
        );
    }
}
