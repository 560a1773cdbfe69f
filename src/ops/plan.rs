//! `Plan` and `Step`: what a change says about itself before it runs, and how it runs.

use crate::core::access::Writer;
use futures::future::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// How bad it is to get wrong; the confirmation dialog follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Danger {
    /// Changes something that can be changed back the same way (scale, redeploy).
    Reversible,
    /// Cannot be undone (removals): the dialog says so and starts on Cancel.
    Irreversible,
}

/// Where a running step reports how far it got (one line each, newest wins).
pub type Progress = Arc<dyn Fn(String) + Send + Sync>;

/// One change. Built and described without any write power; only `apply` needs it.
pub trait Step: Send + Sync + fmt::Debug {
    /// Exactly what will happen, in one or two sentences (the confirmation's text).
    fn describe(&self) -> String;
    fn danger(&self) -> Danger;
    /// Do it. `Ok` is a one-line summary of what was done, `Err` why it failed.
    fn apply<'a>(
        &'a self,
        writer: &'a Writer,
        progress: Progress,
    ) -> BoxFuture<'a, Result<String, String>>;
}

/// Steps run in order; the first failure stops the plan.
#[derive(Clone)]
pub struct Plan {
    steps: Vec<Arc<dyn Step>>,
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.steps).finish()
    }
}

impl PartialEq for Plan {
    /// Two plans are the same when they say the same: what the user confirmed.
    fn eq(&self, other: &Plan) -> bool {
        self.describe() == other.describe()
    }
}

impl Plan {
    pub fn one(step: impl Step + 'static) -> Plan {
        Plan {
            steps: vec![Arc::new(step)],
        }
    }

    pub fn of(steps: Vec<Arc<dyn Step>>) -> Plan {
        Plan { steps }
    }

    pub fn steps(&self) -> &[Arc<dyn Step>] {
        &self.steps
    }

    /// Every step's description, one per line.
    pub fn describe(&self) -> String {
        let d: Vec<String> = self.steps.iter().map(|s| s.describe()).collect();
        d.join("\n")
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
    pub async fn apply(&self, writer: &Writer, progress: Progress) -> Result<String, String> {
        let mut done = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            if self.steps.len() > 1 {
                progress(format!(
                    "step {}/{}: {}",
                    i + 1,
                    self.steps.len(),
                    step.describe()
                ));
            }
            match step.apply(writer, progress.clone()).await {
                Ok(s) => done.push(s),
                Err(e) if done.is_empty() => return Err(e),
                Err(e) => return Err(format!("{e} (after: {})", done.join("; "))),
            }
        }
        Ok(done.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::{AccessMode, grant};
    use std::sync::Mutex;

    #[derive(Debug)]
    struct Fake {
        name: &'static str,
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
        fn apply<'a>(
            &'a self,
            _w: &'a Writer,
            progress: Progress,
        ) -> BoxFuture<'a, Result<String, String>> {
            Box::pin(async move {
                progress(format!("{} half way", self.name));
                self.ran.lock().unwrap().push(self.name);
                if self.fail {
                    Err(format!("{} failed", self.name))
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
        let w = grant(AccessMode::ReadWrite).unwrap();
        assert_eq!(
            p.apply(&w, progress).await,
            Err("b failed (after: did a)".into())
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
        let w = grant(AccessMode::ReadWrite).unwrap();
        let seen = Arc::new(Mutex::new(vec![]));
        let s2 = seen.clone();
        let r = p
            .apply(&w, Arc::new(move |x| s2.lock().unwrap().push(x)))
            .await;
        assert_eq!(r, Ok("did scale".into()));
        assert_eq!(*seen.lock().unwrap(), ["scale half way"]);
    }
}
