//! Draws an `app::table::Table`: only the rows that fit (virtualized), columns dropped
//! by priority when the terminal is narrow.

use super::super::theme::{Slot, Theme};
use crate::app::table::{Column, Table, Tone};
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

/// How wide a never-dropped name column asks to be before others give way.
const NAME_WANTS: u16 = 28;

/// Which columns fit in `width`, and how wide each is drawn.
/// `content` holds each column's widest cell (header included) among the rows shown.
pub fn layout_columns(columns: &[Column], width: u16, content: &[u16]) -> Vec<(usize, u16)> {
    layout_some(columns, (0..columns.len()).collect(), width, content)
}

/// `layout_columns` over the columns `shown` (wide mode decides which those are).
fn layout_some(
    columns: &[Column],
    mut shown: Vec<usize>,
    width: u16,
    content: &[u16],
) -> Vec<(usize, u16)> {
    // A name column that is never dropped (flex, order 0) wants its names whole, up to
    // a point: lesser columns give way before a service's name is cut.
    let base = |i: usize| -> u16 {
        let c = &columns[i];
        if c.flex && c.drop_order == 0 {
            c.width
                .max(content.get(i).copied().unwrap_or(0).min(NAME_WANTS))
        } else {
            c.width
        }
    };
    let need = |shown: &[usize]| -> u16 {
        shown
            .iter()
            .map(|&i| base(i) + 1)
            .sum::<u16>()
            .saturating_sub(1)
    };
    while need(&shown) > width {
        // Drop the droppable column with the lowest drop order, rightmost first.
        let victim = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop_order > 0)
            .max_by_key(|(pos, i)| (std::cmp::Reverse(columns[**i].drop_order), *pos))
            .map(|(pos, _)| pos);
        match victim {
            Some(p) => {
                shown.remove(p);
            }
            None => break,
        }
    }
    let mut widths: Vec<u16> = shown.iter().map(|&i| base(i)).collect();
    // Flex columns grow to fit their widest cell, sharing the spare room fairly; what
    // nobody needs stays empty on the right instead of stretching a short name column.
    let mut spare = width.saturating_sub(need(&shown));
    loop {
        let wanting: Vec<usize> = (0..shown.len())
            .filter(|&p| {
                columns[shown[p]].flex && widths[p] < content.get(shown[p]).copied().unwrap_or(0)
            })
            .collect();
        if spare == 0 || wanting.is_empty() {
            break;
        }
        let share = (spare / wanting.len() as u16).max(1);
        for p in wanting {
            let want = content[shown[p]] - widths[p];
            let give = want.min(share).min(spare);
            widths[p] += give;
            spare -= give;
        }
    }
    // Never wider than the area, even when nothing more can be dropped.
    let mut left = width;
    shown
        .into_iter()
        .zip(widths)
        .map(|(i, w)| {
            let w = w.min(left);
            left = left.saturating_sub(w + 1);
            (i, w)
        })
        .collect()
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
    let content: Vec<u16> = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let title = col.title.chars().count() as u16 + 1;
            title.max(table.widest.get(c).copied().unwrap_or(0))
        })
        .collect();
    let candidates = (0..table.columns.len())
        .filter(|&c| table.shows(c))
        .collect();
    (
        first,
        layout_some(&table.columns, candidates, area.width, &content),
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
                            .is_some_and(|c| c.order.is_some())
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

    #[test]
    fn narrow_terminals_drop_low_priority_columns_first() {
        let cols = vec![
            Column::flex("NAME", 20, 0),
            Column::fixed("MODE", 10, 2),
            Column::fixed("REPLICAS", 8, 0),
            Column::flex("IMAGE", 18, 1),
        ];
        let short_names = [20, 8, 8, 25];
        let shown: Vec<usize> = layout_columns(&cols, 40, &short_names)
            .iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(shown, [0, 1, 2], "IMAGE (drop order 1) goes first");
        // Long names: MODE gives way too, so that a name is not cut (up to 28 columns).
        let content = [60, 8, 8, 25];
        let laid = layout_columns(&cols, 40, &content);
        assert_eq!(laid.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 2]);
        assert!(laid[0].1 >= 28, "{laid:?}");
        let shown: Vec<usize> = layout_columns(&cols, 30, &content)
            .iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(shown, [0, 2]);
        // 100 columns: 41 spare; NAME wants 40 more, IMAGE 7: both get what they need
        // as far as the room goes, fairly.
        let wide = layout_columns(&cols, 100, &content);
        let w: Vec<u16> = wide.iter().map(|c| c.1).collect();
        assert_eq!(
            w,
            [54, 10, 8, 25],
            "IMAGE fits its widest cell, NAME takes the rest"
        );
        // 200 columns: everything fits; the rest stays empty instead of stretching.
        let w: Vec<u16> = layout_columns(&cols, 200, &content)
            .iter()
            .map(|c| c.1)
            .collect();
        assert_eq!(w, [60, 10, 8, 25]);
    }
}
