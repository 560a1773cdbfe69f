//! The Nodes pane's part of `labdeck status`: the inventory's hosts probed once (a TCP
//! connect to each address, on its port). Degraded (exit 1): a host none of whose
//! addresses answers. Without an inventory there is nothing to probe and no part;
//! Swarm and Kubernetes nodes that are down are in their own parts.

use super::{Health, Part};
use crate::backend::probe::{Reach, probe};
use crate::config::inventory::{FILE, Inventory, load};
use futures::future::BoxFuture;
use serde::Serialize;
use std::net::SocketAddr;

#[derive(Debug, Serialize)]
struct HostReport {
    host: String,
    /// `address:port` and `up` or why not.
    probes: Vec<(String, String)>,
    reachable: bool,
}

pub fn collect(_settings: &crate::config::settings::Settings) -> BoxFuture<'static, Vec<Part>> {
    let dir = crate::config::paths::Paths::from_env().config_dir;
    Box::pin(async move {
        match load(&dir.join(FILE)) {
            Ok(Some(inv)) => vec![part(&inv).await],
            Ok(None) => Vec::new(),
            Err(errors) => vec![Part {
                key: "nodes".into(),
                health: Health::Degraded,
                sources: Vec::new(),
                json: serde_json::json!({ "inventory_errors": errors }),
                text: format!("inventory: {}\n", errors.join("; ")),
                reasons: errors,
            }],
        }
    })
}

pub async fn part(inv: &Inventory) -> Part {
    let hosts = inv
        .hosts
        .iter()
        .filter_map(|h| Some((h, inv.probe_port(h)?)));
    let reads = hosts.map(|(h, port)| async move {
        let probes = futures::future::join_all(h.addresses.iter().map(|a| {
            let at = SocketAddr::new(a.ip, port);
            async move { (at, probe(at, inv.probe.timeout).await) }
        }))
        .await;
        HostReport {
            host: h.name.clone(),
            reachable: probes.is_empty() || probes.iter().any(|(_, r)| *r == Reach::Up),
            probes: probes
                .into_iter()
                .map(|(at, r)| {
                    let said = match r {
                        Reach::Up => "up".to_string(),
                        Reach::Down(why) => why,
                        Reach::Unknown => "not probed".into(),
                    };
                    (at.to_string(), said)
                })
                .collect(),
        }
    });
    let hosts: Vec<HostReport> = futures::future::join_all(reads).await;
    let reasons: Vec<String> = hosts
        .iter()
        .filter(|h| !h.reachable)
        .map(|h| {
            let why: Vec<String> = h.probes.iter().map(|(a, w)| format!("{a} {w}")).collect();
            format!("host {} unreachable: {}", h.host, why.join(", "))
        })
        .collect();
    let up = hosts.iter().filter(|h| h.reachable).count();
    Part {
        key: "nodes".into(),
        health: if reasons.is_empty() {
            Health::Healthy
        } else {
            Health::Degraded
        },
        sources: Vec::new(),
        json: serde_json::json!({ "hosts": hosts }),
        text: format!("nodes: {up}/{} hosts reachable\n", hosts.len()),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_host_none_of_whose_addresses_answers_is_degraded_and_named() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap().port();
        let text = format!(
            "[probe]\nport = {open}\ntimeout = \"2s\"\n\
             [[hosts]]\nname = \"up\"\naddresses = [\"127.0.0.1\"]\n\
             [[hosts]]\nname = \"mac\"\naddresses = [\"127.0.0.2\"]\nprobe_port = 0\n"
        );
        let inv = crate::config::inventory::parse(&text).unwrap();
        let p = part(&inv).await;
        assert_eq!(p.health, Health::Healthy, "{:?}", p.reasons);
        assert_eq!(p.text, "nodes: 1/1 hosts reachable\n", "mac is not probed");
        drop(listener);
        let p = part(&inv).await;
        assert_eq!(p.health, Health::Degraded);
        assert!(
            p.reasons[0].starts_with("host up unreachable: 127.0.0.1:"),
            "{:?}",
            p.reasons
        );
    }
}
