//! One file per pane; each only reads state.
pub mod logs;
pub mod pending;
pub mod swarm;

use super::theme::{Slot, Theme};
use crate::app::state::{Flash, FlashLevel};
use ratatui::text::{Line, Span};

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
