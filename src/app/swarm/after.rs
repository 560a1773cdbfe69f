//! What the pane does once one of its plans ends: follow the rolling update it
//! started, drop the marks it acted on. Kept per plan id, from the moment the plan is
//! applied: a dialog cancelled, or a second plan running beside the first, never makes
//! a plan follow another's service or clear another's marks.

use super::pane::{Follow, SwarmPane};
use super::view::SwarmView;
use crate::app::shell::Shell;
use crate::app::task::PlanId;
use crate::ops::plan::{Outcome, Plan};

/// What to do after one plan, if it succeeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct After {
    /// The rolling update a redeploy or rollback starts.
    pub follow: Option<Follow>,
    /// The marked rows the plan acts on.
    pub marks: Option<Marks>,
}

/// Rows marked in one view, by table key.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    pub view: SwarmView,
    pub source: Option<String>,
    pub keys: Vec<String>,
}

/// The open dialog's plan and what follows it: the shell shows one dialog at a time,
/// so the pane's latest offer is the one a yes applies.
#[derive(Debug, Clone)]
pub struct Offer {
    pub plan: Plan,
    pub after: After,
}

impl SwarmPane {
    /// Ask the shell to confirm `plan`; `after` is kept only if it is applied.
    pub fn offer(&mut self, shell: &mut Shell, plan: Plan, after: After) {
        self.offered = Some(Offer {
            plan: plan.clone(),
            after,
        });
        shell.confirm(super::pane::ID, plan);
    }

    /// The shell applied `plan` under `id`: keep what follows it under that id.
    pub fn started(&mut self, id: PlanId, plan: &Plan) {
        match self.offered.take() {
            Some(o) if o.plan == *plan => {
                self.pending.insert(id, o.after);
            }
            _ => {}
        }
    }

    /// Plan `id` ended: on success, follow its update and unmark its rows.
    pub fn ended(&mut self, shell: &mut Shell, id: PlanId, result: &Outcome) {
        let Some(after) = self.pending.remove(&id) else {
            return;
        };
        if result.is_err() {
            return;
        }
        if let Some(m) = &after.marks {
            for level in self.levels.iter_mut() {
                if level.view == m.view && level.source == m.source {
                    level.table.unmark(&m.keys);
                }
            }
        }
        if after.follow.is_some() {
            self.following = after.follow;
        }
        // The shell cleared the progress line as the plan ended: an update still
        // followed says its state again.
        self.follow_update(shell);
    }
}
