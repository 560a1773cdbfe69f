//! What a Swarm plan does once it ends (follow its rolling update, unmark its rows)
//! belongs to that plan: not to the last dialog opened, nor to a plan beside it.

use super::tests::{press, state, sw, to_sonarr};
use super::update;
use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::task::PlanId;
use crate::core::access::AccessMode;

/// Confirm the dialog `keys` open: the plan's id.
fn apply(s: &mut State, keys: &str) -> PlanId {
    press(s, keys);
    let fx = press(s, "y");
    let [Effect::Apply { id, .. }] = fx[..] else {
        panic!("not applied: {fx:?}")
    };
    id
}

fn done(s: &mut State, id: PlanId) {
    let result = Ok("done".into());
    update(s, Msg::PlanDone { id, result });
}

/// The service the pane follows now.
fn followed(s: &State) -> Option<String> {
    sw(s).following.as_ref().map(|f| f.service.clone())
}

#[test]
fn two_redeploys_at_once_each_follow_their_own_service() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let sonarr = apply(&mut s, "r");
    let radarr = apply(&mut s, "jr");
    done(&mut s, sonarr);
    assert_eq!(followed(&s).as_deref(), Some("media_sonarr"));
    done(&mut s, radarr);
    assert_eq!(followed(&s).as_deref(), Some("media_radarr"));
    assert!(sw(&s).pending.is_empty(), "nothing left to follow");
}

#[test]
fn a_cancelled_dialog_does_not_take_the_running_plan_s_follow_up() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let sonarr = apply(&mut s, "r");
    // A second redeploy offered, then refused: nothing of it is kept.
    press(&mut s, "jrn");
    done(&mut s, sonarr);
    assert_eq!(followed(&s).as_deref(), Some("media_sonarr"));
}

#[test]
fn only_the_plan_over_the_marks_clears_them() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let one = apply(&mut s, "r");
    press(&mut s, "  ");
    assert_eq!(sw(&s).level().table.marked().len(), 2);
    let marked = apply(&mut s, "r");
    done(&mut s, one);
    assert_eq!(
        sw(&s).level().table.marked().len(),
        2,
        "another plan's end leaves the marks"
    );
    done(&mut s, marked);
    assert!(sw(&s).level().table.marked().is_empty());
}
