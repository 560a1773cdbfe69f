//! Log lines of a service or a task, followed live.

use super::connect::describe_error;
use crate::core::time::Timestamp;
use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::{Stream, StreamExt};

/// Whose logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    Service { id: String, name: String },
    Task { id: String, name: String },
}

impl LogTarget {
    pub fn name(&self) -> &str {
        match self {
            LogTarget::Service { name, .. } | LogTarget::Task { name, .. } => name,
        }
    }
}

pub use crate::core::log_line::LogLine;

/// Lines already in the log when it is opened.
pub const TAIL: &str = "1000";

/// Follow `target`'s logs: the last `TAIL` lines, then new ones as they come.
pub(super) fn follow(
    docker: &Docker,
    target: &LogTarget,
) -> impl Stream<Item = Result<Vec<LogLine>, String>> + use<> {
    let opts = LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail: TAIL.into(),
        ..Default::default()
    };
    let stream = match target {
        LogTarget::Service { id, .. } => docker.service_logs(id, Some(opts)).boxed(),
        LogTarget::Task { id, .. } => docker.task_logs(id, Some(opts)).boxed(),
    };
    let mut lines = LineSplitter::default();
    stream.map(move |chunk| {
        chunk
            .map(|c| lines.feed(&c))
            .map_err(|e| describe_error(&e))
    })
}

/// A partial line longer than this is shown as it is rather than held forever.
const MAX_PARTIAL: usize = 64 * 1024;

/// Frames are not lines: the engine cuts long lines (and sometimes a multi-byte
/// character) across frames. Bytes are kept per stream until their newline comes.
#[derive(Debug, Default)]
pub struct LineSplitter {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl LineSplitter {
    pub fn feed(&mut self, c: &LogOutput) -> Vec<LogLine> {
        let (bytes, stderr) = match c {
            LogOutput::StdErr { message } => (message, true),
            LogOutput::StdOut { message }
            | LogOutput::Console { message }
            | LogOutput::StdIn { message } => (message, false),
        };
        let buf = if stderr {
            &mut self.stderr
        } else {
            &mut self.stdout
        };
        buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(i) = buf.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = buf.drain(..=i).collect();
            out.push(parse_line(&String::from_utf8_lossy(&line[..i]), stderr));
        }
        if buf.len() > MAX_PARTIAL {
            out.push(parse_line(&String::from_utf8_lossy(buf), stderr));
            buf.clear();
        }
        out
    }
}

/// `2024-05-01T12:00:00.123456789Z message` -> timestamp + cleaned message.
pub fn parse_line(line: &str, stderr: bool) -> LogLine {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (stamp, rest) = match line.split_once(' ') {
        Some((s, rest)) if Timestamp::parse_rfc3339(s).is_some() => (s, rest),
        _ => ("", line),
    };
    LogLine::new(Timestamp::parse_rfc3339(stamp), stamp, stderr, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn splits_timestamp_from_message() {
        let l = parse_line("2024-05-01T12:00:00.123456789Z hello world", false);
        assert_eq!(l.at, Some(Timestamp(1_714_564_800)));
        assert_eq!(l.stamp.as_str(), "2024-05-01T12:00:00.123456789Z");
        assert_eq!(l.text.as_str(), "hello world");
    }

    #[test]
    fn lines_without_timestamps_keep_their_text() {
        let l = parse_line("no stamp here", true);
        assert_eq!(l.at, None);
        assert_eq!(l.text.as_str(), "no stamp here");
        assert!(l.stderr);
    }

    #[test]
    fn hostile_log_lines_are_cleaned() {
        let l = parse_line(
            "2024-05-01T12:00:00Z \u{1b}]52;c;aGFjaw==\u{7}x\u{1b}[2J",
            false,
        );
        // The OSC (clipboard) is made visible; the screen clear too; neither acts.
        assert_eq!(l.text.as_str(), "␛x␛");
    }

    #[test]
    fn a_chunk_with_several_lines_becomes_several_lines() {
        let c = LogOutput::StdOut {
            message: Bytes::from_static(b"2024-05-01T12:00:00Z a\n2024-05-01T12:00:01Z b\n"),
        };
        let lines = LineSplitter::default().feed(&c);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].text.as_str(), "b");
    }

    #[test]
    fn a_line_split_across_frames_is_one_line() {
        let mut s = LineSplitter::default();
        let out = |b: &'static [u8]| LogOutput::StdOut {
            message: Bytes::from_static(b),
        };
        let err = |b: &'static [u8]| LogOutput::StdErr {
            message: Bytes::from_static(b),
        };
        assert!(s.feed(&out(b"2024-05-01T12:00:00Z caf\xc3")).is_empty());
        // A stderr line in between does not mix with the held stdout bytes.
        let e = s.feed(&err(b"2024-05-01T12:00:00Z oops\n"));
        assert_eq!(e[0].text.as_str(), "oops");
        let l = s.feed(&out(b"\xa9 ok\n2024-05-01T12:00:01Z next\n"));
        let texts: Vec<&str> = l.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["café ok", "next"]);
        assert!(!l[0].stderr);
    }
}
