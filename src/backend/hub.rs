//! The lab's sources, each watched once however many panes read it. A pane asks the
//! hub for a source by what it is (an engine's endpoint, a host, a cluster): the first
//! ask starts its watcher, every later one gets a handle on the same watcher and its
//! feed (a `watch` channel, so each reader sees the newest snapshot and none waits on
//! another). Sources are keyed by their name and address, so two panes naming the same
//! engine share it, and a name pointing elsewhere is another source.

use crate::backend::kube::config::ClusterSpec;
use crate::backend::kube::watch::ClusterWatcher;
use crate::backend::net::watch::LinkWatcher;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::watch::{Faults, SwarmWatcher};
use crate::backend::zfs::runner::ZfsHost;
use crate::backend::zfs::watch::ZfsWatcher;
use std::collections::BTreeMap;
use tokio_util::sync::CancellationToken;

pub struct Hub {
    cancel: CancellationToken,
    swarm: BTreeMap<(String, String), SwarmWatcher>,
    zfs: BTreeMap<(String, String), ZfsWatcher>,
    kube: BTreeMap<(String, String), ClusterWatcher>,
    links: Option<LinkWatcher>,
}

/// How many watchers run, by kind: one per source, whoever reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Watched {
    pub engines: usize,
    pub hosts: usize,
    pub clusters: usize,
    /// This host's links: followed or not.
    pub links: bool,
}

impl Hub {
    /// Watchers stop with `cancel`.
    pub fn new(cancel: CancellationToken) -> Hub {
        Hub {
            cancel,
            swarm: BTreeMap::new(),
            zfs: BTreeMap::new(),
            kube: BTreeMap::new(),
            links: None,
        }
    }

    /// The engine's watcher, started on the first ask.
    pub fn swarm(&mut self, endpoint: &Endpoint) -> SwarmWatcher {
        let key = (endpoint.name.clone(), endpoint.host.clone());
        let cancel = &self.cancel;
        self.swarm
            .entry(key)
            .or_insert_with(|| {
                SwarmWatcher::spawn_with(endpoint.clone(), cancel.child_token(), Faults::from_env())
            })
            .clone()
    }

    /// The host's ZFS watcher, started on the first ask.
    pub fn zfs(&mut self, host: &ZfsHost) -> ZfsWatcher {
        let key = (host.name.clone(), host.prefix.join(" "));
        let cancel = &self.cancel;
        self.zfs
            .entry(key)
            .or_insert_with(|| ZfsWatcher::spawn(host.clone(), cancel.child_token()))
            .clone()
    }

    /// The cluster's watcher, started on the first ask.
    pub fn kube(&mut self, spec: &ClusterSpec) -> ClusterWatcher {
        let key = (spec.name.clone(), spec.context.clone());
        let cancel = &self.cancel;
        self.kube
            .entry(key)
            .or_insert_with(|| ClusterWatcher::spawn(spec.clone(), cancel.child_token()))
            .clone()
    }

    /// This host's links, followed once.
    pub fn links(&mut self) -> LinkWatcher {
        let cancel = &self.cancel;
        self.links
            .get_or_insert_with(|| LinkWatcher::spawn(cancel.child_token()))
            .clone()
    }

    /// For a reader of the pane's own (a probe): stops with the hub's sources.
    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.child_token()
    }

    pub fn watched(&self) -> Watched {
        Watched {
            engines: self.swarm.len(),
            hosts: self.zfs.len(),
            clusters: self.kube.len(),
            links: self.links.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(name: &str, host: &str) -> Endpoint {
        Endpoint {
            name: name.into(),
            host: host.into(),
            tls: None,
        }
    }

    #[tokio::test]
    async fn a_source_asked_for_twice_is_watched_once_and_both_read_its_one_feed() {
        let cancel = CancellationToken::new();
        let mut hub = Hub::new(cancel.clone());
        let nowhere = "unix:///nonexistent/labdeck-hub.sock";
        let a = hub.swarm(&engine("nas", nowhere));
        let b = hub.swarm(&engine("nas", nowhere));
        assert!(a.feed.same_channel(&b.feed), "one watcher, one feed");
        assert_eq!(hub.watched().engines, 1);
        // Another name, or the same name elsewhere, is another source.
        let c = hub.swarm(&engine("n5", nowhere));
        hub.swarm(&engine("nas", "unix:///nonexistent/other.sock"));
        assert!(!a.feed.same_channel(&c.feed));
        assert_eq!(hub.watched().engines, 3);
        cancel.cancel();
    }
}
