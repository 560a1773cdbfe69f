//! The modal slot: it takes the keys, hears its own tasks and plans, stops its tasks
//! when it closes, and help still opens over it.

use super::effect::Effect;
use super::modal::{MODAL, Modal, Reply};
use super::msg::Msg;
use super::pane::{PaneMsg, Render};
use super::shell::{Overlay, Shell};
use super::task::{Job, PlanId, TaskKey};
use super::update::tests::{key, state};
use super::update::update;
use crate::core::access::AccessMode;
use crate::ops::plan::Outcome;
use crossterm::event::{KeyCode, KeyEvent};
use std::any::Any;

const WORK: TaskKey = TaskKey {
    pane: MODAL,
    name: "work",
};

/// A form that starts a task on `s`, shows what its task and plan said, closes on `q`.
#[derive(Default)]
struct Probe {
    heard: Vec<String>,
}

impl Render for Probe {
    fn render(
        &self,
        _: &mut ratatui::Frame,
        _: ratatui::layout::Rect,
        _: &Shell,
        _: &crate::term::theme::Theme,
    ) {
    }
}

impl Modal for Probe {
    fn label(&self) -> String {
        "probe".into()
    }
    fn key(&mut self, _shell: &mut Shell, key: KeyEvent) -> Reply {
        match key.code {
            KeyCode::Char('s') => Reply {
                effects: vec![Effect::Start {
                    key: WORK,
                    job: Job::new("probe work", |_, _| async {}),
                }],
                ..Reply::stay()
            },
            KeyCode::Char('q') => Reply::close(),
            KeyCode::Char(c) => {
                self.heard.push(format!("key {c}"));
                Reply::stay()
            }
            _ => Reply::stay(),
        }
    }
    fn message(&mut self, _shell: &mut Shell, msg: PaneMsg) -> Vec<Effect> {
        if let Ok(text) = msg.take::<String>() {
            self.heard.push(text);
        }
        Vec::new()
    }
    fn plan_done(&mut self, _shell: &mut Shell, id: PlanId, result: &Outcome) -> Vec<Effect> {
        self.heard.push(format!("plan {} {result:?}", id.serial));
        Vec::new()
    }
    fn tasks(&self) -> Vec<TaskKey> {
        vec![WORK]
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn heard(s: &super::state::State) -> Vec<String> {
    let m = s.shell.modal.as_ref().expect("the modal is open");
    m.as_any().downcast_ref::<Probe>().unwrap().heard.clone()
}

#[test]
fn the_modal_takes_keys_hears_its_own_tasks_and_plans_and_stops_them_when_closed() {
    let mut s = state(AccessMode::ReadWrite);
    s.shell.open_modal(Box::new(Probe::default()));
    // Keys go to it, not to the pane (`j` would move the pane's selection).
    let before = super::update::tests::sw(&s).level().table.selected;
    assert!(key(&mut s, KeyCode::Char('j')).is_empty());
    assert_eq!(super::update::tests::sw(&s).level().table.selected, before);
    let fx = key(&mut s, KeyCode::Char('s'));
    assert!(
        matches!(&fx[..], [Effect::Start { key, .. }] if *key == WORK),
        "{fx:?}"
    );
    // Its task's messages come back to it.
    update(&mut s, Msg::to_pane(MODAL, "half way".to_string()));
    // And so does its plan's outcome, with no re-read of any pane.
    let id = PlanId {
        pane: MODAL,
        serial: 7,
    };
    let fx = update(
        &mut s,
        Msg::PlanDone {
            id,
            result: Ok("done".into()),
        },
    );
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(heard(&s), ["key j", "half way", "plan 7 Ok(\"done\")"]);
    // Help opens over it (the shell's overlay) and closes back to it.
    s.shell.overlay = Overlay::Help { scroll: 0 };
    key(&mut s, KeyCode::Esc);
    assert!(matches!(s.shell.overlay, Overlay::None));
    assert!(s.shell.modal.is_some(), "still open under help");
    // Closing stops its task.
    let fx = key(&mut s, KeyCode::Char('q'));
    assert_eq!(fx, vec![Effect::Cancel(WORK)]);
    assert!(s.shell.modal.is_none());
    // A late message for a closed modal is dropped.
    assert!(update(&mut s, Msg::to_pane(MODAL, "late".to_string())).is_empty());
}

/// `:engines` opens a picker of the engines; typing narrows it, Enter shows that
/// engine alone, and `every engine` shows them all again.
#[test]
fn the_engines_picker_shows_one_engine_alone() {
    let mut s = state(AccessMode::ReadWrite);
    let engine = super::update::tests::first_engine(&s);
    super::update::tests::command(&mut s, "engines");
    let picker = |s: &super::state::State| {
        s.shell
            .modal
            .as_ref()
            .and_then(|m| m.as_any().downcast_ref::<super::picker::Picker>())
            .map(|p| {
                p.offered()
                    .iter()
                    .map(|(v, _)| v.clone())
                    .collect::<Vec<_>>()
            })
    };
    assert_eq!(picker(&s), Some(vec![String::new(), engine.clone()]));
    for c in engine.chars() {
        key(&mut s, KeyCode::Char(c));
    }
    assert_eq!(picker(&s), Some(vec![engine.clone()]), "typed: narrowed");
    key(&mut s, KeyCode::Enter);
    assert!(s.shell.modal.is_none(), "picked: closed");
    let sw = super::update::tests::sw(&s);
    assert_eq!(sw.level().source.as_deref(), Some(engine.as_str()));
    assert!(sw.level().table.rows_len() > 0, "its rows");
    super::update::tests::command(&mut s, "engines");
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        super::update::tests::sw(&s).level().source,
        None,
        "every engine"
    );
    // Esc leaves it, picking nothing.
    super::update::tests::command(&mut s, "engines");
    key(&mut s, KeyCode::Esc);
    assert!(s.shell.modal.is_none());
}
