//! What every wizard looks like: its title with the screen it is on, then the fields,
//! the plan's diff, each step's state with its elapsed time and the live log, or the
//! end with what to do next; the keys last.

use crate::app::modal::MODAL;
use crate::app::shell::Shell;
use crate::app::wizard::frame::{Flow, RunState, Screen, Wizard};
use crate::core::text::SafeText;
use crate::ui::centered;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::time::{Duration, Instant};

impl<F: Flow> crate::app::pane::Render for Wizard<F> {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        let rect = centered(
            area,
            76.min(area.width),
            area.height.saturating_sub(2).max(6),
        );
        let running = shell.running.keys().any(|id| id.pane == MODAL);
        let read_only = shell.access.is_read_only();
        let (step, keys) = screen_words(self, running, read_only);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Slot::BorderFocused))
            .title(Span::styled(
                format!(" {}: {step} ", self.flow.title()),
                theme.style(Slot::Title),
            ));
        // Inside the border, less the keys' two lines.
        let room = usize::from(rect.height.saturating_sub(4)).max(1);
        let mut lines = match &self.screen {
            Screen::Fields => fields(self, theme),
            Screen::Checking => vec![styled(
                "checking against the live state…",
                theme,
                Slot::TextDim,
            )],
            Screen::Review => review(self, room, running, shell, theme),
            Screen::Applying => applying(self, room, theme),
            Screen::End(end) => ending(self, end, read_only, theme),
        };
        lines.truncate(room);
        lines.push(Line::from(""));
        lines.push(styled(keys, theme, Slot::TextDim));
        f.render_widget(Clear, rect);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            rect,
        );
    }
}

/// The title's screen and the keys it takes.
fn screen_words<F: Flow>(w: &Wizard<F>, running: bool, read_only: bool) -> (String, String) {
    let (step, keys) = match &w.screen {
        _ if running && w.rolling_back => ("rolling back", "the rollback runs…"),
        Screen::Applying | Screen::Review if running => ("applying", "the plan runs…"),
        Screen::Fields if w.fields.len() > 1 => {
            ("1 fields", "tab: next field · enter: check · esc: leave")
        }
        Screen::Fields => ("1 file", "enter: check · esc: leave"),
        Screen::Checking => ("2 checking", "esc: leave"),
        Screen::Review if w.settled => ("3 plan: nothing to change", "enter: finish · esc: leave"),
        Screen::Review if read_only => (
            "3 plan (read-only: shown, not applied)",
            "↑/↓ pgup/pgdn scroll · esc: leave",
        ),
        Screen::Review => (
            "3 plan",
            "↑/↓ pgup/pgdn scroll · enter: apply… · esc: leave",
        ),
        Screen::Applying => ("4 applying", "esc: close"),
        Screen::End(Err(_)) if w.rollback.is_some() && !read_only => {
            ("4 failed", "r: roll back… · esc: close")
        }
        Screen::End(Ok(_)) => ("4 done", "esc: close"),
        Screen::End(Err(_)) => ("4 failed", "esc: close"),
    };
    (step.to_string(), keys.to_string())
}

fn styled(text: impl Into<String>, theme: &Theme, slot: Slot) -> Line<'static> {
    Line::from(Span::styled(text.into(), theme.style(slot)))
}

fn fields<F: Flow>(w: &Wizard<F>, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, field) in w.fields.iter().enumerate() {
        let focused = i == w.focus;
        let cursor = if focused { "▏" } else { "" };
        let slot = if focused { Slot::HintKey } else { Slot::Text };
        let value = match field.spec.secret {
            true => "•".repeat(field.input.value().chars().count()),
            false => SafeText::new(field.input.value()).to_string(),
        };
        out.push(styled(
            format!("{}: {value}{cursor}", SafeText::new(&field.spec.label)),
            theme,
            slot,
        ));
        out.push(match &field.problem {
            Some(p) => styled(format!("  {}", SafeText::new(p)), theme, Slot::StatusErr),
            None => styled(
                format!("  {}", SafeText::new(&field.spec.hint)),
                theme,
                Slot::TextDim,
            ),
        });
    }
    if !w.errors.is_empty() {
        out.push(Line::from(""));
    }
    for e in &w.errors {
        out.push(styled(e.to_string(), theme, Slot::StatusErr));
    }
    out
}

