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
    let first = logs.first_shown(h);
    for (y, line) in logs.lines.iter().skip(first).take(h).enumerate() {
        let mut spans = Vec::new();
        if logs.timestamps {
            spans.push(Span::styled(
                format!("{} ", line.stamp),
                theme.style(Slot::TextDim),
            ));
        }
        let base = if line.stderr {
            theme.style(Slot::StatusWarn)
        } else {
            theme.style(Slot::Text)
        };
        spans.extend(highlight(
            line.text.as_str(),
            &logs.search,
            base,
            theme.style(Slot::Match),
        ));
        f.render_widget(
            Line::from(spans),
            Rect {
                y: inner.y + y as u16,
                height: 1,
                ..inner
            },
        );
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
