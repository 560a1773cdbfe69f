//! This host's links, followed: read once, then again whenever the kernel announces a
//! link or address change (netlink multicast), so a cable pulled or an address added
//! shows at once and a quiet host costs nothing. Byte counters move all the time, so
//! they are read only while someone shows the rates (`show_rates`), every few seconds.

use super::{Link, read_links};
use crate::core::status::SourceStatus;
use futures::StreamExt;
use rtnetlink::MulticastGroup;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

/// How often counters are read while rates are shown.
pub const RATES_EVERY: Duration = Duration::from_secs(3);
/// A burst of announcements (a bridge coming up announces each port) is read once.
const SETTLE: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, PartialEq)]
pub struct LinksFeed {
    pub links: Arc<Vec<Link>>,
    /// Bytes per second (rx, tx) by link name, from the last two counter reads.
    pub rates: Arc<Vec<(String, u64, u64)>>,
    pub status: SourceStatus,
}

#[derive(Clone)]
pub struct LinkWatcher {
    pub feed: watch::Receiver<LinksFeed>,
    rates: Arc<AtomicBool>,
    asked: Arc<Notify>,
}

/// The kernel's announcements, reduced to "something changed".
type Announcements = futures::stream::BoxStream<'static, ()>;

impl LinkWatcher {
    /// Follows the links of this thread's network namespace until `cancel`.
    pub fn spawn(cancel: CancellationToken) -> LinkWatcher {
        let (tx, feed) = watch::channel(LinksFeed {
            links: Arc::default(),
            rates: Arc::default(),
            status: SourceStatus::Connecting,
        });
        let rates = Arc::new(AtomicBool::new(false));
        let asked = Arc::new(Notify::new());
        // The socket is made here, in the caller's namespace, before the task moves.
        let events = rtnetlink::new_multicast_connection(&[
            MulticastGroup::Link,
            MulticastGroup::Ipv4Ifaddr,
            MulticastGroup::Ipv6Ifaddr,
        ]);
        let (shown, woken) = (rates.clone(), asked.clone());
        tokio::spawn(async move {
            let mut announcements: Option<Announcements> = match events {
                Ok((conn, _handle, messages)) => {
                    tokio::spawn(conn);
                    Some(messages.map(|_| ()).boxed())
                }
                Err(e) => {
                    tracing::warn!("netlink events: {e}; links are read once");
                    None
                }
            };
            let mut last: Option<(Instant, Vec<Link>)> = None;
            loop {
                let rates_on = shown.load(Ordering::Relaxed);
                publish(&tx, &mut last, rates_on).await;
                // Until the kernel announces a change, the next sample is due (while
                // rates are shown), or rates are asked for; else nothing runs.
                tokio::select! {
                    _ = cancel.cancelled() => break,
                    got = next(&mut announcements) => {
                        if got.is_none() {
                            announcements = None;
                        }
                        tokio::time::sleep(SETTLE).await;
                        while let Some(m) = announcements.as_mut()
                            && let Some(Some(())) = futures::FutureExt::now_or_never(m.next())
                        {}
                    }
                    _ = tokio::time::sleep(RATES_EVERY), if rates_on => {}
                    _ = woken.notified(), if !rates_on => {}
                }
            }
        });
        LinkWatcher { feed, rates, asked }
    }

    /// Counters are read (and rates published) only while this is on.
    pub fn show_rates(&self, on: bool) {
        if self.rates.swap(on, Ordering::Relaxed) != on && on {
            self.asked.notify_one();
        }
    }
}

async fn next(a: &mut Option<Announcements>) -> Option<()> {
    match a.as_mut() {
        Some(m) => m.next().await,
        None => std::future::pending().await,
    }
}

/// Read the links and publish them when anything shown changed; with rates, from
/// the counters' change since the last read.
async fn publish(
    tx: &watch::Sender<LinksFeed>,
    last: &mut Option<(Instant, Vec<Link>)>,
    rates_shown: bool,
) {
    let now = Instant::now();
    match read_links().await {
        Ok(links) => {
            let rates = match (&*last, rates_shown) {
                (Some((at, before)), true) => rates(before, &links, now - *at),
                _ => Vec::new(),
            };
            // Counters alone are no news unless rates are shown.
            let shown: Vec<Link> = links
                .iter()
                .cloned()
                .map(|mut l| {
                    if !rates_shown {
                        l.rx_bytes = 0;
                        l.tx_bytes = 0;
                    }
                    l
                })
                .collect();
            *last = Some((now, links));
            tx.send_if_modified(|f| {
                let changed = *f.links != shown || *f.rates != rates || !f.status.is_live();
                if changed {
                    *f = LinksFeed {
                        links: Arc::new(shown),
                        rates: Arc::new(rates),
                        status: SourceStatus::Live,
                    };
                }
                changed
            });
        }
        Err(reason) => {
            tx.send_modify(|f| {
                f.status = SourceStatus::Stale {
                    reason: crate::core::text::SafeText::new(&reason),
                    since: crate::core::time::Timestamp::now(),
                    attempt: 1,
                }
            });
        }
    }
}

/// Bytes per second of each link between two reads.
fn rates(before: &[Link], now: &[Link], took: Duration) -> Vec<(String, u64, u64)> {
    let secs = took.as_secs_f64().max(0.001);
    now.iter()
        .filter_map(|l| {
            let b = before.iter().find(|b| b.index == l.index)?;
            let per = |a: u64, b: u64| (a.saturating_sub(b) as f64 / secs) as u64;
            Some((
                l.name.clone(),
                per(l.rx_bytes, b.rx_bytes),
                per(l.tx_bytes, b.tx_bytes),
            ))
        })
        .collect()
}
