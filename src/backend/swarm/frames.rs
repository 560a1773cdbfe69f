//! Docker's multiplexed log stream, read from raw bytes: each frame is an 8-byte
//! header (stream 0 stdin, 1 stdout, 2 stderr; three zero bytes; a big-endian u32
//! length) and that many bytes. A service whose containers have a TTY sends plain
//! bytes instead, with no headers: the first bytes tell which.
//!
//! Hand-written because bollard's decoder is private to bollard, and labdeck reads
//! service logs itself to ask for `details` (each line's task), which bollard's log
//! options cannot.

use bollard::container::LogOutput;
use bytes::Bytes;

#[derive(Debug, Default)]
pub struct Demux {
    buf: Vec<u8>,
    /// Decided on the first bytes: `Some(true)` framed, `Some(false)` plain.
    framed: Option<bool>,
}

const HEADER: usize = 8;

impl Demux {
    /// The whole frames in `bytes` and what was held before; a partial frame waits.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<LogOutput> {
        self.buf.extend_from_slice(bytes);
        if self.framed.is_none() {
            match self.buf.first() {
                None => return Vec::new(),
                Some(b) if *b > 2 => self.framed = Some(false),
                Some(_) if self.buf.len() < HEADER => return Vec::new(),
                Some(_) => self.framed = Some(self.buf[1..4] == [0, 0, 0]),
            }
        }
        if self.framed == Some(false) {
            let message = Bytes::from(std::mem::take(&mut self.buf));
            return vec![LogOutput::StdOut { message }];
        }
        let mut out = Vec::new();
        let mut at = 0;
        while self.buf.len() - at >= HEADER {
            let h = &self.buf[at..at + HEADER];
            let len = u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize;
            if self.buf.len() - at - HEADER < len {
                break;
            }
            let message = Bytes::copy_from_slice(&self.buf[at + HEADER..at + HEADER + len]);
            out.push(match h[0] {
                2 => LogOutput::StdErr { message },
                0 => LogOutput::StdIn { message },
                _ => LogOutput::StdOut { message },
            });
            at += HEADER + len;
        }
        self.buf.drain(..at);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stream: u8, text: &str) -> Vec<u8> {
        let mut v = vec![stream, 0, 0, 0];
        v.extend_from_slice(&(text.len() as u32).to_be_bytes());
        v.extend_from_slice(text.as_bytes());
        v
    }

    fn texts(out: &[LogOutput]) -> Vec<(bool, String)> {
        out.iter()
            .map(|o| match o {
                LogOutput::StdErr { message } => (true, String::from_utf8_lossy(message).into()),
                LogOutput::StdOut { message }
                | LogOutput::StdIn { message }
                | LogOutput::Console { message } => {
                    (false, String::from_utf8_lossy(message).into())
                }
            })
            .collect()
    }

    #[test]
    fn frames_split_anywhere_come_out_whole_and_in_order() {
        let mut bytes = frame(1, "hello\n");
        bytes.extend(frame(2, "oops\n"));
        bytes.extend(frame(1, "again\n"));
        for cut in 0..bytes.len() {
            let mut d = Demux::default();
            let mut out = d.feed(&bytes[..cut]);
            out.extend(d.feed(&bytes[cut..]));
            assert_eq!(
                texts(&out),
                [
                    (false, "hello\n".into()),
                    (true, "oops\n".into()),
                    (false, "again\n".into())
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_tty_stream_without_headers_passes_as_it_is() {
        let mut d = Demux::default();
        assert_eq!(
            texts(&d.feed(b"2024-05-01T12:00:00Z tty line\n")),
            [(false, "2024-05-01T12:00:00Z tty line\n".into())]
        );
        assert_eq!(texts(&d.feed(b"more\n")), [(false, "more\n".into())]);
    }

    #[test]
    fn a_huge_declared_length_waits_and_never_panics() {
        let mut d = Demux::default();
        let mut b = vec![1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        b.extend_from_slice(b"short");
        assert!(d.feed(&b).is_empty());
    }
}
