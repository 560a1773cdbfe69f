//! `Plan` and `Step`: what a change says about itself before it runs, and how it runs.

use crate::core::access::Writer;
use futures::future::BoxFuture;
use std::fmt;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How bad it is to get wrong; the confirmation dialog follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Danger {
    /// Changes something that can be changed back the same way, and stops nothing that
    /// runs (scale, pause a node, start a scrub).
    Reversible,
    /// Can be changed back, but stops or moves what runs now (drain, redeploy, demote):
    /// the dialog starts on Cancel, so one Enter does nothing.
    Disruptive,
    /// Cannot be undone (removals): the dialog says so, starts on Cancel, and only `y`
    /// confirms.
    Irreversible,
}

/// What kind of place a step acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// A Docker engine.
    Engine,
    /// A host whose commands labdeck runs (ZFS).
    Host,
    /// A Kubernetes context.
    Context,
}

/// Where a step acts: the source's kind, its name and its address. Two steps with the
/// same text on two engines are two different changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: TargetKind,
    /// The source's name, as the panes show it (`nas`, `local`).
    pub name: String,
    /// How it is reached (`unix:///var/run/docker.sock`, `ssh n5`, `this machine`).
    pub address: String,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TargetKind::Engine => "engine",
            TargetKind::Host => "host",
            TargetKind::Context => "context",
        };
        if self.address.is_empty() || self.address == self.name {
            write!(f, "{kind} {}", self.name)
        } else {
            write!(f, "{kind} {} ({})", self.name, self.address)
        }
    }
}

/// Where a running step reports how far it got (one line each, newest wins).
pub type Progress = Arc<dyn Fn(String) + Send + Sync>;

/// Why a step or plan did not end well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// Nothing ran: no `Writer` (read-only mode).
    Refused(String),
    /// It did not happen, or not all of it.
    Failed(String),
    /// It may have happened: a write that did not answer in time. Re-read to know.
    Unknown(String),
}

impl StepError {
    pub fn text(&self) -> &str {
        match self {
            StepError::Refused(t) | StepError::Failed(t) | StepError::Unknown(t) => t,
        }
    }

    fn map(self, f: impl FnOnce(String) -> String) -> StepError {
        match self {
            StepError::Refused(t) => StepError::Refused(f(t)),
            StepError::Failed(t) => StepError::Failed(f(t)),
            StepError::Unknown(t) => StepError::Unknown(f(t)),
        }
    }
}

impl From<String> for StepError {
    fn from(text: String) -> StepError {
        StepError::Failed(text)
    }
}

impl From<&str> for StepError {
    fn from(text: &str) -> StepError {
        StepError::Failed(text.into())
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Unknown(t) => write!(f, "outcome unknown: {t}"),
            other => f.write_str(other.text()),
        }
    }
}

/// What a step or plan gives back: a one-line summary, or why not.
pub type Outcome = Result<String, StepError>;

/// One change. Built and described without any write power; only `apply` needs it.
pub trait Step: Send + Sync + fmt::Debug {
    /// Exactly what will happen, in one or two sentences (the confirmation's text).
    fn describe(&self) -> String;
    fn danger(&self) -> Danger;
    /// Where it acts.
    fn target(&self) -> Target;
    /// Do it. `Ok` is a one-line summary of what was done, `Err` why it failed, or
    /// that it may have happened (a write that timed out).
    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome>;
    /// What the live state asks of it, read without a `Writer`. A one-off write (a
    /// scale the user asked for) is always to do; a step that reconciles (create this
    /// network) says whether it is done already.
    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async { Ok(Check::Create) })
    }
    /// What it acts on, stable across runs: its key in the journal.
    fn key(&self) -> String {
        format!("{} {}", self.target(), self.describe())
    }
    /// The step that undoes what this one's last `apply` changed, when that can be
    /// undone (a stack's updated services go back to their previous spec): a wizard
    /// offers it after a failure, a cutover rolls back with it.
    fn undo(&self) -> Option<Arc<dyn Step>> {
        None
    }
}

/// The progress line that says a plan's step `i` (1-based) of `n` begins. Its one
/// home, with [`step_of`] that reads it back.
pub fn step_line(i: usize, n: usize, what: &str) -> String {
    format!("step {i}/{n}: {what}")
}

/// Which step (1-based, of how many) a progress line says begins, if it says so.
pub fn step_of(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("step ")?;
    let (count, _) = rest.split_once(": ")?;
    let (i, n) = count.split_once('/')?;
    let (i, n) = (i.parse().ok()?, n.parse().ok()?);
    (1..=n).contains(&i).then_some((i, n))
}

