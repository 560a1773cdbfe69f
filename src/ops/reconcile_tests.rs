//! Plans that know the live state: review, reconcile, a second run that changes
//! nothing, and a run killed half way finished by the next one from its journal.

use super::journal::{Journal, Transition};
use super::plan::{Check, Outcome, Plan, Progress, Step, StepError, Target, TargetKind};
use crate::core::access::{Writer, test_writer};
use futures::future::BoxFuture;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

type World = Arc<Mutex<BTreeSet<String>>>;

/// Where the test steps act.
fn lab() -> Target {
    Target {
        kind: TargetKind::Engine,
        name: "lab".into(),
        address: String::new(),
    }
}

/// "`name` exists": done when the world has it; applying adds it (or hangs, to be
/// killed half way).
#[derive(Debug)]
struct Ensure {
    name: &'static str,
    world: World,
    hang: bool,
}

impl Step for Ensure {
    fn describe(&self) -> String {
        format!("create {}", self.name)
    }
    fn danger(&self) -> super::plan::Danger {
        super::plan::Danger::Reversible
    }
    fn target(&self) -> Target {
        lab()
    }
    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            Ok(if self.world.lock().unwrap().contains(self.name) {
                Check::Unchanged
            } else {
                Check::Create
            })
        })
    }
    fn apply<'a>(&'a self, _w: &'a Writer, _p: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            if self.hang {
                std::future::pending::<()>().await;
            }
            self.world.lock().unwrap().insert(self.name.to_string());
            Ok(format!("created {}", self.name))
        })
    }
}

fn plan(world: &World, hang: Option<&str>) -> Plan {
    Plan::of(
        ["net", "secret", "stack"]
            .into_iter()
            .map(|name| {
                Arc::new(Ensure {
                    name,
                    world: world.clone(),
                    hang: hang == Some(name),
                }) as Arc<dyn Step>
            })
            .collect(),
    )
}

fn quiet() -> Progress {
    Arc::new(|_| {})
}

#[tokio::test]
async fn a_plan_reviews_applies_what_is_pending_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.jsonl");
    let world: World = Default::default();
    world.lock().unwrap().insert("net".into());
    let p = plan(&world, None);
    let review = p.review().await;
    assert_eq!(
        review.lines(),
        ["= create net", "+ create secret", "+ create stack"]
    );
    assert!(!review.settled());
    let j = Journal::open(&path).unwrap();
    let done = p
        .reconcile(&test_writer(), quiet(), &CancellationToken::new(), &j)
        .await;
    assert_eq!(done, Ok("created secret; created stack".into()));
    assert!(p.review().await.settled());
    let j = Journal::open(&path).unwrap();
    let again = p
        .reconcile(&test_writer(), quiet(), &CancellationToken::new(), &j)
        .await;
    assert_eq!(again, Ok("nothing to change".into()));
    let second_run: Vec<Transition> = Journal::read(&path)
        .unwrap()
        .into_iter()
        .filter(|e| e.run == 2)
        .map(|e| e.transition)
        .collect();
    assert_eq!(second_run, [Transition::Unchanged; 3]);
}

#[tokio::test]
async fn a_run_killed_half_way_is_finished_by_the_next_from_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.jsonl");
    let world: World = Default::default();
    // The first run hangs in its second step and is killed there.
    let killed = plan(&world, Some("secret"));
    let j = Journal::open(&path).unwrap();
    let run = tokio::spawn(async move {
        killed
            .reconcile(&test_writer(), quiet(), &CancellationToken::new(), &j)
            .await
    });
    while !Journal::read(&path)
        .unwrap()
        .iter()
        .any(|e| e.step.ends_with("create secret") && e.transition == Transition::Started)
    {
        tokio::task::yield_now().await;
    }
    run.abort();
    assert!(run.await.unwrap_err().is_cancelled());
    let entries = Journal::read(&path).unwrap();
    assert_eq!(
        Journal::interrupted(&entries),
        ["engine lab create secret"],
        "the journal says where it stopped"
    );
    assert_eq!(*world.lock().unwrap(), BTreeSet::from(["net".to_string()]));
    // The next run finishes the job: what was done checks as unchanged.
    let j = Journal::open(&path).unwrap();
    let done = plan(&world, None)
        .reconcile(&test_writer(), quiet(), &CancellationToken::new(), &j)
        .await;
    assert_eq!(done, Ok("created secret; created stack".into()));
    assert_eq!(world.lock().unwrap().len(), 3);
    assert!(Journal::interrupted(&Journal::read(&path).unwrap()).is_empty());
}

/// A step that cannot be done stops the run, and says why.
#[derive(Debug)]
struct Needs(&'static str);

impl Step for Needs {
    fn describe(&self) -> String {
        "deploy caddy".into()
    }
    fn danger(&self) -> super::plan::Danger {
        super::plan::Danger::Reversible
    }
    fn target(&self) -> Target {
        lab()
    }
    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            Ok(match self.0 {
                "update" => Check::Update(vec!["replicas: 1 → 2".into()]),
                why => Check::Blocked(why.into()),
            })
        })
    }
    fn apply<'a>(&'a self, _w: &'a Writer, _p: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async { Ok("deployed".into()) })
    }
}

#[tokio::test]
async fn a_blocked_step_stops_the_run_and_an_update_names_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(&dir.path().join("p.jsonl")).unwrap();
    let blocked = Plan::one(Needs("the network infra is missing"));
    assert_eq!(
        blocked.review().await.lines(),
        ["! deploy caddy: blocked: the network infra is missing"]
    );
    let r = blocked
        .reconcile(&test_writer(), quiet(), &CancellationToken::new(), &j)
        .await;
    assert_eq!(
        r,
        Err(StepError::Failed(
            "step 1/1 is blocked: deploy caddy: the network infra is missing".into()
        ))
    );
    let update = Plan::one(Needs("update"));
    assert_eq!(
        update.review().await.lines(),
        ["~ deploy caddy (replicas: 1 → 2)"]
    );
}
