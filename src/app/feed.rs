//! Feeds for the run loop. A `watch` channel keeps only the newest value, so a slow
//! loop never builds a backlog: this turns one into a stream of its newest values.

use futures::Stream;
use tokio::sync::watch;

/// The current value at once, then each newer one; ends when the sender is gone.
pub fn watch_stream<T: Clone + Send + Sync + 'static>(
    rx: watch::Receiver<T>,
) -> impl Stream<Item = T> + Send + 'static {
    futures::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let v = rx.borrow_and_update().clone();
        Some((v, (rx, false)))
    })
}

/// A pane's feed from one source's channel: each newest value becomes the pane's
/// message through `wrap` (which tags it with the source it came from).
pub fn feed_of<T, M>(
    rx: watch::Receiver<T>,
    wrap: impl Fn(T) -> M + Send + 'static,
) -> crate::app::pane::Feed
where
    T: Clone + Send + Sync + 'static,
    M: std::any::Any + Send,
{
    use futures::StreamExt;
    watch_stream(rx)
        .map(move |v| crate::app::pane::PaneMsg::new(wrap(v)))
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[tokio::test]
    async fn yields_the_current_value_then_only_the_newest() {
        let (tx, rx) = watch::channel(1);
        let mut s = std::pin::pin!(watch_stream(rx));
        assert_eq!(s.next().await, Some(1));
        tx.send(2).unwrap();
        tx.send(3).unwrap();
        assert_eq!(s.next().await, Some(3), "2 was superseded: no backlog");
        drop(tx);
        assert_eq!(s.next().await, None);
    }
}
