//! The Swarm pane: breadcrumb, source status and the current view's table.

use super::bottom_line;
use crate::app::shell::Shell;
use crate::app::swarm::SwarmPane;
use crate::app::swarm::pane::Engine;
use crate::app::swarm::view::SwarmView;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::core::time::age;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for SwarmPane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        match &self.logs {
            Some(logs) => super::logs::render(f, area, shell, logs, theme),
            None => render(f, area, self, shell, theme),
        }
    }
}

pub fn render(f: &mut Frame, area: Rect, pane: &SwarmPane, shell: &Shell, theme: &Theme) {
    let level = pane.level();
    let mut title = super::breadcrumb(
        "Swarm",
        pane.levels.iter().map(|l| l.view.label()),
        &level.table.filter,
        theme,
    );
    // What is set that changes what the table shows: said where the rows are.
    let mut tags = Vec::new();
    let marked = level.table.marked().len();
    if marked > 0 {
        tags.push(format!("{marked} marked"));
    }
    if pane.options.hide_finished && level.view.lists_tasks() {
        tags.push("finished hidden".to_string());
    }
    if level.table.wide {
        tags.push("wide".to_string());
    }
    if !tags.is_empty() {
        title.push(Span::styled(
            format!("[{}] ", tags.join(" · ")),
            theme.style(Slot::Marked),
        ));
    }
    if pane.multi() {
        title.extend(engine_states(pane, shell.now(), theme));
    } else if let Some(snap) = &pane.engines[0].snapshot
        && !snap.engine.swarm_manager
    {
        // Say why there are no stacks: a plain host, or a worker that cannot list them.
        let why = match snap.engine.swarm_state.as_str() {
            "active" => "swarm worker: stacks need a manager",
            _ => "no swarm: Compose view",
        };
        title.push(Span::styled(
            format!("({why}) "),
            theme.style(Slot::TextDim),
        ));
    }
    let count = super::row_count(&level.table);
    // The engines this level shows; the border goes stale only when all of them are
    // (one stale engine of several marks its own rows, in the ENGINE column).
    let relevant: Vec<&Engine> = match &level.source {
        Some(name) => pane.engine(name).into_iter().collect(),
        None => pane.engines.iter().collect(),
    };
    let is_stale = |e: &Engine| matches!(e.status, SourceStatus::Stale { .. });
    let stale = relevant.iter().all(|e| is_stale(e));
    let border = if stale {
        Slot::Stale
    } else {
        Slot::BorderFocused
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(border))
        .title(Line::from(title))
        .title(Line::from(Span::styled(count, theme.style(Slot::TextDim))).right_aligned());
    let now = shell.now();
    // Stats as charts under the table when there is room and a sample; else one line.
    let panel = pane
        .stats
        .as_ref()
        .is_some_and(|s| s.error.is_none() && !s.history.is_empty())
        && area.height >= 20;
    let stale = relevant.iter().find(|e| is_stale(e)).and_then(|e| {
        let who = pane.multi().then_some(e.endpoint.name.as_str());
        super::stale_line(&e.status, who, e.snapshot.is_some(), now, theme)
    });
    if let Some(l) = stale {
        block = block.title_bottom(l);
    } else if let Some(l) = bottom_line(shell, theme) {
        block = block.title_bottom(l);
    } else if let Some(l) = stats_line(pane, theme).filter(|_| !panel) {
        block = block.title_bottom(l);
    } else if let Some(l) = super::detail_line(&level.table, area, block.inner(area), now, theme) {
        // The selected row's cut or hidden cells, in full: what truncation hid.
        block = block.title_bottom(l);
    }
    let mut inner = block.inner(area);
    f.render_widget(block, area);
    // The header gives way on a short terminal: the rows matter more.
    let header = super::swarm_header::lines(pane, theme);
    if inner.height >= 10 {
        let h = header.len() as u16;
        for (i, line) in header.into_iter().enumerate() {
            let row = Rect {
                y: inner.y + i as u16,
                height: 1,
                ..inner
            };
            f.render_widget(line, row);
        }
        inner.y += h;
        inner.height -= h;
    }
    if panel && let Some(st) = &pane.stats {
        use super::stats_panel::{HEIGHT, render};
        let at = Rect {
            y: inner.y + inner.height - HEIGHT,
            height: HEIGHT,
            ..inner
        };
        inner.height -= HEIGHT;
        let task = SafeText::new(st.short_task());
        render(f, at, task.as_str(), &st.history, theme);
    }
    let empty = empty_text(pane, &relevant);
    table::render(f, inner, &level.table, theme, true, &empty, now);
}

/// `nas: live · plain: STALE 12s`, each engine in its state's colour.
fn engine_states<'a>(pane: &SwarmPane, now: Timestamp, theme: &Theme) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    for (i, e) in pane.engines.iter().enumerate() {
        let (state, slot) = match &e.status {
            SourceStatus::Connecting => ("connecting".to_string(), Slot::StatusInfo),
            SourceStatus::Live => ("live".to_string(), Slot::StatusOk),
            SourceStatus::Stale { since, .. } => {
                (format!("STALE {}", age(Some(*since), now)), Slot::Stale)
            }
        };
        let sep = if i == 0 { "" } else { " · " };
        out.push(Span::styled(
            format!("{sep}{}: ", SafeText::new(&e.endpoint.name)),
            theme.style(Slot::TextDim),
        ));
        out.push(Span::styled(state, theme.style(slot)));
    }
    out.push(Span::raw(" "));
    out
}

fn empty_text(pane: &SwarmPane, relevant: &[&Engine]) -> String {
    let no_data = relevant.iter().all(|e| e.snapshot.is_none());
    let connecting = relevant
        .iter()
        .all(|e| e.status == SourceStatus::Connecting);
    let stale = relevant.iter().find_map(|e| match &e.status {
        SourceStatus::Stale { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    match (no_data, connecting, stale) {
        (true, true, _) => "connecting to the Docker engine…".into(),
        (true, _, Some(reason)) => format!("Docker engine unreachable: {reason}. Retrying."),
        _ => match pane.level().view {
            SwarmView::Stacks => {
                "no services: deploy one with `docker stack deploy -c FILE NAME`".into()
            }
            SwarmView::Projects => "no containers on this engine".into(),
            _ => "nothing here".into(),
        },
    }
}

/// `stats <task>: cpu 0.4% · mem 1.2 MiB / 7.8 GiB · pids 1 · net ↓1.0 KiB ↑200 B`.
fn stats_line<'a>(pane: &SwarmPane, theme: &Theme) -> Option<Line<'a>> {
    use crate::core::stats::bytes;
    let st = pane.stats.as_ref()?;
    let task = crate::core::text::SafeText::new(st.short_task());
    let (text, slot) = match (&st.latest, &st.error) {
        (_, Some(e)) => (
            format!(" stats {task}: {} ", crate::core::text::SafeText::new(e)),
            Slot::StatusWarn,
        ),
        (None, None) => (
            format!(" stats {task}: waiting for the engine… "),
            Slot::TextDim,
        ),
        (Some(s), None) => {
            let limit = if s.mem_limit > 0 {
                format!(" / {}", bytes(s.mem_limit))
            } else {
                String::new()
            };
            (
                format!(
                    " stats {task}: cpu {:.1}% · mem {}{limit} · pids {} · net ↓{} ↑{} ",
                    s.cpu_percent,
                    bytes(s.mem_used),
                    s.pids,
                    bytes(s.rx_bytes),
                    bytes(s.tx_bytes)
                ),
                Slot::StatusInfo,
            )
        }
    };
    Some(Line::from(Span::styled(text, theme.style(slot))))
}
