//! The wizards' frame and the bootstrap's flow in it, driven through `update` as a
//! person would.

use super::bootstrap::BootstrapWizard;
use super::frame::{FieldSpec, Flow, REVIEW, RunState, Screen, Wizard, review_message};
use crate::app::effect::Effect;
use crate::app::modal::MODAL;
use crate::app::msg::Msg;
use crate::app::shell::Overlay;
use crate::app::state::State;
use crate::app::task::PlanId;
use crate::app::update::tests::{command, key, press, state};
use crate::app::update::update;
use crate::core::access::{AccessMode, Writer};
use crate::ops::plan::{
    Check, Danger, Outcome, Plan, Progress, Review, Step, StepError, Target, TargetKind, step_line,
};
use crossterm::event::KeyCode;
use futures::future::BoxFuture;
use std::sync::Arc;

fn wizard(s: &State) -> &BootstrapWizard {
    s.shell
        .modal
        .as_ref()
        .and_then(|m| m.as_any().downcast_ref::<BootstrapWizard>())
        .expect("the wizard is open")
}

/// Replace the path field with `path` and submit it.
fn submit(s: &mut State, path: &str) -> Vec<Effect> {
    for _ in 0..wizard(s).value(0).chars().count() {
        key(s, KeyCode::Backspace);
    }
    press(s, path);
    key(s, KeyCode::Enter)
}

fn reviewed(lines: &[(&str, Check)]) -> Msg {
    review_message(Review {
        steps: lines
            .iter()
            .map(|(w, c)| (w.to_string(), Ok(c.clone())))
            .collect(),
    })
}

#[test]
fn a_wrong_path_is_said_as_it_is_typed_and_a_good_file_is_checked_in_a_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "bootstrap");
    assert_eq!(wizard(&s).screen, Screen::Fields);
    // Keys go to the field, not to the pane; the problem shows before Enter.
    let bad = dir.path().join("nope.toml");
    for _ in 0.."bootstrap.toml".len() {
        key(&mut s, KeyCode::Backspace);
    }
    press(&mut s, bad.to_str().unwrap());
    let problem = wizard(&s).fields[0].problem.clone().unwrap_or_default();
    assert!(problem.contains("cannot read"), "{problem:?}");
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "not submitted");
    assert_eq!(wizard(&s).screen, Screen::Fields);
    submit(&mut s, dir.path().to_str().unwrap());
    assert!(
        wizard(&s).fields[0]
            .problem
            .as_ref()
            .unwrap()
            .contains("folder")
    );
    // A file that reads but is wrong: its errors name the line.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[[networks]]\nnmae = \"x\"\n").unwrap();
    submit(&mut s, broken.to_str().unwrap());
    assert_eq!(wizard(&s).fields[0].problem, None);
    assert!(
        wizard(&s).errors[0].as_str().contains("line 2"),
        "{:?}",
        wizard(&s).errors
    );
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[[networks]]\nname = \"wiz-net\"\n").unwrap();
    let fx = submit(&mut s, good.to_str().unwrap());
    assert!(
        matches!(&fx[..], [Effect::Start { key, .. }] if *key == REVIEW),
        "{fx:?}"
    );
    assert_eq!(wizard(&s).screen, Screen::Checking);
    assert!(wizard(&s).errors.is_empty());
    // Esc leaves and stops the check.
    assert_eq!(key(&mut s, KeyCode::Esc), vec![Effect::Cancel(REVIEW)]);
    assert!(s.shell.modal.is_none());
}

