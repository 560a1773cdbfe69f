//! One line of any log (a container, a pod, a command's output), already cleaned.
//!
//! Applications colour their logs with SGR sequences (`ESC[32mstarted ESC[0m`). Those
//! become style runs beside the clean text; every other sequence is cleaned away as
//! everywhere else (see `SafeText`), so a log line can colour itself but do nothing else.

use super::text::SafeText;
use super::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: Option<Timestamp>,
    /// The source's own timestamp text (RFC 3339, nanoseconds), shown when asked.
    pub stamp: SafeText,
    pub stderr: bool,
    pub text: SafeText,
    /// Colour runs over `text`, in order; none for an uncoloured line.
    pub styles: Vec<Run>,
    /// Which of several streams it came from (a service's task ID), raw; `None` for
    /// a log of one.
    pub source: Option<String>,
    /// How the pane names that source (`media_plex.2@nas`), shown before the text.
    pub prefix: SafeText,
}

/// From byte `start` of the text on (to the next run): this colour and weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    /// An xterm colour number (0-15 are the named ones); `None`: the default.
    pub fg: Option<u8>,
    pub bold: bool,
}

impl LogLine {
    /// A line from raw text: SGR colours kept as runs, the rest cleaned.
    pub fn new(at: Option<Timestamp>, stamp: &str, stderr: bool, raw: &str) -> LogLine {
        let (text, styles) = styled(raw);
        LogLine {
            at,
            stamp: SafeText::new(stamp),
            stderr,
            text,
            styles,
            source: None,
            prefix: SafeText::default(),
        }
    }
}

/// Split `raw` at its SGR sequences: the cleaned text, and where each style begins.
pub fn styled(raw: &str) -> (SafeText, Vec<Run>) {
    let mut text = String::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut state = Run {
        start: 0,
        fg: None,
        bold: false,
    };
    let mut rest = raw;
    loop {
        let (segment, sgr, after) = match next_sgr(rest) {
            Some((at, params, len)) => (&rest[..at], Some(params), &rest[at + len..]),
            None => (rest, None, ""),
        };
        if !segment.is_empty() {
            let plain = (state.fg, state.bold) == (None, false);
            let last = runs.last().map(|r| (r.fg, r.bold));
            if !(runs.is_empty() && plain) && last != Some((state.fg, state.bold)) {
                runs.push(Run {
                    start: text.len(),
                    ..state
                });
            }
            text.push_str(SafeText::new(segment).as_str());
        }
        match sgr {
            Some(params) => apply(&mut state, params),
            None => break,
        }
        rest = after;
    }
    // Each piece was cleaned on its own; joined, they stay clean (no escape survives).
    (SafeText::trusted(text), runs)
}

/// The next `ESC [ digits/; m`: where it starts, its parameters, its length.
fn next_sgr(s: &str) -> Option<(usize, &str, usize)> {
    let mut from = 0;
    while let Some(i) = s[from..].find("\u{1b}[") {
        let at = from + i;
        let body = &s[at + 2..];
        let n = body
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b';')
            .count();
        if body.as_bytes().get(n) == Some(&b'm') {
            return Some((at, &body[..n], n + 3));
        }
        from = at + 2;
    }
    None
}

fn apply(state: &mut Run, params: &str) {
    let p: Vec<u16> = params.split(';').map(|x| x.parse().unwrap_or(0)).collect();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            0 => {
                state.fg = None;
                state.bold = false;
            }
            1 => state.bold = true,
            22 => state.bold = false,
            n @ 30..=37 => state.fg = Some((n - 30) as u8),
            n @ 90..=97 => state.fg = Some((n - 90 + 8) as u8),
            39 => state.fg = None,
            38 if p.get(i + 1) == Some(&5) => {
                state.fg = p.get(i + 2).and_then(|n| u8::try_from(*n).ok());
                i += 2;
            }
            // Truecolour and backgrounds: not shown (a log's colours are a hint).
            38 | 48 if p.get(i + 1) == Some(&2) => i += 4,
            48 if p.get(i + 1) == Some(&5) => i += 2,
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_sequences_become_runs_and_vanish_from_the_text() {
        let (t, runs) = styled("\u{1b}[32mstarted\u{1b}[0m on :8080");
        assert_eq!(t.as_str(), "started on :8080");
        assert_eq!(
            runs,
            [
                Run {
                    start: 0,
                    fg: Some(2),
                    bold: false
                },
                Run {
                    start: 7,
                    fg: None,
                    bold: false
                }
            ]
        );
        let (t, runs) = styled("\u{1b}[1;91mERROR\u{1b}[22;39m x");
        assert_eq!(t.as_str(), "ERROR x");
        assert_eq!((runs[0].fg, runs[0].bold), (Some(9), true));
    }

    #[test]
    fn every_other_sequence_is_still_cleaned() {
        let (t, runs) = styled("a\u{1b}]52;c;aGFjaw==\u{7}b\u{1b}[2Jc\u{9b}31md");
        assert!(!t.as_str().contains('\u{1b}') && !t.as_str().contains('\u{9b}'));
        assert!(
            t.as_str().starts_with('a') && t.as_str().contains('␛'),
            "{t}"
        );
        assert!(runs.is_empty(), "no colour asked: {runs:?}");
        let (t, _) = styled("plain");
        assert_eq!(t.as_str(), "plain");
    }

    proptest::proptest! {
        /// Whatever the input, no control byte reaches the text and runs stay in it.
        #[test]
        fn no_control_survives_and_runs_point_inside(s in "(\\PC|\u{1b}\\[[0-9;]{0,6}m|\u{1b}|\u{9b})*") {
            let (t, runs) = styled(&s);
            proptest::prop_assert!(!t.as_str().chars().any(|c| c.is_control() && c != '\t'));
            for r in &runs {
                proptest::prop_assert!(r.start <= t.as_str().len());
                proptest::prop_assert!(t.as_str().is_char_boundary(r.start));
            }
        }
    }
}
