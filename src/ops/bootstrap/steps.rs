//! A bootstrap as a plan: the swarm, its networks, its secrets and configs, each a
//! step that checks the engine before it changes anything. Stacks join the plan with
//! the native deploy.

use super::file::Bootstrap;
use super::secret_key::SecretKey;
use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::backend::swarm::create::{Hidden, NewNetwork, ObjectKind};
use crate::backend::swarm::ops::SwarmOp;
use crate::backend::swarm::writer::SwarmWriter;
use crate::core::access::Writer;
use crate::ops::plan::{
    Check, Danger, Outcome, Plan, Progress, Step, StepError, Target, TargetKind,
};
use futures::future::BoxFuture;
use sha2::Digest;
use std::path::Path;
use std::sync::Arc;

/// On everything a bootstrap makes: who made it, for the rotation and for people.
pub const LABEL: &str = "com.labdeck.bootstrap";

/// The bootstrap `b` on `endpoint` as a plan: swarm, networks, secrets, configs. The
/// secrets' and configs' files are read now; their Swarm names carry a hash of the
/// content (`op_credentials_3f2a9c1b`), so a changed file is a new version. A secret's
/// hash is keyed with the installation's key in `data_dir` (see `secret_key`).
pub fn plan(b: &Bootstrap, endpoint: &Endpoint, data_dir: &Path) -> Result<Plan, String> {
    let mut steps: Vec<Arc<dyn Step>> = Vec::new();
    let step = |what| {
        Arc::new(BootstrapStep {
            endpoint: endpoint.clone(),
            what,
        }) as Arc<dyn Step>
    };
    if let Some(addr) = &b.swarm.advertise_addr {
        steps.push(step(What::Swarm(addr.clone(), b.swarm.listen_addr.clone())));
    }
    for n in &b.networks {
        steps.push(step(What::Network(NewNetwork {
            name: n.name.clone(),
            driver: n.driver.clone(),
            attachable: n.attachable,
            encrypted: n.encrypted,
            subnet: n.subnet.clone(),
            labels: vec![(LABEL.into(), n.name.clone())],
        })));
    }
    // Made or read only for a bootstrap that has secrets.
    let key = match b.secrets.is_empty() {
        true => None,
        false => Some(SecretKey::load_or_create(data_dir)?),
    };
    let mut versions: Vec<(String, String)> = Vec::new();
    for (kind, list) in [
        (ObjectKind::Secret, &b.secrets),
        (ObjectKind::Config, &b.configs),
    ] {
        for o in list {
            let data = std::fs::read(&o.file)
                .map_err(|e| format!("{}: cannot read: {e}", o.file.display()))?;
            let name = match (kind, &key) {
                (ObjectKind::Secret, Some(key)) => key.name(&o.name, &data),
                // A config's content is no secret: its plain hash names it.
                _ => versioned(&o.name, &data),
            };
            versions.push((o.name.clone(), name.clone()));
            steps.push(step(What::Object {
                kind,
                name,
                from: o.file.display().to_string(),
                data: Hidden(data),
                base: o.name.clone(),
            }));
        }
    }
    for stack in &b.stacks {
        steps.push(Arc::new(super::stack_step::StackStep {
            endpoint: endpoint.clone(),
            stack: stack.clone(),
            versions: versions.clone(),
            given: b.given.clone(),
            updated: Default::default(),
        }));
    }
    if !versions.is_empty() {
        steps.push(Arc::new(super::stack_step::OldVersions {
            endpoint: endpoint.clone(),
            versions,
        }));
    }
    Ok(Plan::of(steps))
}

/// [`plan`] on the engine the environment names (`DOCKER_HOST`, the Docker context,
/// else the local socket): what the command line and the wizard use.
pub fn plan_here(b: &Bootstrap, data_dir: &Path) -> Result<Plan, String> {
    plan(b, &Endpoint::from_env(), data_dir)
}

/// `name_` and the first 8 hex digits of the content's SHA-256 (for what is not
/// secret: configs, journal names; secrets use [`SecretKey::name`]).
pub fn versioned(name: &str, data: &[u8]) -> String {
    let hash = sha2::Sha256::digest(data);
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{name}_{hex}")
}

