//! The bootstrap wizard's steps, driven through `update` as a person would.

use super::bootstrap::{BootstrapWizard, REVIEW, Screen};
use crate::app::effect::Effect;
use crate::app::modal::MODAL;
use crate::app::msg::Msg;
use crate::app::shell::Overlay;
use crate::app::state::State;
use crate::app::task::PlanId;
use crate::app::update::tests::{command, key, press, state};
use crate::app::update::update;
use crate::core::access::AccessMode;
use crossterm::event::KeyCode;

fn wizard(s: &State) -> &BootstrapWizard {
    s.shell
        .modal
        .as_ref()
        .and_then(|m| m.as_any().downcast_ref::<BootstrapWizard>())
        .expect("the wizard is open")
}

/// Replace the path field with `path` and submit it.
fn submit(s: &mut State, path: &str) -> Vec<Effect> {
    for _ in 0..wizard(s).path.value().chars().count() {
        key(s, KeyCode::Backspace);
    }
    press(s, path);
    key(s, KeyCode::Enter)
}

#[test]
fn a_wrong_file_is_said_in_the_wizard_and_a_good_one_is_checked_in_a_task() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "bootstrap");
    assert_eq!(wizard(&s).screen, Screen::Path);
    // Keys go to the field, not to the pane.
    let bad = dir.path().join("nope.toml");
    assert!(submit(&mut s, bad.to_str().unwrap()).is_empty());
    assert_eq!(wizard(&s).screen, Screen::Path);
    assert!(
        wizard(&s).errors[0].contains("cannot read"),
        "{:?}",
        wizard(&s).errors
    );
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[[networks]]\nnmae = \"x\"\n").unwrap();
    submit(&mut s, broken.to_str().unwrap());
    assert!(
        wizard(&s).errors[0].contains("line 2"),
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
/// a journal, and its outcome is the wizard's end. Read-only, Enter applies nothing.
#[test]
fn the_review_is_confirmed_applied_with_a_journal_and_its_end_shown() {
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
            super::bootstrap::review_message(
                vec!["+ Create overlay network wiz-net.".into()],
                false,
            ),
        );
        assert_eq!(wizard(&s).screen, Screen::Review);
        assert_eq!(wizard(&s).review, ["+ Create overlay network wiz-net."]);
        key(&mut s, KeyCode::Enter);
        if access.is_read_only() {
            assert!(matches!(s.shell.overlay, Overlay::None), "no confirmation");
            assert!(
                s.shell
                    .flash
                    .as_ref()
                    .unwrap()
                    .text
                    .as_str()
                    .contains("nothing can be applied"),
            );
            continue;
        }
        let Overlay::Confirm(c) = &s.shell.overlay else {
            panic!("no confirmation: {:?}", s.shell.overlay)
        };
        assert_eq!(c.pane, MODAL);
        assert!(
            c.text().contains("Create overlay network wiz-net"),
            "{}",
            c.text()
        );
        let fx = press(&mut s, "y");
        let [Effect::Apply { id, plan }] = &fx[..] else {
            panic!("{fx:?}")
        };
        assert_eq!(id.pane, MODAL, "the wizard hears its outcome");
        assert!(format!("{plan:?}").contains("wiz-net"));
        let journal = plan.journal().expect("reconciled with a journal");
        assert!(
            journal.to_str().unwrap().contains("journal/bootstrap_"),
            "{journal:?}"
        );
        // Esc does not hide a change under way.
        key(&mut s, KeyCode::Esc);
        assert!(s.shell.modal.is_some());
        let id: PlanId = *id;
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
        key(&mut s, KeyCode::Esc);
        assert!(s.shell.modal.is_none());
    }
}