/// Its review in hand, Enter asks for confirmation, the plan runs for the wizard with
/// a journal, each step's state follows its progress, and its outcome is the end.
/// Read-only, Enter applies nothing.
#[test]
fn the_review_is_confirmed_applied_with_a_journal_and_its_steps_followed() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[[networks]]\nname = \"wiz-net\"\n").unwrap();
    for access in [AccessMode::ReadOnly, AccessMode::ReadWrite] {
        let mut s = state(access);
        command(&mut s, "bootstrap");
        submit(&mut s, good.to_str().unwrap());
        // The engine is not there in unit tests: the task's answer stands in.
        assert_eq!(wizard(&s).screen, Screen::Checking);
        update(
            &mut s,
            reviewed(&[
                ("swarm is initialised", Check::Unchanged),
                ("Create overlay network wiz-net.", Check::Create),
                ("Create overlay network wiz-two.", Check::Create),
            ]),
        );
        assert_eq!(wizard(&s).screen, Screen::Review);
        assert_eq!(
            wizard(&s).review[1].as_str(),
            "+ Create overlay network wiz-net."
        );
        key(&mut s, KeyCode::Enter);
        if access.is_read_only() {
            assert!(matches!(s.shell.overlay, Overlay::None), "no confirmation");
            let flash = s.shell.flash.as_ref().unwrap().text.as_str().to_string();
            assert!(flash.contains("nothing can be applied"), "{flash}");
            continue;
        }
        let Overlay::Confirm(c) = &s.shell.overlay else {
            panic!("no confirmation: {:?}", s.shell.overlay)
        };
        assert_eq!(c.pane, MODAL);
        assert!(c.text().contains("wiz-net"), "{}", c.text());
        let fx = press(&mut s, "y");
        let [Effect::Apply { id, plan }] = &fx[..] else {
            panic!("{fx:?}")
        };
        assert_eq!(id.pane, MODAL, "the wizard hears its outcome");
        let journal = plan.journal().expect("reconciled with a journal");
        assert!(
            journal.to_str().unwrap().contains("journal/bootstrap_"),
            "{journal:?}"
        );
        let id: PlanId = *id;
        let progress = |s: &mut State, text: String| update(s, Msg::PlanProgress { id, text });
        progress(&mut s, step_line(2, 3, "Create overlay network wiz-net."));
        assert_eq!(wizard(&s).screen, Screen::Applying);
        let states: Vec<RunState> = wizard(&s).runs.iter().map(|r| r.state).collect();
        assert!(matches!(
            states[..],
            [RunState::Unchanged, RunState::Running(_), RunState::Waiting]
        ));
        progress(&mut s, "creating wiz-net".into());
        assert_eq!(wizard(&s).log.back().unwrap().as_str(), "creating wiz-net");
        // Esc does not hide a change under way.
        key(&mut s, KeyCode::Esc);
        assert!(s.shell.modal.is_some());
        update(
            &mut s,
            Msg::PlanDone {
                id,
                result: Ok("created network wiz-net".into()),
            },
        );
        assert_eq!(
            wizard(&s).screen,
            Screen::End(Ok("created network wiz-net".into()))
        );
        let states: Vec<RunState> = wizard(&s).runs.iter().map(|r| r.state).collect();
        assert!(
            matches!(
                states[..],
                [RunState::Unchanged, RunState::Done(_), RunState::Unchanged]
            ),
            "the last was found done when checked again: {states:?}"
        );
        assert_eq!(wizard(&s).rollback, None, "nothing failed");
        key(&mut s, KeyCode::Esc);
        assert!(s.shell.modal.is_none());
    }
}

/// A step that fails and can be undone: what the frame offers as a rollback.
#[derive(Debug)]
struct Undoable(&'static str);

impl Step for Undoable {
    fn describe(&self) -> String {
        self.0.into()
    }
    fn danger(&self) -> Danger {
        Danger::Reversible
    }
    fn target(&self) -> Target {
        Target {
            kind: TargetKind::Engine,
            name: "local".into(),
            address: String::new(),
        }
    }
    fn apply<'a>(&'a self, _w: &'a Writer, _p: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async { Err(StepError::Failed("gate failed".into())) })
    }
    fn undo(&self) -> Option<Arc<dyn Step>> {
        (self.0 == "update b").then(|| Arc::new(Undoable("roll b back")) as Arc<dyn Step>)
    }
}

/// A flow of two fields, for the frame alone.
struct TwoFields;

impl Flow for TwoFields {
    fn title(&self) -> &'static str {
        "Test"
    }
    fn fields(&self) -> Vec<FieldSpec> {
        ["from", "to"]
            .into_iter()
            .map(|label| FieldSpec::new(label, "", "a name"))
            .collect()
    }
    fn check_field(&self, _i: usize, value: &str) -> Option<String> {
        value.is_empty().then(|| "needed".into())
    }
    fn prepare(&mut self, values: &[(String, String)]) -> Result<Plan, Vec<String>> {
        let values: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["a", "b"]);
        Ok(Plan::of(vec![
            Arc::new(Undoable("update a")),
            Arc::new(Undoable("update b")),
        ]))
    }
    fn next_steps(&self, ok: bool) -> Vec<String> {
        vec![format!("next after ok={ok}")]
    }
}

fn test_wizard(s: &State) -> &Wizard<TwoFields> {
    s.shell
        .modal
        .as_ref()
        .and_then(|m| m.as_any().downcast_ref::<Wizard<TwoFields>>())
        .expect("the wizard is open")
}

