//! A 16-colour terminal gets colours it can show: under `TERM=xterm` (the ansi16 theme)
//! the bytes labdeck writes carry the basic SGR codes (30-37, 90-97, 40-47, 100-107),
//! never the 256-colour form `ESC[38;5;N` that such a terminal ignores.

mod support;

use support::lab::require_lab;
use support::labdeck::{LAB, Labdeck};

#[test]
fn a_16_colour_terminal_gets_basic_sgr_codes() {
    if !require_lab() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("out.bytes");
    // tmux sets the pane's TERM itself, so the theme that TERM=xterm picks (unit-tested
    // in `config::theme::depth`) is named here too.
    let env = [("TERM", "xterm"), ("COLORTERM", "")];
    let app = Labdeck::start_recording(&["--theme", "ansi16"], &env, 100, 30, &recording);
    app.expect("swarm: live");
    app.send_keys(&["q"]);
    let mut bytes = Vec::new();
    let quit = support::lab::wait_until(LAB, || {
        bytes = std::fs::read(&recording).unwrap_or_default();
        bytes.windows(8).any(|w| w == b"\x1b[?1049l")
    });
    assert!(quit, "labdeck did not quit ({} bytes)", bytes.len());
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let at = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    if let Some(i) = at(b"\x1b[38;5;") {
        let end = (i + 24).min(bytes.len());
        let seen = String::from_utf8_lossy(&bytes[i..end]);
        panic!("a 256-colour foreground was sent: {seen:?}");
    }
    assert!(!has(b"\x1b[48;5;"), "a 256-colour background was sent");
    // Every SGR's parameters: a basic foreground is 30-37 or 90-97.
    let text = String::from_utf8_lossy(&bytes);
    let sgrs: Vec<&str> = text
        .split("\x1b[")
        .skip(1)
        .filter_map(|s| s.split_once('m').map(|(p, _)| p))
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit() || b == b';'))
        .collect();
    let basic = sgrs.iter().any(|p| {
        p.split(';')
            .filter_map(|x| x.parse::<u16>().ok())
            .any(|c| (30..=37).contains(&c) || (90..=97).contains(&c))
    });
    assert!(
        basic,
        "no basic foreground colour was sent at all: {sgrs:?}"
    );
}
