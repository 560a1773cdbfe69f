//! The log viewer's state, for any source of lines: a bounded ring of lines, follow,
//! timestamps, search; and the forwarder that brings a stream's lines to it over the
//! loop's bounded channel, dropping (and counting) what a slow link cannot take.

use super::task::{Full, Outbox};
use crate::core::action::Action;
use crate::core::log_line::LogLine;
use crate::core::text::SafeText;
use futures::{Stream, StreamExt};
use std::collections::VecDeque;
use tokio_util::sync::CancellationToken;

crate::verbs! {
    /// The log viewer's verbs (the `logs` section), whichever pane shows a log.
    pub enum LogVerb {
        Follow = "follow", "Toggle follow", false;
        Timestamps = "timestamps", "Toggle timestamps", false;
        SearchNext = "search-next", "Next match", false;
        SearchPrev = "search-prev", "Previous match", false;
        Wrap = "wrap", "Wrap long lines", false;
        Prefix = "prefix", "Show / hide each line's task", false;
        ScrollLeft = "scroll-left", "Scroll left", false;
        ScrollRight = "scroll-right", "Scroll right", false;
    }
}

/// Columns one sideways scroll moves.
pub const HSCROLL_STEP: usize = 8;

/// Lines kept per log view; older ones are dropped (and counted).
pub const LOG_CAPACITY: usize = 5_000;

#[derive(Debug, Clone)]
pub struct LogView {
    pub generation: u64,
    /// Whose log: `media_sonarr`, `media_sonarr.1`.
    pub title: SafeText,
    pub lines: VecDeque<LogLine>,
    /// Lines dropped from the front to stay within `LOG_CAPACITY`.
    pub dropped: u64,
    /// Lines that never arrived: the screen fell behind the stream and they were shed.
    pub lost: u64,
    /// Stick to the newest line.
    pub follow: bool,
    pub timestamps: bool,
    /// Long lines take as many rows as they need (else they are cut, with a marker).
    pub wrap: bool,
    /// Columns scrolled to the right when not wrapping.
    pub hscroll: usize,
    /// Lower-cased search text; matches are highlighted, n/N jump between them.
    pub search: String,
    /// First line shown when not following.
    pub top: usize,
    /// Why the stream stopped, if it did.
    pub ended: Option<String>,
    /// A document (an object's YAML), not a stream: read from the top, no following.
    pub document: bool,
    /// Lines from several sources show theirs first (`media_plex.2@nas |`).
    pub prefixes: bool,
}

impl LogView {
    pub fn new(generation: u64, title: SafeText) -> LogView {
        LogView {
            generation,
            title,
            lines: VecDeque::new(),
            dropped: 0,
            lost: 0,
            follow: true,
            timestamps: false,
            wrap: false,
            hscroll: 0,
            search: String::new(),
            top: 0,
            ended: None,
            document: false,
            prefixes: true,
        }
    }

    /// A viewer for a document that is still being read (`set_document` fills it).
    pub fn document(generation: u64, title: SafeText) -> LogView {
        LogView {
            follow: false,
            document: true,
            ..LogView::new(generation, title)
        }
    }

