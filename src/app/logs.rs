//! The log viewer's state: a bounded ring of lines, follow, timestamps, search.

use crate::backend::swarm::logs::{LogLine, LogTarget};
use std::collections::VecDeque;

/// Lines kept per log view; older ones are dropped (and counted).
pub const LOG_CAPACITY: usize = 5_000;

#[derive(Debug, Clone)]
pub struct LogView {
    pub generation: u64,
    pub target: LogTarget,
    pub lines: VecDeque<LogLine>,
    /// Lines dropped from the front to stay within `LOG_CAPACITY`.
    pub dropped: u64,
    /// Stick to the newest line.
    pub follow: bool,
    pub timestamps: bool,
    /// Lower-cased search text; matches are highlighted, n/N jump between them.
    pub search: String,
    /// First line shown when not following.
    pub top: usize,
    /// Why the stream stopped, if it did.
    pub ended: Option<String>,
}

impl LogView {
    pub fn new(generation: u64, target: LogTarget) -> LogView {
        LogView {
            generation,
            target,
            lines: VecDeque::new(),
            dropped: 0,
            follow: true,
            timestamps: false,
            search: String::new(),
            top: 0,
            ended: None,
        }
    }

    /// Add lines in time order. A service's log interleaves its tasks' streams and the
    /// engine does not sort them, so a line older than the newest one is inserted where
    /// its timestamp belongs (lines without one go to the end).
    pub fn push(&mut self, lines: Vec<LogLine>) {
        for l in lines {
            if self.lines.len() == LOG_CAPACITY {
                self.lines.pop_front();
                self.dropped += 1;
                self.top = self.top.saturating_sub(1);
            }
            let newest = self.lines.back().and_then(|b| b.at);
            match (l.at, newest) {
                (Some(at), Some(last)) if at < last => {
                    let i = self.lines.partition_point(|x| x.at.is_none_or(|t| t <= at));
                    self.lines.insert(i, l);
                }
                _ => self.lines.push_back(l),
            }
        }
    }

    /// The first line to show in a window of `height` lines.
    pub fn first_shown(&self, height: usize) -> usize {
        let last_page = self.lines.len().saturating_sub(height);
        if self.follow {
            last_page
        } else {
            self.top.min(last_page)
        }
    }

    pub fn scroll(&mut self, delta: isize, height: usize) {
        let from = self.first_shown(height) as isize;
        let last_page = self.lines.len().saturating_sub(height) as isize;
        let to = (from + delta).clamp(0, last_page.max(0));
        self.top = to as usize;
        // Scrolling to the end resumes following, like `tail -f`.
        self.follow = to >= last_page && delta > 0;
    }

    pub fn to_top(&mut self) {
        self.follow = false;
        self.top = 0;
    }

    pub fn to_bottom(&mut self) {
        self.follow = true;
    }

    pub fn matches(&self, line: &LogLine) -> bool {
        !self.search.is_empty() && line.text.contains_ci(&self.search)
    }

    /// Jump to the next (or previous) matching line; false if there is none.
    pub fn jump(&mut self, forward: bool) -> bool {
        if self.search.is_empty() {
            return false;
        }
        let n = self.lines.len();
        // From the line last jumped to (not the clamped window), so n/N never stick.
        let start = if self.follow { n } else { self.top.min(n) };
        let found = if forward {
            (start.saturating_add(1).min(n)..n).find(|&i| self.matches(&self.lines[i]))
        } else {
            (0..start).rev().find(|&i| self.matches(&self.lines[i]))
        };
        match found {
            Some(i) => {
                self.follow = false;
                self.top = i;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::SafeText;

    fn line(s: &str) -> LogLine {
        LogLine {
            at: None,
            stamp: SafeText::default(),
            stderr: false,
            text: SafeText::new(s),
        }
    }

    fn view(n: usize) -> LogView {
        let mut v = LogView::new(
            1,
            LogTarget::Service {
                id: "x".into(),
                name: "x".into(),
            },
        );
        v.push((0..n).map(|i| line(&format!("line {i}"))).collect());
        v
    }

    #[test]
    fn the_buffer_is_bounded() {
        let v = view(LOG_CAPACITY + 10);
        assert_eq!(v.lines.len(), LOG_CAPACITY);
        assert_eq!(v.dropped, 10);
        assert_eq!(v.lines[0].text.as_str(), "line 10");
    }

    #[test]
    fn interleaved_task_streams_are_put_in_time_order() {
        let mut v = view(0);
        let at = |s: &str, t: &str| {
            crate::backend::swarm::logs::parse_line(&format!("2026-01-01T00:00:{s}Z {t}"), false)
        };
        v.push(vec![
            at("01", "a"),
            at("05", "c"),
            at("03", "b"),
            at("09", "e"),
        ]);
        v.push(vec![at("07", "d")]);
        let texts: Vec<&str> = v.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn following_shows_the_newest_lines() {
        let v = view(100);
        assert_eq!(v.first_shown(10), 90);
    }

    #[test]
    fn scrolling_up_stops_following_and_down_to_the_end_resumes() {
        let mut v = view(100);
        v.scroll(-5, 10);
        assert!(!v.follow);
        assert_eq!(v.first_shown(10), 85);
        v.push(vec![line("new")]);
        assert_eq!(v.first_shown(10), 85, "a paused view does not move");
        v.scroll(50, 10);
        assert!(v.follow);
    }

    #[test]
    fn search_jumps_between_matches() {
        let mut v = view(50);
        v.push(vec![line("ERROR one")]);
        v.push((0..20).map(|i| line(&format!("more {i}"))).collect());
        v.push(vec![line("error two")]);
        v.search = "error".into();
        v.to_top();
        assert!(v.jump(true));
        assert_eq!(v.lines[v.top].text.as_str(), "ERROR one");
        assert!(v.jump(true));
        assert_eq!(v.lines[v.top].text.as_str(), "error two");
        assert!(!v.jump(true));
        assert!(v.jump(false));
        assert_eq!(v.lines[v.top].text.as_str(), "ERROR one");
    }
}
