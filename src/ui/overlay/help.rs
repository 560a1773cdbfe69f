//! `?`: every key of the active keymap, generated from it, with write actions marked
//! when they cannot run, and the config warnings.

use crate::app::help::{self, HelpLine, Unavailable};
use crate::app::state::State;
use crate::ui::centered;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Help's lines, styled: one drawn line per line of `app::help`.
pub fn lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    help::lines(state)
        .into_iter()
        .map(|l| match l {
            HelpLine::Blank => Line::from(""),
            HelpLine::Warning(w) => Line::from(Span::styled(w, theme.style(Slot::StatusWarn))),
            HelpLine::WritesOff => {
                Line::from(Span::styled("Writes are off.", theme.style(Slot::BadgeRo)))
            }
            HelpLine::Reason(r) => Line::from(Span::styled(r, theme.style(Slot::TextDim))),
            HelpLine::Section { name, here } => Line::from(Span::styled(
                if here {
                    name
                } else {
                    format!("{name} (not here)")
                },
                theme.style(Slot::Header),
            )),
            HelpLine::Key {
                keys,
                desc,
                unavailable,
            } => {
                let (ks, ds) = if unavailable.is_some() {
                    (
                        theme.style(Slot::HintUnavailable),
                        theme.style(Slot::HintUnavailable),
                    )
                } else {
                    (theme.style(Slot::HintKey), theme.style(Slot::Text))
                };
                let mut spans = vec![
                    Span::styled(format!("  {keys:<12}"), ks),
                    Span::styled(desc, ds),
                ];
                let note = match unavailable {
                    Some(Unavailable::ReadOnly) => Some("  unavailable: read-only"),
                    Some(Unavailable::NotInThisView) => Some("  not in this view"),
                    Some(Unavailable::NotAllowed) => Some("  not allowed by the cluster"),
                    None => None,
                };
                if let Some(n) = note {
                    spans.push(Span::styled(n, theme.style(Slot::HintUnavailable)));
                }
                Line::from(spans)
            }
            HelpLine::Commands(c) => Line::from(Span::styled(c, theme.style(Slot::TextDim))),
        })
        .collect()
}

pub fn render(f: &mut Frame, area: Rect, state: &State, scroll: u16, theme: &Theme) {
    let scroll = scroll.min(help::max_scroll(state));
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::BorderFocused))
        .title(Span::styled(
            " Keys (esc closes, ↑/↓ g/G scroll) ",
            theme.style(Slot::Title),
        ));
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines(state, theme))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        rect,
    );
}
