//! Panes whose sources arrive in later releases say what they will read, and point to
//! what works now.

use crate::app::shell::Shell;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

impl crate::app::pane::Render for crate::app::pending::PendingPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        render(f, area, shell, self.title, self.source, theme);
    }
}

pub fn render(f: &mut Frame, area: Rect, shell: &Shell, title: &str, source: &str, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::Border))
        .title(Span::styled(format!(" {title} "), theme.style(Slot::Title)));
    let next_key = shell
        .keymap
        .keys_for(
            &crate::config::keymap::Section::GLOBAL,
            crate::core::action::Action::NextTab,
        )
        .first()
        .map(|k| k.label())
        .unwrap_or_else(|| "tab".into());
    let text = vec![
        Line::from(Span::styled(
            format!("The {title} pane is not connected in this build."),
            theme.style(Slot::StatusInfo),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("Its source: {source}."),
            theme.style(Slot::Text),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("Press {next_key} for the next pane."),
            theme.style(Slot::TextDim),
        )),
    ];
    f.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        area,
    );
}
