//! What draws on top of the panes: help, the input line, confirmation dialogs.
mod confirm;
pub mod help;
mod input;

use crate::app::shell::Overlay;
use crate::app::state::State;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;

pub fn render(f: &mut Frame, area: Rect, bottom: Rect, state: &State, theme: &Theme) {
    match &state.shell.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::render(f, area, state, *scroll, theme),
        Overlay::Input { kind, input } => input::render(f, bottom, state, kind, input, theme),
        Overlay::Confirm(c) => confirm::render(f, area, c, theme),
    }
}
