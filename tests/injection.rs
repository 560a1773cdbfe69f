//! Hostile text from the engine never reaches the terminal as a control sequence.
//! The vectors of the design note UNTRUSTED-TEXT.md go into Swarm labels (a service's,
//! shown in its describe view, and secrets', shown in the secrets view) and into log
//! lines (shown in the log viewer) of a real stack; labdeck runs in a real terminal that records every byte it writes, and the recording is
//! checked sequence by sequence (see `check_stream` for the rule).

mod support;

use std::path::Path;

use support::lab::Stack;
use support::labdeck::{Labdeck, bottom_line, title_line};

/// (raw vector, what labdeck shows instead). Each is wrapped as `inj-NN:<vector>:end`
/// and used as a log line and as label `a` of a secret (sorted before the stack label).
const VECTORS: [(&str, &str); 13] = [
    ("\x1b]52;c;aGFjaw==\x07", "␛"),
    ("\x1b]52;c;aGFjaw==\x1b\\", "␛"),
    ("\x1b]0;pwned\x07", "␛"),
    (
        "\x1b]8;;http://example.invalid\x1b\\click\x1b]8;;\x1b\\",
        "␛click␛",
    ),
    ("\x1b[2J", "␛"),
    ("\x1b[6n", "␛"),
    ("\x1b[1;1H", "␛"),
    ("\x1bc", "␛"),
    ("\x1bP+q546e\x1b\\", "␛"),
    ("\u{9b}2J", "␛"),
    ("\u{9d}0;x\u{9c}", "␛"),
    ("abc\u{202e}fdp.exe", "abc⟪U+202E⟫fdp.exe"),
    ("ok\rEVIL", "ok␍EVIL"),
];

fn marked(i: usize, text: &str) -> String {
    format!("inj-{:02}:{text}:end", i + 1)
}

#[test]
fn labels_and_log_lines_cannot_drive_the_terminal() {
    require_lab!();
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "x\n").unwrap();
    let stack = Stack::deploy("ldinj", &compose(&secret));
    let name = stack.name();
    let recording = dir.path().join("terminal.bytes");
    let app = Labdeck::start_recording(&[], &[], 160, 40, &recording);
    app.expect(name);

    command(&app, "secrets");
    filter(&app, name);
    let screen = app.expect_that("every label, cleaned", |s| {
        VECTORS
            .iter()
            .enumerate()
            .all(|(i, (_, shown))| s.contains(&format!("a={}", marked(i, shown))))
    });
    assert_visible_markers(&screen);

    command(&app, "services");
    filter(&app, name);
    // The service's own labels, in its describe view.
    app.press("d", "the describe view", |s| {
        title_line(s).contains("(describe)")
    });
    let screen = app.expect_that("every service label, cleaned", |s| {
        VECTORS
            .iter()
            .enumerate()
            .all(|(i, (_, shown))| s.contains(&format!("inj-{:02}={}", i + 1, marked(i, shown))))
    });
    assert_visible_markers(&screen);
    app.press("Escape", "back to the services", |s| {
        !title_line(s).contains("(describe)")
    });
    let service = stack.service("noisy");
    app.press("l", "the log viewer", |s| {
        title_line(s).contains(&format!("Logs › {service} "))
    });
    let screen = app.expect_that("every log line, cleaned", |s| {
        VECTORS
            .iter()
            .enumerate()
            .all(|(i, (_, shown))| s.contains(&marked(i, shown)))
    });
    assert_visible_markers(&screen);

    // Quitting leaves the alternate screen: once that is recorded, so is everything.
    // In the log viewer q goes back (as in less); the second q quits.
    app.send_keys(&["q", "q"]);
    let bytes = wait_for_bytes(&recording, b"\x1b[?1049l");
    // The hostile text went through this stream, cleaned.
    let seen = String::from_utf8_lossy(&bytes);
    assert!(
        seen.contains("⟪U+202E⟫") && seen.contains("␍"),
        "no vector drawn"
    );
    if let Err(e) = check_stream(&bytes) {
        panic!("{e}\n(recording: {} bytes)", bytes.len());
    }
}

