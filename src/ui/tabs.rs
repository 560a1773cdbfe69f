//! The top row: panes with their number keys, then the RO badge and source status.

use super::theme::{Slot, Theme};
use crate::app::state::State;
use crate::app::tab::Tab;
use crate::core::status::SourceStatus;
use crate::core::time::age;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn status_text(status: &SourceStatus, now: crate::core::time::Timestamp) -> (String, Slot) {
    match status {
        SourceStatus::Connecting => ("swarm: connecting".into(), Slot::StatusInfo),
        SourceStatus::Live => ("swarm: live".into(), Slot::StatusOk),
        SourceStatus::Stale { since, .. } => (
            format!("swarm: STALE {}", age(Some(*since), now)),
            Slot::Stale,
        ),
    }
}

pub fn render(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut right: Vec<Span> = Vec::new();
    if state.access.is_read_only() {
        right.push(Span::styled(" RO ", theme.style(Slot::BadgeRo)));
        right.push(Span::raw(" "));
    }
    let (status, slot) = status_text(&state.swarm.status, (state.clock)());
    right.push(Span::styled(status, theme.style(slot)));
    let right_w: u16 = right.iter().map(|s| s.width() as u16).sum();
    let mut left: Vec<Span> = Vec::new();
    for (i, t) in Tab::ALL.iter().enumerate() {
        let slot = if *t == state.tab {
            Slot::TabActive
        } else {
            Slot::Tab
        };
        left.push(Span::styled(
            format!(" {} {} ", i + 1, t.title()),
            theme.style(slot),
        ));
    }
    let left_w: u16 = left.iter().map(|s| s.width() as u16).sum();
    // Tabs shrink to their numbers before the badge or status go.
    if left_w + right_w + 1 > area.width {
        left = Tab::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let slot = if *t == state.tab {
                    Slot::TabActive
                } else {
                    Slot::Tab
                };
                let label = if *t == state.tab {
                    format!(" {} {} ", i + 1, t.title())
                } else {
                    format!(" {} ", i + 1)
                };
                Span::styled(label, theme.style(slot))
            })
            .collect();
    }
    let left_w: u16 = left.iter().map(|s| s.width() as u16).sum();
    let pad = area.width.saturating_sub(left_w + right_w);
    left.push(Span::raw(" ".repeat(usize::from(pad))));
    left.extend(right);
    f.render_widget(Line::from(left), area);
}