/// A step that acts on this engine.
pub fn engine_target(endpoint: &Endpoint) -> Target {
    Target {
        kind: TargetKind::Engine,
        name: endpoint.name.clone(),
        address: endpoint.host.clone(),
    }
}

#[derive(Debug, Clone)]
enum What {
    /// Initialise a swarm, advertising this address, if the engine is in none.
    /// Advertised address, and where to listen (default `0.0.0.0:2377`).
    Swarm(String, Option<String>),
    Network(NewNetwork),
    Object {
        kind: ObjectKind,
        /// The Swarm name, with the content's hash.
        name: String,
        from: String,
        data: Hidden,
        /// The name services refer to it by.
        base: String,
    },
}

#[derive(Debug)]
struct BootstrapStep {
    endpoint: Endpoint,
    what: What,
}

impl BootstrapStep {
    fn op(&self) -> SwarmOp {
        match &self.what {
            What::Swarm(addr, listen) => SwarmOp::InitSwarm {
                advertise_addr: addr.clone(),
                listen_addr: listen.clone(),
            },
            What::Network(n) => SwarmOp::CreateNetwork(n.clone()),
            What::Object {
                kind,
                name,
                from,
                data,
                base,
            } => SwarmOp::CreateObject {
                kind: *kind,
                name: name.clone(),
                from: from.clone(),
                data: data.clone(),
                labels: vec![(LABEL.into(), base.clone())],
            },
        }
    }

    /// What the engine has, judged for this step.
    fn judge(&self, snap: &SwarmSnapshot) -> Check {
        let manager = snap.engine.swarm_manager;
        match &self.what {
            What::Swarm(..) if manager => Check::Unchanged,
            What::Swarm(..) if snap.engine.swarm_state.as_str() == "inactive" => Check::Create,
            What::Swarm(..) => Check::Blocked(format!(
                "the engine is in a swarm it does not manage (state {})",
                snap.engine.swarm_state
            )),
            What::Network(n) => match snap.networks.iter().find(|x| x.name.as_str() == n.name) {
                None => Check::Create,
                Some(x) => match super::network::differences(n, x) {
                    d if d.is_empty() => Check::Unchanged,
                    d => Check::Blocked(super::network::blocked(&n.name, &d)),
                },
            },
            What::Object { kind, name, .. } => {
                let list = match kind {
                    ObjectKind::Secret => &snap.secrets,
                    ObjectKind::Config => &snap.configs,
                };
                if list.iter().any(|o| o.name.as_str() == name) {
                    Check::Unchanged
                } else {
                    Check::Create
                }
            }
        }
    }
}

impl Step for BootstrapStep {
    fn describe(&self) -> String {
        self.op().describe()
    }

    fn danger(&self) -> Danger {
        Danger::Reversible
    }

    fn target(&self) -> Target {
        engine_target(&self.endpoint)
    }

