//! A theme resolved once for the terminal: one ratatui `Style` per slot. Panes ask
//! for `theme.style(Slot::Selection)` and never see colour depths or theme files.
use ratatui::style::{Modifier, Style};

pub use crate::config::theme::{ColorDepth, Slot};
use crate::config::theme::{DEFAULT_THEME, ModSpec, StyleSpec, ThemeSpec};

mod colour;

const SLOTS: usize = Slot::ALL.len();

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    styles: [Style; SLOTS],
    depth: ColorDepth,
}

impl Theme {
    /// Styles for `spec` as a terminal of `depth` can show them. A slot the spec
    /// lacks gets the empty style (loaders fill every slot; this is a backstop).
    pub fn resolve(spec: &ThemeSpec, depth: ColorDepth) -> Theme {
        let mut styles = [Style::new(); SLOTS];
        for slot in Slot::ALL {
            if let Some(s) = spec.style(*slot) {
                styles[slot.index()] = resolve_style(s, depth);
            }
        }
        if depth == ColorDepth::None {
            // Without colours a selection would vanish; reversed video shows it anywhere.
            let i = Slot::Selection.index();
            styles[i] = styles[i].add_modifier(Modifier::REVERSED);
            // So would a mark (a colour and bold, which some terminals do not show):
            // underlined as well.
            let m = Slot::Marked.index();
            styles[m] = styles[m].add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        }
        Theme { styles, depth }
    }

    pub fn style(&self, slot: Slot) -> Style {
        self.styles[slot.index()]
    }

    pub fn depth(&self) -> ColorDepth {
        self.depth
    }
}

/// The shipped default theme in truecolor: for tests and previews.
impl Default for Theme {
    fn default() -> Self {
        let spec = ThemeSpec::embedded(DEFAULT_THEME).unwrap_or_default();
        Theme::resolve(&spec, ColorDepth::TrueColor)
    }
}

fn resolve_style(spec: &StyleSpec, depth: ColorDepth) -> Style {
    let mut style = Style::new();
    if let Some(fg) = spec.fg.and_then(|c| colour::to_color(c, depth)) {
        style = style.fg(fg);
    }
    if let Some(bg) = spec.bg.and_then(|c| colour::to_color(c, depth)) {
        style = style.bg(bg);
    }
    spec.mods
        .iter()
        .fold(style, |style, m| style.add_modifier(modifier(*m)))
}

fn modifier(m: ModSpec) -> Modifier {
    match m {
        ModSpec::Bold => Modifier::BOLD,
        ModSpec::Dim => Modifier::DIM,
        ModSpec::Italic => Modifier::ITALIC,
        ModSpec::Underlined => Modifier::UNDERLINED,
        ModSpec::Reversed => Modifier::REVERSED,
    }
}

#[cfg(test)]
mod tests;
