//! The log viewer: the visible window of the ring buffer, with search highlights.

use super::bottom_line;
use crate::app::logs::LogView;
use crate::app::shell::Shell;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

pub fn render(f: &mut Frame, area: Rect, shell: &Shell, logs: &LogView, theme: &Theme) {
    let mut flags = Vec::new();
    flags.push(if logs.follow { "follow" } else { "paused" });
    if logs.timestamps {
        flags.push("timestamps");
    }
    if logs.wrap {
        flags.push("wrap");
    }
    let mut title = vec![
        Span::styled(format!(" Logs › {} ", logs.title), theme.style(Slot::Title)),
        Span::styled(
            format!("[{}] ", flags.join(" ")),
            theme.style(Slot::TextDim),
        ),
    ];
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
        let msg = if logs.ended.is_some() {
            "no log lines"
        } else {
            "waiting for log lines…"
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
    let full = |line: &crate::core::log_line::LogLine| {
        if logs.timestamps {
            format!("{} {}", line.stamp, line.text)
        } else {
            line.text.to_string()
        }
    };
    let base_of = |line: &crate::core::log_line::LogLine| {
        if line.stderr {
            theme.style(Slot::StatusWarn)
        } else {
            theme.style(Slot::Text)
        }
    };
    let mut y = 0usize;
    let mut draw = |spans: Vec<Span>, y: usize| {
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
        let rows =
            |l: &crate::core::log_line::LogLine| full(l).chars().count().div_ceil(width).max(1);
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
            let text: Vec<char> = full(line).chars().collect();
            for chunk in text.chunks(width) {
                if y >= h {
                    return;
                }
                let piece: String = chunk.iter().collect();
                let spans = highlight(
                    &piece,
                    &logs.search,
                    base_of(line),
                    theme.style(Slot::Match),
                )
                .into_iter()
                .map(|s| Span::styled(s.content.into_owned(), s.style))
                .collect();
                draw(spans, y);
                y += 1;
            }
        }
        return;
    }
    let first = logs.first_shown(h);
    for line in logs.lines.iter().skip(first).take(h) {
        let (piece, left_cut, right_cut) = window(&full(line), logs.hscroll, width);
        let mut spans = Vec::new();
        if left_cut {
            spans.push(Span::styled("‹", theme.style(Slot::TextDim)));
        }
        spans.extend(
            highlight(
                &piece,
                &logs.search,
                base_of(line),
                theme.style(Slot::Match),
            )
            .into_iter()
            .map(|s| Span::styled(s.content.into_owned(), s.style)),
        );
        if right_cut {
            // A visible cut: the line goes on past the edge (→ scrolls, w wraps).
            spans.push(Span::styled("›", theme.style(Slot::StatusWarn)));
        }
        draw(spans, y);
        y += 1;
    }
}

/// The part of `text` shown from column `from` in `width` columns, and whether it was
/// cut on the left or the right (each cut takes one column for its marker).
fn window(text: &str, from: usize, width: usize) -> (String, bool, bool) {
    let chars: Vec<char> = text.chars().collect();
    let left_cut = from > 0 && !chars.is_empty();
    let start = from.min(chars.len());
    let room = width.saturating_sub(usize::from(left_cut));
    let rest = &chars[start..];
    if rest.len() > room {
        let keep = room.saturating_sub(1);
        (rest[..keep].iter().collect(), left_cut, true)
    } else {
        (rest.iter().collect(), left_cut, false)
    }
}

/// Split `text` into spans with every case-insensitive match of `needle` highlighted.
pub fn highlight<'a>(text: &'a str, needle: &str, base: Style, hit: Style) -> Vec<Span<'a>> {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths outside ASCII; then highlight nothing.
    if needle.is_empty() || lower.len() != text.len() {
        return vec![Span::styled(text, base)];
    }
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(pos) = lower[at..].find(needle) {
        let start = at + pos;
        let end = start + needle.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            break;
        }
        if start > at {
            out.push(Span::styled(&text[at..start], base));
        }
        out.push(Span::styled(&text[start..end], hit));
        at = end;
    }
    if at < text.len() {
        out.push(Span::styled(&text[at..], base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn long_lines_are_cut_with_a_marker_and_scroll_sideways() {
        assert_eq!(window("abcdefghij", 0, 5), ("abcd".into(), false, true));
        assert_eq!(window("abcdefghij", 4, 5), ("efg".into(), true, true));
        assert_eq!(window("abcdefghij", 7, 5), ("hij".into(), true, false));
        assert_eq!(window("abc", 0, 5), ("abc".into(), false, false));
        assert_eq!(window("abc", 9, 5), ("".into(), true, false));
    }

    #[test]
    fn highlights_every_match_case_insensitively() {
        let hit = Style::new().bg(Color::Yellow);
        let spans = highlight("Error: an error", "error", Style::new(), hit);
        let texts: Vec<(&str, bool)> = spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == hit))
            .collect();
        assert_eq!(texts, [("Error", true), (": an ", false), ("error", true)]);
        assert_eq!(highlight("abc", "", Style::new(), hit).len(), 1);
    }
}
