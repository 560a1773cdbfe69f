//! Fitting a theme's colours to what the terminal can show.
use ratatui::style::Color;

use crate::config::theme::{AnsiName, ColorDepth, ColorSpec};

/// The colour to use at `depth`; `None` when colours are off.
pub(super) fn to_color(c: ColorSpec, depth: ColorDepth) -> Option<Color> {
    Some(match (depth, c) {
        (ColorDepth::None, _) => return None,
        (_, ColorSpec::Reset) => Color::Reset,
        (_, ColorSpec::Named(n)) => ansi(n),
        (ColorDepth::TrueColor, ColorSpec::Rgb(r, g, b)) => Color::Rgb(r, g, b),
        (ColorDepth::TrueColor | ColorDepth::Ansi256, ColorSpec::Indexed(i)) => Color::Indexed(i),
        (ColorDepth::Ansi256, ColorSpec::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
        (ColorDepth::Ansi16, ColorSpec::Rgb(r, g, b)) => ansi(nearest_16(r, g, b)),
        (ColorDepth::Ansi16, ColorSpec::Indexed(i)) => match AnsiName::from_index(i) {
            Some(n) => ansi(n),
            None => {
                let (r, g, b) = rgb_of_index(i);
                ansi(nearest_16(r, g, b))
            }
        },
    })
}

/// ratatui names ANSI 7 `Gray` and ANSI 15 `White`.
fn ansi(n: AnsiName) -> Color {
    use AnsiName::*;
    match n {
        Black => Color::Black,
        Red => Color::Red,
        Green => Color::Green,
        Yellow => Color::Yellow,
        Blue => Color::Blue,
        Magenta => Color::Magenta,
        Cyan => Color::Cyan,
        White => Color::Gray,
        BrightBlack => Color::DarkGray,
        BrightRed => Color::LightRed,
        BrightGreen => Color::LightGreen,
        BrightYellow => Color::LightYellow,
        BrightBlue => Color::LightBlue,
        BrightMagenta => Color::LightMagenta,
        BrightCyan => Color::LightCyan,
        BrightWhite => Color::White,
    }
}

/// Channel levels of the xterm 6x6x6 colour cube (indices 16-231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The closest xterm-256 colour: the nearer of the closest cube colour and the
/// closest of the 24 greys (232-255). The 16 ANSI colours are skipped because
/// terminals repaint them.
pub(super) fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| {
        CUBE.iter()
            .enumerate()
            .min_by_key(|(_, l)| v.abs_diff(**l))
            .map_or(0, |(i, _)| i as u8)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = 16 + 36 * ri + 6 * gi + bi;
    let avg = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3) as u8;
    let grey = 232 + ((avg.saturating_sub(3)) / 10).min(23);
    let dist = |i: u8| {
        let (cr, cg, cb) = rgb_of_index(i);
        sq(r, cr) + sq(g, cg) + sq(b, cb)
    };
    if dist(grey) < dist(cube) { grey } else { cube }
}

fn sq(a: u8, b: u8) -> u32 {
    u32::from(a.abs_diff(b)).pow(2)
}

/// RGB of an xterm-256 index of 16 or more (cube or grey ramp).
fn rgb_of_index(i: u8) -> (u8, u8, u8) {
    if i >= 232 {
        let v = 8 + 10 * (i - 232);
        return (v, v, v);
    }
    let n = usize::from(i.max(16) - 16);
    (CUBE[n / 36], CUBE[(n / 6) % 6], CUBE[n % 6])
}

/// The closest of the 16 ANSI colours by hue, not RGB distance: terminals paint
/// those 16 differently, but "green" is green everywhere, and plain distance
/// turns a soft green into grey. Greyish colours go by lightness.
pub(super) fn nearest_16(r: u8, g: u8, b: u8) -> AnsiName {
    use AnsiName::*;
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let chroma = i32::from(max - min);
    let light = (u16::from(max) + u16::from(min)) / 2;
    if chroma < 48 {
        return match light {
            0..48 => Black,
            48..144 => BrightBlack,
            144..216 => White,
            _ => BrightWhite,
        };
    }
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    let hue = if i32::from(max) == r {
        60 * (g - b) / chroma
    } else if i32::from(max) == g {
        120 + 60 * (b - r) / chroma
    } else {
        240 + 60 * (r - g) / chroma
    };
    let sector = (hue + 360 + 30).rem_euclid(360) / 60;
    let base = [Red, Yellow, Green, Cyan, Blue, Magenta][sector as usize];
    if light > 140 {
        AnsiName::from_index(base.index() + 8).unwrap_or(base)
    } else {
        base
    }
}
