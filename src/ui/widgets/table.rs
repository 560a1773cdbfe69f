//! Draws an `app::table::Table`: only the rows that fit (virtualized), columns dropped
//! by priority when the terminal is narrow.

use super::super::theme::{Slot, Theme};
use crate::app::table::{Table, Tone};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

pub fn tone_style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Normal => theme.style(Slot::Text),
        Tone::Dim => theme.style(Slot::TextDim),
        Tone::Ok => theme.style(Slot::StatusOk),
        Tone::Warn => theme.style(Slot::StatusWarn),
        Tone::Err => theme.style(Slot::StatusErr),
    }
}

/// Cut `text` to `width` columns (marking the cut with `…`) and pad it.
pub fn fit(text: &str, width: u16) -> String {
    let width = usize::from(width);
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if total > width && used + w + 1 > width {
            if width > 0 {
                out.push('…');
                used += 1;
            }
            break;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// The first row shown and the columns drawn (with their widths) in `area`.
fn plan(table: &Table, area: Rect) -> (usize, Vec<(usize, u16)>) {
    let body_rows = usize::from(area.height.saturating_sub(1));
    let first = table.window_start(body_rows);
    // Widths from every row, not the ones shown: filtering must not move columns.
    // The title counts without room for a sort arrow: the title gives way to the
    // arrow, so no cell is cut to keep a blank beside a title.
    let content: Vec<u16> = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let title = col.title.chars().count() as u16;
            title.max(table.widest.get(c).copied().unwrap_or(0))
        })
        .collect();
    let candidates = (0..table.columns.len())
        .filter(|&c| table.shows(c))
        .collect();
    (
        first,
        super::columns::layout(&table.columns, candidates, area.width, &content),
    )
}

/// What the selected row shows only in part at this size: each cell that is cut or
/// whose column gave way, in full (`ERROR: (137): dockerexec: unhealthy container`).
/// For a detail line under the table; `None` when the whole row is on screen.
pub fn detail(table: &Table, area: Rect, now: Timestamp) -> Option<String> {
    let row = table.selected_row()?;
    let (_, cols) = plan(table, area);
    // Cut cells first (what was there but could not be read), then hidden columns.
    let mut parts = Vec::new();
    let mut hidden = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        if !table.shows(i) {
            continue;
        }
        let text = cell.shown(now);
        if text.trim().is_empty() {
            continue;
        }
        let width = unicode_width::UnicodeWidthStr::width(text.as_ref());
        let shown = cols
            .iter()
            .find(|(c, _)| *c == i)
            .map(|(_, w)| usize::from(*w));
        let title = table.columns.get(i).map_or("", |c| c.title);
        match shown {
            Some(w) if width > w => parts.push(format!("{title}: {text}")),
            None => hidden.push(format!("{title}: {text}")),
            _ => {}
        }
    }
    parts.extend(hidden);
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Draw the visible window of `table`; age cells are formatted here, at `now`, for the
/// rows on screen only.
pub fn render(
    f: &mut Frame,
    area: Rect,
    table: &Table,
    theme: &Theme,
    focused: bool,
    empty: &str,
    now: crate::core::time::Timestamp,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let (first, cols) = plan(table, area);
    let header: Vec<Span> = cols
        .iter()
        .enumerate()
        .flat_map(|(n, &(i, w))| {
            let name = table.columns[i].title;
            // The sort arrow always shows: the name gives way to it, not the reverse.
            let title = match table.sort {
                Some((c, desc)) if c == i => {
                    // Quantities sort largest first: the arrow says so (ages sort
                    // youngest first, the smallest age: up, as for text).
                    // Rows without a quantity sort last, or first when reversed: look
                    // at both ends.
                    let last = table.rows_len().saturating_sub(1);
                    let largest_first = [0, last].iter().any(|&r| {
                        table
                            .row(r)
                            .and_then(|r| r.cells.get(i))
                            .is_some_and(|c| c.order().is_some())
                    });
                    let arrow = if desc != largest_first { '↓' } else { '↑' };
                    let room = w.saturating_sub(1);
                    let cut = if name.chars().count() as u16 > room {
                        name.chars().take(usize::from(room)).collect::<String>()
                    } else {
                        name.to_string()
                    };
                    format!("{cut}{arrow}")
                }
                _ => name.to_string(),
            };
            let sep = (n > 0).then(|| Span::raw(" "));
            sep.into_iter()
                .chain([Span::styled(fit(&title, w), theme.style(Slot::Header))])
        })
        .collect();
    f.render_widget(Line::from(header), Rect { height: 1, ..area });
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if table.rows_len() == 0 {
        let msg = if table.filter.is_empty() {
            empty.to_string()
        } else {
            format!("no rows match /{}", table.filter)
        };
        let line = Line::from(Span::styled(
            fit(&SafeText::new(&msg).to_string(), body.width),
            theme.style(Slot::TextDim),
        ));
        f.render_widget(
            line,
            Rect {
                height: 1.min(body.height),
                ..body
            },
        );
        return;
    }
    for (y, i) in (first..table.rows_len())
        .take(usize::from(body.height))
        .enumerate()
    {
        let Some(row) = table.row(i) else { break };
        let selected = i == table.selected;
        let mut spans = Vec::with_capacity(cols.len() * 2);
        for (n, &(c, w)) in cols.iter().enumerate() {
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            let cell = row.cells.get(c);
            let text = cell.map(|c| c.shown(now));
            let style = cell.map_or(theme.style(Slot::Text), |c| tone_style(theme, c.tone));
            spans.push(Span::styled(fit(text.as_deref().unwrap_or(""), w), style));
        }
        let mut line = Line::from(spans);
        if table.is_marked(&row.key) {
            let m = theme.style(Slot::Marked);
            line.spans
                .iter_mut()
                .for_each(|s| s.style = s.style.patch(m));
        }
        if selected {
            let sel = if focused {
                theme.style(Slot::Selection)
            } else {
                theme.style(Slot::TextDim)
            };
            line = line.patch_style(sel);
            line.spans
                .iter_mut()
                .for_each(|s| s.style = s.style.patch(sel));
        }
        f.render_widget(
            line,
            Rect {
                y: body.y + y as u16,
                height: 1,
                ..body
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("media_sonarr", 6), "media…");
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("日本語", 5), "日本…");
        assert_eq!(fit("abc", 0), "");
    }
}
