//! Log lines of a service or a task, followed live.

use super::connect::describe_error;
use crate::core::time::Timestamp;
use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use bytes::Bytes;
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

/// Follow a service's logs with `details`, so the engine names each line's task (the
/// line's `source`): read on the engine's transport, as bollard cannot ask for it.
pub(super) fn follow_service(
    transport: super::transport::Transport,
    api: String,
    id: String,
) -> impl Stream<Item = Result<Vec<LogLine>, String>> + use<> {
    let path = format!(
        "/v{api}/services/{id}/logs?follow=1&stdout=1&stderr=1&timestamps=1&details=1&tail={TAIL}"
    );
    let opened = async move {
        let r = transport.raw_stream(&path).await?;
        if r.status == 200 {
            return Ok(r.body);
        }
        // The error's text is a short JSON body: read it for the reason.
        let body: Vec<Bytes> = r
            .body
            .take(8)
            .filter_map(|c| async { c.ok() })
            .collect()
            .await;
        let raw = super::transport::RawResponse {
            status: r.status,
            body: body.concat(),
        };
        Err(format!(
            "engine said {}: {}",
            r.status,
            super::transport::error_message(&raw)
        ))
    };
    futures::stream::once(opened).flat_map(|opened| match opened {
        Ok(body) => {
            let mut demux = super::frames::Demux::default();
            let mut lines = LineSplitter::default();
            body.map(move |chunk| {
                chunk.map(|b| {
                    demux
                        .feed(&b)
                        .iter()
                        .flat_map(|o| lines.feed(o))
                        .collect::<Vec<_>>()
                })
            })
            .boxed()
        }
        Err(e) => futures::stream::once(async move { Err(e) }).boxed(),
    })
}

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

/// What the engine puts before a line's message with `details`.
const DETAILS: &str = "com.docker.swarm.";
const TASK_ATTR: &str = "com.docker.swarm.task.id";

/// `2024-05-01T12:00:00.123456789Z message` -> timestamp + cleaned message; with
/// details (`… com.docker.swarm.node.id=N,com.docker.swarm.service.id=S,
/// com.docker.swarm.task.id=T message`) the task becomes the line's source.
pub fn parse_line(line: &str, stderr: bool) -> LogLine {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let (stamp, rest) = match line.split_once(' ') {
        Some((s, rest)) if Timestamp::parse_rfc3339(s).is_some() => (s, rest),
        _ => ("", line),
    };
    let (source, rest) = match rest.split_once(' ') {
        Some((details, msg)) if details.starts_with(DETAILS) => (task_of(details), msg),
        // A details token with an empty message has no space after it.
        None if rest.starts_with(DETAILS) => (task_of(rest), ""),
        _ => (None, rest),
    };
    let mut l = LogLine::new(Timestamp::parse_rfc3339(stamp), stamp, stderr, rest);
    l.source = source;
    l
}

/// The task ID among a line's details (`k=v,k=v`).
fn task_of(details: &str) -> Option<String> {
    details
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == TASK_ATTR)
        .map(|(_, v)| v.to_string())
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
    fn details_name_the_line_s_task_and_leave_the_message() {
        let l = parse_line(
            "2024-05-01T12:00:00Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t42 GET / 200",
            false,
        );
        assert_eq!(l.source.as_deref(), Some("t42"));
        assert_eq!(l.text.as_str(), "GET / 200");
        let empty = parse_line(
            "2024-05-01T12:00:00Z com.docker.swarm.node.id=n1,com.docker.swarm.task.id=t7",
            false,
        );
        assert_eq!(
            (empty.source.as_deref(), empty.text.as_str()),
            (Some("t7"), "")
        );
        // A message that merely mentions the label is a message.
        let m = parse_line("2024-05-01T12:00:00Z hello com.docker.swarm.x=y", false);
        assert_eq!(
            (m.source, m.text.as_str()),
            (None, "hello com.docker.swarm.x=y")
        );
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
