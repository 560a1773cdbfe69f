//! The Kubernetes pane: breadcrumb, a line per cluster, what the view cannot show
//! (a kind forbidden, a kind not served), and the current view's table.

use super::bottom_line;
use crate::app::kube::KubePane;
use crate::app::kube::pane::Cluster;
use crate::app::shell::Shell;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for KubePane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        render(f, area, self, shell, theme);
    }
}

pub fn render(f: &mut Frame, area: Rect, pane: &KubePane, shell: &Shell, theme: &Theme) {
    let level = pane.level();
    let crumbs: Vec<String> = pane
        .levels
        .iter()
        .map(|l| SafeText::new(&l.view.label()).to_string())
        .collect();
    let mut title = vec![Span::styled(
        format!(" Kubernetes › {} ", crumbs.join(" › ")),
        theme.style(Slot::Title),
    )];
    if !pane.namespaces.is_empty() {
        let ns = SafeText::new(&pane.namespaces.join(","));
        title.push(Span::styled(
            format!("ns:{ns} "),
            theme.style(Slot::TextDim),
        ));
    }
    if !level.table.filter.is_empty() {
        title.push(Span::styled(
            format!("/{} ", level.table.filter),
            theme.style(Slot::Match),
        ));
    }
    let unwell = pane.unwell();
    if !unwell.is_empty() {
        title.push(Span::styled(
            format!("{} ", SafeText::new(&unwell.join(" · "))),
            theme.style(Slot::StatusErr),
        ));
    }
    let count = format!(" {}/{} ", level.table.rows_len(), level.table.total_len());
    let relevant = pane.relevant();
    let is_stale = |c: &Cluster| matches!(c.status, SourceStatus::Stale { .. });
    let border = if !relevant.is_empty() && relevant.iter().all(|c| is_stale(c)) {
        Slot::Stale
    } else if unwell.is_empty() {
        Slot::BorderFocused
    } else {
        Slot::StatusErr
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(border))
        .title(Line::from(title))
        .title(Line::from(Span::styled(count, theme.style(Slot::TextDim))).right_aligned());
    let now = shell.now();
    let stale = relevant.iter().find(|c| is_stale(c)).and_then(|c| {
        let has_data = c.data.version.is_some();
        super::stale_line(&c.status, Some(&c.spec.name), has_data, now, theme)
    });
    let bottom = stale
        .or_else(|| bottom_line(shell, theme))
        .or_else(|| super::detail_line(&level.table, area, block.inner(area), now, theme));
    if let Some(l) = bottom {
        block = block.title_bottom(l);
    }
    let mut inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = Vec::new();
    if inner.height >= 10 {
        lines.extend(header(pane, shell, theme));
    }
    lines.extend(
        pane.notices()
            .into_iter()
            .take(3)
            .map(|n| Line::from(Span::styled(format!("{n}"), theme.style(Slot::StatusWarn)))),
    );
    let room = inner.height.saturating_sub(3) as usize;
    for (i, line) in lines.iter().take(room).enumerate() {
        f.render_widget(
            line.clone(),
            Rect {
                y: inner.y + i as u16,
                height: 1,
                ..inner
            },
        );
    }
    let used = lines.len().min(room) as u16;
    inner.y += used;
    inner.height -= used;
    let empty = empty_text(pane, &relevant);
    table::render(f, inner, &level.table, theme, true, &empty, now);
}

/// Per cluster (at most three): its name, version, nodes and pods.
fn header(pane: &KubePane, shell: &Shell, theme: &Theme) -> Vec<Line<'static>> {
    pane.clusters
        .iter()
        .take(3)
        .map(|c| {
            let d = &c.data;
            let facts = match (&c.status, &d.version) {
                (SourceStatus::Connecting, None) => "connecting…".to_string(),
                (_, None) => "not read yet".to_string(),
                (_, Some(v)) => format!(
                    "{v} · {}/{} nodes ready · {} pods",
                    d.nodes.len() - d.nodes_not_ready(),
                    d.nodes.len(),
                    d.pods.len()
                ),
            };
            let ro = match c.read_only_note() {
                Some(note) if shell.access.is_read_only() => format!(" · {note}"),
                _ if c.spec.read_only => " · read-only".to_string(),
                _ => String::new(),
            };
            Line::from(vec![
                Span::styled(
                    format!("{}  ", SafeText::new(&c.spec.name)),
                    theme.style(Slot::Title),
                ),
                Span::styled(format!("{facts}{ro}"), theme.style(Slot::TextDim)),
            ])
        })
        .collect()
}

fn empty_text(pane: &KubePane, relevant: &[&Cluster]) -> String {
    if pane.clusters.is_empty() {
        return "no Kubernetes contexts: set KUBECONFIG, or add [[kube]] entries to config.toml"
            .into();
    }
    let no_data = relevant.iter().all(|c| c.data.version.is_none());
    let stale = relevant.iter().find_map(|c| match &c.status {
        SourceStatus::Stale { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    match (no_data, stale) {
        (true, Some(r)) => format!("cluster unreachable: {r}. Retrying."),
        (true, None) => "connecting to the API server…".into(),
        _ => "nothing here".into(),
    }
}
