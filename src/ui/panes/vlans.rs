//! The VLANs pane: the breadcrumb, the warnings' count, and the current view's table.

use super::bottom_line;
use crate::app::shell::Shell;
use crate::app::vlans::VlansPane;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for VlansPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        let level = self.level();
        let mut title = super::breadcrumb(
            "VLANs",
            self.levels.iter().map(|l| l.view.label()),
            &level.table.filter,
            theme,
        );
        let n = self.checks.len();
        if n > 0 {
            title.push(Span::styled(
                format!("{n} warning{} ", if n == 1 { "" } else { "s" }),
                theme.style(Slot::StatusWarn),
            ));
        }
        let count = super::row_count(&level.table);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Slot::BorderFocused))
            .title(Line::from(title))
            .title(Line::from(Span::styled(count, theme.style(Slot::TextDim))).right_aligned());
        let now = shell.now();
        if let Some(l) = bottom_line(shell, theme)
            .or_else(|| super::detail_line(&level.table, area, block.inner(area), now, theme))
        {
            block = block.title_bottom(l);
        }
        let inner = block.inner(area);
        f.render_widget(block, area);
        let empty = match &self.links.status {
            crate::core::status::SourceStatus::Stale { reason, .. } => {
                format!("this host's links: {reason}. Retrying.")
            }
            _ => "no VLAN in the inventory or on this host's links".into(),
        };
        table::render(f, inner, &level.table, theme, true, &empty, now);
    }
}
