//! The 16 ANSI colour names theme files may use.
use std::fmt;

/// The 16 ANSI colours, in palette order (index 0-15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnsiName {
    Black,
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    White,
    BrightBlack,
    BrightRed,
    BrightGreen,
    BrightYellow,
    BrightBlue,
    BrightMagenta,
    BrightCyan,
    BrightWhite,
}

const BASE_NAMES: [&str; 8] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
];

impl AnsiName {
    pub const ALL: [AnsiName; 16] = {
        use AnsiName::*;
        [
            Black,
            Red,
            Green,
            Yellow,
            Blue,
            Magenta,
            Cyan,
            White,
            BrightBlack,
            BrightRed,
            BrightGreen,
            BrightYellow,
            BrightBlue,
            BrightMagenta,
            BrightCyan,
            BrightWhite,
        ]
    };

    /// The ANSI palette index, 0-15.
    pub fn index(self) -> u8 {
        self as u8
    }

    pub fn from_index(i: u8) -> Option<AnsiName> {
        AnsiName::ALL.get(usize::from(i)).copied()
    }

    pub fn from_name(name: &str) -> Option<AnsiName> {
        let (bright, base) = match name.strip_prefix("bright-") {
            Some(base) => (true, base),
            None => (false, name),
        };
        let i = BASE_NAMES.iter().position(|n| *n == base)?;
        AnsiName::from_index(i as u8 + if bright { 8 } else { 0 })
    }
}

impl fmt::Display for AnsiName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = usize::from(self.index());
        if i >= 8 {
            f.write_str("bright-")?;
        }
        f.write_str(BASE_NAMES[i % 8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_names_round_trip_in_palette_order() {
        for (i, n) in AnsiName::ALL.iter().enumerate() {
            assert_eq!(n.index() as usize, i);
            assert_eq!(AnsiName::from_name(&n.to_string()), Some(*n));
        }
        assert_eq!(AnsiName::BrightBlue.to_string(), "bright-blue");
    }
}
