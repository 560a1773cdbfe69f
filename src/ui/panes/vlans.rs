//! The VLANs pane: the breadcrumb, the warnings' count, and the current view's table.

use super::bottom_line;
use crate::app::shell::Shell;
use crate::app::vlans::VlansPane;
use crate::core::text::SafeText;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for VlansPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        let level = self.level();
        let crumbs: Vec<String> = self
            .levels
            .iter()
            .map(|l| SafeText::new(&l.view.label()).to_string())
            .collect();
        let mut title = vec![Span::styled(
            format!(" VLANs › {} ", crumbs.join(" › ")),
            theme.style(Slot::Title),
        )];
        if !level.table.filter.is_empty() {
            title.push(Span::styled(
                format!("/{} ", level.table.filter),
                theme.style(Slot::Match),
            ));
        }
        let n = self.checks.len();
        if n > 0 {
            title.push(Span::styled(
                format!("{n} warning{} ", if n == 1 { "" } else { "s" }),
                theme.style(Slot::StatusWarn),
            ));
        }
        let count = format!(" {}/{} ", level.table.rows_len(), level.table.total_len());
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
