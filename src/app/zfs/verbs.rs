//! The ZFS pane's own verbs: what its keys and `:` words may name, beside the shell's.

use crate::core::action::Verb;

crate::verbs! {
    /// The ZFS pane's verbs.
    pub enum ZfsVerb {
        Snapshot = "snapshot", "Take a snapshot of the dataset", true;
        Scrub = "scrub", "Start a scrub of the pool", true;
        ScrubPause = "scrub-pause", "Pause the pool's scrub", true;
        ScrubStop = "scrub-stop", "Stop the pool's scrub", true;
        Remove = "remove", "Destroy snapshot", true;
    }
}

/// The pane's tab: `tab-zfs` shows it.
pub static TAB: Verb = Verb {
    name: "tab-zfs",
    desc: "ZFS pane",
    writes: false,
};
