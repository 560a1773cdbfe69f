//! Writing kubeconfig files that point at fake clusters, one context per
//! (cluster, user), several clusters in one file if wanted.

use std::path::Path;

use base64::Engine;

use crate::FakeKube;

struct Entry {
    context: String,
    server: String,
    ca_pem: Option<String>,
    user: String,
    token: String,
    namespace: Option<String>,
}

/// A kubeconfig under construction:
/// `Kubeconfig::new().context("homelab", &a, "admin").context("cloud", &b, "viewer").write(path)`.
/// The first context is the current one unless `current` says otherwise.
#[derive(Default)]
pub struct Kubeconfig {
    entries: Vec<Entry>,
    current: Option<String>,
}

impl Kubeconfig {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a context for `user` on `fk`. Panics if the fake has no such
    /// user: that is a mistake in the test, not a condition to handle.
    pub fn context(self, name: &str, fk: &FakeKube, user: &str) -> Self {
        let token = fk
            .token(user)
            .unwrap_or_else(|| panic!("fake cluster has no user {user:?}"));
        self.raw_context(name, &fk.url(), fk.ca_pem(), user, &token)
    }

    /// Adds a context for any server (a cluster that does not exist, one
    /// that never answers), with a given token.
    pub fn raw_context(
        mut self,
        name: &str,
        server: &str,
        ca_pem: Option<String>,
        user: &str,
        token: &str,
    ) -> Self {
        self.entries.push(Entry {
            context: name.into(),
            server: server.into(),
            ca_pem,
            user: user.into(),
            token: token.into(),
            namespace: None,
        });
        self
    }

    /// Sets the default namespace of the last added context.
    pub fn namespace(mut self, ns: &str) -> Self {
        if let Some(e) = self.entries.last_mut() {
            e.namespace = Some(ns.into());
        }
        self
    }

    pub fn current(mut self, name: &str) -> Self {
        self.current = Some(name.into());
        self
    }

    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut clusters = String::new();
        let mut users = String::new();
        let mut contexts = String::new();
        for e in &self.entries {
            clusters += &format!(
                "- name: {}\n  cluster:\n    server: {}\n",
                q(&e.context),
                q(&e.server)
            );
            if let Some(ca) = &e.ca_pem {
                let b64 = base64::engine::general_purpose::STANDARD.encode(ca);
                clusters += &format!("    certificate-authority-data: {b64}\n");
            }
            let uname = format!("{}-{}", e.context, e.user);
            users += &format!(
                "- name: {}\n  user:\n    token: {}\n",
                q(&uname),
                q(&e.token)
            );
            contexts += &format!(
                "- name: {}\n  context:\n    cluster: {}\n    user: {}\n",
                q(&e.context),
                q(&e.context),
                q(&uname)
            );
            if let Some(ns) = &e.namespace {
                contexts += &format!("    namespace: {}\n", q(ns));
            }
        }
        let current = self
            .current
            .clone()
            .or_else(|| self.entries.first().map(|e| e.context.clone()))
            .unwrap_or_default();
        format!(
            "apiVersion: v1\nkind: Config\npreferences: {{}}\ncurrent-context: {}\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}",
            q(&current)
        )
    }

    pub fn write(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        std::fs::write(path, self.to_yaml())
    }
}
