//! The semantic style slots a theme fills. An enum, so renderers cannot typo a slot.

macro_rules! slots {
    ($( $(#[$doc:meta])* $v:ident = $name:literal, )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Slot {
            $( $(#[$doc])* $v, )*
        }

        impl Slot {
            pub const ALL: &[Slot] = &[ $( Slot::$v, )* ];

            /// The key used in theme files.
            pub fn name(self) -> &'static str {
                match self {
                    $( Slot::$v => $name, )*
                }
            }
        }
    };
}

slots! {
    Text = "text",
    TextDim = "text.dim",
    Title = "title",
    Border = "border",
    BorderFocused = "border.focused",
    /// Table header row.
    Header = "header",
    Selection = "selection",
    StatusOk = "status.ok",
    StatusWarn = "status.warn",
    StatusErr = "status.err",
    StatusInfo = "status.info",
    Tab = "tab",
    TabActive = "tab.active",
    /// The read-only badge.
    BadgeRo = "badge.ro",
    HintKey = "hint.key",
    HintDesc = "hint.desc",
    /// A hint for an action that cannot run now (read-only, nothing selected).
    HintUnavailable = "hint.unavailable",
    Dialog = "dialog",
    DialogDanger = "dialog.danger",
    Input = "input",
    /// Search match highlight.
    Match = "match",
    /// Data that could not be refreshed.
    Stale = "stale",
    /// A row marked (space) for an action on several rows.
    Marked = "marked",
}

impl Slot {
    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// Position in `ALL`, for array-backed lookups.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_index_matches_position() {
        assert_eq!(Slot::ALL.len(), 23);
        for (i, s) in Slot::ALL.iter().enumerate() {
            assert_eq!(Slot::from_name(s.name()), Some(*s));
            assert_eq!(s.index(), i);
        }
        assert_eq!(Slot::from_name("status.okk"), None);
    }
}
