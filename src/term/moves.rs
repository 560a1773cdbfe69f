//! Shorter cursor moves. ratatui moves the cursor with an absolute `ESC[row;colH` (8-9
//! bytes) before every run of changed cells. When labdeck knows where the cursor is and
//! the next run starts on the next row at or left of it (a column of ages ticking: the
//! common change on a quiet screen), a line feed and backspaces get there in 2-3 bytes.
//! Raw mode turns off output processing, so a line feed moves down only.
//!
//! Hand-written because it is a rewrite of labdeck's own byte stream, which no crate
//! does. It only rewrites when sure: the position is known only after an absolute move
//! followed by SGR sequences and printable ASCII that stay inside the screen's width;
//! anything else (another sequence, a control, a non-ASCII character) forgets it.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

/// A sequence longer than this is not a cursor move or SGR: passed on as it is.
const HOLD: usize = 32;

pub struct ShortMoves<W: Write> {
    inner: W,
    /// The terminal's width: a character written in the last column leaves the cursor
    /// there (wrap pending), not one further, so past it the position is unknown.
    width: Arc<AtomicU16>,
    /// 1-based (row, column) of the cursor, when known.
    pos: Option<(u16, u16)>,
    /// An escape sequence seen so far, not yet written.
    held: Vec<u8>,
}

impl<W: Write> ShortMoves<W> {
    pub fn new(inner: W, width: Arc<AtomicU16>) -> ShortMoves<W> {
        ShortMoves {
            inner,
            width,
            pos: None,
            held: Vec::new(),
        }
    }

    /// `ESC[r;cH` (or `ESC[H`): the target, 1-based.
    fn cup(seq: &[u8]) -> Option<(u16, u16)> {
        let body = std::str::from_utf8(seq.strip_prefix(b"\x1b[")?.strip_suffix(b"H")?).ok()?;
        if body.is_empty() {
            return Some((1, 1));
        }
        let (r, c) = body.split_once(';')?;
        Some((r.parse().ok()?, c.parse().ok()?))
    }

    /// The shortest way from the known position to `to`, if shorter than `seq`.
    fn shorter(&self, to: (u16, u16), seq: &[u8]) -> Option<Vec<u8>> {
        let (r1, c1) = self.pos?;
        let (r2, c2) = to;
        let mut out = Vec::new();
        match r2.checked_sub(r1)? {
            0 => {}
            1 => out.push(b'\n'),
            _ => return None,
        }
        match c2.cmp(&c1) {
            std::cmp::Ordering::Equal => {}
            std::cmp::Ordering::Less => {
                let k = c1 - c2;
                if k <= 3 {
                    out.extend(std::iter::repeat_n(b'\x08', usize::from(k)));
                } else {
                    out.extend_from_slice(format!("\x1b[{k}D").as_bytes());
                }
            }
            std::cmp::Ordering::Greater => {
                out.extend_from_slice(format!("\x1b[{}C", c2 - c1).as_bytes())
            }
        }
        (out.len() < seq.len()).then_some(out)
    }
}

