//! A connected cluster, as the rest of labdeck holds it. The kube client inside is
//! private to this backend: views read through the watches, and writes go only
//! through `KubeWriter`, which takes a `Writer` (the read-only mode never has one).

use super::kinds::Kind;
use kube::Client;
use kube::discovery::ApiResource;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct Conn {
    pub(super) client: Client,
    /// The cluster's name in labdeck.
    pub name: String,
    /// The API server's URL (`https://10.0.0.1:6443`).
    pub server: String,
    /// The context is read-only in config.toml: no writer is made for it.
    pub read_only: bool,
    /// Custom kinds discovery found, filled once it has run.
    pub(super) custom: Arc<Mutex<BTreeMap<Kind, ApiResource>>>,
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Conn({})", self.name)
    }
}

impl PartialEq for Conn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

#[cfg(test)]
impl Conn {
    /// A connection to nowhere, for tests of what holds one (call inside a runtime:
    /// the client's buffer is a task).
    pub fn offline(name: &str) -> Conn {
        let url: hyper::Uri = "http://127.0.0.1:9".parse().expect("a URL");
        let client = Client::try_from(kube::Config::new(url)).expect("a client");
        Conn {
            client,
            name: name.into(),
            server: "http://127.0.0.1:9".into(),
            read_only: false,
            custom: Default::default(),
        }
    }
}