    fn key(&self) -> String {
        let what = match &self.what {
            What::Swarm(..) => "swarm".to_string(),
            What::Network(n) => format!("network {}", n.name),
            What::Object { kind, name, .. } => format!("{} {name}", kind.word()),
        };
        format!("{} {what}", self.target())
    }

    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            let reader = self
                .endpoint
                .connect()
                .await
                .map_err(|e| describe_error(&e))?;
            let snap = reader.list_all().await.map_err(|e| describe_error(&e))?;
            Ok(self.judge(&snap))
        })
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let w = SwarmWriter::connect(writer, &self.endpoint).await?;
            w.apply(&self.op(), progress).await.map_err(StepError::from)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::lab;
    use crate::core::text::SafeText;

    fn step(what: What) -> BootstrapStep {
        BootstrapStep {
            endpoint: Endpoint::from_value(None),
            what,
        }
    }

    fn net(name: &str, driver: &str, attachable: bool) -> What {
        What::Network(NewNetwork {
            name: name.into(),
            driver: driver.into(),
            attachable,
            encrypted: false,
            subnet: None,
            labels: vec![],
        })
    }

    #[test]
    fn each_step_judges_the_engine_as_it_is() {
        let mut s = lab();
        assert_eq!(
            step(What::Swarm("10.0.0.1".into(), None)).judge(&s),
            Check::Unchanged
        );
        s.engine.swarm_manager = false;
        s.engine.swarm_state = SafeText::new("inactive");
        assert_eq!(
            step(What::Swarm("10.0.0.1".into(), None)).judge(&s),
            Check::Create
        );
        s.engine.swarm_state = SafeText::new("active");
        assert!(matches!(
            step(What::Swarm("x".into(), None)).judge(&s),
            Check::Blocked(_)
        ));
        let s = lab();
        let existing = s
            .networks
            .iter()
            .find(|n| n.driver.as_str() == "overlay")
            .unwrap();
        let name = existing.name.to_string();
        assert_eq!(
            step(net(&name, "overlay", existing.attachable)).judge(&s),
            Check::Unchanged
        );
        assert!(matches!(
            step(net(&name, "bridge", existing.attachable)).judge(&s),
            Check::Blocked(why) if why.contains("remove it by hand")
        ));
        // Encryption and the subnet are part of a network too: it would not be the same.
        let What::Network(same) = net(&name, "overlay", existing.attachable) else {
            unreachable!()
        };
        let encrypted = NewNetwork {
            encrypted: true,
            ..same.clone()
        };
        assert!(matches!(
            step(What::Network(encrypted)).judge(&s),
            Check::Blocked(why) if why.contains("encrypted false (wanted true)")
        ));
        let elsewhere = NewNetwork {
            subnet: Some("10.231.0.0/24".into()),
            ..same
        };
        assert!(matches!(
            step(What::Network(elsewhere)).judge(&s),
            Check::Blocked(why) if why.contains("wanted 10.231.0.0/24")
        ));
        assert_eq!(
            step(net("brand-new", "overlay", true)).judge(&s),
            Check::Create
        );
    }

    /// A secret is named under the installation's key, a config by its plain hash.
    #[test]
    fn a_plan_names_secrets_with_the_key_in_its_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tok.txt"), "hunter2").unwrap();
        std::fs::write(dir.path().join("conf.txt"), "x = 1").unwrap();
        let path = dir.path().join("bootstrap.toml");
        let text = "[[secrets]]\nname = \"tok\"\nfile = \"tok.txt\"\n\n\
                    [[configs]]\nname = \"conf\"\nfile = \"conf.txt\"\n";
        std::fs::write(&path, text).unwrap();
        let b = super::super::file::load(&path).unwrap();
        let data = dir.path().join("data");
        let first = plan(&b, &Endpoint::from_value(None), &data).unwrap();
        let key = SecretKey::load_or_create(&data).expect("made on first use");
        let text = first.describe();
        assert!(text.contains(&key.name("tok", b"hunter2")), "{text}");
        assert!(
            !text.contains(&versioned("tok", b"hunter2")),
            "no unsalted hash of a secret: {text}"
        );
        assert!(text.contains(&versioned("conf", b"x = 1")), "{text}");
        let again = plan(&b, &Endpoint::from_value(None), &data).unwrap();
        assert_eq!(
            again.describe(),
            text,
            "the same names on the same installation"
        );
    }

    #[test]
    fn a_secret_s_name_carries_its_content_and_its_content_is_never_shown() {
        let key = SecretKey::from_bytes([1; 32]);
        let a = key.name("op_credentials", b"one");
        let b = key.name("op_credentials", b"two");
        assert!(a.starts_with("op_credentials_") && a.len() == "op_credentials_".len() + 8);
        assert_ne!(a, b, "a changed file is a new version");
        assert_eq!(
            a,
            key.name("op_credentials", b"one"),
            "the same file, the same name"
        );
        let s = step(What::Object {
            kind: ObjectKind::Secret,
            name: a.clone(),
            from: "secrets/op.json".into(),
            data: Hidden(b"hunter2".to_vec()),
            base: "op_credentials".into(),
        });
        let shown = format!("{} {:?} {:?}", s.describe(), s, s.op());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(s.describe().contains(&a) && s.describe().contains("not shown"));
    }
}
