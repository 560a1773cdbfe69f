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
    /// Colour resets (`ESC[39m`, `ESC[49m`, `ESC[59m`) not yet written: crossterm ends
    /// every frame with them and then `ESC[0m`, which resets them all anyway. Held, they
    /// are dropped when `ESC[0m` follows: 15 of the ~40 bytes a quiet screen's ticking
    /// age costs.
    resets: Vec<u8>,
}

impl<W: Write> Basic16<W> {
    pub fn new(inner: W) -> Basic16<W> {
        Basic16 {
            inner,
            held: Vec::new(),
            resets: Vec::new(),
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
                    out.append(&mut self.resets);
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
                let seq = std::mem::take(&mut self.held);
                match seq.as_slice() {
                    b"\x1b[39m" | b"\x1b[49m" | b"\x1b[59m" => self.resets.extend_from_slice(&seq),
                    b"\x1b[0m" => {
                        self.resets.clear();
                        out.extend_from_slice(&seq);
                    }
                    _ => {
                        out.append(&mut self.resets);
                        match Self::basic(&seq) {
                            Some(code) => out.extend_from_slice(&code),
                            None => out.extend_from_slice(&seq),
                        }
                    }
                }
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Resets held are written now (what follows may never come); a sequence still
        // held is completed by the next write; nothing is lost.
        if !self.resets.is_empty() {
            let r = std::mem::take(&mut self.resets);
            self.inner.write_all(&r)?;
        }
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
    fn colour_resets_right_before_a_full_reset_are_dropped_and_others_kept() {
        // How crossterm ends every frame, written piece by piece.
        assert_eq!(
            run(&[
                b"x",
                b"\x1b[39m",
                b"\x1b[49m",
                b"\x1b[59m",
                b"\x1b[0m",
                b"\x1b[?25l"
            ]),
            b"x\x1b[0m\x1b[?25l"
        );
        // Anything between keeps them, in order.
        assert_eq!(run(&[b"\x1b[39mx\x1b[0m"]), b"\x1b[39mx\x1b[0m");
        assert_eq!(run(&[b"\x1b[49m\x1b[1m"]), b"\x1b[49m\x1b[1m");
        // A flush writes what is held: the terminal's state is never left wrong.
        assert_eq!(run(&[b"\x1b[39m"]), b"\x1b[39m");
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