    /// The document's text, a line each (cleaned, as any text from outside), or why
    /// it could not be read.
    pub fn set_document(&mut self, text: Result<&str, String>) {
        match text {
            Ok(t) => {
                self.lines = t
                    .lines()
                    .map(|l| LogLine::new(None, "", false, l))
                    .collect();
                self.top = 0;
            }
            Err(e) => self.ended = Some(e),
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

    /// What the forwarder sent.
    pub fn feed(&mut self, feed: LogFeed) {
        match feed {
            LogFeed::Lines { lines, lost } => {
                self.lost += lost;
                self.push(lines);
            }
            LogFeed::Ended { reason, lost } => {
                self.lost += lost;
                self.ended = Some(reason.unwrap_or_else(|| "log stream ended".into()));
            }
        }
    }

    /// A key's action in the viewer; `Some` is something to tell the user.
    pub fn act(&mut self, action: Action, height: usize) -> Option<String> {
        let verb = match action {
            Action::Verb(v) => LogVerb::of(v),
            _ => None,
        };
        match (action, verb) {
            (Action::Up, _) => self.scroll(-1, height),
            (Action::Down, _) => self.scroll(1, height),
            (Action::PageUp, _) => self.scroll(-(height as isize), height),
            (Action::PageDown, _) => self.scroll(height as isize, height),
            (Action::Top, _) => self.to_top(),
            (Action::Bottom, _) => self.to_bottom(),
            (_, Some(LogVerb::Follow)) => self.follow = !self.follow,
            (_, Some(LogVerb::Timestamps)) => self.timestamps = !self.timestamps,
            (_, Some(LogVerb::Prefix)) => self.prefixes = !self.prefixes,
            (_, Some(LogVerb::Wrap)) => {
                self.wrap = !self.wrap;
                self.hscroll = 0;
            }
            (_, Some(LogVerb::ScrollRight)) if !self.wrap => self.hscroll += HSCROLL_STEP,
            (_, Some(LogVerb::ScrollLeft)) => {
                self.hscroll = self.hscroll.saturating_sub(HSCROLL_STEP)
            }
            (_, Some(v @ (LogVerb::SearchNext | LogVerb::SearchPrev)))
                if !self.jump(v == LogVerb::SearchNext) =>
            {
                return Some(if self.search.is_empty() {
                    "no search: press / first".to_string()
                } else {
                    format!("no more matches for {:?}", self.search)
                });
            }
            _ => {}
        }
        None
    }

    /// Search for `text` (case-insensitive), newest match first: the bottom of a log
    /// is what people came for. `Some` when nothing matches.
    pub fn search_for(&mut self, text: &str) -> Option<String> {
        self.search = SafeText::new(text).as_str().to_lowercase();
        if !self.search.is_empty() && !self.jump(false) && !self.jump(true) {
            return Some(format!("no line matches {:?}", self.search));
        }
        None
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

/// What a log forwarder sends to the pane that opened the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFeed {
    /// New lines, and how many were shed before them since the last batch.
    Lines { lines: Vec<LogLine>, lost: u64 },
    /// The stream ended (`None`) or failed; `lost` lines were shed since the last batch.
    Ended { reason: Option<String>, lost: u64 },
}

/// Bring `stream`'s lines to a pane until it ends or `cancel` fires. Batches go out
/// only when the loop's channel has room: a flood over a slow link sheds lines (and
/// counts them) instead of growing memory. `wrap` tags each batch for the pane.
pub async fn forward_lines<S, M>(
    stream: S,
    out: Outbox,
    cancel: CancellationToken,
    wrap: impl Fn(LogFeed) -> M,
) where
    S: Stream<Item = Result<Vec<LogLine>, String>>,
    M: std::any::Any + Send,
{
    let mut stream = std::pin::pin!(stream.ready_chunks(64));
    let mut lost = 0u64;
    loop {
        let next = tokio::select! {
            _ = cancel.cancelled() => return,
            n = stream.next() => n,
        };
        let Some(chunks) = next else {
            out.send(wrap(LogFeed::Ended { reason: None, lost })).await;
            return;
        };
        let mut lines = Vec::new();
        let mut failed = None;
        for c in chunks {
            match c {
                Ok(l) => lines.extend(l),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            out.send(wrap(LogFeed::Lines { lines, lost })).await;
            let end = LogFeed::Ended {
                reason: Some(e),
                lost: 0,
            };
            out.send(wrap(end)).await;
            return;
        }
        let n = lines.len() as u64;
        match out.try_send(wrap(LogFeed::Lines { lines, lost })) {
            Ok(()) => lost = 0,
            Err(Full::Busy) => lost += n,
            Err(Full::Closed) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> LogLine {
        LogLine::new(None, "", false, s)
    }

    fn view(n: usize) -> LogView {
        let mut v = LogView::new(1, SafeText::trusted("x"));
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

    #[tokio::test]
    async fn a_flood_faster_than_the_screen_sheds_lines_and_counts_them() {
        use crate::app::msg::Msg;
        const TOTAL: usize = 20_000;
        use futures::StreamExt;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(4);
        let pulled = std::sync::Arc::new(AtomicUsize::new(0));
        let counted = pulled.clone();
        let flood = futures::stream::iter((0..TOTAL).map(|i| Ok(vec![line(&format!("l{i}"))])))
            .inspect(move |_| {
                counted.fetch_add(1, Ordering::SeqCst);
            });
        let fwd = tokio::spawn(forward_lines(
            flood,
            Outbox::new("t", tx),
            CancellationToken::new(),
            |f| f,
        ));
        // Nobody reads, yet the whole flood is read from the engine: a forwarder that
        // waited for the screen would stall after a few batches and hold the stream.
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while pulled.load(Ordering::SeqCst) < TOTAL {
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("the flood is read while nobody receives");
        assert_eq!(
            rx.len(),
            rx.max_capacity(),
            "the channel filled, and no more"
        );
        assert!(
            !fwd.is_finished(),
            "its last word waits for room, not dropped"
        );
        let mut v = view(0);
        while let Some(Msg::Pane { msg, .. }) = rx.recv().await {
            v.feed(msg.take::<LogFeed>().unwrap());
        }
        fwd.await.unwrap();
        assert!(v.lost > 0, "the flood was shed");
        assert!(v.lines.len() < 64 * 5, "{} lines kept", v.lines.len());
        assert_eq!(
            v.lines.len() as u64 + v.lost,
            TOTAL as u64,
            "every line kept or counted"
        );
        assert_eq!(v.ended.as_deref(), Some("log stream ended"));
    }
}
