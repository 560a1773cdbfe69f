//! What each action does to the state.

use super::writes;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::input::LineInput;
use crate::app::logs::LogView;
use crate::app::state::{FlashLevel, InputKind, Level, Overlay, State, StatsView};
use crate::app::swarm::view::SwarmView;
use crate::app::tab::Tab;
use crate::backend::swarm::logs::LogTarget;

pub fn run(state: &mut State, action: Action) -> Vec<Effect> {
    if action.writes() {
        return writes::start(state, action);
    }
    let page = state.table_height() as isize;
    let in_logs = state.logs.is_some() && state.tab == Tab::Swarm;
    match action {
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::Help => state.overlay = Overlay::Help { scroll: 0 },
        Action::Command => {
            state.overlay = Overlay::Input {
                kind: InputKind::Command,
                input: Box::default(),
            }
        }
        Action::Filter if in_logs => {
            let current = state
                .logs
                .as_ref()
                .map(|l| l.search.clone())
                .unwrap_or_default();
            state.overlay = Overlay::Input {
                kind: InputKind::Search,
                input: Box::new(LineInput::new(&current)),
            };
        }
        Action::Filter if state.tab == Tab::Swarm => {
            let current = state.swarm.level().table.filter.clone();
            state.overlay = Overlay::Input {
                kind: InputKind::Filter,
                input: Box::new(LineInput::new(&current)),
            };
        }
        Action::Back => return back(state),
        Action::TabNodes => state.tab = Tab::Nodes,
        Action::TabVlans => state.tab = Tab::Vlans,
        Action::TabZfs => state.tab = Tab::Zfs,
        Action::TabSwarm => state.tab = Tab::Swarm,
        Action::TabKube => state.tab = Tab::Kube,
        Action::NextTab => state.tab = state.tab.shifted(1),
        Action::PrevTab => state.tab = state.tab.shifted(-1),
        Action::Refresh => return vec![Effect::Refresh],
        _ if in_logs => logs_action(state, action, page as usize),
        _ if state.tab == Tab::Swarm => return swarm_action(state, action, page),
        _ => {}
    }
    vec![]
}

fn back(state: &mut State) -> Vec<Effect> {
    if state.logs.is_some() && state.tab == Tab::Swarm {
        state.logs = None;
        return vec![Effect::CloseLogs];
    }
    let level = state.swarm.level_mut();
    if !level.table.filter.is_empty() {
        level.table.set_filter("");
    } else if state.swarm.levels.len() > 1 {
        state.swarm.levels.pop();
    }
    vec![]
}

fn logs_action(state: &mut State, action: Action, height: usize) {
    let Some(l) = state.logs.as_mut() else { return };
    match action {
        Action::Up => l.scroll(-1, height),
        Action::Down => l.scroll(1, height),
        Action::PageUp => l.scroll(-(height as isize), height),
        Action::PageDown => l.scroll(height as isize, height),
        Action::Top => l.to_top(),
        Action::Bottom => l.to_bottom(),
        Action::Follow => l.follow = !l.follow,
        Action::Timestamps => l.timestamps = !l.timestamps,
        Action::SearchNext | Action::SearchPrev if !l.jump(action == Action::SearchNext) => {
            let what = if l.search.is_empty() {
                "no search: press / first".to_string()
            } else {
                format!("no more matches for {:?}", l.search)
            };
            state.flash(FlashLevel::Info, what);
        }
        _ => {}
    }
}

fn swarm_action(state: &mut State, action: Action, page: isize) -> Vec<Effect> {
    match action {
        Action::ViewNext | Action::ViewPrev => {
            cycle_view(state, if action == Action::ViewNext { 1 } else { -1 })
        }
        Action::Open if matches!(state.swarm.level().view, SwarmView::Tasks { .. }) => {
            return open_logs(state);
        }
        Action::Open => open(state),
        Action::Logs => return open_logs(state),
        Action::Stats => return toggle_stats(state),
        Action::Describe => describe(state),
        _ => table_action(state, action, page),
    }
    vec![]
}

fn table_action(state: &mut State, action: Action, page: isize) {
    let table = &mut state.swarm.level_mut().table;
    match action {
        Action::Up => table.move_by(-1),
        Action::Down => table.move_by(1),
        Action::PageUp => table.move_by(-page),
        Action::PageDown => table.move_by(page),
        Action::Top => table.top(),
        Action::Bottom => table.bottom(),
        Action::SortNext => table.sort_next(),
        Action::SortReverse => table.sort_reverse(),
        _ => {}
    }
    table.scroll_into_view(page as usize);
}

/// Show `view` as the only level (from `:` commands and view cycling).
pub fn show_view(state: &mut State, view: SwarmView) {
    state.tab = Tab::Swarm;
    state.logs = None;
    state.swarm.levels = vec![Level::new(view)];
    state.swarm.rebuild((state.clock)());
}

pub fn reset_views(state: &mut State) {
    let first = SwarmView::top_level(state.swarm.swarm_manager())[0].clone();
    state.swarm.levels = vec![Level::new(first)];
}

