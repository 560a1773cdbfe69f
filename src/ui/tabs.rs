//! The top row: panes with their number keys, then the RO badge and source status.

use super::theme::{Slot, Theme};
use crate::app::pane::Summary;
use crate::app::state::State;
use crate::core::status::SourceStatus;
use crate::core::time::age;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn status_text(s: &Summary, now: crate::core::time::Timestamp) -> (String, Slot) {
    let name = &s.text;
    match &s.status {
        SourceStatus::Connecting => (format!("{name}: connecting"), Slot::StatusInfo),
        SourceStatus::Live => (format!("{name}: live"), Slot::StatusOk),
        SourceStatus::Stale { since, .. } => (
            format!("{name}: STALE {}", age(Some(*since), now)),
            Slot::Stale,
        ),
    }
}

fn stale(state: &State, i: usize) -> bool {
    let now = state.shell.now();
    state.panes[i]
        .summary(now)
        .is_some_and(|s| matches!(s.status, SourceStatus::Stale { .. }))
}

/// Columns the alerts keep before the tab names give way to their numbers: enough to
/// say what is wrong (the tab's `!` says where), not so much that one long alert hides
/// every pane's name.
const ALERT_ROOM: u16 = 24;

pub fn render(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut right: Vec<Span> = Vec::new();
    if state.shell.access.is_read_only() {
        right.push(Span::styled(" RO ", theme.style(Slot::BadgeRo)));
        right.push(Span::raw(" "));
    }
    let now = state.shell.now();
    // Alerts of every pane, loud, before the shown pane's source status.
    let alerts: Vec<String> = state
        .panes
        .iter()
        .filter_map(|p| p.summary(now).and_then(|s| s.alert))
        .map(|a| format!("{a} "))
        .collect();
    let status = state.pane().summary(now).map(|s| status_text(&s, now));
    let mut left: Vec<Span> = Vec::new();
    // A pane whose source is stale says so in its tab, whichever pane is shown.
    let alerting = |i: usize| {
        state.panes[i]
            .summary(now)
            .is_some_and(|s| s.alert.is_some())
    };
    let slot_of = |i: usize| {
        if alerting(i) {
            Slot::StatusErr
        } else if i == state.active {
            Slot::TabActive
        } else if stale(state, i) {
            Slot::Stale
        } else {
            Slot::Tab
        }
    };
    for (i, p) in state.panes.iter().enumerate() {
        let mark = if alerting(i) { "!" } else { "" };
        left.push(Span::styled(
            format!(" {} {}{mark} ", i + 1, p.title()),
            theme.style(slot_of(i)),
        ));
    }
    let left_w: u16 = left.iter().map(|s| s.width() as u16).sum();
    let width = |t: &str| unicode_width::UnicodeWidthStr::width(t) as u16;
    let badge_w: u16 = right.iter().map(|s| s.width() as u16).sum();
    let status_w = status.as_ref().map_or(0, |(t, _)| width(t));
    let alerts_w: u16 = alerts.iter().map(|a| width(a)).sum();
    // Tabs shrink to their numbers before the badge or status go, and before the
    // alerts are cut below ALERT_ROOM: a long alert is cut, not the tab names.
    let right_w = badge_w + alerts_w.min(ALERT_ROOM) + status_w;
    if left_w + right_w + 1 > area.width {
        left = state
            .panes
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mark = if alerting(i) { "!" } else { "" };
                let label = if i == state.active {
                    format!(" {} {}{mark} ", i + 1, p.title())
                } else {
                    format!(" {}{mark} ", i + 1)
                };
                Span::styled(label, theme.style(slot_of(i)))
            })
            .collect();
    }
    let left_w: u16 = left.iter().map(|s| s.width() as u16).sum();
    // Then the alerts are cut (the tab's `!` still says which pane), so the shown
    // pane's own status stays whole.
    let mut room = area.width.saturating_sub(left_w + badge_w + status_w + 1);
    for a in alerts {
        if room < 2 {
            break;
        }
        let text = if width(&a) > room {
            format!(
                "{} ",
                crate::ui::widgets::table::fit(&a, room - 1).trim_end()
            )
        } else {
            a
        };
        room = room.saturating_sub(width(&text));
        right.push(Span::styled(text, theme.style(Slot::StatusErr)));
    }
    if let Some((t, slot)) = status {
        right.push(Span::styled(t, theme.style(slot)));
    }
    let right_w: u16 = right.iter().map(|s| s.width() as u16).sum();
    let pad = area.width.saturating_sub(left_w + right_w);
    left.push(Span::raw(" ".repeat(usize::from(pad))));
    left.extend(right);
    f.render_widget(Line::from(left), area);
}
