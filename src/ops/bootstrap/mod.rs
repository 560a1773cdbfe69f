//! The bootstrap: what a NAS's infrastructure tier needs to come up by itself, in
//! order (a swarm, its overlay networks, secrets and configs from files, stacks each
//! healthy before the next), read from `bootstrap.toml` and run as one plan.
pub mod file;
pub mod network;
pub mod secret_key;
pub mod stack_step;
pub mod steps;

/// One journal per bootstrap file: `<data dir>/journal/bootstrap_<hash of its path>.jsonl`.
pub fn journal_path(data_dir: &std::path::Path, file: &std::path::Path) -> std::path::PathBuf {
    let full = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let id = steps::versioned("bootstrap", full.display().to_string().as_bytes());
    data_dir.join("journal").join(format!("{id}.jsonl"))
}