fn cycle_view(state: &mut State, by: isize) {
    let tops = SwarmView::top_level(state.swarm.swarm_manager());
    let root = &state.swarm.levels[0].view;
    let i = tops.iter().position(|v| v == root).unwrap_or(0) as isize;
    let next = tops[(i + by).rem_euclid(tops.len() as isize) as usize].clone();
    show_view(state, next);
}

fn open(state: &mut State) {
    let level = state.swarm.level();
    let Some(key) = level.table.selected_key().map(str::to_owned) else {
        return;
    };
    let next = match &level.view {
        SwarmView::Stacks => SwarmView::Services {
            stack: Some((!key.is_empty()).then_some(key)),
        },
        SwarmView::Services { .. } => {
            let name = state
                .swarm
                .snapshot
                .as_ref()
                .and_then(|s| s.service(&key))
                .map(|s| s.name.to_string())
                .unwrap_or_default();
            SwarmView::Tasks {
                service_id: key,
                service: name,
            }
        }
        SwarmView::Projects => SwarmView::Containers {
            project: (!key.is_empty()).then_some(key),
        },
        _ => return,
    };
    state.swarm.levels.push(Level::new(next));
    state.swarm.rebuild((state.clock)());
}

fn open_logs(state: &mut State) -> Vec<Effect> {
    let level = state.swarm.level();
    let Some(key) = level.table.selected_key().map(str::to_owned) else {
        return vec![];
    };
    let Some(snap) = state.swarm.snapshot.clone() else {
        return vec![];
    };
    let target = match &level.view {
        SwarmView::Services { .. } => snap.service(&key).map(|s| LogTarget::Service {
            id: key.clone(),
            name: s.name.to_string(),
        }),
        SwarmView::Tasks { service, .. } => {
            let slot = snap.tasks.iter().find(|t| t.id == key).and_then(|t| t.slot);
            Some(LogTarget::Task {
                id: key.clone(),
                name: format!("{service}.{}", slot.map_or("-".into(), |s| s.to_string())),
            })
        }
        _ => None,
    };
    let Some(target) = target else {
        state.flash(FlashLevel::Info, "logs: select a service or a task");
        return vec![];
    };
    let generation = state.next_generation();
    state.logs = Some(LogView::new(generation, target.clone()));
    vec![Effect::OpenLogs { generation, target }]
}

/// `x` on a task: follow its container's stats; again: stop.
fn toggle_stats(state: &mut State) -> Vec<Effect> {
    if state.stats.take().is_some() {
        return vec![Effect::CloseStats];
    }
    let SwarmView::Tasks { service_id, .. } = &state.swarm.level().view else {
        state.flash(
            FlashLevel::Info,
            "stats: open a service's tasks and select one",
        );
        return vec![];
    };
    let service_id = service_id.clone();
    let Some(task_id) = state.swarm.level().table.selected_key().map(str::to_owned) else {
        return vec![];
    };
    let container = state
        .swarm
        .snapshot
        .as_ref()
        .and_then(|s| s.tasks.iter().find(|t| t.id == task_id))
        .and_then(|t| t.container_id.clone());
    let Some(container_id) = container else {
        state.flash(FlashLevel::Info, "stats: this task has no container (yet)");
        return vec![];
    };
    let generation = state.next_generation();
    state.stats = Some(StatsView {
        generation,
        task_id,
        service_id,
        latest: None,
        error: None,
    });
    vec![Effect::OpenStats {
        generation,
        container_id,
    }]
}

/// Stats follow one task's view: leaving it (back, another view, another pane) stops them.
pub fn close_stats_if_hidden(state: &mut State) -> Option<Effect> {
    let open = state.stats.as_ref()?;
    let shown = state.tab == crate::app::tab::Tab::Swarm
        && state.logs.is_none()
        && matches!(&state.swarm.level().view, SwarmView::Tasks { service_id, .. } if *service_id == open.service_id);
    if shown {
        return None;
    }
    state.stats = None;
    Some(Effect::CloseStats)
}

/// `d`: every field of the selected service, task or node.
fn describe(state: &mut State) {
    use crate::app::swarm::view::Described;
    let level = state.swarm.level();
    let Some(id) = level.table.selected_key().map(str::to_owned) else {
        return;
    };
    let kind = match level.view {
        SwarmView::Services { .. } => Described::Service,
        SwarmView::Tasks { .. } => Described::Task,
        SwarmView::Nodes => Described::Node,
        _ => {
            state.flash(
                FlashLevel::Info,
                "describe: select a service, a task or a node",
            );
            return;
        }
    };
    let name = level
        .table
        .selected_row()
        .and_then(|r| r.cells.first())
        .map(|c| c.text.to_string())
        .unwrap_or_default();
    let name = match kind {
        Described::Task => crate::backend::swarm::query::short_id(&id).to_string(),
        _ => name,
    };
    state
        .swarm
        .levels
        .push(Level::new(SwarmView::Describe { kind, id, name }));
    state.swarm.rebuild((state.clock)());
}
