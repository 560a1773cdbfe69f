//! A stack as the Engine will be asked to hold it: its networks, secrets, configs and
//! service specs, named as `docker stack deploy` names them (`<stack>_<name>`).

use crate::backend::swarm::create::Hidden;
use serde_json::Value;
use std::collections::BTreeMap;

/// The label on everything a stack deploy makes: `docker stack ls` reads it.
pub const NAMESPACE: &str = "com.docker.stack.namespace";
/// On a service: the image as the compose file wrote it.
pub const IMAGE: &str = "com.docker.stack.image";

#[derive(Debug, Clone)]
pub struct Desired {
    pub stack: String,
    /// Networks to make when missing (the external ones must exist).
    pub networks: Vec<NetworkDef>,
    pub external_networks: Vec<String>,
    pub secrets: Vec<ObjectDef>,
    pub configs: Vec<ObjectDef>,
    /// External secrets and configs the services need: they must exist.
    pub external_secrets: Vec<String>,
    pub external_configs: Vec<String>,
    pub services: Vec<ServiceDef>,
    /// What the files said that labdeck did not take (ignored keys, unset variables).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkDef {
    pub name: String,
    /// The Engine's network create body, name included.
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDef {
    pub name: String,
    pub data: Hidden,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDef {
    /// `<stack>_<service>`.
    pub name: String,
    /// As the compose file names it.
    pub short: String,
    /// The Engine's service spec. Secret and config references carry names; their
    /// IDs are looked up when it is sent.
    pub spec: Value,
    /// Short names of the services it waits for (`depends_on`).
    pub depends_on: Vec<String>,
}

impl Desired {
    /// An external secret or config the files call `from` is `to` on the engine (a
    /// bootstrap's versioned name); the file the service sees keeps its name.
    pub fn rename_external(&mut self, from: &str, to: &str) {
        for list in [&mut self.external_secrets, &mut self.external_configs] {
            for n in list.iter_mut().filter(|n| *n == from) {
                *n = to.to_string();
            }
        }
        for s in &mut self.services {
            for (field, key) in [("Secrets", "SecretName"), ("Configs", "ConfigName")] {
                let path = format!("/TaskTemplate/ContainerSpec/{field}");
                if let Some(refs) = s.spec.pointer_mut(&path).and_then(Value::as_array_mut) {
                    for r in refs.iter_mut().filter(|r| r[key] == from) {
                        r[key] = Value::from(to);
                    }
                    refs.sort_by(|a, b| a[key].as_str().cmp(&b[key].as_str()));
                }
            }
        }
    }

    /// `depends_on` waves: each service after everything it depends on. A cycle or an
    /// unknown name is an error naming it.
    pub fn waves(&self) -> Result<Vec<Vec<&ServiceDef>>, String> {
        let mut left: Vec<&ServiceDef> = self.services.iter().collect();
        let mut done: Vec<&str> = Vec::new();
        let mut waves = Vec::new();
        for s in &left {
            if let Some(d) = s
                .depends_on
                .iter()
                .find(|d| !self.services.iter().any(|x| &x.short == *d))
            {
                return Err(format!(
                    "{} depends on {d}, which the stack does not have",
                    s.short
                ));
            }
        }
        while !left.is_empty() {
            let (ready, rest): (Vec<&ServiceDef>, Vec<&ServiceDef>) = left
                .into_iter()
                .partition(|s| s.depends_on.iter().all(|d| done.contains(&d.as_str())));
            if ready.is_empty() {
                let names: Vec<&str> = rest.iter().map(|s| s.short.as_str()).collect();
                return Err(format!(
                    "depends_on goes round in a circle: {}",
                    names.join(", ")
                ));
            }
            done.extend(ready.iter().map(|s| s.short.as_str()));
            waves.push(ready);
            left = rest;
        }
        Ok(waves)
    }
}
