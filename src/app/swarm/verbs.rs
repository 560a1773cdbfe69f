//! The Swarm pane's own verbs: what its keys and `:` words may name, beside the shell's.

use crate::core::action::Verb;

crate::verbs! {
    /// The Swarm pane's verbs.
    pub enum SwarmVerb {
        Logs = "logs", "Logs", false;
        Stats = "stats", "Live stats of a task's container", false;
        Describe = "describe", "Every field of the selected item", false;
        Inspect = "inspect", "Raw YAML of the selected item", false;
        Finished = "toggle-finished", "Show / hide finished tasks", false;
        Scale = "scale", "Scale service", true;
        Redeploy = "redeploy", "Force update (redeploy)", true;
        Rollback = "rollback", "Roll back service", true;
        Remove = "remove", "Remove service / stack", true;
        Drain = "drain", "Drain node (move its tasks away)", true;
        Pause = "pause", "Pause node (no new tasks)", true;
        Activate = "activate", "Activate node", true;
        Promote = "promote", "Promote node to manager", true;
        Demote = "demote", "Demote node to worker", true;
        Exec = "exec", "Shell into the task's container", true;
    }
}

/// The pane's tab: `tab-swarm` shows it.
pub static TAB: Verb = Verb {
    name: "tab-swarm",
    desc: "Swarm pane",
    writes: false,
};
