//! What each non-writing action does in the Swarm pane.

use super::jobs;
use super::pane::{StatsView, SwarmPane};
use super::verbs::SwarmVerb;
use super::view::{Described, SwarmView};
use crate::app::effect::Effect;
use crate::app::logs::LogView;
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::backend::swarm::logs::LogTarget;
use crate::core::action::Action;
use crate::core::text::SafeText;

pub fn run(p: &mut SwarmPane, shell: &mut Shell, action: Action) -> Vec<Effect> {
    let page = shell.table_height();
    if let Some(l) = p.logs.as_mut() {
        match action {
            // Esc clears a search first, then closes the log.
            Action::Back if !l.search.is_empty() => l.search.clear(),
            Action::Back => {
                p.logs = None;
                return vec![Effect::Cancel(jobs::LOGS)];
            }
            Action::Filter => {
                let current = l.search.clone();
                shell.prompt(InputKind::Search, &current);
            }
            a => {
                if let Some(why) = l.act(a, page) {
                    shell.flash(FlashLevel::Info, why);
                }
            }
        }
        return vec![];
    }
    match action {
        Action::Filter => {
            let current = p.level().table.filter.clone();
            shell.prompt(InputKind::Filter, &current);
        }
        // Esc undoes the nearest thing first: the filter, then marks, then the level.
        Action::Back => {
            let level = p.level_mut();
            if !level.table.filter.is_empty() {
                level.table.set_filter("");
            } else if !level.table.clear_marks() {
                p.levels.pop();
            }
        }
        Action::Verb(v) if v == SwarmVerb::Finished.verb() => {
            if !matches!(p.level().view, SwarmView::Tasks { .. }) {
                shell.flash(FlashLevel::Info, "finished tasks: open a service's tasks");
                return vec![];
            }
            p.options.hide_finished = !p.options.hide_finished;
            p.rebuild(shell.now());
            let what = if p.options.hide_finished {
                "hidden"
            } else {
                "shown"
            };
            shell.flash(FlashLevel::Info, format!("finished tasks {what}"));
        }
        Action::Wide => {
            let wide = !p.level().table.wide;
            p.levels.set_wide(wide);
        }
        Action::LastView => {
            if !p.levels.swap_previous() {
                shell.flash(FlashLevel::Info, "no previous view yet");
            }
            let effects: Vec<Effect> = close_stats_if_hidden(p).into_iter().collect();
            return effects;
        }
        Action::ViewNext | Action::ViewPrev => {
            return cycle_view(p, shell, if action == Action::ViewNext { 1 } else { -1 });
        }
        Action::Open if p.level().view.lists_tasks() => {
            return open_logs(p, shell);
        }
        Action::Open => open(p, shell),
        Action::Verb(v) => match SwarmVerb::of(v) {
            Some(SwarmVerb::Logs) => return open_logs(p, shell),
            Some(SwarmVerb::Stats) => return toggle_stats(p, shell),
            Some(SwarmVerb::Describe) => return describe(p, shell),
            Some(SwarmVerb::Inspect) => return inspect(p, shell),
            _ => {}
        },
        a => {
            p.level_mut().table.act(a, page);
        }
    }
    vec![]
}

/// Show `view` as the only level (from `:` commands and view cycling).
pub fn show_view(p: &mut SwarmPane, shell: &mut Shell, view: SwarmView) -> Vec<Effect> {
    let mut effects = Vec::new();
    if p.logs.take().is_some() {
        effects.push(Effect::Cancel(jobs::LOGS));
    }
    p.levels.reset(p.level_of(view, None));
    p.rebuild(shell.now());
    effects.extend(close_stats_if_hidden(p));
    effects
}

pub fn reset_views(p: &mut SwarmPane) -> Option<Effect> {
    let first = SwarmView::top_level_for(p.kinds())[0].clone();
    p.levels.reset(p.level_of(first, None));
    // The tasks view the stats panel belonged to is gone with the levels.
    close_stats_if_hidden(p)
}

fn cycle_view(p: &mut SwarmPane, shell: &mut Shell, by: isize) -> Vec<Effect> {
    let tops = SwarmView::top_level_for(p.kinds());
    let root = &p.levels.root().view;
    let i = tops.iter().position(|v| v == root).unwrap_or(0) as isize;
    let next = tops[(i + by).rem_euclid(tops.len() as isize) as usize].clone();
    show_view(p, shell, next)
}

