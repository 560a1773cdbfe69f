//! Which theme and colour depth suit the terminal we run in.

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
    Ansi16,
    /// `NO_COLOR`: modifiers only.
    None,
}

pub const DEFAULT_THEME: &str = "default";
/// Picked for 16-colour terminals unless the user named a theme.
pub const ANSI16_THEME: &str = "ansi16";

/// The theme name and colour depth from the settings and the environment
/// (`TERM`, `COLORTERM`, and whether `NO_COLOR` is set to a non-empty value).
/// The user's theme always wins; the depth only limits how it is rendered.
pub fn choose(
    settings_theme: Option<&str>,
    term: Option<&str>,
    colorterm: Option<&str>,
    no_color: bool,
) -> (String, ColorDepth) {
    let depth = if no_color {
        ColorDepth::None
    } else if colorterm
        .is_some_and(|c| c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit"))
    {
        ColorDepth::TrueColor
    } else if term.is_some_and(|t| t.contains("256color")) {
        ColorDepth::Ansi256
    } else {
        ColorDepth::Ansi16
    };
    let name = match (settings_theme, depth) {
        (Some(name), _) => name,
        // A truecolor palette squeezed into 16 colours reads worse than one made for them.
        (None, ColorDepth::Ansi16) => ANSI16_THEME,
        (None, _) => DEFAULT_THEME,
    };
    (name.to_string(), depth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColorDepth as D;

    fn pick(
        theme: Option<&str>,
        term: &str,
        colorterm: &str,
        no_color: bool,
    ) -> (String, ColorDepth) {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        choose(
            theme,
            opt(term).as_deref(),
            opt(colorterm).as_deref(),
            no_color,
        )
    }

    #[test]
    fn no_color_wins_over_everything() {
        assert_eq!(
            pick(None, "xterm-256color", "truecolor", true),
            ("default".into(), D::None)
        );
        assert_eq!(pick(Some("light"), "", "", true), ("light".into(), D::None));
    }

    #[test]
    fn colorterm_means_truecolor() {
        assert_eq!(
            pick(None, "xterm", "truecolor", false),
            ("default".into(), D::TrueColor)
        );
        assert_eq!(
            pick(None, "", "24bit", false),
            ("default".into(), D::TrueColor)
        );
        assert_eq!(
            pick(None, "", "TrueColor", false),
            ("default".into(), D::TrueColor)
        );
    }

    #[test]
    fn term_256color_means_256() {
        assert_eq!(
            pick(None, "xterm-256color", "", false),
            ("default".into(), D::Ansi256)
        );
        assert_eq!(
            pick(None, "tmux-256color", "yes", false),
            ("default".into(), D::Ansi256)
        );
    }

    #[test]
    fn otherwise_16_colours_and_the_ansi16_theme() {
        assert_eq!(pick(None, "xterm", "", false), ("ansi16".into(), D::Ansi16));
        assert_eq!(pick(None, "linux", "", false), ("ansi16".into(), D::Ansi16));
        assert_eq!(pick(None, "", "", false), ("ansi16".into(), D::Ansi16));
    }

    #[test]
    fn a_named_theme_is_kept_on_a_16_colour_terminal() {
        assert_eq!(
            pick(Some("light"), "vt100", "", false),
            ("light".into(), D::Ansi16)
        );
        assert_eq!(
            pick(Some("light"), "", "24bit", false),
            ("light".into(), D::TrueColor)
        );
    }
}
