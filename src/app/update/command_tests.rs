//! The `:` command line through `update`: aliases, history and arguments.

use super::tests::{key, press, state, sw};
use super::*;
use crate::app::shell::Overlay;
use crate::app::swarm::view::SwarmView;
use crate::core::access::AccessMode;
use crossterm::event::KeyCode;

#[test]
fn the_command_line_has_aliases_history_and_arguments() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, ":svc");
    key(&mut s, KeyCode::Enter);
    assert_eq!(sw(&s).level().view, SwarmView::Services { stack: None });
    press(&mut s, ":st");
    key(&mut s, KeyCode::Enter);
    assert_eq!(sw(&s).level().view, SwarmView::Stacks);
    // ↑ brings back the last line, then the one before; ↓ goes forward again.
    press(&mut s, ":");
    key(&mut s, KeyCode::Up);
    let typed = |s: &State| match &s.shell.overlay {
        Overlay::Input { input, .. } => input.value().to_string(),
        _ => panic!("no input line"),
    };
    assert_eq!(typed(&s), "st");
    key(&mut s, KeyCode::Up);
    assert_eq!(typed(&s), "svc");
    key(&mut s, KeyCode::Down);
    assert_eq!(typed(&s), "st");
    key(&mut s, KeyCode::Esc);
    // `:scale 3` on a service: the count is taken from the line, the dialog asks.
    press(&mut s, ":svc");
    key(&mut s, KeyCode::Enter);
    press(&mut s, "j");
    let chosen = sw(&s).level().table.selected_key().unwrap().to_string();
    press(&mut s, ":scale 3");
    key(&mut s, KeyCode::Enter);
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert!(
        c.text().as_str().ends_with("to 3 replicas."),
        "{}",
        c.text()
    );
    assert!(format!("{:?}", c.then).contains(&chosen));
}
