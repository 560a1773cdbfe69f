//! One file per pane; each only reads state.
pub mod logs;
pub mod pending;
pub mod stats_panel;
pub mod swarm;
pub mod swarm_header;
pub mod zfs;

use super::theme::{Slot, Theme};
use crate::app::shell::{Flash, FlashLevel, Shell};
use ratatui::text::{Line, Span};

/// What the bottom border says: a write's progress, else the flash message.
pub fn bottom_line<'a>(shell: &'a Shell, theme: &Theme) -> Option<Line<'a>> {
    if let Some(p) = &shell.progress {
        return Some(Line::from(Span::styled(
            format!(" └ {p} "),
            theme.style(Slot::StatusInfo),
        )));
    }
    flash_line(shell.flash.as_ref(), theme)
}

/// The flash message as a border title.
pub fn flash_line<'a>(flash: Option<&'a Flash>, theme: &Theme) -> Option<Line<'a>> {
    let f = flash?;
    let slot = match f.level {
        FlashLevel::Info => Slot::StatusInfo,
        FlashLevel::Ok => Slot::StatusOk,
        FlashLevel::Warn => Slot::StatusWarn,
        FlashLevel::Err => Slot::StatusErr,
    };
    Some(Line::from(Span::styled(
        format!(" {} ", f.text),
        theme.style(slot),
    )))
}
