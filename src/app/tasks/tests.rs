use super::*;
use crate::core::access::test_writer;
use crate::ops::plan::{Danger, Outcome, Step, Target, TargetKind};
use futures::future::BoxFuture;
use std::sync::atomic::{AtomicBool, Ordering};

/// A step that takes `takes` (forever when `None`), then sets its flag.
#[derive(Debug)]
struct Mark {
    set: Arc<AtomicBool>,
    takes: Option<Duration>,
}

fn mark(set: &Arc<AtomicBool>, takes: Option<Duration>) -> Mark {
    Mark {
        set: set.clone(),
        takes,
    }
}

impl Step for Mark {
    fn describe(&self) -> String {
        "mark".into()
    }
    fn danger(&self) -> Danger {
        Danger::Reversible
    }
    fn target(&self) -> Target {
        Target {
            kind: TargetKind::Host,
            name: "here".into(),
            address: String::new(),
        }
    }
    fn apply<'a>(&'a self, _w: &'a Writer, p: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            p("marking".into());
            match self.takes {
                Some(d) => tokio::time::sleep(d).await,
                None => std::future::pending().await,
            }
            self.set.store(true, Ordering::SeqCst);
            Ok("marked".into())
        })
    }
}

const ID: PlanId = PlanId {
    pane: "t",
    serial: 1,
};

#[tokio::test]
async fn the_runtime_refuses_a_plan_without_a_writer_and_runs_it_with_one() {
    let ran = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = mpsc::channel(8);
    let stop = CancellationToken::new;
    let plan = || Plan::one(mark(&ran, Some(Duration::ZERO)));
    assert!(plan_task(None, ID, plan(), tx.clone(), stop()).is_none());
    let Some(Msg::PlanDone {
        id: PlanId { pane: "t", .. },
        result: Err(e),
    }) = rx.recv().await
    else {
        panic!("no refusal")
    };
    assert!(matches!(e, StepError::Refused(_)), "{e:?}");
    assert!(e.text().starts_with("refused: read-only mode"), "{e}");
    tokio::task::yield_now().await;
    assert!(!ran.load(Ordering::SeqCst), "a refused plan never runs");

    let work = plan_task(Some(test_writer()), ID, plan(), tx, stop());
    tokio::spawn(work.expect("a writer runs it"));
    let Some(Msg::PlanProgress { text, .. }) = rx.recv().await else {
        panic!("no progress")
    };
    assert_eq!(text, "marking");
    let Some(Msg::PlanDone { result, .. }) = rx.recv().await else {
        panic!("no outcome")
    };
    assert_eq!(result, Ok("marked".into()));
    assert!(ran.load(Ordering::SeqCst));
}

/// Wait for the plan's first step to be under way.
async fn under_way(rx: &mut mpsc::Receiver<Msg>) {
    while let Some(m) = rx.recv().await {
        if matches!(&m, Msg::PlanProgress { text, .. } if text == "marking") {
            return;
        }
    }
    panic!("the plan never started");
}

/// Quitting with a plan half way: the step under way ends (the runtime's short
/// shutdown would drop it mid-write), and the next one never starts.
#[test]
fn quitting_waits_for_the_step_under_way_and_starts_no_other() {
    let (first, second) = (Arc::default(), Arc::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let seen = runtime.block_on(async {
        let (tx, mut rx) = mpsc::channel(8);
        let mut tasks = Tasks::new(CancellationToken::new(), tx);
        let steps: Vec<Arc<dyn Step>> = vec![
            Arc::new(mark(&first, Some(Duration::from_millis(300)))),
            Arc::new(mark(&second, Some(Duration::ZERO))),
        ];
        tasks.apply(Some(test_writer()), ID, Plan::of(steps));
        under_way(&mut rx).await;
        let mut seen = Vec::new();
        let left = tasks
            .wind_down(&mut rx, Duration::from_secs(10), |n| seen.push(n))
            .await;
        assert_eq!(left, 0);
        seen
    });
    // As main does once the loop returns.
    runtime.shutdown_timeout(Duration::from_millis(100));
    assert!(first.load(Ordering::SeqCst), "the step under way ended");
    assert!(!second.load(Ordering::SeqCst), "the next one never began");
    assert_eq!(seen, vec![1], "the screen said one change was waited for");
}

/// A step that hangs does not keep labdeck from quitting: the wait has a bound.
#[tokio::test]
async fn quitting_waits_no_longer_than_its_bound() {
    let hung = Arc::default();
    let (tx, mut rx) = mpsc::channel(8);
    let mut tasks = Tasks::new(CancellationToken::new(), tx);
    tasks.apply(Some(test_writer()), ID, Plan::one(mark(&hung, None)));
    under_way(&mut rx).await;
    let left = tasks
        .wind_down(&mut rx, Duration::from_millis(50), |_| {})
        .await;
    assert_eq!(left, 1, "one step still under way");
}