fn diff_tone(line: &SafeText) -> Slot {
    match line.as_str().chars().next() {
        Some('+') | Some('~') => Slot::StatusWarn,
        Some('!') | Some('?') => Slot::StatusErr,
        _ => Slot::TextDim,
    }
}

fn review<F: Flow>(
    w: &Wizard<F>,
    room: usize,
    running: bool,
    shell: &Shell,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = w
        .review
        .iter()
        .skip(w.scroll)
        .take(room)
        .map(|l| styled(l.to_string(), theme, diff_tone(l)))
        .collect();
    if running && let Some(p) = &shell.progress {
        out.truncate(room.saturating_sub(2));
        out.push(Line::from(""));
        out.push(styled(p.to_string(), theme, Slot::HintKey));
    }
    out
}

fn seconds(d: Duration) -> String {
    format!("{:>4}s", d.as_secs())
}

/// Each step's mark, elapsed time and name.
fn step_lines<F: Flow>(w: &Wizard<F>, theme: &Theme) -> Vec<Line<'static>> {
    let now = Instant::now();
    w.runs
        .iter()
        .map(|r| {
            let (mark, time, slot) = match r.state {
                RunState::Waiting => ("·", String::from("     "), Slot::Text),
                RunState::Unchanged => ("=", String::from("     "), Slot::TextDim),
                RunState::Running(t) => ("▸", seconds(now - t), Slot::HintKey),
                RunState::Done(d) => ("✓", seconds(d), Slot::StatusOk),
                RunState::Failed(d) => ("✗", seconds(d), Slot::StatusErr),
                RunState::NotRun => ("-", String::from("     "), Slot::TextDim),
            };
            styled(format!("{mark} {time} {}", r.what), theme, slot)
        })
        .collect()
}

/// The steps (the running one kept in sight), a rule, then the newest log lines.
fn applying<F: Flow>(w: &Wizard<F>, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let steps = step_lines(w, theme);
    let shown = steps.len().min(room / 2).max(1);
    let at = w
        .runs
        .iter()
        .position(|r| matches!(r.state, RunState::Running(_)))
        .unwrap_or(0);
    let first = at
        .saturating_sub(shown.saturating_sub(1))
        .min(steps.len().saturating_sub(shown));
    let mut out: Vec<Line> = steps.into_iter().skip(first).take(shown).collect();
    out.push(styled("─── log", theme, Slot::TextDim));
    let left = room.saturating_sub(out.len());
    let skip = w.log.len().saturating_sub(left);
    out.extend(
        w.log
            .iter()
            .skip(skip)
            .map(|l| styled(l.to_string(), theme, Slot::Text)),
    );
    out
}

fn ending<F: Flow>(
    w: &Wizard<F>,
    end: &Result<String, String>,
    read_only: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = match end {
        Ok(done) => vec![styled(
            format!("done: {}", SafeText::new(done)),
            theme,
            Slot::StatusOk,
        )],
        Err(e) => vec![styled(
            format!("failed: {}", SafeText::new(e)),
            theme,
            Slot::StatusErr,
        )],
    };
    if !w.runs.is_empty() {
        out.push(Line::from(""));
        out.extend(step_lines(w, theme));
    }
    out.push(Line::from(""));
    if let Some(back) = &w.rollback
        && !read_only
    {
        out.push(styled(
            format!("r: {}", SafeText::new(&back.describe())),
            theme,
            Slot::HintKey,
        ));
    }
    for next in w.flow.next_steps(end.is_ok()) {
        out.push(styled(next, theme, Slot::TextDim));
    }
    out
}