impl<W: Write> Write for ShortMoves<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        let width = self.width.load(Ordering::Relaxed);
        for &b in buf {
            if self.held.is_empty() {
                match b {
                    0x1b => self.held.push(b),
                    0x20..=0x7e => {
                        out.push(b);
                        // Past the last column the cursor waits to wrap: not known.
                        self.pos = self
                            .pos
                            .and_then(|(r, c)| (c < width).then_some((r, c + 1)));
                    }
                    _ => {
                        out.push(b);
                        self.pos = None;
                    }
                }
                continue;
            }
            self.held.push(b);
            let done = match self.held.len() {
                2 => b != b'[',
                _ => (0x40..=0x7e).contains(&b) || self.held.len() >= HOLD,
            };
            if !done {
                continue;
            }
            let seq = std::mem::take(&mut self.held);
            if let Some(to) = Self::cup(&seq) {
                match self.shorter(to, &seq) {
                    Some(short) => out.extend_from_slice(&short),
                    None => out.extend_from_slice(&seq),
                }
                self.pos = Some(to);
            } else {
                // Colours and weights leave the cursor where it is; nothing else is known.
                if !(seq.starts_with(b"\x1b[") && seq.ends_with(b"m")) {
                    self.pos = None;
                }
                out.extend_from_slice(&seq);
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(width: u16, parts: &[&[u8]]) -> Vec<u8> {
        let mut w = ShortMoves::new(Vec::new(), Arc::new(AtomicU16::new(width)));
        for p in parts {
            w.write_all(p).unwrap();
        }
        w.inner
    }

    /// Play `bytes` on a tiny model terminal (raw mode: LF moves down only) and return
    /// where each printable character landed: the rewrite must not change that.
    fn screen(width: u16, bytes: &[u8]) -> Vec<((u16, u16), char)> {
        let (mut r, mut c, mut pending) = (1u16, 1u16, false);
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => r += 1,
                b'\x08' => c = c.saturating_sub(1).max(1),
                0x1b => {
                    let end = (i + 2..bytes.len())
                        .find(|&j| (0x40..=0x7e).contains(&bytes[j]))
                        .unwrap();
                    let body = std::str::from_utf8(&bytes[i + 2..end]).unwrap();
                    let n = |d: u16| body.parse().unwrap_or(d);
                    match bytes[end] {
                        b'H' => {
                            let (a, b) = body.split_once(';').unwrap_or(("1", "1"));
                            (r, c) = (a.parse().unwrap(), b.parse().unwrap());
                        }
                        b'C' => c = (c + n(1)).min(width),
                        b'D' => c = c.saturating_sub(n(1)).max(1),
                        _ => {}
                    }
                    pending = false;
                    i = end;
                }
                ch => {
                    if pending {
                        (r, c, pending) = (r + 1, 1, false);
                    }
                    out.push(((r, c), ch as char));
                    if c == width {
                        pending = true;
                    } else {
                        c += 1;
                    }
                }
            }
            if bytes[i] == b'\n' || bytes[i] == b'\x08' {
                pending = false;
            }
            i += 1;
        }
        out
    }

    #[test]
    fn a_column_of_ticking_ages_moves_down_with_a_line_feed_and_a_backspace() {
        let frame =
            b"\x1b[5;95H\x1b[1m\x1b[38;5;234m4\x1b[6;95H\x1b[22m4\x1b[7;95H4\x1b[8;96H4\x1b[0m";
        let short = run(120, &[frame]);
        assert_eq!(
            short,
            b"\x1b[5;95H\x1b[1m\x1b[38;5;234m4\n\x08\x1b[22m4\n\x084\n4\x1b[0m".to_vec()
        );
        assert_eq!(
            screen(120, &short),
            screen(120, frame),
            "same cells, fewer bytes"
        );
        assert!(short.len() + 15 < frame.len());
    }

    #[test]
    fn moves_it_cannot_be_sure_of_stay_absolute() {
        for frame in [
            // Up, or two rows down: absolute.
            &b"\x1b[5;10Hab\x1b[4;10Hc"[..],
            b"\x1b[5;10Hab\x1b[7;10Hc",
            // A non-ASCII character (its width is not counted): unknown.
            "\x1b[5;10Hé\x1b[6;10Hc".as_bytes(),
            // Another sequence between: unknown.
            b"\x1b[5;10Ha\x1b[2K\x1b[6;10Hc",
        ] {
            assert_eq!(run(120, &[frame]), frame, "{frame:?}");
        }
        // The last column: the cursor waits there to wrap, so the next move is absolute.
        let edge = b"\x1b[5;79Hab\x1b[6;79Hc";
        assert_eq!(run(80, &[edge]), edge);
        assert_eq!(screen(80, &run(80, &[edge])), screen(80, edge));
    }

    #[test]
    fn any_split_of_a_frame_gives_the_same_bytes() {
        let frame = b"\x1b[2;3Hx\x1b[38;5;1my\x1b[3;3Hz\x1b[3;9Hw";
        let whole = run(40, &[frame]);
        for cut in 0..frame.len() {
            assert_eq!(
                run(40, &[&frame[..cut], &frame[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        assert_eq!(screen(40, &whole), screen(40, frame));
    }
}