/// What a step's check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Not there: it will be made.
    Create,
    /// There, but these fields differ (`replicas: 1 → 2`).
    Update(Vec<String>),
    /// There as it should be: nothing to do.
    Unchanged,
    /// It cannot be done now, and why (what it needs is missing).
    Blocked(String),
}

impl Check {
    /// Something to do.
    pub fn pending(&self) -> bool {
        matches!(self, Check::Create | Check::Update(_))
    }
}

/// A plan's steps with what each one's check found: what `plan` shows.
#[derive(Debug, Clone)]
pub struct Review {
    pub steps: Vec<(String, Result<Check, String>)>,
}

impl Review {
    /// Nothing to do: every step unchanged.
    pub fn settled(&self) -> bool {
        self.steps
            .iter()
            .all(|(_, c)| matches!(c, Ok(Check::Unchanged)))
    }

    /// The diff, a line a step: `+ create network infra`, `~ update …: replicas`,
    /// `= …`, `! blocked: why`.
    pub fn lines(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|(what, c)| match c {
                Ok(Check::Create) => format!("+ {what}"),
                Ok(Check::Update(fields)) => format!("~ {what} ({})", fields.join(", ")),
                Ok(Check::Unchanged) => format!("= {what}"),
                Ok(Check::Blocked(why)) => format!("! {what}: blocked: {why}"),
                Err(e) => format!("? {what}: cannot check: {e}"),
            })
            .collect()
    }
}

/// Steps run in order; the first failure stops the plan.
#[derive(Clone)]
pub struct Plan {
    steps: Vec<Arc<dyn Step>>,
    /// Where its transitions are journalled, for a plan that reconciles (a bootstrap);
    /// `None`: a one-off write, applied as it stands.
    journal: Option<std::path::PathBuf>,
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.steps).finish()
    }
}

impl PartialEq for Plan {
    /// Two plans are the same when every step acts on the same target and says the
    /// same: what the user confirmed, and where.
    fn eq(&self, other: &Plan) -> bool {
        self.steps.len() == other.steps.len()
            && self
                .steps
                .iter()
                .zip(&other.steps)
                .all(|(a, b)| a.target() == b.target() && a.describe() == b.describe())
    }
}

impl Plan {
    pub fn one(step: impl Step + 'static) -> Plan {
        Plan {
            steps: vec![Arc::new(step)],
            journal: None,
        }
    }

    pub fn of(steps: Vec<Arc<dyn Step>>) -> Plan {
        Plan {
            steps,
            journal: None,
        }
    }

    /// Where it journals, if it reconciles.
    pub fn journal(&self) -> Option<&std::path::Path> {
        self.journal.as_deref()
    }

    /// The same plan, reconciled with a journal at `path` when it runs.
    pub fn with_journal(mut self, path: std::path::PathBuf) -> Plan {
        self.journal = Some(path);
        self
    }

    /// Run it as it asks: reconciled with its journal, or applied as it stands.
    pub async fn run(
        &self,
        writer: &Writer,
        progress: Progress,
        stop: &CancellationToken,
    ) -> Outcome {
        match &self.journal {
            Some(path) => {
                let journal = super::journal::Journal::open(path)
                    .map_err(|e| StepError::Failed(format!("journal: {e}")))?;
                self.reconcile(writer, progress, stop, &journal).await
            }
            None => self.apply_until(writer, progress, stop).await,
        }
    }

    pub fn steps(&self) -> &[Arc<dyn Step>] {
        &self.steps
    }

    /// Every step's description, one per line.
    pub fn describe(&self) -> String {
        let d: Vec<String> = self.steps.iter().map(|s| s.describe()).collect();
        d.join("\n")
    }

    /// Every target the plan acts on, each once, in the order of its steps.
    pub fn targets(&self) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        for t in self.steps.iter().map(|s| s.target()) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// What the confirmation says: where, then what. One target heads the list
    /// (`on engine nas (ssh://nas):`); several name theirs on each line.
    pub fn confirm_lines(&self) -> Vec<String> {
        match self.targets().as_slice() {
            [one] => std::iter::once(format!("On {one}:"))
                .chain(self.steps.iter().map(|s| s.describe()))
                .collect(),
            _ => self
                .steps
                .iter()
                .map(|s| format!("On {}: {}", s.target(), s.describe()))
                .collect(),
        }
    }

    /// The worst of its steps.
    pub fn danger(&self) -> Danger {
        self.steps
            .iter()
            .map(|s| s.danger())
            .max()
            .unwrap_or(Danger::Reversible)
    }

    /// Run every step in order, reporting each one's progress; stop at the first error.
    pub async fn apply(&self, writer: &Writer, progress: Progress) -> Outcome {
        self.apply_until(writer, progress, &CancellationToken::new())
            .await
    }

