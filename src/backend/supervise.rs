//! Watchers are supervised: one that panics or ends is started again with backoff, and
//! its source is marked stale with the reason meanwhile, so frozen data never shows as
//! live. Shared by every domain's watcher.

use std::future::Future;
use std::time::Duration;
use tokio::time::{Instant, sleep};
use tokio_util::sync::CancellationToken;

/// A run that lasted this long was healthy: the next failure starts the backoff over.
const HEALTHY_RUN: Duration = Duration::from_secs(30);

/// 0.25 s, 0.5 s, 1 s ... at most 10 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((250u64 << attempt.min(6)).min(10_000))
}

/// Run `make()`'s future in a task of its own until `cancel`. When it panics or returns,
/// call `lost(reason, attempt)`, wait out the backoff, and start a fresh one.
pub async fn supervise<Fut>(
    name: &str,
    cancel: CancellationToken,
    mut make: impl FnMut() -> Fut,
    lost: impl Fn(String, u32),
) where
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut attempt = 0u32;
    loop {
        let started = Instant::now();
        let mut task = tokio::spawn(make());
        let reason = tokio::select! {
            _ = cancel.cancelled() => {
                task.abort();
                return;
            }
            r = &mut task => match r {
                Ok(()) => format!("{name} watcher stopped"),
                Err(e) if e.is_panic() => {
                    format!("{name} watcher crashed ({}); restarting", panic_text(e.into_panic()))
                }
                Err(_) => format!("{name} watcher was cancelled"),
            },
        };
        if started.elapsed() >= HEALTHY_RUN {
            attempt = 0;
        }
        attempt += 1;
        tracing::error!(%reason, attempt, "watcher lost");
        lost(reason, attempt);
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = sleep(backoff(attempt)) => {}
        }
    }
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(0), Duration::from_millis(250));
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(30), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn a_panicking_or_ending_watcher_is_reported_and_restarted() {
        let runs = Arc::new(AtomicU32::new(0));
        let lost: Arc<Mutex<Vec<(String, u32)>>> = Arc::default();
        let cancel = CancellationToken::new();
        let (r, l, c) = (runs.clone(), lost.clone(), cancel.clone());
        let sup = tokio::spawn(supervise(
            "test",
            cancel.clone(),
            move || {
                let n = r.fetch_add(1, Ordering::SeqCst);
                async move {
                    match n {
                        0 => panic!("injected fault"),
                        1 => {} // ends on its own
                        _ => std::future::pending::<()>().await,
                    }
                }
            },
            move |reason, attempt| l.lock().unwrap().push((reason, attempt)),
        ));
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 3, "restarted after each loss");
        {
            let lost = lost.lock().unwrap();
            assert_eq!(lost.len(), 2);
            assert!(lost[0].0.contains("crashed (injected fault)"), "{lost:?}");
            assert_eq!(lost[0].1, 1);
            assert_eq!(lost[1], ("test watcher stopped".into(), 2));
        }
        c.cancel();
        sup.await.unwrap();
    }
}
