//! The one action vocabulary: keymaps, the help screen, status-bar hints and the `:`
//! command line all name these.

/// What the user wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Command,
    Filter,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    TabNodes,
    TabVlans,
    TabZfs,
    TabSwarm,
    TabKube,
    NextTab,
    PrevTab,
    SortNext,
    SortReverse,
    ViewNext,
    ViewPrev,
    Logs,
    Stats,
    Describe,
    Inspect,
    Refresh,
    Follow,
    Timestamps,
    SearchNext,
    SearchPrev,
    Wrap,
    Prefix,
    ScrollLeft,
    ScrollRight,
    Copy,
    CopyId,
    Mark,
    Wide,
    Finished,
    LastView,
    Scale,
    Redeploy,
    Rollback,
    Remove,
    Drain,
    Pause,
    Activate,
    Promote,
    Demote,
    Exec,
    Snapshot,
    Scrub,
    ScrubPause,
    ScrubStop,
}

/// Static facts about an action.
pub struct ActionInfo {
    pub action: Action,
    /// The name keymaps and the command line use.
    pub name: &'static str,
    /// Default description for help and hints.
    pub desc: &'static str,
    /// Changes something outside labdeck: unavailable in read-only mode.
    pub writes: bool,
}

macro_rules! actions {
    ($( $v:ident = $name:literal, $desc:literal, $writes:literal; )*) => {
        pub const ALL: &[ActionInfo] = &[
            $( ActionInfo { action: Action::$v, name: $name, desc: $desc, writes: $writes }, )*
        ];
    };
}

actions! {
    Quit = "quit", "Quit labdeck", false;
    Help = "help", "Show keys", false;
    Command = "command", "Command line", false;
    Filter = "filter", "Filter rows / search logs", false;
    Back = "back", "Back / close", false;
    Up = "up", "Move up", false;
    Down = "down", "Move down", false;
    PageUp = "page-up", "Page up", false;
    PageDown = "page-down", "Page down", false;
    Top = "top", "First row", false;
    Bottom = "bottom", "Last row", false;
    Open = "open", "Open / drill down", false;
    TabNodes = "tab-nodes", "Nodes pane", false;
    TabVlans = "tab-vlans", "VLANs pane", false;
    TabZfs = "tab-zfs", "ZFS pane", false;
    TabSwarm = "tab-swarm", "Swarm pane", false;
    TabKube = "tab-kube", "Kubernetes pane", false;
    NextTab = "next-tab", "Next pane", false;
    PrevTab = "prev-tab", "Previous pane", false;
    SortNext = "sort-next", "Sort by next column", false;
    SortReverse = "sort-reverse", "Reverse sort order", false;
    ViewNext = "view-next", "Next view", false;
    ViewPrev = "view-prev", "Previous view", false;
    Logs = "logs", "Logs", false;
    Describe = "describe", "Every field of the selected item", false;
    Stats = "stats", "Live stats of a task's container", false;
    Inspect = "inspect", "Raw YAML of the selected item", false;
    Refresh = "refresh", "Re-read everything now", false;
    Follow = "follow", "Toggle follow", false;
    Timestamps = "timestamps", "Toggle timestamps", false;
    SearchNext = "search-next", "Next match", false;
    SearchPrev = "search-prev", "Previous match", false;
    Wrap = "wrap", "Wrap long lines", false;
    Prefix = "prefix", "Show / hide each line's task", false;
    ScrollLeft = "scroll-left", "Scroll left", false;
    ScrollRight = "scroll-right", "Scroll right", false;
    Copy = "copy", "Copy the selected name (OSC 52)", false;
    CopyId = "copy-id", "Copy the selected ID (OSC 52)", false;
    Mark = "mark", "Mark / unmark the row", false;
    Wide = "wide", "Wide columns (IDs, more fields)", false;
    Finished = "toggle-finished", "Show / hide finished tasks", false;
    LastView = "last-view", "Back to the previous view", false;
    Scale = "scale", "Scale service", true;
    Redeploy = "redeploy", "Force update (redeploy)", true;
    Rollback = "rollback", "Roll back service", true;
    Remove = "remove", "Remove service / stack, destroy snapshot", true;
    Drain = "drain", "Drain node (move its tasks away)", true;
    Pause = "pause", "Pause node (no new tasks)", true;
    Activate = "activate", "Activate node", true;
    Promote = "promote", "Promote node to manager", true;
    Demote = "demote", "Demote node to worker", true;
    Exec = "exec", "Shell into the task's container", true;
    Snapshot = "snapshot", "Take a snapshot of the dataset", true;
    Scrub = "scrub", "Start a scrub of the pool", true;
    ScrubPause = "scrub-pause", "Pause the pool's scrub", true;
    ScrubStop = "scrub-stop", "Stop the pool's scrub", true;
}

impl Action {
    pub fn info(self) -> &'static ActionInfo {
        ALL.iter()
            .find(|i| i.action == self)
            .expect("every action is listed in ALL")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn writes(self) -> bool {
        self.info().writes
    }

    pub fn from_name(name: &str) -> Option<Action> {
        ALL.iter().find(|i| i.name == name).map(|i| i.action)
    }

    /// The valid name closest to `name`, for "unknown action" warnings.
    pub fn nearest_name(name: &str) -> &'static str {
        ALL.iter()
            .min_by_key(|i| strsim::levenshtein(name, i.name))
            .map(|i| i.name)
            .unwrap_or("help")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for i in ALL {
            assert_eq!(Action::from_name(i.name), Some(i.action));
            assert_eq!(
                ALL.iter().filter(|j| j.name == i.name).count(),
                1,
                "{}",
                i.name
            );
        }
    }

    #[test]
    fn nearest_name_suggests_a_fix() {
        assert_eq!(Action::nearest_name("scael"), "scale");
        assert_eq!(Action::nearest_name("rolback"), "rollback");
    }

    #[test]
    fn only_engine_changing_actions_write() {
        let writes: Vec<&str> = ALL.iter().filter(|i| i.writes).map(|i| i.name).collect();
        assert_eq!(
            writes,
            [
                "scale",
                "redeploy",
                "rollback",
                "remove",
                "drain",
                "pause",
                "activate",
                "promote",
                "demote",
                "exec",
                "snapshot",
                "scrub",
                "scrub-pause",
                "scrub-stop"
            ]
        );
    }
}
