//! A container's live stats as a panel under its table: CPU and memory as small charts
//! of the last samples (one a second), with the figures of the newest one. Any pane
//! with a container open (a Swarm task, later a pod) can draw it.

use crate::core::stats::{ContainerStats, bytes};
use crate::ui::theme::{Slot, Theme};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Sparkline};
use std::collections::VecDeque;

/// Rows the panel takes: its border, a label row and a chart of three.
pub const HEIGHT: u16 = 5;

/// Draw the panel over `area` (`HEIGHT` rows) for `title`'s `samples`, oldest first.
pub fn render(
    f: &mut Frame,
    area: Rect,
    title: &str,
    samples: &VecDeque<ContainerStats>,
    theme: &Theme,
) {
    let Some(last) = samples.back() else {
        return;
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.style(Slot::Border))
        .title(Span::styled(
            format!(
                " stats {title} · pids {} · net ↓{} ↑{} ",
                last.pids,
                bytes(last.rx_bytes),
                bytes(last.tx_bytes)
            ),
            theme.style(Slot::StatusInfo),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [cpu, mem] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let peak_cpu = samples.iter().map(|s| s.cpu_percent).fold(0.0, f64::max);
    let cpu_label = format!("cpu {:.1}% (peak {:.1}%)", last.cpu_percent, peak_cpu);
    // Tenths of a percent: a chart of whole percents would flatten an idle container.
    let cpu_data: Vec<u64> = newest(samples, cpu.width)
        .map(|s| (s.cpu_percent * 10.0).round() as u64)
        .collect();
    chart(f, cpu, &cpu_label, &cpu_data, theme);
    let limit = (last.mem_limit > 0).then_some(last.mem_limit);
    let mem_label = match limit {
        Some(l) => format!("mem {} / {}", bytes(last.mem_used), bytes(l)),
        None => format!("mem {}", bytes(last.mem_used)),
    };
    // Scaled to its own peak, not to the limit: without one the limit is the host's
    // memory, against which a container's use draws as nothing.
    let mem_data: Vec<u64> = newest(samples, mem.width).map(|s| s.mem_used).collect();
    chart(f, mem, &mem_label, &mem_data, theme);
}

/// The newest samples that fit `width` columns, oldest first.
fn newest(samples: &VecDeque<ContainerStats>, width: u16) -> impl Iterator<Item = &ContainerStats> {
    samples
        .iter()
        .skip(samples.len().saturating_sub(usize::from(width)))
}

/// A label over a sparkline scaled to the data's own peak.
fn chart(f: &mut Frame, area: Rect, label: &str, data: &[u64], theme: &Theme) {
    if area.height < 2 {
        return;
    }
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    f.render_widget(
        Line::from(Span::styled(label.to_string(), theme.style(Slot::Text))),
        top,
    );
    let spark = Sparkline::default()
        .data(data)
        .style(theme.style(Slot::StatusOk));
    f.render_widget(spark, rest);
}
