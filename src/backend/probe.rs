//! Reachability: a TCP connect to each address the inventory names, on its port, with
//! a short timeout, every so often. Nothing else is ever probed.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// How often the probes run again.
pub const EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Not probed yet.
    Unknown,
    /// Connected. (Not how fast: a changing figure would wake the screen each round.)
    Up,
    /// Refused, timed out, no route: why.
    Down(String),
}

pub type Reaches = Arc<BTreeMap<SocketAddr, Reach>>;

/// One connect, within `timeout`.
pub async fn probe(target: SocketAddr, timeout: Duration) -> Reach {
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(target)).await {
        Ok(Ok(_)) => Reach::Up,
        Ok(Err(e)) => Reach::Down(e.to_string()),
        Err(_) => Reach::Down(format!("no answer within {} ms", timeout.as_millis())),
    }
}

/// Probes `targets` at once, then every `every`, publishing each round's results.
pub fn spawn(
    targets: Vec<(IpAddr, u16)>,
    timeout: Duration,
    every: Duration,
    cancel: CancellationToken,
) -> watch::Receiver<Reaches> {
    let targets: Vec<SocketAddr> = targets
        .into_iter()
        .map(|(ip, port)| SocketAddr::new(ip, port))
        .collect();
    let first = targets.iter().map(|t| (*t, Reach::Unknown)).collect();
    let (tx, rx) = watch::channel(Arc::new(first));
    if targets.is_empty() {
        return rx;
    }
    tokio::spawn(async move {
        loop {
            let round = futures::future::join_all(
                targets
                    .iter()
                    .map(|t| async move { (*t, probe(*t, timeout).await) }),
            )
            .await;
            let now: BTreeMap<_, _> = round.into_iter().collect();
            // Only a change is news: a quiet lab wakes nobody.
            tx.send_if_modified(|old| {
                let changed = **old != now;
                if changed {
                    *old = Arc::new(now.clone());
                }
                changed
            });
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tokio::time::sleep(every) => {}
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listening_port_is_up_and_a_closed_one_is_down_with_why() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        assert!(matches!(
            probe(open, Duration::from_secs(2)).await,
            Reach::Up
        ));
        let Reach::Down(why) = probe(closed, Duration::from_secs(2)).await else {
            panic!("closed port up")
        };
        assert!(why.to_lowercase().contains("refused"), "{why}");
        let cancel = CancellationToken::new();
        let mut rx = spawn(
            vec![(open.ip(), open.port()), (closed.ip(), closed.port())],
            Duration::from_secs(2),
            Duration::from_secs(60),
            cancel.clone(),
        );
        let seen = rx
            .wait_for(|r| r.values().all(|x| *x != Reach::Unknown))
            .await
            .unwrap()
            .clone();
        assert!(matches!(seen[&open], Reach::Up));
        assert!(matches!(seen[&closed], Reach::Down(_)));
        cancel.cancel();
    }
}
