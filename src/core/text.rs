//! `SafeText`: text from outside labdeck, made harmless for a terminal.
//!
//! Names, labels, images, errors and log lines can carry escape sequences that a
//! terminal obeys (clipboard writes, titles, cursor moves, device queries). They are
//! cleaned once, when they enter the model; panes build spans only from `SafeText`.
//!
//! Policy: whole sequences are dropped and replaced by a visible `␛`; C0 controls
//! (newlines included: a cell is one line) become their visible pictures; C1 controls and bidi controls become `⟪U+202E⟫`; tabs expand to
//! spaces; invalid UTF-8 becomes U+FFFD.

use compact_str::CompactString;
use std::fmt;
use unicode_width::UnicodeWidthStr;

const TAB_WIDTH: usize = 4;
/// Shown where an escape sequence was removed.
const ESC_MARK: char = '␛';

/// Text that is safe to put in a terminal cell. Up to 24 bytes it is kept inline, with
/// no allocation of its own: most names, statuses and numbers in a table are short, and
/// a pane of 10,000 pods holds hundreds of thousands of them.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SafeText(CompactString);

impl serde::Serialize for SafeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl SafeText {
    /// Clean untrusted text for a single-line cell: a newline becomes `␊`.
    pub fn new(raw: &str) -> Self {
        SafeText(CompactString::from(clean(raw)))
    }

    /// Clean raw bytes (invalid UTF-8 becomes U+FFFD).
    pub fn from_bytes(raw: &[u8]) -> Self {
        SafeText::new(&String::from_utf8_lossy(raw))
    }

    /// Clean an optional field; `None` becomes empty.
    pub fn opt(raw: Option<&str>) -> Self {
        raw.map(SafeText::new).unwrap_or_default()
    }

    /// Text labdeck wrote itself (literals, numbers). Still cleaned: cheap insurance.
    pub fn trusted(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.chars().all(|c| !c.is_control() && !is_bidi(c)) {
            SafeText(CompactString::from(s))
        } else {
            SafeText::new(&s)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Display width in terminal columns.
    pub fn width(&self) -> usize {
        self.0.width()
    }

    /// Case-insensitive substring match, for `/` filters.
    pub fn contains_ci(&self, needle_lower: &str) -> bool {
        needle_lower.is_empty() || self.0.to_lowercase().contains(needle_lower)
    }
}

impl fmt::Display for SafeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SafeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&SafeText> for String {
    fn from(t: &SafeText) -> String {
        t.0.to_string()
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// What follows an ESC (or its 8-bit form) and how it ends.
enum Seq {
    /// ST-terminated string (OSC also ends on BEL).
    String { bel_ends: bool },
    /// CSI: parameters and intermediates up to a final byte 0x40..=0x7E.
    Csi,
}

fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut col = 0usize;
    while let Some(c) = chars.next() {
        let seq = match c {
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    Some(Seq::Csi)
                }
                Some(']') => {
                    chars.next();
                    Some(Seq::String { bel_ends: true })
                }
                Some('P' | 'X' | '^' | '_') => {
                    chars.next();
                    Some(Seq::String { bel_ends: false })
                }
                Some(next) => {
                    // ESC, optional intermediates 0x20..=0x2F, then one final byte.
                    let _ = next;
                    while let Some(&i) = chars.peek() {
                        if ('\u{20}'..='\u{2f}').contains(&i) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    if let Some(&f) = chars.peek()
                        && ('\u{30}'..='\u{7e}').contains(&f)
                    {
                        chars.next();
                    }
                    out.push(ESC_MARK);
                    col += 1;
                    continue;
                }
                None => {
                    out.push(ESC_MARK);
                    col += 1;
                    continue;
                }
            },
            '\u{9b}' => Some(Seq::Csi),
            '\u{9d}' => Some(Seq::String { bel_ends: true }),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => Some(Seq::String { bel_ends: false }),
            _ => None,
        };
        if let Some(seq) = seq {
            skip_sequence(&mut chars, seq);
            out.push(ESC_MARK);
            col += 1;
            continue;
        }
        match c {
            '\t' => {
                let n = TAB_WIDTH - (col % TAB_WIDTH);
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\u{0}'..='\u{1f}' => {
                // Control pictures: U+2400 + code.
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
                col += 1;
            }
            '\u{7f}' => {
                out.push('␡');
                col += 1;
            }
            '\u{80}'..='\u{9f}' => {
                out.push_str(&format!("⟪U+{:04X}⟫", c as u32));
                col += 10;
            }
            c if is_bidi(c) => {
                out.push_str(&format!("⟪U+{:04X}⟫", c as u32));
                col += 10;
            }
            c => {
                out.push(c);
                col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            }
        }
    }
    if !out.is_empty() && out.width() == 0 && out.chars().all(is_zero_width) {
        // A name made only of invisible characters must not become an invisible row.
        return out
            .chars()
            .map(|c| format!("⟪U+{:04X}⟫", c as u32))
            .collect();
    }
    out
}

fn skip_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, seq: Seq) {
    match seq {
        Seq::Csi => {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    return;
                }
                // A control inside a CSI aborts it (as terminals do); drop it too.
                if c == '\u{1b}' || c == '\u{9c}' {
                    return;
                }
            }
        }
        Seq::String { bel_ends } => {
            while let Some(c) = chars.next() {
                match c {
                    '\u{7}' if bel_ends => return,
                    '\u{9c}' => return,
                    '\u{1b}' => {
                        if chars.peek() == Some(&'\\') {
                            chars.next();
                        }
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A multi-line block (command output, a whole log message): each line cleaned.
pub fn lines(raw: &str) -> Vec<SafeText> {
    raw.split('\n')
        .map(|l| SafeText::new(l.strip_suffix('\r').unwrap_or(l)))
        .collect()
}

#[cfg(test)]
mod tests;
