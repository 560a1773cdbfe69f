//! The confirmation dialog: exactly what will happen, Confirm / Cancel.

use crate::app::shell::Confirm;
use crate::ui::centered;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(f: &mut Frame, area: Rect, c: &Confirm, theme: &Theme) {
    let style = theme.style(if c.danger {
        Slot::DialogDanger
    } else {
        Slot::Dialog
    });
    let width = 60.min(area.width.saturating_sub(4)).max(20);
    let text_lines = (c.text.as_str().chars().count() as u16 / width.saturating_sub(4).max(1))
        + 1
        + c.text.as_str().matches('\n').count() as u16;
    let rect = centered(area, width, text_lines + 6);
    let title = if c.danger {
        " Confirm (cannot be undone) "
    } else {
        " Confirm "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(title, style))
        .style(style);
    let button = |label: &str, focused: bool| {
        if focused {
            Span::styled(format!("[ {label} ]"), theme.style(Slot::Selection))
        } else {
            Span::styled(format!("  {label}  "), style)
        }
    };
    // What cannot be undone takes `y` and nothing else: said here, in the dialog.
    let (buttons, keys) = if c.danger {
        (
            Line::from(vec![
                Span::styled("  y: do it  ", style),
                Span::raw("   "),
                button("Cancel", true),
            ]),
            "only y confirms · enter, n or esc cancel",
        )
    } else {
        (
            Line::from(vec![
                button("Confirm", c.yes_focused),
                Span::raw("   "),
                button("Cancel", !c.yes_focused),
            ]),
            "y confirm · n/esc cancel · ←/→ choose",
        )
    };
    let body = vec![
        Line::from(Span::styled(c.text.to_string(), style)),
        Line::from(""),
        buttons.centered(),
        Line::from(Span::styled(keys, theme.style(Slot::TextDim))).centered(),
    ];
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(block),
        rect,
    );
}
