//! Which Swarm list is on screen. Drill-downs stack up; Esc pops back.

/// A Swarm pane view. `Services { stack: Some(None) }` are services outside any stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwarmView {
    Stacks,
    Services {
        stack: Option<Option<String>>,
    },
    Tasks {
        service_id: String,
        service: String,
    },
    Nodes,
    /// The tasks placed on one node, of every service.
    NodeTasks {
        node_id: String,
        node: String,
    },
    Networks,
    Secrets,
    Configs,
    /// Plain Docker host: Compose projects, then their containers.
    Projects,
    Containers {
        project: Option<String>,
    },
    /// Every field of one object, as KEY / VALUE rows.
    Describe {
        kind: Described,
        id: String,
        name: String,
    },
}

/// What a describe view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Described {
    Service,
    Task,
    Node,
}

impl SwarmView {
    /// Top-level views, cycled with view-next / view-prev.
    pub fn top_level(swarm_manager: bool) -> &'static [SwarmView] {
        SwarmView::top_level_for((swarm_manager, !swarm_manager))
    }

    /// Top-level views for engines that include a swarm manager and/or a plain engine:
    /// stacks from managers, Compose projects from plain engines, both when mixed.
    pub fn top_level_for((manager, plain): (bool, bool)) -> &'static [SwarmView] {
        const PLAIN: &[SwarmView] = &[SwarmView::Projects, SwarmView::Networks];
        // A manager's views are the commandable ones but Compose projects (the last).
        const SWARM: &[SwarmView] = SwarmView::WITH_COMMANDS.split_last().unwrap().1;
        const BOTH: &[SwarmView] = &SwarmView::WITH_COMMANDS;
        match (manager, plain) {
            (true, true) => BOTH,
            (true, false) => SWARM,
            _ => PLAIN,
        }
    }

    /// The breadcrumb label.
    pub fn label(&self) -> String {
        match self {
            SwarmView::Stacks => "stacks".into(),
            SwarmView::Services { stack: None } => "services".into(),
            SwarmView::Services { stack: Some(None) } => "(no stack)".into(),
            SwarmView::Services {
                stack: Some(Some(s)),
            } => s.clone(),
            SwarmView::Tasks { service, .. } => service.clone(),
            SwarmView::Nodes => "nodes".into(),
            SwarmView::NodeTasks { node, .. } => format!("{node} (tasks)"),
            SwarmView::Networks => "networks".into(),
            SwarmView::Secrets => "secrets".into(),
            SwarmView::Configs => "configs".into(),
            SwarmView::Projects => "compose projects".into(),
            SwarmView::Containers { project: None } => "(no project)".into(),
            SwarmView::Containers { project: Some(p) } => p.clone(),
            SwarmView::Describe { name, .. } => format!("{name} (describe)"),
        }
    }

    /// The `:` command that opens this view at top level.
    pub fn command(&self) -> Option<&'static str> {
        Some(match self {
            SwarmView::Stacks => "stacks",
            SwarmView::Services { stack: None } => "services",
            SwarmView::Nodes => "swarm-nodes",
            SwarmView::Networks => "networks",
            SwarmView::Secrets => "secrets",
            SwarmView::Configs => "configs",
            SwarmView::Projects => "compose",
            _ => return None,
        })
    }

    /// Every view a `:` command opens; a swarm manager's top-level views, then Compose.
    pub const WITH_COMMANDS: [SwarmView; 7] = [
        SwarmView::Stacks,
        SwarmView::Services { stack: None },
        SwarmView::Nodes,
        SwarmView::Networks,
        SwarmView::Secrets,
        SwarmView::Configs,
        SwarmView::Projects,
    ];

    pub fn from_command(cmd: &str) -> Option<SwarmView> {
        SwarmView::WITH_COMMANDS
            .into_iter()
            .find(|v| v.command() == Some(cmd))
    }

    /// Views whose rows are tasks (logs, stats, describe of a task).
    pub fn lists_tasks(&self) -> bool {
        matches!(self, SwarmView::Tasks { .. } | SwarmView::NodeTasks { .. })
    }

    /// Views whose rows are services (scale, redeploy, rollback, remove, logs apply).
    pub fn lists_services(&self) -> bool {
        matches!(self, SwarmView::Services { .. })
    }
}
