//! Rendering: turns state into ratatui widgets. Reads state, never changes it.
pub mod hints;
mod modal;
pub mod overlay;
pub mod panes;
pub mod statusbar;
pub mod tabs;
mod wizard;
/// The theme lives with the terminal it is resolved for; drawn with here.
pub use crate::term::theme;
pub mod widgets;

use crate::app::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use theme::{Slot, Theme};

/// Below this the layout cannot show a table and its hints.
pub const MIN_SIZE: (u16, u16) = (40, 8);

pub fn draw(f: &mut Frame, state: &State, theme: &Theme) {
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let msg = format!(
            "terminal too small: {}x{} (labdeck needs {}x{})",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
        f.render_widget(
            Paragraph::new(Line::styled(msg, theme.style(Slot::StatusWarn)))
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    tabs::render(f, top, state, theme);
    state.pane().render(f, body, &state.shell, theme);
    if let Some(m) = &state.shell.modal {
        m.render(f, body, &state.shell, theme);
    }
    statusbar::render(f, bottom, state, theme);
    overlay::render(f, area, bottom, state, theme);
}

/// A centred rectangle of at most `w` x `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod columns_tests;
#[cfg(test)]
mod kube_tests;
#[cfg(test)]
mod selection_tests;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod zfs_tests;