    /// Check every step against the live state, in order, without a `Writer`.
    pub async fn review(&self) -> Review {
        let mut steps = Vec::new();
        for s in &self.steps {
            steps.push((s.describe(), s.check().await));
        }
        Review { steps }
    }

    /// Bring the live state to what the plan says: each step checked, then applied only
    /// if it has something to do, in order; the first failure (or a step that is
    /// blocked or cannot be checked) stops the run. Each transition is journalled
    /// before the run goes on, so a run killed half way leaves the record, and the next
    /// run finishes the job (what was done checks as unchanged). A second run changes
    /// nothing.
    pub async fn reconcile(
        &self,
        writer: &Writer,
        progress: Progress,
        stop: &CancellationToken,
        journal: &super::journal::Journal,
    ) -> Outcome {
        use super::journal::Transition;
        let record = |key: &str, t| {
            journal
                .record(key, t)
                .map_err(|e| StepError::Failed(format!("journal: {e}")))
        };
        let mut done = Vec::new();
        let n = self.steps.len();
        for (i, step) in self.steps.iter().enumerate() {
            let key = step.key();
            let what = step.describe();
            if stop.is_cancelled() {
                return Err(StepError::Failed(format!(
                    "cancelled before step {}/{n}: {what}",
                    i + 1
                )));
            }
            match step.check().await {
                Ok(Check::Unchanged) => {
                    record(&key, Transition::Unchanged)?;
                    continue;
                }
                Ok(Check::Blocked(why)) => {
                    return Err(StepError::Failed(format!(
                        "step {}/{n} is blocked: {what}: {why}",
                        i + 1
                    )));
                }
                Err(e) => {
                    return Err(StepError::Failed(format!(
                        "step {}/{n} cannot be checked: {what}: {e}",
                        i + 1
                    )));
                }
                Ok(Check::Create | Check::Update(_)) => {}
            }
            progress(step_line(i + 1, n, &what));
            record(&key, Transition::Started)?;
            if let Some(pause) = crate::core::fault::step_delay() {
                tokio::time::sleep(pause).await;
            }
            match step.apply(writer, progress.clone()).await {
                Ok(s) => {
                    record(&key, Transition::Done)?;
                    done.push(s);
                }
                Err(e) => {
                    let t = match e {
                        StepError::Unknown(_) => Transition::Unknown,
                        _ => Transition::Failed,
                    };
                    record(&key, t)?;
                    return Err(e.map(|e| format!("step {}/{n}: {e}", i + 1)));
                }
            }
        }
        Ok(if done.is_empty() {
            "nothing to change".to_string()
        } else {
            done.join("; ")
        })
    }

    /// [`Plan::apply`], stopping before the next step once `stop` is cancelled. A step
    /// under way runs to its end, so what it changed is known.
    pub async fn apply_until(
        &self,
        writer: &Writer,
        progress: Progress,
        stop: &CancellationToken,
    ) -> Outcome {
        let mut done = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            if stop.is_cancelled() {
                let left = format!(
                    "cancelled before step {}/{}: {}",
                    i + 1,
                    self.steps.len(),
                    step.describe()
                );
                return Err(StepError::Failed(if done.is_empty() {
                    left
                } else {
                    format!("{left} (after: {})", done.join("; "))
                }));
            }
            if self.steps.len() > 1 {
                progress(step_line(i + 1, self.steps.len(), &step.describe()));
            }
            match step.apply(writer, progress.clone()).await {
                Ok(s) => done.push(s),
                Err(e) if done.is_empty() => return Err(e),
                Err(e) => return Err(e.map(|e| format!("{e} (after: {})", done.join("; ")))),
            }
        }
        Ok(done.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::test_writer;
    use std::sync::Mutex;

    #[derive(Debug)]
    struct Fake {
        name: &'static str,
        engine: &'static str,
        fail: bool,
        danger: Danger,
        ran: Arc<Mutex<Vec<&'static str>>>,
    }

    impl Step for Fake {
        fn describe(&self) -> String {
            format!("do {}", self.name)
        }
        fn danger(&self) -> Danger {
            self.danger
        }
        fn target(&self) -> Target {
            Target {
                kind: TargetKind::Engine,
                name: self.engine.into(),
                address: format!("ssh://{}", self.engine),
            }
        }
        fn apply<'a>(&'a self, _w: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
            Box::pin(async move {
                progress(format!("{} half way", self.name));
                self.ran.lock().unwrap().push(self.name);
                if self.fail {
                    Err(format!("{} failed", self.name).into())
                } else {
                    Ok(format!("did {}", self.name))
                }
            })
        }
    }

