//! Screens of marks, wide mode, a multi-row confirmation, hidden finished tasks and a
//! node's tasks.

use super::tests::{col_of, keys, live, render, row_of, snap_all, text};
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::update::update;
use crate::ui::theme::{Slot, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(s: &mut State, text: &str) {
    for c in text.chars() {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn ctrl(s: &mut State, c: char) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn command(s: &mut State, line: &str) {
    press(s, ":");
    press(s, line);
    keys(s, &[KeyCode::Enter]);
}

/// media's services, both marked.
fn marked() -> State {
    let mut s = live();
    press(&mut s, "j");
    keys(&mut s, &[KeyCode::Enter]);
    press(&mut s, "  ");
    s
}

#[test]
fn marked_rows_are_drawn_marked_and_counted_in_the_title() {
    let mut s = marked();
    let b = render(&mut s, 80, 24);
    assert!(text(&b).contains("[2 marked]"), "{}", text(&b));
    let theme = Theme::default();
    // sonarr is marked and no longer selected (space moved on): the marked style.
    let y = row_of(&b, "media_sonarr");
    let x = col_of(&b, y, "media_sonarr");
    assert_eq!(b[(x, y)].style().fg, theme.style(Slot::Marked).fg);
}

/// Under NO_COLOR a mark has no colour to show: it is underlined (and bold).
#[test]
fn marked_rows_show_without_colours() {
    use crate::config::theme::{ColorDepth, DEFAULT_THEME, ThemeSpec};
    let spec = ThemeSpec::embedded(DEFAULT_THEME).unwrap();
    let mono = Theme::resolve(&spec, ColorDepth::None);
    let mut s = marked();
    update(&mut s, Msg::Resize(80, 24));
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|f| crate::ui::draw(f, &s, &mono)).unwrap();
    let b = t.backend().buffer().clone();
    let y = row_of(&b, "media_sonarr");
    let x = col_of(&b, y, "media_sonarr");
    let cell = b[(x, y)].style();
    assert!(
        matches!(cell.fg, None | Some(ratatui::style::Color::Reset)),
        "no colour at all: {cell:?}"
    );
    assert!(
        cell.add_modifier
            .contains(ratatui::style::Modifier::UNDERLINED),
        "{cell:?}"
    );
    let y = row_of(&b, "SERVICE ");
    let x = col_of(&b, y, "SERVICE ");
    assert!(
        !b[(x, y)]
            .style()
            .add_modifier
            .contains(ratatui::style::Modifier::UNDERLINED),
        "what is not marked is not"
    );
}

#[test]
fn a_removal_of_marked_services_lists_each_in_the_dialog() {
    snap_all("swarm__confirm_marked_removal", || {
        let mut s = marked();
        ctrl(&mut s, 'd');
        s
    });
}

#[test]
fn wide_mode_shows_ids_and_says_so() {
    let mut s = live();
    press(&mut s, "j");
    keys(&mut s, &[KeyCode::Enter]);
    let narrow = text(&render(&mut s, 120, 40));
    assert!(!narrow.contains("svc-sonarr"), "IDs are for wide mode");
    ctrl(&mut s, 'w');
    let wide = text(&render(&mut s, 120, 40));
    assert!(wide.contains("[wide]"), "{wide}");
    let y = wide
        .lines()
        .position(|l| l.contains("media_sonarr"))
        .unwrap();
    assert!(
        wide.lines().nth(y).unwrap().contains("svc-sonarr"),
        "{wide}"
    );
}

#[test]
fn hidden_finished_tasks_are_said_in_the_title() {
    let mut s = live();
    press(&mut s, "j");
    keys(&mut s, &[KeyCode::Enter, KeyCode::Enter]);
    press(&mut s, "a");
    let t = text(&render(&mut s, 80, 24));
    assert!(t.contains("[finished hidden]"), "{t}");
    assert!(
        !t.contains("non-zero exit"),
        "the failed task is history: {t}"
    );
}

#[test]
fn a_nodes_tasks() {
    snap_all("swarm__node_tasks", || {
        let mut s = live();
        command(&mut s, "swarm-nodes");
        keys(&mut s, &[KeyCode::Enter]);
        s
    });
}

#[test]
fn an_ambiguous_tab_shows_the_candidates_while_typing() {
    let mut s = live();
    press(&mut s, ":sw");
    keys(&mut s, &[KeyCode::Tab]);
    let t = text(&render(&mut s, 80, 24));
    let above_input = t.lines().rev().nth(1).unwrap_or("");
    assert_eq!(above_input.trim(), "swarm  swarm-nodes", "{t}");
}

/// The engines picker is drawn over the pane, with what it offers.
#[test]
fn the_engines_picker_is_drawn_over_the_pane() {
    let mut s = live();
    command(&mut s, "engines");
    let screen = text(&render(&mut s, 80, 24));
    assert!(screen.contains(" engines (↑/↓"), "{screen}");
    assert!(screen.contains("every engine"), "{screen}");
    assert!(
        screen.contains("(live)"),
        "the engine with its state: {screen}"
    );
    keys(&mut s, &[KeyCode::Esc]);
    let screen = text(&render(&mut s, 80, 24));
    assert!(!screen.contains("every engine"), "closed: {screen}");
}
