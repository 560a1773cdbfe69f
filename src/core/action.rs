//! The action vocabulary: keymaps, the help screen, status-bar hints and the `:`
//! command line all name these. The shell's own actions (quit, help, `:`, tabs,
//! refresh, copy, the table's moves) are an enum here; everything else is a `Verb` that
//! a pane (or the log viewer) declares as data, so a new pane brings its verbs without
//! touching this file.

use std::fmt;

/// A verb declared by a pane or the log viewer: the name keymaps and `:` use, what it
/// does (help and hints), and whether it changes anything outside labdeck. Verbs are
/// statics, compared by identity: two panes' `remove` are two verbs.
pub struct Verb {
    pub name: &'static str,
    pub desc: &'static str,
    /// Changes something outside labdeck: refused in read-only mode.
    pub writes: bool,
}

impl PartialEq for Verb {
    fn eq(&self, other: &Verb) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Verb {}

impl std::hash::Hash for Verb {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::ptr::hash(self, h)
    }
}

impl fmt::Debug for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verb({})", self.name)
    }
}

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
    NextTab,
    PrevTab,
    SortNext,
    SortReverse,
    ViewNext,
    ViewPrev,
    Refresh,
    Copy,
    CopyId,
    Mark,
    Wide,
    LastView,
    /// Stop the plans under way, each before its next step.
    CancelPlans,
    /// Show a pane: its tab verb (`tab-swarm`), which the pane declares.
    Jump(&'static Verb),
    /// One of a pane's or the log viewer's verbs.
    Verb(&'static Verb),
}

/// Static facts about one of the shell's actions.
pub struct ActionInfo {
    pub action: Action,
    /// The name keymaps and the command line use.
    pub name: &'static str,
    /// Default description for help and hints.
    pub desc: &'static str,
}

macro_rules! shell_actions {
    ($( $v:ident = $name:literal, $desc:literal; )*) => {
        /// The shell's actions. None of them writes.
        pub const ALL: &[ActionInfo] = &[
            $( ActionInfo { action: Action::$v, name: $name, desc: $desc }, )*
        ];
    };
}

shell_actions! {
    Quit = "quit", "Quit labdeck";
    Help = "help", "Show keys";
    Command = "command", "Command line";
    Filter = "filter", "Filter rows / search logs";
    Back = "back", "Back / close";
    Up = "up", "Move up";
    Down = "down", "Move down";
    PageUp = "page-up", "Page up";
    PageDown = "page-down", "Page down";
    Top = "top", "First row";
    Bottom = "bottom", "Last row";
    Open = "open", "Open / drill down";
    NextTab = "next-tab", "Next pane";
    PrevTab = "prev-tab", "Previous pane";
    SortNext = "sort-next", "Sort by next column";
    SortReverse = "sort-reverse", "Reverse sort order";
    ViewNext = "view-next", "Next view";
    ViewPrev = "view-prev", "Previous view";
    Refresh = "refresh", "Re-read everything now";
    Copy = "copy", "Copy the selected name (OSC 52)";
    CopyId = "copy-id", "Copy the selected ID (OSC 52)";
    Mark = "mark", "Mark / unmark the row";
    Wide = "wide", "Wide columns (IDs, more fields)";
    LastView = "last-view", "Back to the previous view";
    CancelPlans = "cancel", "Stop the changes under way";
}

/// A vocabulary of verbs as an enum of its own, so its owner matches on variants while
/// the shell sees only `Verb`s:
///
/// ```
/// labdeck::verbs! {
///     /// A pane's verbs.
///     pub enum DemoVerb {
///         Scale = "scale", "Scale service", true;
///     }
/// }
/// use labdeck::core::action::Action;
/// assert_eq!(DemoVerb::of(DemoVerb::Scale.verb()), Some(DemoVerb::Scale));
/// assert_eq!(DemoVerb::Scale.act(), Action::Verb(DemoVerb::Scale.verb()));
/// assert!(DemoVerb::Scale.verb().writes);
/// ```
#[macro_export]
macro_rules! verbs {
    ($(#[$m:meta])* pub enum $E:ident { $( $v:ident = $name:literal, $desc:literal, $writes:literal; )* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $E { $( $v, )* }

        impl $E {
            /// Every verb, in declaration order (help lists them so). A static, not a
            /// constant: verbs are told apart by where they live.
            pub fn all() -> &'static [$crate::core::action::Verb] {
                static ALL: &[$crate::core::action::Verb] = &[
                    $( $crate::core::action::Verb { name: $name, desc: $desc, writes: $writes }, )*
                ];
                ALL
            }
            #[allow(dead_code)]
            const VARIANTS: &'static [$E] = &[ $( $E::$v, )* ];

            pub fn verb(self) -> &'static $crate::core::action::Verb {
                &Self::all()[self as usize]
            }

            pub fn act(self) -> $crate::core::action::Action {
                $crate::core::action::Action::Verb(self.verb())
            }

            /// Which of these `verb` is, if it is one of them.
            #[allow(dead_code)]
            pub fn of(verb: &$crate::core::action::Verb) -> Option<$E> {
                Self::all()
                    .iter()
                    .position(|v| std::ptr::eq(v, verb))
                    .map(|i| Self::VARIANTS[i])
            }
        }
    };
}

impl Action {
    fn info(self) -> Option<&'static ActionInfo> {
        ALL.iter().find(|i| i.action == self)
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Jump(v) | Action::Verb(v) => v.name,
            a => a.info().map_or("?", |i| i.name),
        }
    }

    /// Default description for help and hints.
    pub fn desc(self) -> &'static str {
        match self {
            Action::Jump(v) | Action::Verb(v) => v.desc,
            a => a.info().map_or("", |i| i.desc),
        }
    }

    /// Changes something outside labdeck: refused in read-only mode.
    pub fn writes(self) -> bool {
        matches!(self, Action::Verb(v) if v.writes)
    }

    /// One of the shell's actions by name.
    pub fn shell(name: &str) -> Option<Action> {
        ALL.iter().find(|i| i.name == name).map(|i| i.action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::verbs! {
        pub enum TestVerb {
            Scale = "scale", "Scale service", true;
            Logs = "logs", "Logs", false;
        }
    }

    crate::verbs! {
        pub enum OtherVerb {
            Scale = "scale", "Scale something else", true;
        }
    }

    #[test]
    fn shell_names_round_trip_and_are_unique_and_none_writes() {
        for i in ALL {
            assert_eq!(Action::shell(i.name), Some(i.action));
            assert_eq!(
                ALL.iter().filter(|j| j.name == i.name).count(),
                1,
                "{}",
                i.name
            );
            assert!(!i.action.writes(), "{}", i.name);
        }
    }

    #[test]
    fn verbs_are_their_declarer_s_and_say_whether_they_write() {
        let scale = TestVerb::Scale.act();
        assert_eq!(scale.name(), "scale");
        assert!(scale.writes());
        assert!(!TestVerb::Logs.act().writes());
        assert_eq!(TestVerb::of(TestVerb::Logs.verb()), Some(TestVerb::Logs));
        // The same name in another vocabulary is another verb.
        assert_ne!(scale, OtherVerb::Scale.act());
        assert_eq!(TestVerb::of(OtherVerb::Scale.verb()), None);
    }
}
