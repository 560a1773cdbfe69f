//! The input line (`:` command, `/` filter, scale count) drawn over the status bar,
//! with completions above it for commands.

use crate::app::command;
use crate::app::input::LineInput;
use crate::app::shell::InputKind;
use crate::app::state::State;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

pub fn render(
    f: &mut Frame,
    bottom: Rect,
    state: &State,
    kind: &InputKind,
    input: &LineInput,
    theme: &Theme,
) {
    let prompt = match kind {
        InputKind::Command => ":".to_string(),
        InputKind::Filter | InputKind::Search => "/".to_string(),
        InputKind::Prompt { prompt, .. } => prompt.to_string(),
    };
    let style = theme.style(Slot::Input);
    f.render_widget(Clear, bottom);
    let pw = (prompt.chars().count() as u16).min(bottom.width.saturating_sub(1));
    f.render_widget(
        Line::from(Span::styled(prompt, style)),
        Rect {
            width: pw,
            ..bottom
        },
    );
    let field = Rect {
        x: bottom.x + pw,
        width: bottom.width - pw,
        ..bottom
    };
    let mut area = input.area.clone();
    area.set_style(style);
    area.set_cursor_line_style(style);
    f.render_widget(&area, field);
    if *kind == InputKind::Command && bottom.y > 0 {
        let c = command::completions(state, input.value());
        if !input.value().is_empty() && c.len() > 1 {
            let line = Rect {
                y: bottom.y - 1,
                ..bottom
            };
            f.render_widget(Clear, line);
            f.render_widget(
                Line::from(Span::styled(c.join("  "), theme.style(Slot::TextDim))),
                line,
            );
        }
    }
}
