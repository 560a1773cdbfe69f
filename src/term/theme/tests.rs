use ratatui::style::{Color, Modifier, Style};

use super::colour::{nearest_16, nearest_256, to_color};
use super::*;
use crate::config::theme::{AnsiName, ColorSpec, EMBEDDED};

fn shipped(name: &str) -> ThemeSpec {
    ThemeSpec::embedded(name).unwrap()
}

fn colours(theme: &Theme) -> Vec<(Slot, Color)> {
    Slot::ALL
        .iter()
        .flat_map(|s| {
            let st = theme.style(*s);
            [st.fg, st.bg].into_iter().flatten().map(move |c| (*s, c))
        })
        .collect()
}

fn is_ansi16(c: Color) -> bool {
    !matches!(c, Color::Rgb(..) | Color::Indexed(_))
}

#[test]
fn truecolor_keeps_rgb_and_modifiers() {
    let t = Theme::resolve(&shipped("default"), ColorDepth::TrueColor);
    let want = Style::new()
        .fg(Color::Rgb(0x1c, 0x1c, 0x1c))
        .bg(Color::Rgb(0x5f, 0xaf, 0xd7))
        .add_modifier(Modifier::BOLD);
    assert_eq!(t.style(Slot::Selection), want);
    assert_eq!(
        t.style(Slot::StatusOk).fg,
        Some(Color::Rgb(0x7f, 0xd9, 0x62))
    );
    assert_eq!(
        to_color(ColorSpec::Indexed(208), ColorDepth::TrueColor),
        Some(Color::Indexed(208))
    );
}

#[test]
fn ansi256_maps_rgb_to_cube_or_grey() {
    assert_eq!(nearest_256(255, 0, 0), 196);
    assert_eq!(nearest_256(0x5f, 0xaf, 0xd7), 74);
    assert_eq!(nearest_256(0, 0, 0), 16);
    assert_eq!(nearest_256(255, 255, 255), 231);
    assert_eq!(nearest_256(128, 128, 128), 244);
    assert_eq!(nearest_256(0x1c, 0x1c, 0x1c), 234);
    assert_eq!(nearest_256(0x80, 0x81, 0x7f), 244);
    let to = |c| to_color(c, ColorDepth::Ansi256);
    assert_eq!(to(ColorSpec::Rgb(255, 0, 0)), Some(Color::Indexed(196)));
    assert_eq!(to(ColorSpec::Indexed(208)), Some(Color::Indexed(208)));
    assert_eq!(to(ColorSpec::Named(AnsiName::White)), Some(Color::Gray));
    assert_eq!(to(ColorSpec::Reset), Some(Color::Reset));
}

#[test]
fn ansi16_maps_by_hue_and_lightness() {
    use AnsiName::*;
    let cases = [
        ((0x7f, 0xd9, 0x62), BrightGreen),
        ((0, 0xcd, 0), Green),
        ((0xcd, 0, 0), Red),
        ((0xff, 0x5f, 0x5f), BrightRed),
        ((0xff, 0xaf, 0x5f), BrightYellow),
        ((0, 0, 0xee), Blue),
        ((0xcd, 0, 0xcd), Magenta),
        ((0x5f, 0xaf, 0xd7), BrightCyan),
        ((0x1c, 0x1c, 0x1c), Black),
        ((0x8a, 0x8a, 0x8a), BrightBlack),
        ((0xd0, 0xd0, 0xd0), White),
        ((0xff, 0xff, 0xff), BrightWhite),
    ];
    for ((r, g, b), want) in cases {
        assert_eq!(nearest_16(r, g, b), want, "#{r:02x}{g:02x}{b:02x}");
    }
}

#[test]
fn ansi16_maps_indexed_colours_too() {
    let to = |i| to_color(ColorSpec::Indexed(i), ColorDepth::Ansi16);
    assert_eq!(to(9), Some(Color::LightRed));
    assert_eq!(to(7), Some(Color::Gray));
    assert_eq!(to(196), Some(Color::Red));
    assert_eq!(to(46), Some(Color::Green));
    assert_eq!(to(244), Some(Color::DarkGray));
    assert_eq!(to(255), Some(Color::White));
}

#[test]
fn downgraded_default_theme_fits_the_depth_and_keeps_statuses_apart() {
    let spec = shipped("default");
    let t16 = Theme::resolve(&spec, ColorDepth::Ansi16);
    assert!(
        colours(&t16).iter().all(|(_, c)| is_ansi16(*c)),
        "{:?}",
        colours(&t16)
    );
    let t256 = Theme::resolve(&spec, ColorDepth::Ansi256);
    assert!(
        colours(&t256)
            .iter()
            .all(|(_, c)| !matches!(c, Color::Rgb(..)))
    );
    for t in [t16, t256] {
        let status = [Slot::StatusOk, Slot::StatusWarn, Slot::StatusErr];
        let fgs: Vec<_> = status.iter().map(|s| t.style(*s).fg).collect();
        assert!(
            fgs[0] != fgs[1] && fgs[1] != fgs[2] && fgs[0] != fgs[2],
            "{fgs:?}"
        );
    }
}

#[test]
fn ansi16_theme_resolves_to_ansi_colours_only() {
    let spec = shipped("ansi16");
    for depth in [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
    ] {
        let t = Theme::resolve(&spec, depth);
        let all = colours(&t);
        assert!(!all.is_empty());
        for (slot, c) in all {
            assert!(is_ansi16(c), "{depth:?} {slot:?}: {c:?}");
        }
        assert_eq!(t.style(Slot::Tab).fg, Some(Color::Gray));
        assert_eq!(t.style(Slot::TextDim).fg, Some(Color::DarkGray));
    }
}

#[test]
fn no_color_drops_colours_keeps_modifiers_and_shows_the_selection() {
    for (name, _) in EMBEDDED {
        let t = Theme::resolve(&shipped(name), ColorDepth::None);
        assert_eq!(colours(&t), [], "{name}");
        let sel = t.style(Slot::Selection);
        assert!(sel.add_modifier.contains(Modifier::REVERSED), "{name}");
        assert!(sel.add_modifier.contains(Modifier::BOLD), "{name}");
        assert!(
            t.style(Slot::Header).add_modifier.contains(Modifier::BOLD),
            "{name}"
        );
        assert!(
            t.style(Slot::Match)
                .add_modifier
                .contains(Modifier::UNDERLINED),
            "{name}"
        );
    }
    let color = Theme::resolve(&shipped("default"), ColorDepth::TrueColor);
    assert!(
        !color
            .style(Slot::Selection)
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn missing_slot_is_the_empty_style() {
    let mut spec = shipped("default");
    spec.slots.remove("title");
    let t = Theme::resolve(&spec, ColorDepth::TrueColor);
    assert_eq!(t.style(Slot::Title), Style::new());
    assert_ne!(t.style(Slot::Border), Style::new());
    assert_eq!(t.depth(), ColorDepth::TrueColor);
    assert_eq!(
        Theme::default(),
        Theme::resolve(&shipped("default"), ColorDepth::TrueColor)
    );
}
