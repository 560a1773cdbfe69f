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
    // A plan over marked rows lists each; what does not fit says how many more.
    let room = usize::from(area.height.saturating_sub(8)).max(1);
    let all: Vec<&str> = c.lines.iter().map(|l| l.as_str()).collect();
    let mut lines: Vec<String> = all.iter().take(room).map(|l| l.to_string()).collect();
    if all.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.push(format!("… and {} more", all.len() - lines.len()));
    }
    let per_line = usize::from(width.saturating_sub(4).max(1));
    let text_lines: u16 = lines
        .iter()
        .map(|l| (l.chars().count() / per_line + 1) as u16)
        .sum();
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
    let mut body: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    body.extend([
        Line::from(""),
        buttons.centered(),
        Line::from(Span::styled(keys, theme.style(Slot::TextDim))).centered(),
    ]);
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(block),
        rect,
    );
}
