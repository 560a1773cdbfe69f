//! How a fake cluster is set up: TLS, which operators' kinds it serves, users.

use std::time::Duration;

use crate::policy::{Deny, User};
use crate::resources::Crd;

#[derive(Clone, Debug)]
pub struct Options {
    /// 0 picks a free port.
    pub port: u16,
    pub tls: bool,
    pub crds: Vec<Crd>,
    pub users: Vec<User>,
    /// How often a watch that allows bookmarks gets one (the real server:
    /// about a minute; tests want it short).
    pub bookmark_interval: Duration,
    /// Run the small deployment/statefulset/replicaset controllers.
    pub controllers: bool,
    /// How long the controllers wait before acting on a change.
    pub controller_delay: Duration,
    /// Accept connections but never answer.
    pub hang: bool,
    /// Changes kept for watches and lists at older revisions; older ones are
    /// compacted away as etcd does.
    pub max_history: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            port: 0,
            tls: false,
            crds: Vec::new(),
            users: vec![User {
                name: "admin".into(),
                token: token_for("admin"),
                deny: Vec::new(),
            }],
            bookmark_interval: Duration::from_secs(60),
            controllers: false,
            controller_delay: Duration::from_millis(50),
            hang: false,
            max_history: 200_000,
        }
    }
}

/// The bearer token a user gets unless one is given.
pub fn token_for(user: &str) -> String {
    format!("fakekube-token-{user}")
}

impl Options {
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    pub fn crd(mut self, c: Crd, on: bool) -> Self {
        self.crds.retain(|x| *x != c);
        if on {
            self.crds.push(c);
        }
        self
    }

    pub fn flux(self, on: bool) -> Self {
        self.crd(Crd::Flux, on)
    }

    pub fn kubevirt(self, on: bool) -> Self {
        self.crd(Crd::KubeVirt, on)
    }

    pub fn k0smotron(self, on: bool) -> Self {
        self.crd(Crd::K0smotron, on)
    }

    pub fn metallb(self, on: bool) -> Self {
        self.crd(Crd::MetalLb, on)
    }

    pub fn multus(self, on: bool) -> Self {
        self.crd(Crd::Multus, on)
    }

    /// Adds a user with full rights and the token `token_for(name)`.
    pub fn user(self, name: &str) -> Self {
        self.user_with_token(name, &token_for(name))
    }

    pub fn user_with_token(mut self, name: &str, token: &str) -> Self {
        self.users.retain(|u| u.name != name);
        self.users.push(User {
            name: name.into(),
            token: token.into(),
            deny: Vec::new(),
        });
        self
    }

    /// Takes rights away from a user (added first if unknown).
    pub fn deny(mut self, user: &str, rule: Deny) -> Self {
        if !self.users.iter().any(|u| u.name == user) {
            self = self.user(user);
        }
        if let Some(u) = self.users.iter_mut().find(|u| u.name == user) {
            u.deny.push(rule);
        }
        self
    }

    /// A user who may read everything and change nothing.
    pub fn view_only(self, user: &str) -> Self {
        self.deny(user, Deny::writes())
    }

    pub fn bookmark_interval(mut self, d: Duration) -> Self {
        self.bookmark_interval = d;
        self
    }

    pub fn controllers(mut self, on: bool) -> Self {
        self.controllers = on;
        self
    }

    pub fn hang(mut self, on: bool) -> Self {
        self.hang = on;
        self
    }
}
