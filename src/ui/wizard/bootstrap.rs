//! The bootstrap wizard: the file's path and its problems, the plan's diff, the apply
//! under way (its progress line), the end.

use crate::app::modal::MODAL;
use crate::app::shell::Shell;
use crate::app::wizard::bootstrap::{BootstrapWizard, Screen};
use crate::core::text::SafeText;
use crate::ui::centered;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

impl crate::app::pane::Render for BootstrapWizard {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        let rect = centered(
            area,
            76.min(area.width),
            area.height.saturating_sub(2).max(6),
        );
        let running = shell.running.keys().any(|id| id.pane == MODAL);
        let (step, keys) = match (&self.screen, running) {
            (_, true) => ("applying", ""),
            (Screen::Path, _) => ("1 file", "enter: read it · esc: leave"),
            (Screen::Checking, _) => ("2 checking the engine", "esc: leave"),
            (Screen::Review, _) if self.settled => ("3 plan", "enter: finish · esc: leave"),
            (Screen::Review, _) if shell.access.is_read_only() => (
                "3 plan (read-only: shown, not applied)",
                "↑/↓ scroll · esc: leave",
            ),
            (Screen::Review, _) => ("3 plan", "↑/↓ scroll · enter: apply… · esc: leave"),
            (Screen::End(_), _) => ("4 done", "esc: close"),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Slot::BorderFocused))
            .title(Span::styled(
                format!(" Bootstrap: {step} "),
                theme.style(Slot::Title),
            ));
        let text = theme.style(Slot::Text);
        let dim = theme.style(Slot::TextDim);
        let mut lines: Vec<Line> = Vec::new();
        let mut line = |t: String, s: Style| lines.push(Line::from(Span::styled(t, s)));
        match &self.screen {
            Screen::Path => {
                line(
                    format!("file: {}▏", SafeText::new(self.path.value())),
                    theme.style(Slot::HintKey),
                );
                line(String::new(), text);
                for e in &self.errors {
                    line(SafeText::new(e).to_string(), theme.style(Slot::StatusErr));
                }
                if self.errors.is_empty() {
                    line("The bootstrap file (see examples/bootstrap).".into(), dim);
                }
            }
            Screen::Checking => line("reading the engine…".into(), dim),
            Screen::Review => {
                let room = usize::from(rect.height.saturating_sub(5)).max(1);
                for l in self.review.iter().skip(self.scroll).take(room) {
                    let tone = match l.chars().next() {
                        Some('+') | Some('~') => Slot::StatusWarn,
                        Some('!') | Some('?') => Slot::StatusErr,
                        _ => Slot::TextDim,
                    };
                    line(SafeText::new(l).to_string(), theme.style(tone));
                }
                if running && let Some(p) = &shell.progress {
                    line(String::new(), text);
                    line(p.as_str().to_string(), theme.style(Slot::HintKey));
                }
            }
            Screen::End(Ok(done)) => line(
                format!("done: {}", SafeText::new(done)),
                theme.style(Slot::StatusOk),
            ),
            Screen::End(Err(e)) => {
                line(
                    format!("failed: {}", SafeText::new(e)),
                    theme.style(Slot::StatusErr),
                );
                line(String::new(), text);
                line(
                    "Fix what it says and run it again: what was done is kept, the rest is finished.".into(),
                    dim,
                );
            }
        }
        if !keys.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(keys, dim)));
        }
        f.render_widget(Clear, rect);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            rect,
        );
    }
}
