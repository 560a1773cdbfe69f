//! A plan's journal: each step's transitions appended to a file and flushed to disk
//! before the step goes on, so a run that is killed leaves a record of how far it got.
//! The next `apply` reads the live state again (a step already done checks as
//! unchanged) and the journal says which step was under way, for the report now and
//! for rolling back step by step later.
//!
//! One JSON object a line. A line cut short by a kill is skipped when read.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Its check found nothing to do.
    Unchanged,
    /// It began to change things.
    Started,
    Done,
    Failed,
    /// It may have happened (a write that ran out of time).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When, in seconds since the epoch.
    pub at: i64,
    /// The run this belongs to (one `apply`).
    pub run: u64,
    /// The step, by its key (what it acts on).
    pub step: String,
    pub transition: Transition,
}

/// An open journal. Writes go straight to the file and are synced: a journal that
/// says less than what happened is worse than a slow one (a few steps a run).
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    run: u64,
}

impl Journal {
    /// The journal at `path` (created with its folder if missing), for a new run.
    pub fn open(path: &Path) -> Result<Journal, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let run = Journal::read(path)?
            .iter()
            .map(|e| e.run)
            .max()
            .map_or(1, |r| r + 1);
        // A line cut short by a kill is ended, so this run's first entry is whole.
        if let Ok(bytes) = std::fs::read(path)
            && bytes.last().is_some_and(|b| *b != b'\n')
        {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .and_then(|mut f| f.write_all(b"\n"))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(Journal {
            path: path.to_path_buf(),
            run,
        })
    }

    pub fn run(&self) -> u64 {
        self.run
    }

    /// Append a transition and sync it to disk.
    pub fn record(&self, step: &str, transition: Transition) -> Result<(), String> {
        let entry = Entry {
            at: crate::core::time::Timestamp::now().0,
            run: self.run,
            step: step.to_string(),
            transition,
        };
        let mut line = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
        line.push('\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        f.write_all(line.as_bytes())
            .and_then(|()| f.sync_data())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// Every entry in the file, oldest first; none when there is no file. A line that
    /// cannot be read (cut short by a kill) is skipped.
    pub fn read(path: &Path) -> Result<Vec<Entry>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }

    /// The steps a run left under way: started, and neither done nor failed after.
    pub fn interrupted(entries: &[Entry]) -> Vec<String> {
        let Some(last) = entries.iter().map(|e| e.run).max() else {
            return Vec::new();
        };
        let mut open: Vec<String> = Vec::new();
        for e in entries.iter().filter(|e| e.run == last) {
            match e.transition {
                Transition::Started => open.push(e.step.clone()),
                _ => open.retain(|s| *s != e.step),
            }
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_are_appended_runs_counted_and_a_cut_line_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plans/bootstrap.jsonl");
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.run(), 1);
        j.record("net:infra", Transition::Started).unwrap();
        j.record("net:infra", Transition::Done).unwrap();
        j.record("stack:caddy", Transition::Started).unwrap();
        // A kill mid-write leaves half a line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"at\":1,\"run\":1,\"st")
            .unwrap();
        let entries = Journal::read(&path).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(Journal::interrupted(&entries), ["stack:caddy"]);
        let next = Journal::open(&path).unwrap();
        assert_eq!(next.run(), 2, "a new run");
        next.record("stack:caddy", Transition::Unchanged).unwrap();
        assert!(
            Journal::interrupted(&Journal::read(&path).unwrap()).is_empty(),
            "the last run left nothing under way"
        );
        assert!(Journal::read(&dir.path().join("none")).unwrap().is_empty());
    }
}
