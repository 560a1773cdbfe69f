//! The log viewer: the visible window of the ring buffer, with search highlights.

use super::bottom_line;
use crate::app::logs::LogView;
use crate::app::shell::Shell;
use crate::config::theme::ColorDepth;
use crate::core::log_line::LogLine;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

pub fn render(f: &mut Frame, area: Rect, shell: &Shell, logs: &LogView, theme: &Theme) {
    let mut flags = Vec::new();
    if !logs.document {
        flags.push(if logs.follow { "follow" } else { "paused" });
    }
    if logs.timestamps {
        flags.push("timestamps");
    }
    if logs.wrap {
        flags.push("wrap");
    }
    let heading = if logs.document { "YAML" } else { "Logs" };
    let mut title = vec![Span::styled(
        format!(" {heading} › {} ", logs.title),
        theme.style(Slot::Title),
    )];
    if !flags.is_empty() {
        title.push(Span::styled(
            format!("[{}] ", flags.join(" ")),
            theme.style(Slot::TextDim),
        ));
    }
    if !logs.search.is_empty() {
        title.push(Span::styled(
            format!("/{} ", logs.search),
            theme.style(Slot::Match),
        ));
    }
    let mut dropped = if logs.dropped > 0 {
        format!(" {} older dropped", logs.dropped)
    } else {
        String::new()
    };
    if logs.lost > 0 {
        // The link or the screen could not keep up: say how much was shed.
        dropped.push_str(&format!(" · {} lost (too fast)", logs.lost));
    }
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::BorderFocused))
        .title(Line::from(title))
        .title(
            Line::from(Span::styled(
                format!(" {} lines{dropped} ", logs.lines.len()),
                theme.style(Slot::TextDim),
            ))
            .right_aligned(),
        );
    if let Some(l) = bottom_line(shell, theme) {
        block = block.title_bottom(l);
    } else if let Some(e) = &logs.ended {
        block = block.title_bottom(Line::from(Span::styled(
            format!(" {} ", crate::core::text::SafeText::new(e)),
            theme.style(Slot::StatusWarn),
        )));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = usize::from(inner.height);
    if logs.lines.is_empty() {
        let msg = match (logs.document, logs.ended.is_some()) {
            (true, true) => "could not be read",
            (true, false) => "reading from the engine…",
            (false, true) => "no log lines",
            (false, false) => "waiting for log lines…",
        };
        f.render_widget(
            Line::styled(msg, theme.style(Slot::TextDim)),
            Rect {
                height: 1.min(inner.height),
                ..inner
            },
        );
        return;
    }
    let width = usize::from(inner.width).max(1);
    let mut y = 0usize;
    let mut draw = |spans: Vec<Span<'static>>, y: usize| {
        f.render_widget(
            Line::from(spans),
            Rect {
                y: inner.y + y as u16,
                height: 1,
                ..inner
            },
        );
    };
    if logs.wrap {
        // Rows per line at this width; following shows as many of the newest as fit.
        let rows = |l: &LogLine| cells(l, logs, theme).0.len().div_ceil(width).max(1);
        let first = if logs.follow {
            let mut used = 0;
            let mut start = logs.lines.len();
            while start > 0 && used + rows(&logs.lines[start - 1]) <= h {
                start -= 1;
                used += rows(&logs.lines[start]);
            }
            start.min(logs.lines.len().saturating_sub(1))
        } else {
            logs.first_shown(h)
        };
        for line in logs.lines.iter().skip(first) {
            let (chars, styles) = cells(line, logs, theme);
            let mut at = 0;
            while at < chars.len() || at == 0 {
                if y >= h {
                    return;
                }
                let end = (at + width).min(chars.len());
                draw(spans(&chars[at..end], &styles[at..end]), y);
                y += 1;
                at = end;
                if end == chars.len() {
                    break;
                }
            }
        }
        return;
    }
    let first = logs.first_shown(h);
    for line in logs.lines.iter().skip(first).take(h) {
        let (chars, styles) = cells(line, logs, theme);
        let (from, to, left_cut, right_cut) = window(chars.len(), logs.hscroll, width);
        let mut out = Vec::new();
        if left_cut {
            out.push(Span::styled("‹", theme.style(Slot::TextDim)));
        }
        out.extend(spans(&chars[from..to], &styles[from..to]));
        if right_cut {
            // A visible cut: the line goes on past the edge (→ scrolls, w wraps).
            out.push(Span::styled("›", theme.style(Slot::StatusWarn)));
        }
        draw(out, y);
        y += 1;
    }
}

