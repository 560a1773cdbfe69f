//! Pod logs through a connection: one container's, or every pod of a workload merged
//! with each line named by its pod. Lines come with the server's timestamps (the view
//! shows them when asked) so a merged log can be put in time order.

use super::conn::Conn;
use super::follow::reason;
use crate::core::log_line::LogLine;
use crate::core::time::Timestamp;
use futures::{AsyncBufReadExt, Stream, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use std::time::Duration;

/// Lines of each log read before following (as `kubectl logs --tail`).
pub const TAIL: i64 = 500;

/// Which log of which container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub ns: String,
    pub pod: String,
    /// The container; `None`: the pod's default (its only or annotated one).
    pub container: Option<String>,
}

/// How long a merged log gathers its pods' first lines before sorting them.
const GATHER: Duration = Duration::from_millis(300);

/// One line as the kubelet writes it with timestamps: `RFC3339Nano text`.
pub fn parse_line(raw: &str, source: Option<&str>) -> LogLine {
    let (stamp, text) = match raw.split_once(' ') {
        Some((s, t)) if Timestamp::parse_rfc3339(s).is_some() => (s, t),
        _ => ("", raw),
    };
    let mut l = LogLine::new(Timestamp::parse_rfc3339(stamp), stamp, false, text);
    l.source = source.map(str::to_string);
    l
}

impl Conn {
    /// One container's log: its last lines, then (when `follow`) what it writes.
    /// `previous`: the log of the container's previous run (after a crash).
    pub fn logs(
        &self,
        src: LogSource,
        follow: bool,
        previous: bool,
        tag: bool,
    ) -> impl Stream<Item = Result<Vec<LogLine>, String>> + Send + 'static {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), &src.ns);
        let params = LogParams {
            container: src.container.clone(),
            follow,
            previous,
            timestamps: true,
            tail_lines: Some(TAIL),
            ..Default::default()
        };
        let source = tag.then(|| src.pod.clone());
        futures::stream::once(async move {
            match api.log_stream(&src.pod, &params).await {
                Ok(r) => r
                    .lines()
                    .map(move |l| {
                        l.map(|l| vec![parse_line(&l, source.as_deref())])
                            .map_err(|e| e.to_string())
                    })
                    .boxed(),
                Err(e) => {
                    let why = match &e {
                        kube::Error::Api(s) => s.message.clone(),
                        other => reason(other),
                    };
                    futures::stream::once(async move { Err(why) }).boxed()
                }
            }
        })
        .flatten()
    }

    /// Every pod's log together, each line named by its pod: the first lines of all
    /// sorted by time, then each new line as it comes.
    pub fn merged_logs(
        &self,
        sources: Vec<LogSource>,
        follow: bool,
    ) -> impl Stream<Item = Result<Vec<LogLine>, String>> + Send + 'static {
        let streams: Vec<_> = sources
            .into_iter()
            .map(|s| self.logs(s, follow, false, true).boxed())
            .collect();
        let all = futures::stream::select_all(streams);
        // The first lines of every pod arrive at once, in no order: gather them a
        // moment and sort them, then pass the rest through.
        futures::stream::unfold((all, true), |(mut all, first)| async move {
            if !first {
                return all.next().await.map(|x| (x, (all, false)));
            }
            let mut batch: Vec<LogLine> = Vec::new();
            let deadline = tokio::time::sleep(GATHER);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    next = all.next() => match next {
                        Some(Ok(lines)) => batch.extend(lines),
                        Some(Err(e)) => return Some((Err(e), (all, false))),
                        None => break,
                    },
                }
            }
            // By the instant, not the text: the kubelet trims trailing zeros.
            batch.sort_by_cached_key(|l| l.stamp.as_str().parse::<jiff::Timestamp>().ok());
            Some((Ok(batch), (all, false)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kubelet_line_splits_into_its_time_and_text() {
        let l = parse_line(
            "2026-12-05T10:00:01.123456789Z GET /health 200",
            Some("web-1"),
        );
        assert_eq!(l.text.as_str(), "GET /health 200");
        assert_eq!(l.at, Timestamp::parse_rfc3339("2026-12-05T10:00:01Z"));
        assert_eq!(l.source.as_deref(), Some("web-1"));
        let plain = parse_line("no stamp here", None);
        assert_eq!(plain.text.as_str(), "no stamp here");
        assert!(plain.at.is_none());
    }
}