/// To the failed step and its end: the plan's id.
fn fail_at_b(s: &mut State) -> PlanId {
    s.shell.open_modal(Box::new(Wizard::new(TwoFields)));
    // An empty field stops Enter and takes the focus.
    press(s, "a");
    assert!(key(s, KeyCode::Enter).is_empty());
    assert_eq!(test_wizard(s).focus, 1);
    assert_eq!(test_wizard(s).fields[1].problem.as_deref(), Some("needed"));
    press(s, "b");
    assert_eq!(test_wizard(s).fields[1].problem, None);
    key(s, KeyCode::Enter);
    assert_eq!(test_wizard(s).screen, Screen::Checking);
    update(
        s,
        reviewed(&[
            ("update a", Check::Update(vec!["image".into()])),
            ("update b", Check::Update(vec!["image".into()])),
        ]),
    );
    if s.shell.access.is_read_only() {
        // Read-only reaches no apply; the end is given by hand to see what it offers.
        let id = PlanId {
            pane: MODAL,
            serial: 1,
        };
        update(
            s,
            Msg::PlanProgress {
                id,
                text: step_line(2, 2, "update b"),
            },
        );
        update(
            s,
            Msg::PlanDone {
                id,
                result: Err(StepError::Failed("gate".into())),
            },
        );
        return id;
    }
    key(s, KeyCode::Enter);
    let fx = press(s, "y");
    let [Effect::Apply { id, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let id = *id;
    update(
        s,
        Msg::PlanProgress {
            id,
            text: step_line(1, 2, "update a"),
        },
    );
    update(
        s,
        Msg::PlanProgress {
            id,
            text: step_line(2, 2, "update b"),
        },
    );
    update(
        s,
        Msg::PlanDone {
            id,
            result: Err(StepError::Failed("step 2/2: gate failed".into())),
        },
    );
    id
}

#[test]
fn a_failed_step_that_can_be_undone_is_offered_as_a_rollback_and_run_when_confirmed() {
    let mut s = state(AccessMode::ReadWrite);
    fail_at_b(&mut s);
    let w = test_wizard(&s);
    assert_eq!(w.screen, Screen::End(Err("step 2/2: gate failed".into())));
    assert_eq!(w.failed, Some(1));
    let states: Vec<RunState> = w.runs.iter().map(|r| r.state).collect();
    assert!(
        matches!(states[..], [RunState::Done(_), RunState::Failed(_)]),
        "{states:?}"
    );
    assert_eq!(w.rollback.as_ref().unwrap().describe(), "roll b back");
    key(&mut s, KeyCode::Char('r'));
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no confirmation: {:?}", s.shell.overlay)
    };
    assert!(c.text().contains("roll b back"), "{}", c.text());
    let fx = press(&mut s, "y");
    let [Effect::Apply { id, plan }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(plan.describe(), "roll b back");
    let id = *id;
    update(
        &mut s,
        Msg::PlanProgress {
            id,
            text: "rolling back b".into(),
        },
    );
    assert_eq!(test_wizard(&s).screen, Screen::Applying);
    update(
        &mut s,
        Msg::PlanDone {
            id,
            result: Ok("rolled back b".into()),
        },
    );
    let w = test_wizard(&s);
    assert_eq!(w.screen, Screen::End(Ok("rolled back b".into())));
    assert_eq!(w.rollback, None, "not offered twice");
    assert!(w.log.iter().any(|l| l.as_str() == "rolling back b"));
}

#[test]
fn read_only_offers_no_rollback() {
    let mut s = state(AccessMode::ReadOnly);
    fail_at_b(&mut s);
    key(&mut s, KeyCode::Char('r'));
    assert!(matches!(s.shell.overlay, Overlay::None), "no confirmation");
    assert!(!test_wizard(&s).rolling_back);
}

/// A compose file's variable that nothing sets is asked for in the wizard (as dots,
/// when its name says it is a secret), then given to the stack's step, which never
/// prints its value.
#[test]
fn variables_nothing_sets_are_asked_for_before_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "services:\n  app:\n    image: \"busybox:${LD_WIZ_TAG:-1}\"\n    environment:\n      \
         - DB_PASSWORD=${LD_WIZ_DB_PASSWORD?set it}\n      - MODE=${LD_WIZ_MODE}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.env"), "LD_WIZ_MODE=fast\n").unwrap();
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(
        &path,
        "[[stacks]]\nname = \"wizs\"\ncompose = [\"app.yaml\"]\nenv_file = \"app.env\"\n",
    )
    .unwrap();
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "bootstrap");
    assert!(
        submit(&mut s, path.to_str().unwrap()).is_empty(),
        "not yet checked"
    );
    let w = wizard(&s);
    let labels: Vec<&str> = w.fields.iter().map(|f| f.spec.label.as_str()).collect();
    assert_eq!(
        labels,
        ["file", "LD_WIZ_DB_PASSWORD"],
        "the env_file sets MODE; TAG has a default"
    );
    assert!(w.fields[1].spec.secret);
    assert!(
        w.fields[1].spec.hint.contains("app.env"),
        "{}",
        w.fields[1].spec.hint
    );
    assert_eq!(w.focus, 1);
    press(&mut s, "hunter2");
    let screen = crate::ui::tests::text(&crate::ui::tests::render(&mut s, 100, 30));
    assert!(screen.contains("LD_WIZ_DB_PASSWORD: •••••••"), "{screen}");
    assert!(!screen.contains("hunter2"));
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Start { key, .. }] if *key == REVIEW),
        "{fx:?}"
    );

    // The step is given the value, and never prints it.
    let mut b = crate::ops::bootstrap::file::load(&path).unwrap();
    b.given =
        crate::ops::bootstrap::file::Given(vec![("LD_WIZ_DB_PASSWORD".into(), "hunter2".into())]);
    let plan = crate::ops::bootstrap::steps::plan_here(&b, dir.path()).unwrap();
    let shown = format!("{plan:?}");
    assert!(
        shown.contains("LD_WIZ_DB_PASSWORD") && !shown.contains("hunter2"),
        "{shown}"
    );
    let vars = crate::ops::stack::load::Variables::from_env().with_given(&b.given.0);
    let vars = vars.with_file(&dir.path().join("app.env")).unwrap();
    assert!(crate::ops::stack::load::missing(&[dir.path().join("app.yaml")], &vars).is_empty());
}
