//! The pure-data form of a theme file: colours and modifiers as written, before they
//! are resolved for a terminal. Parsing errors name the offending value so a
//! warning can say exactly what to fix.
use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, de};

pub use super::ansi::AnsiName;

/// A colour as a theme file states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorSpec {
    Named(AnsiName),
    Rgb(u8, u8, u8),
    /// An xterm-256 palette index.
    Indexed(u8),
    /// The terminal's own default colour.
    Reset,
}

impl FromStr for ColorSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.to_ascii_lowercase();
        if lower == "reset" {
            return Ok(ColorSpec::Reset);
        }
        if let Some(name) = AnsiName::from_name(&lower) {
            return Ok(ColorSpec::Named(name));
        }
        parse_hex(&lower).ok_or_else(|| {
            format!("unknown colour \"{s}\" (use an ANSI name, \"#rrggbb\" or 0-255)")
        })
    }
}

fn parse_hex(s: &str) -> Option<ColorSpec> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(ColorSpec::Rgb(byte(0)?, byte(2)?, byte(4)?))
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl de::Visitor<'_> for Visit {
            type Value = ColorSpec;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a colour name, \"#rrggbb\" or 0-255")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ColorSpec, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ColorSpec, E> {
                u8::try_from(v)
                    .map(ColorSpec::Indexed)
                    .map_err(|_| E::custom(format!("colour index {v} is not in 0-255")))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ColorSpec, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// Text modifiers a theme may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModSpec {
    Bold,
    Dim,
    Italic,
    Underlined,
    Reversed,
}

impl FromStr for ModSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "bold" => ModSpec::Bold,
            "dim" => ModSpec::Dim,
            "italic" => ModSpec::Italic,
            "underlined" => ModSpec::Underlined,
            "reversed" => ModSpec::Reversed,
            _ => {
                return Err(format!(
                    "unknown modifier \"{s}\" (use bold, dim, italic, underlined, reversed)"
                ));
            }
        })
    }
}

impl<'de> Deserialize<'de> for ModSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// One slot's style. Absent colours inherit from whatever is underneath.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<ColorSpec>,
    pub bg: Option<ColorSpec>,
    #[serde(default)]
    pub mods: Vec<ModSpec>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_forms() {
        let c = |s: &str| s.parse::<ColorSpec>();
        assert_eq!(c("red"), Ok(ColorSpec::Named(AnsiName::Red)));
        assert_eq!(
            c("bright-black"),
            Ok(ColorSpec::Named(AnsiName::BrightBlack))
        );
        assert_eq!(
            c("Bright-White"),
            Ok(ColorSpec::Named(AnsiName::BrightWhite))
        );
        assert_eq!(c("reset"), Ok(ColorSpec::Reset));
        assert_eq!(c("#7fd962"), Ok(ColorSpec::Rgb(0x7f, 0xd9, 0x62)));
        assert_eq!(c("#7FD962"), Ok(ColorSpec::Rgb(0x7f, 0xd9, 0x62)));
        for bad in [
            "grene", "#7fd96", "#7fd9622", "#gggggg", "bright-", "7fd962", "#ffé00",
        ] {
            assert!(c(bad).unwrap_err().contains("unknown colour"), "{bad}");
        }
    }

    #[test]
    fn style_from_toml_with_index_and_mods() {
        let s: StyleSpec =
            toml::from_str("fg = 208\nbg = \"#000000\"\nmods = [\"bold\", \"Reversed\"]").unwrap();
        assert_eq!(s.fg, Some(ColorSpec::Indexed(208)));
        assert_eq!(s.bg, Some(ColorSpec::Rgb(0, 0, 0)));
        assert_eq!(s.mods, [ModSpec::Bold, ModSpec::Reversed]);
    }

    #[test]
    fn bad_values_are_named_in_the_error() {
        let err = |t: &str| {
            toml::from_str::<StyleSpec>(t)
                .unwrap_err()
                .message()
                .to_string()
        };
        assert!(err("fg = 256").contains("256 is not in 0-255"));
        assert!(err("fg = -1").contains("-1 is not in 0-255"));
        assert!(err("mods = [\"blink\"]").contains("unknown modifier \"blink\""));
        assert!(err("fgg = \"red\"").contains("fgg"));
        assert!(err("fg = true").contains("colour"));
    }
}
