//! Container logs that tests push line by line, served as the kubelet does
//! through `pods/{name}/log`: container choice, previous instance,
//! timestamps, tail, since, and follow.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::Value;

use crate::api::Ctx;
use crate::respond::{self, Resp};
use crate::status::ApiError;
use crate::{Shared, lock, resources};

#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub time: jiff::Timestamp,
    pub text: String,
}

type LogKey = (String, String, String);

/// A line as pushed, for followers.
#[derive(Clone, Debug)]
pub struct Pushed {
    key: LogKey,
    previous: bool,
    line: LogLine,
}

#[derive(Default)]
pub struct Logs {
    current: HashMap<LogKey, Vec<LogLine>>,
    previous: HashMap<LogKey, Vec<LogLine>>,
}

pub fn push(shared: &Shared, ns: &str, pod: &str, container: &str, text: &str, previous: bool) {
    let key = (ns.to_string(), pod.to_string(), container.to_string());
    let line = LogLine {
        time: jiff::Timestamp::now(),
        text: text.trim_end_matches('\n').to_string(),
    };
    let mut logs = lock(&shared.logs);
    let buf = if previous {
        &mut logs.previous
    } else {
        &mut logs.current
    };
    buf.entry(key.clone()).or_default().push(line.clone());
    // Sent under the lock so a follower that read the buffer under the same
    // lock sees each line exactly once.
    let _ = shared.log_tx.send(Pushed {
        key,
        previous,
        line,
    });
}

/// RFC 3339 with nanoseconds and trailing zeros trimmed, as Go's
/// RFC3339Nano that the kubelet prefixes lines with.
fn stamp(t: &jiff::Timestamp) -> String {
    let s = t.strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_string();
    match s.split_once('.') {
        Some((head, frac)) => {
            let digits = frac.trim_end_matches('Z').trim_end_matches('0');
            if digits.is_empty() {
                format!("{head}Z")
            } else {
                format!("{head}.{digits}Z")
            }
        }
        None => s,
    }
}

fn render(l: &LogLine, timestamps: bool) -> String {
    if timestamps {
        format!("{} {}\n", stamp(&l.time), l.text)
    } else {
        format!("{}\n", l.text)
    }
}

fn pick_container(pod: &Value, name: &str, wanted: Option<&str>) -> Result<String, ApiError> {
    let names: Vec<String> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let init: Vec<String> = pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    match wanted.filter(|w| !w.is_empty()) {
        Some(w) if names.iter().chain(&init).any(|n| n == w) => Ok(w.to_string()),
        Some(w) => Err(ApiError::bad_request(format!(
            "container {w} is not valid for pod {name}"
        ))),
        None => {
            if let Some(d) = pod
                .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
                .and_then(Value::as_str)
            {
                return Ok(d.to_string());
            }
            match names.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(ApiError::bad_request(format!(
                    "pod {name} has no containers"
                ))),
                many => Err(ApiError::bad_request(format!(
                    "a container name must be specified for pod {name}, choose one of: [{}]",
                    many.join(" ")
                ))),
            }
        }
    }
}

pub fn container_for(pod: &Value, name: &str, wanted: Option<&str>) -> Result<String, ApiError> {
    pick_container(pod, name, wanted)
}

pub async fn serve(ctx: &Ctx) -> Resp {
    match prepare(ctx) {
        Ok(r) => r,
        Err(e) => respond::error(&e),
    }
}

fn prepare(ctx: &Ctx) -> Result<Resp, ApiError> {
    let ns = ctx.info.namespace.clone();
    let pod_name = ctx.info.name.clone();
    let pods = ctx.def;
    let pod = lock(&ctx.shared.store)
        .get(pods, &ns, &pod_name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(pods, &pod_name))?;
    let container = pick_container(&pod, &pod_name, ctx.query.get("container"))?;
    let q = &ctx.query;
    let previous = q.flag("previous");
    let timestamps = q.flag("timestamps");
    let follow = q.flag("follow") && !previous;
    let tail: Option<usize> = q.get("tailLines").and_then(|t| t.parse().ok());
    let limit_bytes: Option<usize> = q.get("limitBytes").and_then(|t| t.parse().ok());
    let since = if let Some(s) = q.get("sinceSeconds").and_then(|s| s.parse::<i64>().ok()) {
        Some(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(s))
    } else if let Some(t) = q.get("sinceTime") {
        Some(
            t.parse::<jiff::Timestamp>()
                .map_err(|e| ApiError::bad_request(format!("sinceTime: {e}")))?,
        )
    } else {
        None
    };
    let key = (ns.clone(), pod_name.clone(), container.clone());
    let (lines, rx) = {
        let logs = lock(&ctx.shared.logs);
        let buf = if previous {
            &logs.previous
        } else {
            &logs.current
        };
        if previous && !buf.contains_key(&key) {
            return Err(ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
            )));
        }
        let mut lines: Vec<LogLine> = buf
            .get(&key)
            .map(|b| {
                b.iter()
                    .filter(|l| since.is_none_or(|s| l.time >= s))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if let Some(t) = tail {
            let skip = lines.len().saturating_sub(t);
            lines.drain(..skip);
        }
        (lines, follow.then(|| ctx.shared.log_tx.subscribe()))
    };
    let mut text: String = lines.iter().map(|l| render(l, timestamps)).collect();
    if let Some(n) = limit_bytes {
        text.truncate(n);
    }
    let Some(mut rx) = rx else {
        return Ok(respond::text(200, text));
    };
    let (tx, resp) = respond::streamed("text/plain");
    let shared = ctx.shared.clone();
    let cancel = ctx.cancel.clone();
    let pods_def = resources::by_name("pods").expect("pods in table");
    ctx.tracker.spawn(async move {
        let mut changes = lock(&shared.store).subscribe();
        if !text.is_empty() && tx.send(Bytes::from(text)).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tx.closed() => return,
                r = changes.changed() => {
                    // The stream ends when the pod goes, as a follow ends
                    // when its container does.
                    if r.is_err() || lock(&shared.store).get(pods_def, &ns, &pod_name).is_none() {
                        return;
                    }
                }
                m = rx.recv() => match m {
                    Ok(p) if p.key == key && !p.previous => {
                        if tx.send(Bytes::from(render(&p.line, timestamps))).await.is_err() {
                            return;
                        }
                    }
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(_) => return,
                },
            }
        }
    });
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_trim_zeros_like_go() {
        let t: jiff::Timestamp = "2025-01-02T03:04:05.120Z".parse().unwrap();
        assert_eq!(stamp(&t), "2025-01-02T03:04:05.12Z");
        let t: jiff::Timestamp = "2025-01-02T03:04:05Z".parse().unwrap();
        assert_eq!(stamp(&t), "2025-01-02T03:04:05Z");
    }
}
