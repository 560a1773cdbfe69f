//! Making what a bootstrap needs on an engine: a swarm, networks, secrets and configs.
//! Each takes the `Writer`: the source check lets bollard's creating calls live here.

use super::connect::describe_error;
use crate::core::access::Writer;
use bollard::Docker;
use bollard::models::{
    ConfigSpec, Ipam, IpamConfig, NetworkCreateRequest, SecretSpec, SwarmInitRequest,
};
use std::collections::HashMap;

/// A network to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNetwork {
    pub name: String,
    /// `overlay` for a swarm-wide one.
    pub driver: String,
    pub attachable: bool,
    /// Overlay traffic encrypted between nodes.
    pub encrypted: bool,
    pub subnet: Option<String>,
    pub labels: Vec<(String, String)>,
}

/// Bytes that are never shown or logged (a secret's, a config's content).
#[derive(Clone, PartialEq, Eq)]
pub struct Hidden(pub Vec<u8>);

impl std::fmt::Debug for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({} bytes, not shown)", self.0.len())
    }
}

/// A secret or a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Secret,
    Config,
}

impl ObjectKind {
    pub fn word(self) -> &'static str {
        match self {
            ObjectKind::Secret => "secret",
            ObjectKind::Config => "config",
        }
    }
}

pub(super) async fn network(
    _w: &Writer,
    docker: &Docker,
    n: &NewNetwork,
) -> Result<String, String> {
    let mut options = HashMap::new();
    if n.encrypted {
        options.insert("encrypted".to_string(), String::new());
    }
    let req = NetworkCreateRequest {
        name: n.name.clone(),
        driver: Some(n.driver.clone()),
        attachable: Some(n.attachable),
        options: Some(options),
        labels: Some(n.labels.iter().cloned().collect()),
        ipam: n.subnet.as_ref().map(|s| Ipam {
            config: Some(vec![IpamConfig {
                subnet: Some(s.clone()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    docker
        .create_network(req)
        .await
        .map(|_| format!("created network {}", n.name))
        .map_err(|e| describe_error(&e))
}

pub(super) async fn object(
    _w: &Writer,
    docker: &Docker,
    kind: ObjectKind,
    name: &str,
    data: &Hidden,
    labels: &[(String, String)],
) -> Result<String, String> {
    use base64::Engine;
    let data = Some(base64::engine::general_purpose::STANDARD.encode(&data.0));
    let labels = Some(labels.iter().cloned().collect());
    let name_ = Some(name.to_string());
    let r = match kind {
        ObjectKind::Secret => {
            docker
                .create_secret(SecretSpec {
                    name: name_,
                    labels,
                    data,
                    ..Default::default()
                })
                .await
        }
        ObjectKind::Config => {
            docker
                .create_config(ConfigSpec {
                    name: name_,
                    labels,
                    data,
                    ..Default::default()
                })
                .await
        }
    };
    r.map(|_| format!("created {} {name}", kind.word()))
        .map_err(|e| describe_error(&e))
}

pub(super) async fn swarm(
    _w: &Writer,
    docker: &Docker,
    advertise_addr: &str,
    listen_addr: &str,
) -> Result<String, String> {
    docker
        .init_swarm(SwarmInitRequest {
            listen_addr: Some(listen_addr.to_string()),
            advertise_addr: Some(advertise_addr.to_string()),
            ..Default::default()
        })
        .await
        .map(|_| format!("initialised a swarm advertising {advertise_addr}"))
        .map_err(|e| describe_error(&e))
}
