//! Swarm writes through `update`: each asks exactly what it will do, removals default
//! to cancel, and read-only refuses every one with the reason.

use super::tests::*;
use super::*;
use crate::app::shell::Overlay;
use crate::backend::swarm::sample::lab;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn scale_asks_for_a_count_then_confirms_exactly() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    press(&mut s, "s");
    key(&mut s, KeyCode::Backspace);
    press(&mut s, "3");
    key(&mut s, KeyCode::Enter);
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert_eq!(
        c.text().as_str(),
        "On engine local (unix:///var/run/docker.sock):\nScale service media_sonarr to 3 replicas."
    );
    assert!(
        c.yes_focused,
        "a scale up stops nothing: it opens on Confirm"
    );
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::Apply { id, plan }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(id.pane, "swarm");
    assert!(
        s.shell.running.contains_key(id),
        "counted as running until its outcome"
    );
    assert_eq!(plan.describe(), "Scale service media_sonarr to 3 replicas.");
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("service_id: \"svc-sonarr\"") && step.contains("replicas: 3"),
        "{step}"
    );
}

#[test]
fn removal_dialogs_default_to_cancel() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "j");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(c.danger);
    assert!(c.text().as_str().contains("\nRemove stack media"));
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "Enter on Cancel does nothing"
    );
    assert!(matches!(s.shell.overlay, Overlay::None));
}

#[test]
fn read_only_refuses_every_write_with_the_reason() {
    let mut s = state(AccessMode::ReadOnly);
    to_sonarr(&mut s);
    for k in ["s", "r", "R"] {
        assert!(press(&mut s, k).is_empty());
        assert!(
            matches!(s.shell.overlay, Overlay::None),
            "{k} opened {:?}",
            s.shell.overlay
        );
        assert!(
            s.shell
                .flash
                .as_ref()
                .unwrap()
                .text
                .as_str()
                .contains("read-only mode")
        );
    }
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert!(fx.is_empty());
    assert!(matches!(s.shell.overlay, Overlay::None));
}

#[test]
fn a_stack_is_removed_by_its_raw_label_and_shown_by_its_clean_name() {
    let mut snap = lab();
    for svc in snap
        .services
        .iter_mut()
        .filter(|s| s.stack_key.as_deref() == Some("media"))
    {
        svc.stack_key = Some("med\u{1b}[31mia".into());
        svc.stack = Some(crate::core::text::SafeText::new("med\u{1b}[31mia"));
    }
    let mut s = bare_state(AccessMode::ReadWrite);
    feed(&mut s, Some(snap), SourceStatus::Live);
    press(&mut s, "j");
    let row = sw(&s).level().table.selected_row().unwrap();
    assert!(
        !row.cells[0].text.as_str().contains('\u{1b}'),
        "shown clean"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog")
    };
    assert!(
        !c.text().as_str().contains('\u{1b}'),
        "the dialog is clean: {:?}",
        c.text()
    );
    let crate::app::shell::Then::Apply(plan) = &c.then else {
        panic!("a plan")
    };
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("stack: \"med\\u{1b}[31mia\""),
        "the write uses the raw label: {step}"
    );
}

#[test]
fn no_arrow_and_enter_confirms_a_removal() {
    let mut s = state(AccessMode::ReadWrite);
    to_sonarr(&mut s);
    let ctrl_d = || Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
    for keys in [
        &[KeyCode::Right][..],
        &[KeyCode::Left],
        &[KeyCode::Tab],
        &[],
    ] {
        update(&mut s, ctrl_d());
        assert!(matches!(s.shell.overlay, Overlay::Confirm(_)));
        for k in keys {
            assert!(key(&mut s, *k).is_empty());
        }
        assert!(
            key(&mut s, KeyCode::Enter).is_empty(),
            "{keys:?} then enter removed"
        );
        assert!(matches!(s.shell.overlay, Overlay::None), "enter cancels");
    }
    update(&mut s, ctrl_d());
    let fx = press(&mut s, "y");
    assert!(
        matches!(&fx[..], [Effect::Apply { .. }]),
        "y removes: {fx:?}"
    );
}

#[test]
fn rollback_without_a_previous_spec_is_not_offered() {
    let mut snap = lab();
    for svc in &mut snap.services {
        svc.has_previous_spec = false;
    }
    let mut s = bare_state(AccessMode::ReadWrite);
    feed(&mut s, Some(snap), SourceStatus::Live);
    to_sonarr(&mut s);
    assert!(press(&mut s, "R").is_empty());
    assert!(matches!(s.shell.overlay, Overlay::None), "no dialog");
    let said = s.shell.flash.as_ref().unwrap().text.as_str();
    assert!(said.contains("no previous spec"), "{said}");
}
