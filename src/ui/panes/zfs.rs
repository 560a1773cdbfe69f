//! The ZFS pane: breadcrumb, each host's state and ARC, and the current view's table.

use super::bottom_line;
use crate::app::shell::Shell;
use crate::app::zfs::ZfsPane;
use crate::app::zfs::pane::Host;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for ZfsPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        render(f, area, self, shell, theme);
    }
}

pub fn render(f: &mut Frame, area: Rect, pane: &ZfsPane, shell: &Shell, theme: &Theme) {
    let level = pane.level();
    let mut title = super::breadcrumb(
        "ZFS",
        pane.levels.iter().map(|l| l.view.label()),
        &level.table.filter,
        theme,
    );
    let unwell = pane.unwell();
    if !unwell.is_empty() {
        title.push(Span::styled(
            format!("{} ", SafeText::new(&unwell.join(" · "))),
            theme.style(Slot::StatusErr),
        ));
    }
    let count = super::row_count(&level.table);
    let relevant: Vec<&Host> = match &level.source {
        Some(name) => pane.host(name).into_iter().collect(),
        None => pane.hosts.iter().collect(),
    };
    let is_stale = |h: &Host| matches!(h.status, SourceStatus::Stale { .. });
    let border = if relevant.iter().all(|h| is_stale(h)) {
        Slot::Stale
    } else if unwell.is_empty() {
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
    let stale = relevant.iter().find(|h| is_stale(h)).and_then(|h| {
        super::stale_line(
            &h.status,
            Some(&h.host.name),
            h.snapshot.is_some(),
            now,
            theme,
        )
    });
    let bottom = stale
        .or_else(|| bottom_line(shell, theme))
        .or_else(|| super::detail_line(&level.table, area, block.inner(area), now, theme));
    if let Some(l) = bottom {
        block = block.title_bottom(l);
    }
    let mut inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height >= 10 {
        let lines = header(pane, theme);
        for (i, line) in lines.iter().enumerate() {
            f.render_widget(
                line.clone(),
                Rect {
                    y: inner.y + i as u16,
                    height: 1,
                    ..inner
                },
            );
        }
        inner.y += lines.len() as u16;
        inner.height -= lines.len() as u16;
    }
    let empty = empty_text(&relevant);
    table::render(f, inner, &level.table, theme, true, &empty, now);
}

/// Per host: its name, pools, and the ARC where the kernel shows it.
fn header(pane: &ZfsPane, theme: &Theme) -> Vec<Line<'static>> {
    pane.hosts
        .iter()
        .take(3)
        .map(|h| {
            let facts = h.snapshot.as_deref().map_or(
                "not read yet".to_string(),
                crate::app::zfs::pane::header_facts,
            );
            Line::from(vec![
                Span::styled(
                    format!("{}  ", SafeText::new(&h.host.name)),
                    theme.style(Slot::Title),
                ),
                Span::styled(facts, theme.style(Slot::TextDim)),
            ])
        })
        .collect()
}

fn empty_text(relevant: &[&Host]) -> String {
    let no_data = relevant.iter().all(|h| h.snapshot.is_none());
    let stale = relevant.iter().find_map(|h| match &h.status {
        SourceStatus::Stale { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    match (no_data, stale) {
        (true, Some(r)) => format!("ZFS unreadable: {r}. Retrying."),
        (true, None) => "reading zpool and zfs…".into(),
        _ => "nothing here".into(),
    }
}
