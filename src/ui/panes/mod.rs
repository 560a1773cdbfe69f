//! One file per pane; each only reads state.
pub mod kube;
pub mod logs;
pub mod nodes;
pub mod stats_panel;
pub mod swarm;
pub mod swarm_header;
pub mod vlans;
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

/// ` STALE nas: reason; data from 12s ago; retry #3 `: a stale source's bottom line, for
/// any pane (`who` names the source when there are several).
pub fn stale_line<'a>(
    status: &crate::core::status::SourceStatus,
    who: Option<&str>,
    has_data: bool,
    now: crate::core::time::Timestamp,
    theme: &Theme,
) -> Option<Line<'a>> {
    let crate::core::status::SourceStatus::Stale {
        since,
        reason,
        attempt,
    } = status
    else {
        return None;
    };
    let data = if has_data {
        format!(
            "data from {} ago",
            crate::core::time::age(Some(*since), now)
        )
    } else {
        "no data".into()
    };
    let who = who.map_or(String::new(), |w| {
        format!(" {}", crate::core::text::SafeText::new(w))
    });
    Some(Line::from(Span::styled(
        format!(" STALE{who}: {reason}; {data}; retry #{attempt} "),
        theme.style(Slot::Stale),
    )))
}

/// The selected row's cut or hidden cells in full, fitted to `area`'s border.
pub fn detail_line<'a>(
    table: &crate::app::table::Table,
    area: ratatui::layout::Rect,
    inner: ratatui::layout::Rect,
    now: crate::core::time::Timestamp,
    theme: &Theme,
) -> Option<Line<'a>> {
    let d = crate::ui::widgets::table::detail(table, inner, now)?;
    let room = area.width.saturating_sub(4);
    let d = crate::ui::widgets::table::fit(&d, room)
        .trim_end()
        .to_string();
    Some(Line::from(Span::styled(
        format!(" {d} "),
        theme.style(Slot::TextDim),
    )))
}

/// The start of a drill-down pane's title: ` Swarm › stacks › media ` (each level's
/// label made safe), then the filter typed (`/sonarr `).
pub fn breadcrumb(
    pane: &str,
    labels: impl IntoIterator<Item = String>,
    filter: &str,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let crumbs: Vec<String> = labels
        .into_iter()
        .map(|l| crate::core::text::SafeText::new(&l).to_string())
        .collect();
    let mut title = vec![Span::styled(
        format!(" {pane} › {} ", crumbs.join(" › ")),
        theme.style(Slot::Title),
    )];
    if !filter.is_empty() {
        title.push(Span::styled(
            format!("/{filter} "),
            theme.style(Slot::Match),
        ));
    }
    title
}

/// ` 12/40 `: the rows shown of all, for the title's right end.
pub fn row_count(table: &crate::app::table::Table) -> String {
    format!(" {}/{} ", table.rows_len(), table.total_len())
}