/// The rule accepts a frame like labdeck's and rejects each vector written raw into one.
#[test]
fn the_stream_rule_catches_every_vector_passed_through() {
    let frame = |cell: &str| {
        format!(
            "\x1b[?1049h\x1b[?25l\x1b[1;1H\x1b[38;5;15;48;5;4m 1 Nodes \x1b[0m\x1b[5;3H{cell}\x1b[39m\x1b[?25l"
        )
    };
    for (i, (raw, shown)) in VECTORS.iter().enumerate() {
        let cleaned = frame(&marked(i, shown));
        assert_eq!(check_stream(cleaned.as_bytes()), Ok(()), "{shown:?}");
        let raw = frame(&marked(i, raw));
        assert!(check_stream(raw.as_bytes()).is_err(), "{raw:?} passed");
    }
    let mut eight_bit = frame("").into_bytes();
    eight_bit.extend(b"\x9b6n");
    assert!(check_stream(&eight_bit).is_err(), "a raw 0x9B byte passed");
}

fn assert_visible_markers(screen: &str) {
    for shown in ["␛", "⟪U+202E⟫", "ok␍EVIL"] {
        assert!(screen.contains(shown), "{shown} not shown:\n{screen}");
    }
}

/// The rule, for every byte labdeck wrote during the session:
/// 1. valid UTF-8, and no C1 control (U+0080–U+009F): no 8-bit CSI, OSC, DCS, SOS,
///    PM, APC or ST in any encoding;
/// 2. ESC only as a CSI introducer (`ESC [`): no OSC, DCS, SOS, PM, APC, ST, RIS
///    (`ESC c`) or any other ESC sequence; no C0 control (BEL, CR, …) but the line
///    feed and backspace of labdeck's own short cursor moves;
/// 3. every CSI is one of the forms labdeck's own drawing uses: SGR (`m`), cursor
///    position with two numbers (`H`), cursor forward/back with one (`C`, `D`),
///    cursor show/hide and the alternate screen
///    (`?25`, `?1049` with `h`/`l`), and erase-display `2J`; so no device query
///    (`6n` or any `n`), no other erase, mode or window operation;
/// 4. `CSI 2J` and `CSI 1;1H` also have the exact bytes of two vectors, so they are
///    checked by where labdeck puts them: a full clear comes only when the screen size
///    changes, never here, and the top-left cell is only drawn in a frame that
///    rewrites the tab bar, so `CSI 1;1H` must be followed (after any SGR) by the
///    tab bar's first characters;
/// 5. no bidi control characters (U+202A–U+202E, U+2066–U+2069, U+200E/F).
fn check_stream(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut chars = text.char_indices().peekable();
    let mut csis = 0;
    while let Some((at, c)) = chars.next() {
        let context = || {
            format!(
                "{:?}",
                &text[at.saturating_sub(40)..(at + 40).min(text.len())]
            )
        };
        match c {
            '\u{1b}' => {
                if chars.next_if(|(_, c)| *c == '[').is_none() {
                    return Err(format!("ESC not starting a CSI at {at}: {}", context()));
                }
                let start = at + 2;
                let end;
                let final_byte = loop {
                    match chars.next() {
                        Some((i, f @ '\u{40}'..='\u{7e}')) => {
                            end = i;
                            break f;
                        }
                        Some((_, '\u{20}'..='\u{3f}')) => {}
                        _ => return Err(format!("broken CSI at {at}: {}", context())),
                    }
                };
                let params = &text[start..end];
                csis += 1;
                if !own_csi(params, final_byte) {
                    return Err(format!(
                        "CSI {params:?} {final_byte:?} is not labdeck's own at {at}: {}",
                        context()
                    ));
                }
                if final_byte == 'J' {
                    return Err(format!("a full clear (CSI 2J) at {at}: {}", context()));
                }
                if final_byte == 'H' && params == "1;1" && !tab_bar_follows(&text[end + 1..]) {
                    return Err(format!(
                        "CSI 1;1H not drawing the tab bar at {at}: {}",
                        context()
                    ));
                }
            }
            '\u{80}'..='\u{9f}' => return Err(format!("C1 control {c:?} at {at}: {}", context())),
            // labdeck's own short cursor moves (src/term/moves.rs): a line feed and
            // backspaces. One from outside text would stand on screen where its marker
            // should be, which the screen checks catch.
            '\n' | '\u{8}' => {}
            c if c.is_control() => return Err(format!("control {c:?} at {at}: {}", context())),
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                return Err(format!("bidi control {c:?} at {at}: {}", context()));
            }
            _ => {}
        }
    }
    if csis == 0 {
        return Err("no CSI at all: was anything recorded?".into());
    }
    Ok(())
}

