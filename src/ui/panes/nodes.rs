//! The Nodes pane: the breadcrumb, the hosts in trouble, and the current view's table.

use super::bottom_line;
use crate::app::nodes::NodesPane;
use crate::app::shell::Shell;
use crate::core::text::SafeText;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for NodesPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        let level = self.level();
        let mut title = super::breadcrumb(
            "Nodes",
            self.levels.iter().map(|l| l.view.label()),
            &level.table.filter,
            theme,
        );
        let unwell = self.unwell();
        if !unwell.is_empty() {
            title.push(Span::styled(
                format!("{} ", SafeText::new(&unwell.join(" · "))),
                theme.style(Slot::StatusErr),
            ));
        }
        let count = super::row_count(&level.table);
        let border = if unwell.is_empty() {
            Slot::BorderFocused
        } else {
            Slot::StatusErr
        };
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(border))
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
        let empty = match (&level.view, &self.here.error) {
            (crate::app::nodes::view::NodesView::Storage, _) => {
                "no workload's data is on a dataset of the ZFS sources (bind mounts, PVs)".into()
            }
            (crate::app::nodes::view::NodesView::Host { .. }, _) => {
                "nothing runs here that the engines and clusters show".into()
            }
            (_, Some(e)) if self.machines.is_empty() => format!("this host's links: {e}"),
            _ => "nothing here yet: reading the engines, clusters and this host…".into(),
        };
        table::render(f, inner, &level.table, theme, true, &empty, now);
    }
}
