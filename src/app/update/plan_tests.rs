//! Writes as plans: each finished one re-reads its pane, quitting asks while one runs,
//! `ctrl-x` stops them, and a drain says where its tasks go.

use super::tests::{flash, key, press, state, to_sonarr};
use super::update;
use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::app::shell::{FlashLevel, Overlay};
use crate::app::state::State;
use crate::core::access::AccessMode;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Whatever a write did (or may have done), its pane reads again at once: a destroyed
/// snapshot or a removed service does not linger until the next poll.
#[test]
fn every_finished_write_re_reads_its_pane_and_a_refused_one_does_not() {
    use crate::ops::plan::StepError;
    let mut s = state(AccessMode::ReadWrite);
    let done = |s: &mut State, pane, result| {
        let id = crate::app::task::PlanId { pane, serial: 0 };
        update(s, Msg::PlanDone { id, result })
    };
    for pane in ["swarm", "zfs"] {
        let fx = done(&mut s, pane, Ok("tank/a@x destroyed".into()));
        assert!(
            matches!(fx[..], [Effect::Refresh(p)] if p == pane),
            "{fx:?}"
        );
        let fx = done(&mut s, pane, Err(StepError::Failed("no".into())));
        assert!(
            matches!(fx[..], [Effect::Refresh(p)] if p == pane),
            "{fx:?}"
        );
    }
    let fx = done(
        &mut s,
        "zfs",
        Err(StepError::Unknown(
            "`zfs destroy tank/a@x` did not finish in 120 s".into(),
        )),
    );
    assert!(matches!(fx[..], [Effect::Refresh("zfs")]), "{fx:?}");
    let f = s.shell.flash.as_ref().unwrap();
    assert_eq!(f.level, FlashLevel::Warn, "not a failure");
    assert!(
        f.text.as_str().starts_with("outcome unknown: `zfs destroy"),
        "{}",
        f.text
    );
    let fx = done(
        &mut s,
        "swarm",
        Err(StepError::Refused("refused: read-only".into())),
    );
    assert!(fx.is_empty(), "nothing ran: nothing to read");
}

/// Quitting while a change runs asks first; no, and labdeck stays; yes, and it quits.
/// Once the change is done, quitting asks nothing.
#[test]
fn quitting_while_a_plan_runs_asks_first() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    press(&mut s, "r");
    let fx = press(&mut s, "y");
    let [Effect::Apply { id, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let id = *id;
    assert!(press(&mut s, "q").is_empty(), "no quit yet");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no question: {:?}", s.shell.overlay)
    };
    assert!(
        c.text().contains("1 change(s) still running"),
        "{}",
        c.text()
    );
    assert!(
        c.text().contains("Force an update of media_sonarr"),
        "{}",
        c.text()
    );
    assert!(
        c.text()
            .contains("Each ends the step under way, then stops"),
        "quitting waits for the step under way: {}",
        c.text()
    );
    assert!(!c.yes_focused, "Enter stays");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(!s.shell.quit, "Enter did not quit");
    press(&mut s, "q");
    assert_eq!(press(&mut s, "y"), vec![Effect::Quit]);
    assert!(s.shell.quit);

    // Done: nothing runs, q quits at once.
    let mut s = state(AccessMode::ReadWrite);
    s.shell
        .running
        .insert(id, crate::core::text::SafeText::new("x"));
    update(
        &mut s,
        Msg::PlanDone {
            id,
            result: Ok("done".into()),
        },
    );
    assert!(s.shell.running.is_empty());
    assert_eq!(press(&mut s, "q"), vec![Effect::Quit]);
}

/// Drain says what happens where the node is not alone: its tasks move.
#[test]
fn a_drain_with_other_active_nodes_says_its_tasks_move_there() {
    use crate::backend::swarm::ops::SwarmOp;
    let op = |elsewhere| SwarmOp::NodeAvailability {
        node_id: "n1".into(),
        node: "nas".into(),
        availability: "drain",
        elsewhere,
    };
    assert!(
        op(2)
            .describe()
            .contains("started on the 2 other active node(s)")
    );
    assert!(op(0).describe().contains("no other active node"));
}

/// `ctrl-x` stops the changes under way (each before its next step), or says there are
/// none.
#[test]
fn cancel_stops_every_running_plan() {
    let mut s = state(AccessMode::ReadWrite);
    let ctrl_x = |s: &mut State| {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)),
        )
    };
    assert!(ctrl_x(&mut s).is_empty());
    assert!(flash(&s).contains("no change is under way"));
    to_sonarr(&mut s);
    press(&mut s, "r");
    let fx = press(&mut s, "y");
    let [Effect::Apply { id, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let id = *id;
    assert_eq!(ctrl_x(&mut s), vec![Effect::CancelPlan(id)]);
    assert!(flash(&s).contains("stopping 1 change(s)"));
}

#[test]
fn op_results_are_flashed() {
    let mut s = state(AccessMode::ReadWrite);
    update(
        &mut s,
        Msg::PlanDone {
            id: crate::app::task::PlanId {
                pane: "swarm",
                serial: 0,
            },
            result: Err("engine said 409: update out of sequence".into()),
        },
    );
    assert_eq!(s.shell.flash.as_ref().unwrap().level, FlashLevel::Err);
}

/// A plan's outcome and a key in one batch: the key does not clear the outcome before a
/// frame has shown it; once drawn, the next key does.
#[test]
fn a_flash_is_drawn_at_least_once_before_a_key_clears_it() {
    use crate::app::task::PlanId;
    let mut s = state(AccessMode::ReadWrite);
    let id = PlanId {
        pane: "swarm",
        serial: 1,
    };
    let result = Ok("media_sonarr scaled to 3".into());
    super::handle(&mut s, Msg::PlanDone { id, result });
    super::handle(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('j'))));
    assert!(flash(&s).contains("scaled to 3"), "not drawn yet: kept");
    s.shell.drawn();
    press(&mut s, "j");
    assert_eq!(flash(&s), "", "seen: the next key clears it");
    // Behind a write's progress line it was not seen either.
    s.shell.flash(FlashLevel::Ok, "done");
    s.shell.progress = Some(crate::core::text::SafeText::new("swarm: step 1/2"));
    s.shell.drawn();
    press(&mut s, "j");
    assert_eq!(flash(&s), "done");
}