/// A line as characters and the style of each: the timestamp dim, the text in its
/// stream's style with the application's own colours (SGR runs) on top, and search
/// matches highlighted over everything.
fn cells(line: &LogLine, logs: &LogView, theme: &Theme) -> (Vec<char>, Vec<Style>) {
    let base = if line.stderr {
        theme.style(Slot::StatusWarn)
    } else {
        theme.style(Slot::Text)
    };
    let mut chars = Vec::new();
    let mut styles = Vec::new();
    if logs.timestamps {
        for c in line.stamp.as_str().chars().chain([' ']) {
            chars.push(c);
            styles.push(theme.style(Slot::TextDim));
        }
    }
    if logs.prefixes && !line.prefix.is_empty() {
        for c in line.prefix.as_str().chars().chain(" | ".chars()) {
            chars.push(c);
            styles.push(theme.style(Slot::StatusInfo));
        }
    }
    let coloured = theme.depth() != ColorDepth::None;
    let mut run = 0;
    let mut style = base;
    for (byte, c) in line.text.as_str().char_indices() {
        while let Some(r) = line.styles.get(run).filter(|r| r.start <= byte) {
            style = base;
            if let Some(fg) = r.fg.filter(|_| coloured) {
                style = style.fg(Color::Indexed(fg));
            }
            if r.bold {
                style = style.add_modifier(Modifier::BOLD);
            }
            run += 1;
        }
        chars.push(c);
        styles.push(style);
    }
    if !logs.search.is_empty() {
        let lower: Vec<char> = chars.iter().flat_map(|c| c.to_lowercase()).collect();
        let needle: Vec<char> = logs.search.chars().collect();
        // Lower-casing can change lengths outside ASCII; then highlight nothing.
        if lower.len() == chars.len() && !needle.is_empty() {
            let mut i = 0;
            while i + needle.len() <= lower.len() {
                if lower[i..i + needle.len()] == needle[..] {
                    for s in &mut styles[i..i + needle.len()] {
                        *s = theme.style(Slot::Match);
                    }
                    i += needle.len();
                } else {
                    i += 1;
                }
            }
        }
    }
    (chars, styles)
}

/// Characters grouped into spans of one style.
fn spans(chars: &[char], styles: &[Style]) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let j = (i..chars.len())
            .find(|&j| styles[j] != styles[i])
            .unwrap_or(chars.len());
        out.push(Span::styled(
            chars[i..j].iter().collect::<String>(),
            styles[i],
        ));
        i = j;
    }
    out
}

/// Which characters of a line of `len` show from column `from` in `width` columns,
/// and whether it is cut on the left or the right (each cut takes a column for its
/// marker): `(first, end, left_cut, right_cut)`.
fn window(len: usize, from: usize, width: usize) -> (usize, usize, bool, bool) {
    let left_cut = from > 0 && len > 0;
    let start = from.min(len);
    let room = width.saturating_sub(usize::from(left_cut));
    if len - start > room {
        (start, start + room.saturating_sub(1), left_cut, true)
    } else {
        (start, len, left_cut, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_with_a_marker_and_scroll_sideways() {
        assert_eq!(window(10, 0, 5), (0, 4, false, true));
        assert_eq!(window(10, 4, 5), (4, 7, true, true));
        assert_eq!(window(10, 7, 5), (7, 10, true, false));
        assert_eq!(window(3, 0, 5), (0, 3, false, false));
        assert_eq!(window(3, 9, 5), (3, 3, true, false));
    }

    #[test]
    fn highlights_every_match_case_insensitively() {
        let theme = Theme::default();
        let mut logs = LogView::new(1, crate::core::text::SafeText::trusted("x"));
        logs.search = "error".into();
        let line = LogLine::new(None, "", false, "Error: an error");
        let (chars, styles) = cells(&line, &logs, &theme);
        let hit = theme.style(Slot::Match);
        let marked: String = chars
            .iter()
            .zip(&styles)
            .map(|(c, s)| {
                if *s == hit {
                    c.to_ascii_uppercase()
                } else {
                    '.'
                }
            })
            .collect();
        assert_eq!(marked, "ERROR.....ERROR");
        logs.search.clear();
        let (_, styles) = cells(&line, &logs, &theme);
        assert!(styles.iter().all(|s| *s != hit));
    }
}
