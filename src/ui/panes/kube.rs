//! The Kubernetes pane: breadcrumb, a line per cluster, what the view cannot show
//! (a kind forbidden, a kind not served), and the current view's table.

use super::bottom_line;
use crate::app::kube::KubePane;
use crate::app::kube::pane::{Cluster, problems};
use crate::app::kube::view::KubeView;
use crate::app::shell::Shell;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::ui::theme::{Slot, Theme};
use crate::ui::widgets::table;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

impl crate::app::pane::Render for KubePane {
    fn render(&self, f: &mut Frame, area: Rect, shell: &Shell, theme: &Theme) {
        match &self.logs {
            Some(logs) => super::logs::render(f, area, shell, logs, theme),
            None => render(f, area, self, shell, theme),
        }
    }
}

pub fn render(f: &mut Frame, area: Rect, pane: &KubePane, shell: &Shell, theme: &Theme) {
    let level = pane.level();
    let count = super::row_count(&level.table);
    let mut extra = Vec::new();
    if !pane.namespaces.is_empty() {
        let ns = SafeText::new(&pane.namespaces.join(","));
        extra.push(Span::styled(
            format!("ns:{ns} "),
            theme.style(Slot::TextDim),
        ));
    }
    if !level.table.filter.is_empty() {
        extra.push(Span::styled(
            format!("/{} ", level.table.filter),
            theme.style(Slot::Match),
        ));
    }
    // What fails is said in the tab bar and on each cluster's line: the title keeps
    // its room for where the user is.
    let extra_w: usize = extra.iter().map(Span::width).sum();
    let room = usize::from(area.width).saturating_sub(count.chars().count() + 4 + extra_w);
    let mut title = vec![Span::styled(
        breadcrumb(pane, room),
        theme.style(Slot::Title),
    )];
    title.extend(extra);
    let unwell = pane.unwell();
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
    let mut inner = block.inner(area);
    // One line per cluster, except where the table is that already.
    let headed = inner.height >= 10 && level.view != KubeView::Clusters;
    // A stale cluster's bottom line, unless its own line above says it already and
    // another cluster's rows are still live: then the bottom stays for flashes and
    // the selected row's cut cells.
    let all_stale = !relevant.is_empty() && relevant.iter().all(|c| is_stale(c));
    let stale = relevant
        .iter()
        .find(|c| is_stale(c))
        .filter(|_| all_stale || !headed)
        .and_then(|c| {
            let has_data = c.data.version.is_some();
            super::stale_line(&c.status, Some(&c.spec.name), has_data, now, theme)
        });
    let bottom = stale
        .or_else(|| bottom_line(shell, theme))
        .or_else(|| super::detail_line(&level.table, area, inner, now, theme));
    if let Some(l) = bottom {
        block = block.title_bottom(l);
    }
    f.render_widget(block, area);
    let width = inner.width;
    let mut lines = Vec::new();
    let ro_mode = shell.access.is_read_only();
    if headed {
        let names = relevant
            .iter()
            .map(|c| SafeText::new(&c.spec.name).width())
            .max()
            .unwrap_or(0);
        lines.extend(
            relevant
                .iter()
                .map(|c| header(c, names, now, theme, width, ro_mode)),
        );
    }
    lines.extend(pane.notices().into_iter().take(3).map(|n| {
        Line::from(Span::styled(
            table::fit(n.as_str(), width).trim_end().to_string(),
            theme.style(Slot::StatusWarn),
        ))
    }));
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
    let empty = empty_text(pane, &relevant, headed);
    table::render(f, inner, &level.table, theme, true, &empty, now);
}

/// ` Kubernetes › workloads › homelab: media/immich (pods) `, each level that narrows
/// to one cluster of several naming it; in `room` columns, the first levels giving way
/// to `…` before the current one is cut.
fn breadcrumb(pane: &KubePane, room: usize) -> String {
    let mut crumbs = Vec::new();
    let mut source: Option<&str> = None;
    for l in pane.levels.iter() {
        let label = SafeText::new(&l.view.label()).to_string();
        match l.source.as_deref() {
            Some(name) if pane.multi() && source != Some(name) => {
                crumbs.push(format!("{}: {label}", SafeText::new(name)));
            }
            _ => crumbs.push(label),
        }
        source = l.source.as_deref();
    }
    let line = |crumbs: &[String], cut: bool| {
        let dots = if cut { "… › " } else { "" };
        format!(" Kubernetes › {dots}{} ", crumbs.join(" › "))
    };
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut from = 0;
    while from + 1 < crumbs.len() && width(&line(&crumbs[from..], from > 0)) > room {
        from += 1;
    }
    let out = line(&crumbs[from..], from > 0);
    if width(&out) > room {
        let cut = table::fit(&out, room.saturating_sub(1) as u16);
        format!("{} ", cut.trim_end())
    } else {
        out
    }
}

