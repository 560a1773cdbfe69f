//! `?`: every key of the active keymap, generated from it, with write actions marked
//! when they cannot run, and the config warnings.

use crate::app::keys;
use crate::app::state::State;
use crate::config::keymap::Section;
use crate::core::access::READ_ONLY_REASON;
use crate::ui::centered;
use crate::ui::hints::key_label;
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let read_only = state.access.is_read_only();
    // Problems with the user's files first: they explain surprises below.
    if !state.warnings.is_empty() {
        out.push(Line::from(Span::styled(
            "Config warnings (defaults used):",
            theme.style(Slot::StatusWarn),
        )));
        for w in &state.warnings {
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
            READ_ONLY_REASON,
            theme.style(Slot::TextDim),
        )));
        out.push(Line::from(""));
    }
    let active = keys::sections(state);
    for section in Section::ALL {
        let bindings = state.keymap.bindings(*section);
        if bindings.is_empty() {
            continue;
        }
        let here = if active.contains(section) {
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
        for (keys, b) in grouped {
            let unavailable = read_only && b.action.writes();
            let (ks, ds) = if unavailable {
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
            }
            out.push(Line::from(spans));
        }
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        "Commands: :nodes :vlans :zfs :swarm :kube :stacks :services :swarm-nodes :networks :secrets :configs :compose, any action name, :q",
        theme.style(Slot::TextDim),
    )));
    out
}

pub fn render(f: &mut Frame, area: Rect, state: &State, scroll: u16, theme: &Theme) {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Slot::BorderFocused))
        .title(Span::styled(
            " Keys (esc closes, ↑/↓ scroll) ",
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