fn open(p: &mut SwarmPane, shell: &mut Shell) {
    let Some((engine, key)) = p.selected() else {
        return;
    };
    let next = match &p.level().view {
        SwarmView::Stacks => SwarmView::Services {
            stack: Some((!key.is_empty()).then_some(key)),
        },
        SwarmView::Services { .. } => {
            let name = p
                .snap(&engine)
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
        SwarmView::Nodes => {
            let node = p
                .snap(&engine)
                .and_then(|s| {
                    s.nodes
                        .iter()
                        .find(|n| n.id == key)
                        .map(|n| n.hostname.to_string())
                })
                .unwrap_or_default();
            SwarmView::NodeTasks { node_id: key, node }
        }
        _ => return,
    };
    let level = p.level_of(next, Some(engine));
    p.levels.push(level);
    p.rebuild(shell.now());
}

fn open_logs(p: &mut SwarmPane, shell: &mut Shell) -> Vec<Effect> {
    let Some((engine, key)) = p.selected() else {
        return vec![];
    };
    let Some(endpoint) = p.engine(&engine).map(|e| e.endpoint.clone()) else {
        return vec![];
    };
    let Some(snap) = p.snap(&engine) else {
        return vec![];
    };
    let target = match &p.level().view {
        SwarmView::Services { .. } => snap.service(&key).map(|s| LogTarget::Service {
            id: key.clone(),
            name: s.name.to_string(),
        }),
        SwarmView::Tasks { .. } | SwarmView::NodeTasks { .. } => snap
            .tasks
            .iter()
            .find(|t| t.id == key)
            .map(|t| LogTarget::Task {
                id: key.clone(),
                name: super::rows::task_name(&snap, t),
            }),
        _ => None,
    };
    let Some(target) = target else {
        shell.flash(FlashLevel::Info, "logs: select a service or a task");
        return vec![];
    };
    let generation = shell.next_generation();
    p.logs = Some(LogView::new(generation, SafeText::new(target.name())));
    p.log_engine = Some(engine);
    let mut effects = vec![Effect::Start {
        key: jobs::LOGS,
        job: jobs::logs(endpoint, generation, target),
    }];
    effects.extend(close_stats_if_hidden(p));
    effects
}

/// `x` on a task: follow its container's stats; again: stop.
fn toggle_stats(p: &mut SwarmPane, shell: &mut Shell) -> Vec<Effect> {
    if p.stats.take().is_some() {
        return vec![Effect::Cancel(jobs::STATS)];
    }
    let SwarmView::Tasks { service_id, .. } = &p.level().view else {
        shell.flash(
            FlashLevel::Info,
            "stats: open a service's tasks and select one",
        );
        return vec![];
    };
    let service_id = service_id.clone();
    let Some((engine, task_id)) = p.selected() else {
        return vec![];
    };
    let Some(endpoint) = p.engine(&engine).map(|e| e.endpoint.clone()) else {
        return vec![];
    };
    let snap = p.snap(&engine);
    let task = snap
        .as_ref()
        .and_then(|s| s.tasks.iter().find(|t| t.id == task_id));
    // A stopped container sends no stats: say so now rather than wait forever.
    match task {
        // Starting: the container runs, its healthcheck has not passed yet.
        Some(t) if !matches!(t.state.as_str(), "running" | "starting") => {
            let what = if t.container_id.is_some() {
                "its container is not running"
            } else {
                "it has no container"
            };
            shell.flash(
                FlashLevel::Info,
                format!("stats: this task is {}: {what}", t.state),
            );
            return vec![];
        }
        _ => {}
    }
    let Some(container_id) = task.and_then(|t| t.container_id.clone()) else {
        shell.flash(FlashLevel::Info, "stats: this task has no container (yet)");
        return vec![];
    };
    let generation = shell.next_generation();
    p.stats = Some(StatsView {
        generation,
        engine,
        task_id,
        service_id,
        latest: None,
        history: Default::default(),
        error: None,
    });
    vec![Effect::Start {
        key: jobs::STATS,
        job: jobs::stats(endpoint, generation, container_id),
    }]
}

/// Stats follow one task's view: leaving it (back, another view, logs) stops them.
pub fn close_stats_if_hidden(p: &mut SwarmPane) -> Option<Effect> {
    close_stats_if_hidden_on(p, true)
}

/// The same, `on_screen` false when the whole pane is hidden (another tab).
pub fn close_stats_if_hidden_on(p: &mut SwarmPane, on_screen: bool) -> Option<Effect> {
    let open = p.stats.as_ref()?;
    let shown = on_screen
        && p.logs.is_none()
        && p.level().source.as_ref().is_none_or(|e| *e == open.engine)
        && matches!(&p.level().view, SwarmView::Tasks { service_id, .. } if *service_id == open.service_id);
    if shown {
        return None;
    }
    p.stats = None;
    Some(Effect::Cancel(jobs::STATS))
}

/// `y`: the selected object as the engine has it, as YAML, in the text viewer.
fn inspect(p: &mut SwarmPane, shell: &mut Shell) -> Vec<Effect> {
    use crate::backend::swarm::inspect::Object;
    let Some((engine, id)) = p.selected() else {
        return vec![];
    };
    let object = match &p.level().view {
        SwarmView::Services { .. } => Object::Service,
        SwarmView::Tasks { .. } | SwarmView::NodeTasks { .. } => Object::Task,
        SwarmView::Nodes => Object::Node,
        SwarmView::Networks => Object::Network,
        SwarmView::Secrets => Object::Secret,
        SwarmView::Configs => Object::Config,
        SwarmView::Containers { .. } => Object::Container,
        SwarmView::Describe { kind, id, .. } => {
            let id = id.clone();
            let object = match kind {
                Described::Service => Object::Service,
                Described::Task => Object::Task,
                Described::Node => Object::Node,
            };
            return open_yaml(p, shell, engine, object, id);
        }
        _ => {
            shell.flash(
                FlashLevel::Info,
                "yaml: a stack or project is many objects: open it and select one",
            );
            return vec![];
        }
    };
    open_yaml(p, shell, engine, object, id)
}

fn open_yaml(
    p: &mut SwarmPane,
    shell: &mut Shell,
    engine: String,
    object: crate::backend::swarm::inspect::Object,
    id: String,
) -> Vec<Effect> {
    let Some(endpoint) = p.engine(&engine).map(|e| e.endpoint.clone()) else {
        return vec![];
    };
    let title = super::identity::selected(p).map_or_else(|| id.clone(), |i| i.name);
    let generation = shell.next_generation();
    p.logs = Some(LogView::document(generation, SafeText::new(&title)));
    let mut effects = vec![Effect::Start {
        key: jobs::INSPECT,
        job: jobs::inspect(endpoint, generation, object, id),
    }];
    effects.extend(close_stats_if_hidden(p));
    effects
}

/// `d`: every field of the selected service, task or node; the spec fields come with
/// the object read whole from the engine.
fn describe(p: &mut SwarmPane, shell: &mut Shell) -> Vec<Effect> {
    use crate::backend::swarm::inspect::Object;
    let Some((engine, id)) = p.selected() else {
        return vec![];
    };
    let Some(endpoint) = p.engine(&engine).map(|e| e.endpoint.clone()) else {
        return vec![];
    };
    let level = p.level();
    let kind = match level.view {
        SwarmView::Services { .. } => Described::Service,
        SwarmView::Tasks { .. } | SwarmView::NodeTasks { .. } => Described::Task,
        SwarmView::Nodes => Described::Node,
        _ => {
            shell.flash(
                FlashLevel::Info,
                "describe: select a service, a task or a node",
            );
            return vec![];
        }
    };
    // The name is the first cell after the ENGINE column, if there is one.
    let first = usize::from(level.source.is_none() && p.multi());
    let name = level
        .table
        .selected_row()
        .and_then(|r| r.cells.get(first))
        .map(|c| c.text.to_string())
        .unwrap_or_default();
    let name = match kind {
        Described::Task => crate::backend::swarm::query::short_id(&id).to_string(),
        _ => name,
    };
    let object = match kind {
        Described::Service => Object::Service,
        Described::Task => Object::Task,
        Described::Node => Object::Node,
    };
    let generation = shell.next_generation();
    p.raw = Some(super::pane::Raw {
        generation,
        id: id.clone(),
        value: Ok(None),
    });
    let job = jobs::inspect(endpoint, generation, object, id.clone());
    let level = p.level_of(SwarmView::Describe { kind, id, name }, Some(engine));
    p.levels.push(level);
    p.rebuild(shell.now());
    vec![Effect::Start {
        key: jobs::INSPECT,
        job,
    }]
}