    fn plan(steps: &[(&'static str, bool, Danger)], ran: &Arc<Mutex<Vec<&'static str>>>) -> Plan {
        Plan::of(
            steps
                .iter()
                .map(|&(name, fail, danger)| {
                    Arc::new(Fake {
                        name,
                        engine: "nas",
                        fail,
                        danger,
                        ran: ran.clone(),
                    }) as Arc<dyn Step>
                })
                .collect(),
        )
    }

    #[tokio::test]
    async fn steps_run_in_order_and_the_first_failure_stops_the_plan() {
        let ran = Arc::new(Mutex::new(vec![]));
        let seen = Arc::new(Mutex::new(vec![]));
        let s2 = seen.clone();
        let progress: Progress = Arc::new(move |p| s2.lock().unwrap().push(p));
        let p = plan(
            &[
                ("a", false, Danger::Reversible),
                ("b", true, Danger::Irreversible),
                ("c", false, Danger::Reversible),
            ],
            &ran,
        );
        assert_eq!(p.describe(), "do a\ndo b\ndo c");
        assert_eq!(p.danger(), Danger::Irreversible);
        let w = test_writer();
        assert_eq!(
            p.apply(&w, progress).await,
            Err(StepError::Failed("b failed (after: did a)".into()))
        );
        assert_eq!(*ran.lock().unwrap(), ["a", "b"]);
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0], "step 1/3: do a");
        assert!(seen.contains(&"a half way".to_string()));
    }

    #[tokio::test]
    async fn a_plan_of_one_step_reports_just_that_step() {
        let ran = Arc::new(Mutex::new(vec![]));
        let p = plan(&[("scale", false, Danger::Reversible)], &ran);
        let w = test_writer();
        let seen = Arc::new(Mutex::new(vec![]));
        let s2 = seen.clone();
        let r = p
            .apply(&w, Arc::new(move |x| s2.lock().unwrap().push(x)))
            .await;
        assert_eq!(r, Ok("did scale".into()));
        assert_eq!(*seen.lock().unwrap(), ["scale half way"]);
    }

    fn on(engine: &'static str, name: &'static str) -> Arc<dyn Step> {
        Arc::new(Fake {
            name,
            engine,
            fail: false,
            danger: Danger::Reversible,
            ran: Arc::new(Mutex::new(vec![])),
        })
    }

    #[test]
    fn a_step_line_reads_back_as_its_step() {
        assert_eq!(step_of(&step_line(2, 5, "deploy stack a: b")), Some((2, 5)));
        assert_eq!(step_of("step 6/5: x"), None, "past the end");
        assert_eq!(step_of("step 0/5: x"), None);
        assert_eq!(step_of("stepping 1/2: x"), None);
        assert_eq!(step_of("creating service a"), None);
    }

    #[test]
    fn plans_are_equal_only_when_they_act_on_the_same_targets() {
        let nas = Plan::of(vec![on("nas", "scrub ai")]);
        let n5 = Plan::of(vec![on("n5", "scrub ai")]);
        assert_eq!(nas.describe(), n5.describe(), "the same words");
        assert_ne!(nas, n5, "on two hosts: two different changes");
        assert_eq!(nas, Plan::of(vec![on("nas", "scrub ai")]));
        assert_ne!(
            nas,
            Plan::of(vec![on("nas", "scrub ai"), on("nas", "scrub ai")]),
            "twice is not once"
        );
    }

    #[test]
    fn the_confirmation_says_where_before_what() {
        let one = Plan::of(vec![on("nas", "a"), on("nas", "b")]);
        assert_eq!(
            one.confirm_lines(),
            ["On engine nas (ssh://nas):", "do a", "do b"]
        );
        let two = Plan::of(vec![on("nas", "a"), on("n5", "b")]);
        assert_eq!(two.targets().len(), 2);
        assert_eq!(
            two.confirm_lines(),
            [
                "On engine nas (ssh://nas): do a",
                "On engine n5 (ssh://n5): do b"
            ]
        );
    }

    #[tokio::test]
    async fn a_cancelled_plan_stops_before_its_next_step() {
        let ran = Arc::new(Mutex::new(vec![]));
        let p = plan(
            &[
                ("a", false, Danger::Reversible),
                ("b", false, Danger::Reversible),
            ],
            &ran,
        );
        let stop = CancellationToken::new();
        let stop_after_a = stop.clone();
        let progress: Progress = Arc::new(move |p: String| {
            if p == "a half way" {
                stop_after_a.cancel();
            }
        });
        let r = p.apply_until(&test_writer(), progress, &stop).await;
        assert_eq!(
            r,
            Err(StepError::Failed(
                "cancelled before step 2/2: do b (after: did a)".into()
            ))
        );
        assert_eq!(
            *ran.lock().unwrap(),
            ["a"],
            "a ran to its end, b never began"
        );
    }
}