fn own_csi(params: &str, final_byte: char) -> bool {
    let numbers = |p: &str, n: usize| {
        let parts: Vec<&str> = p.split(';').collect();
        parts.len() == n
            && parts
                .iter()
                .all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
    };
    match final_byte {
        'm' => params
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b';' || b == b':'),
        'H' => numbers(params, 2),
        // Relative moves along a row (src/term/moves.rs).
        'C' | 'D' => numbers(params, 1),
        'h' | 'l' => matches!(params, "?25" | "?1049"),
        'J' => params == "2",
        _ => false,
    }
}

/// After `CSI 1;1H` and any SGR: the first characters of the tab bar, ` 1 Nodes`.
fn tab_bar_follows(rest: &str) -> bool {
    let mut rest = rest;
    while let Some(after) = rest.strip_prefix("\x1b[") {
        match after.find('m') {
            Some(i)
                if after[..i]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b';' || b == b':') =>
            {
                rest = &after[i + 1..];
            }
            _ => return false,
        }
    }
    rest.starts_with(" 1 Nodes") || rest.starts_with(" 1 ")
}

fn wait_for_bytes(path: &Path, needle: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let found = support::lab::wait_until(support::labdeck::LAB, || {
        bytes = std::fs::read(path).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle)
    });
    assert!(found, "{needle:?} never recorded ({} bytes)", bytes.len());
    bytes
}

/// `:command` Enter, once the screen shows nothing else open.
fn command(app: &Labdeck, view: &str) {
    app.send_keys(&[":"]);
    app.send_text(view);
    let crumb = format!("Swarm › {view} ");
    app.press("Enter", &crumb, |s| {
        title_line(s).contains(&crumb) && bottom_line(s).contains("? Help")
    });
}

fn filter(app: &Labdeck, name: &str) {
    app.send_keys(&["/"]);
    app.send_text(name);
    app.press("Enter", "the filter", |s| {
        title_line(s).contains(&format!("/{name} ")) && bottom_line(s).contains("? Help")
    });
}

fn compose(secret_file: &Path) -> String {
    let mut script = String::new();
    for (i, (raw, _)) in VECTORS.iter().enumerate() {
        script.push_str(&printf_format(&marked(i, raw)));
        script.push_str("\\n");
    }
    let command = [
        "/bin/sh".to_owned(),
        "-c".to_owned(),
        format!("printf '{script}'; sleep 3600"),
    ];
    let command: Vec<String> = command.iter().map(|a| yaml_str(a)).collect();
    let mut yaml = format!(
        "version: \"3.8\"\nservices:\n  noisy:\n    image: local/busybox:1\n    \
         command: [{}]\n    stop_grace_period: 1s\n    deploy:\n      labels:\n",
        command.join(", ")
    );
    for (i, (raw, _)) in VECTORS.iter().enumerate() {
        yaml.push_str(&format!(
            "        inj-{:02}: {}\n",
            i + 1,
            yaml_str(&marked(i, raw))
        ));
    }
    yaml.push_str("secrets:\n");
    for (i, (raw, _)) in VECTORS.iter().enumerate() {
        yaml.push_str(&format!(
            "  inj-{:02}:\n    file: {}\n    labels:\n      a: {}\n",
            i + 1,
            yaml_str(&secret_file.display().to_string()),
            yaml_str(&marked(i, raw))
        ));
    }
    yaml
}

/// A YAML double-quoted scalar: printable ASCII as is, everything else as `\uXXXX`
/// (raw control characters are not allowed in YAML); `$$` for compose's `$`.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => out.push_str(&format!("\\{c}")),
            '$' => out.push_str("$$"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Text as a `printf` format in single quotes: bytes outside printable ASCII (and
/// `\`, `%`, `'`) as three-digit octal escapes, so the container prints exactly them.
fn printf_format(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'\\' | b'%' | b'\'' => format!("\\{b:03o}"),
            b' '..=b'~' => (b as char).to_string(),
            _ => format!("\\{b:03o}"),
        })
        .collect()
}