/// A cluster's line: its name, nodes and pods, what is wrong there (in the error
/// style) and its version; an unreachable cluster's why. Cut to `width` with a `…`.
/// Names are padded to `names` columns, so the facts line up.
fn header(
    c: &Cluster,
    names: usize,
    now: Timestamp,
    theme: &Theme,
    width: u16,
    ro_mode: bool,
) -> Line<'static> {
    let d = &c.data;
    let dim = theme.style(Slot::TextDim);
    let err = theme.style(Slot::StatusErr);
    let stale = matches!(c.status, SourceStatus::Stale { .. });
    let name_style = if stale { err } else { theme.style(Slot::Title) };
    let name = SafeText::new(&c.spec.name);
    let pad = " ".repeat(names.saturating_sub(name.width()) + 2);
    let mut spans = vec![(format!("{name}{pad}"), name_style)];
    match (&c.status, &d.version) {
        (
            SourceStatus::Stale {
                reason, attempt, ..
            },
            None,
        ) => {
            spans.push((format!("unreachable: {reason} (retry #{attempt})"), err));
        }
        (_, None) => spans.push(("connecting…".into(), dim)),
        (status, Some(v)) => {
            let not_ready = d.nodes_not_ready();
            let nodes = format!(
                "{}/{} nodes ready",
                d.nodes.len() - not_ready,
                d.nodes.len()
            );
            spans.push((nodes, if not_ready > 0 { err } else { dim }));
            spans.push((format!(" · {} pods", d.pods.len()), dim));
            // In read-only mode, who keeps the cluster unchanged, once the server said.
            match c.read_only_note() {
                Some(note) if ro_mode => spans.push((format!(" · {note}"), dim)),
                _ if c.spec.read_only => spans.push((" · read-only".into(), dim)),
                _ => {}
            }
            if let SourceStatus::Stale { since, .. } = status {
                let age = crate::core::time::age(Some(*since), now);
                spans.push((
                    format!(" · STALE, data from {age} ago"),
                    theme.style(Slot::Stale),
                ));
            }
            // Nodes not ready come first in the problems and are said above.
            let wrong: Vec<String> = problems(d)
                .into_iter()
                .skip(usize::from(not_ready > 0))
                .collect();
            if !wrong.is_empty() {
                spans.push((format!(" · {}", wrong.join(", ")), err));
            }
            // The version last: what is wrong is not cut for it.
            spans.push((format!(" · {v}"), dim));
        }
    }
    fit_spans(spans, width)
}

/// Spans cut to `width` columns, the cut marked with `…`.
fn fit_spans(spans: Vec<(String, ratatui::style::Style)>, width: u16) -> Line<'static> {
    let total: usize = spans
        .iter()
        .map(|(t, _)| unicode_width::UnicodeWidthStr::width(t.as_str()))
        .sum();
    let mut left = usize::from(width);
    let mut out = Vec::new();
    for (text, style) in spans {
        if left == 0 {
            break;
        }
        let w = unicode_width::UnicodeWidthStr::width(text.as_str());
        if total <= usize::from(width) || w < left {
            left -= w;
            out.push(Span::styled(text, style));
        } else {
            out.push(Span::styled(
                table::fit(&text, left as u16).trim_end().to_string(),
                style,
            ));
            left = 0;
        }
    }
    Line::from(out)
}

/// What an empty table says; with the clusters' lines above (`headed`), an unreachable
/// cluster's reason is not said a second time.
fn empty_text(pane: &KubePane, relevant: &[&Cluster], headed: bool) -> String {
    if pane.clusters.is_empty() {
        return "no Kubernetes contexts: set KUBECONFIG, or add [[kube]] entries to config.toml"
            .into();
    }
    let no_data = relevant.iter().all(|c| c.data.version.is_none());
    let stale = relevant.iter().find_map(|c| match &c.status {
        SourceStatus::Stale { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    if let Some(why) = pane.blocked() {
        return why;
    }
    if pane.level().view == KubeView::Forwards {
        return "no port-forwards: F on a pod, a container or a service starts one".into();
    }
    match (no_data, stale) {
        (true, Some(_)) if headed => "no data: not answered yet (see above). Retrying.".into(),
        (true, Some(r)) => format!("cluster unreachable: {r}. Retrying."),
        (true, None) => "connecting to the API server…".into(),
        _ => "nothing here".into(),
    }
}
