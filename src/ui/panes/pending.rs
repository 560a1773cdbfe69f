//! Panes whose sources arrive in later releases say what they will read, and point to
//! what works now.

use crate::app::state::State;
use crate::app::tab::Tab;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render(f: &mut Frame, area: Rect, state: &State, tab: Tab, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::Border))
        .title(Span::styled(
            format!(" {} ", tab.title()),
            theme.style(Slot::Title),
        ));
    let source = tab.pending_source().unwrap_or("");
    let swarm_key = state
        .keymap
        .keys_for(
            crate::config::keymap::Section::Global,
            crate::app::action::Action::TabSwarm,
        )
        .first()
        .map(crate::ui::hints::key_label)
        .unwrap_or_else(|| ":swarm".into());
    let text = vec![
        Line::from(Span::styled(
            format!("The {} pane is not connected in this build.", tab.title()),
            theme.style(Slot::StatusInfo),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("Its source: {source}."),
            theme.style(Slot::Text),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("The Swarm pane is live: press {swarm_key}."),
            theme.style(Slot::TextDim),
        )),
    ];
    f.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
        area,
    );
}
