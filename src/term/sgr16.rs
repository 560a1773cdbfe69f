//! The 16 named colours as the basic SGR codes. crossterm writes every colour as
//! `ESC[38;5;Nm`, which a 16-colour terminal (a plain ssh `TERM=xterm`) shows as no
//! colour at all; `ESC[3Xm`/`ESC[9Xm` (and 4X/10X for backgrounds) work everywhere.
//! So the terminal's byte stream is rewritten on its way out: for N below 16 only,
//! everything else passes through untouched.
//!
//! Hand-written because no crate does this one rewrite; it is a small state machine
//! over the stream, since a sequence can arrive split across `write` calls.

use std::io::{self, Write};

/// Longest sequence held back while deciding (fg, bg and modifiers in one SGR).
const HOLD: usize = 64;

pub struct Basic16<W: Write> {
    inner: W,
    /// A CSI sequence seen so far (from ESC), not yet written.
    held: Vec<u8>,
}

impl<W: Write> Basic16<W> {
    pub fn new(inner: W) -> Basic16<W> {
        Basic16 {
            inner,
            held: Vec::new(),
        }
    }

    /// An SGR sequence with every `38;5;N` / `48;5;N` (N < 16) replaced by the basic
    /// code, other parameters kept in order (crossterm also sends fg and bg in one
    /// sequence: `ESC[38;5;6;48;5;0m`). `None`: not an SGR, or nothing to change.
    fn basic(seq: &[u8]) -> Option<Vec<u8>> {
        let body = seq.strip_prefix(b"\x1b[")?.strip_suffix(b"m")?;
        let params: Vec<&str> = std::str::from_utf8(body).ok()?.split(';').collect();
        let mut out: Vec<String> = Vec::with_capacity(params.len());
        let mut changed = false;
        let mut i = 0;
        while i < params.len() {
            let base = match params[i] {
                "38" => Some(30u16),
                "48" => Some(40u16),
                _ => None,
            };
            match (base, params.get(i + 1).copied(), params.get(i + 2)) {
                (Some(base), Some("5"), Some(n)) => match n.parse::<u8>() {
                    Ok(n @ 0..=7) => {
                        out.push((base + u16::from(n)).to_string());
                        changed = true;
                    }
                    Ok(n @ 8..=15) => {
                        out.push((base + 60 + u16::from(n - 8)).to_string());
                        changed = true;
                    }
                    _ => out.extend(params[i..i + 3].iter().map(|p| p.to_string())),
                },
                // Truecolour `38;2;r;g;b`: five parameters, kept as they are.
                (Some(_), Some("2"), _) => {
                    let end = (i + 5).min(params.len());
                    out.extend(params[i..end].iter().map(|p| p.to_string()));
                    i = end;
                    continue;
                }
                _ => {
                    out.push(params[i].to_string());
                    i += 1;
                    continue;
                }
            }
            i += 3;
        }
        changed.then(|| format!("\x1b[{}m", out.join(";")).into_bytes())
    }
}

impl<W: Write> Write for Basic16<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        for &b in buf {
            if self.held.is_empty() {
                if b == 0x1b {
                    self.held.push(b);
                } else {
                    out.push(b);
                }
                continue;
            }
            self.held.push(b);
            let done = match self.held.len() {
                2 => b != b'[', // not a CSI: pass it on as it is
                _ => (0x40..=0x7e).contains(&b) || self.held.len() >= HOLD,
            };
            if done {
                match Self::basic(&self.held) {
                    Some(code) => out.extend_from_slice(&code),
                    None => out.extend_from_slice(&self.held),
                }
                self.held.clear();
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A sequence still held is completed by the next write; nothing is lost.
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parts: &[&[u8]]) -> Vec<u8> {
        let mut w = Basic16::new(Vec::new());
        for p in parts {
            w.write_all(p).unwrap();
        }
        w.flush().unwrap();
        w.inner
    }

    #[test]
    fn named_colours_become_basic_codes_even_split_across_writes() {
        assert_eq!(run(&[b"\x1b[38;5;6mhi"]), b"\x1b[36mhi");
        assert_eq!(run(&[b"\x1b[", b"38;5;", b"12", b"m"]), b"\x1b[94m");
        assert_eq!(
            run(&[b"\x1b[48;5;1m", b"\x1b[48;5;15m"]),
            b"\x1b[41m\x1b[107m"
        );
    }

    #[test]
    fn everything_else_passes_through() {
        for s in [
            &b"\x1b[38;5;200m"[..],
            b"\x1b[1;4m",
            b"\x1b[2J\x1b[H",
            b"\x1b[38;2;1;2;3m",
            b"plain text \xe2\x94\x80",
            b"\x1b7",
        ] {
            assert_eq!(run(&[s]), s, "{s:?}");
        }
    }
}
