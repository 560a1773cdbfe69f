//! A picker drawn over the pane: its title, what was typed, the choices it leaves.

use crate::app::picker::Picker;
use crate::app::shell::Shell;
use crate::ui::centered;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

impl crate::app::pane::Render for Picker {
    fn render(&self, f: &mut Frame, area: Rect, _shell: &Shell, theme: &Theme) {
        let offered = self.offered();
        let height = (offered.len() as u16 + 3)
            .min(area.height.saturating_sub(2))
            .max(4);
        let rect = centered(area, 50.min(area.width.saturating_sub(4)).max(20), height);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Slot::BorderFocused))
            .title(Span::styled(
                format!(" {} (↑/↓, type to narrow, enter picks, esc) ", self.title),
                theme.style(Slot::Title),
            ));
        let mut lines = vec![Line::from(Span::styled(
            format!("> {}", self.filter),
            theme.style(Slot::HintKey),
        ))];
        // Only what fits, the selected one always among it.
        let room = usize::from(height.saturating_sub(3)).max(1);
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        for (i, (_, label)) in offered.iter().enumerate().skip(first).take(room) {
            let style = if i == self.selected {
                theme.style(Slot::Selection)
            } else {
                theme.style(Slot::Text)
            };
            lines.push(Line::from(Span::styled(label.as_str().to_string(), style)));
        }
        f.render_widget(Clear, rect);
        f.render_widget(Paragraph::new(lines).block(block), rect);
    }
}
