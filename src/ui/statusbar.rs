//! The bottom row: key hints for what can be done here. Hints win over decoration:
//! they are all this row holds.

use super::hints::hints;
use super::theme::{Slot, Theme};
use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0u16;
    let mut any_unavailable = false;
    for h in hints(state) {
        let w = (h.key.chars().count() + h.desc.chars().count() + 2) as u16;
        if used + w > area.width {
            break;
        }
        let (ks, ds) = if h.unavailable {
            any_unavailable = true;
            (
                theme.style(Slot::HintUnavailable),
                theme.style(Slot::HintUnavailable),
            )
        } else {
            (theme.style(Slot::HintKey), theme.style(Slot::HintDesc))
        };
        spans.push(Span::styled(h.key, ks));
        spans.push(Span::styled(format!(" {} ", h.desc), ds));
        used += w;
    }
    let note = " writes off: read-only";
    if any_unavailable && used + note.len() as u16 <= area.width {
        spans.push(Span::styled(note, theme.style(Slot::HintUnavailable)));
    }
    f.render_widget(Line::from(spans), area);
}
