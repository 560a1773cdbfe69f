//! `?`: every key of the active keymap, generated from it, with write actions marked
//! when they cannot run, and the config warnings.

use crate::app::keys;
use crate::app::state::State;
use crate::ui::centered;
use crate::ui::hints::key_label;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let read_only = state.shell.access.is_read_only();
    // Problems with the user's files first: they explain surprises below.
    if !state.shell.warnings.is_empty() {
        out.push(Line::from(Span::styled(
            "Config warnings (defaults used):",
            theme.style(Slot::StatusWarn),
        )));
        for w in &state.shell.warnings {
            out.push(Line::from(Span::styled(
                format!("  {w}"),
                theme.style(Slot::StatusWarn),
            )));
        }
        out.push(Line::from(""));
    }
    if read_only {
        out.push(Line::from(Span::styled(
            "Writes are off.",
            theme.style(Slot::BadgeRo),
        )));
        out.push(Line::from(Span::styled(
            state.shell.read_only_reason.clone(),
            theme.style(Slot::TextDim),
        )));
        out.push(Line::from(""));
    }
    let active = keys::sections(state);
    // The sections in force here first, most specific first; then the others.
    let mut sections: Vec<&crate::config::keymap::Section> = active
        .iter()
        .filter(|s| !state.shell.keymap.bindings(s).is_empty())
        .collect();
    for s in state.shell.keymap.sections() {
        if !sections.contains(&s) {
            sections.push(s);
        }
    }
    for section in sections {
        let bindings = state.shell.keymap.bindings(section);
        if bindings.is_empty() {
            continue;
        }
        let here = if section == &crate::config::keymap::Section::GLOBAL || active.contains(section)
        {
            ""
        } else {
            " (not here)"
        };
        out.push(Line::from(Span::styled(
            format!("{}{here}", section.name()),
            theme.style(Slot::Header),
        )));
        // One line per action, its keys together: `↑/k  Up`.
        let mut grouped: Vec<(String, &crate::config::keymap::Binding)> = Vec::new();
        for b in bindings {
            match grouped.iter_mut().find(|(_, g)| g.action == b.action) {
                Some((keys, _)) => {
                    keys.push('/');
                    keys.push_str(&key_label(&b.key));
                }
                None => grouped.push((key_label(&b.key), b)),
            }
        }
        let pane = state.pane();
        let pane_own = pane.own_sections().contains(&section.name());
        for (keys, b) in grouped {
            let unavailable = read_only && b.action.writes();
            // The pane's own keys that do nothing in this view say so.
            let elsewhere = pane_own && !pane.works(b.action);
            let (ks, ds) = if unavailable || elsewhere {
                (
                    theme.style(Slot::HintUnavailable),
                    theme.style(Slot::HintUnavailable),
                )
            } else {
                (theme.style(Slot::HintKey), theme.style(Slot::Text))
            };
            let mut spans = vec![
                Span::styled(format!("  {keys:<12}"), ks),
                Span::styled(b.desc.to_string(), ds),
            ];
            if unavailable {
                spans.push(Span::styled(
                    "  unavailable: read-only",
                    theme.style(Slot::HintUnavailable),
                ));
            } else if elsewhere {
                spans.push(Span::styled(
                    "  not in this view",
                    theme.style(Slot::HintUnavailable),
                ));
            }
            out.push(Line::from(spans));
        }
    }
    out.push(Line::from(""));
    // The panes' and their views' words, from the registry.
    let mut words: Vec<String> = state.panes.iter().map(|p| format!(":{}", p.id())).collect();
    words.extend(
        state
            .panes
            .iter()
            .flat_map(|p| p.words())
            .map(|w| format!(":{w}")),
    );
    out.push(Line::from(Span::styled(
        format!("Commands: {}, any action name, :q", words.join(" ")),
        theme.style(Slot::TextDim),
    )));
    out
}

/// How far help can scroll at this terminal size: its last line at the bottom.
pub fn max_scroll(state: &State) -> u16 {
    let lines = lines(state, &Theme::default()).len();
    let shown = usize::from(state.shell.size.1.saturating_sub(4));
    lines.saturating_sub(shown).min(usize::from(u16::MAX)) as u16
}

pub fn render(f: &mut Frame, area: Rect, state: &State, scroll: u16, theme: &Theme) {
    let scroll = scroll.min(max_scroll(state));
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::BorderFocused))
        .title(Span::styled(
            " Keys (esc closes, ↑/↓ g/G scroll) ",
            theme.style(Slot::Title),
        ));
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines(state, theme))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        rect,
    );
}
