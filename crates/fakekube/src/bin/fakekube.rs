//! `fakekube serve`: a generated cluster served until killed, for benchmarks
//! and for trying labdeck by hand.

use std::time::Duration;

use clap::{Parser, Subcommand};
use fakekube::scenario::Scenario;
use fakekube::{FakeKube, Kubeconfig, Options};

#[derive(Parser)]
#[command(about = "A fake Kubernetes API server")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve a generated cluster until killed.
    Serve(Serve),
}

#[derive(clap::Args)]
struct Serve {
    /// Port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where to write a kubeconfig for the cluster.
    #[arg(long)]
    kubeconfig: Option<std::path::PathBuf>,
    /// The kubeconfig's context name.
    #[arg(long, default_value = "fakekube")]
    context: String,
    #[arg(long, default_value_t = 100)]
    pods: usize,
    #[arg(long, default_value_t = 3)]
    namespaces: usize,
    #[arg(long, default_value_t = 10)]
    deployments: usize,
    #[arg(long, default_value_t = 3)]
    nodes: usize,
    /// Serve HTTPS with a generated CA (written into the kubeconfig).
    #[arg(long)]
    tls: bool,
    /// Serve the Flux, KubeVirt and k0smotron kinds.
    #[arg(long)]
    crds: bool,
    /// Run the deployment/ReplicaSet/StatefulSet controllers.
    #[arg(long)]
    controllers: bool,
    /// Every this many milliseconds, change one pod's annotations.
    #[arg(long)]
    churn: Option<u64>,
    /// Keep this file holding every request so far, a line each (`verb resource
    /// query`), rewritten each second: a benchmark counts what a client asks while idle.
    #[arg(long)]
    requests: Option<std::path::PathBuf>,
    /// Make the loaded objects this many days old (created, started), as in a lab that
    /// has run a while: ages on screen then change by the hour, not by the second.
    #[arg(long, default_value_t = 0)]
    age_days: u32,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let Cmd::Serve(a) = Cli::parse().cmd;
    let opts = Options::default()
        .port(a.port)
        .tls(a.tls)
        .flux(a.crds)
        .kubevirt(a.crds)
        .k0smotron(a.crds)
        .controllers(a.controllers)
        .view_only("viewer");
    let fk = std::sync::Arc::new(FakeKube::start(opts).await?);
    fk.load(&Scenario {
        namespaces: a.namespaces,
        nodes: a.nodes,
        deployments: a.deployments,
        pods: a.pods,
    });
    if a.age_days > 0 {
        age(&fk, a.age_days);
    }
    if let Some(path) = &a.kubeconfig {
        Kubeconfig::new()
            .context(&a.context, &fk, "admin")
            .write(path)?;
    }
    println!(
        "fakekube serving {} (resourceVersion {})",
        fk.url(),
        fk.resource_version()
    );
    if let Some(path) = a.requests.clone() {
        let fk = fk.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let lines: String = fk
                    .requests()
                    .iter()
                    .map(|r| format!("{} {} {}\n", r.verb, r.resource, r.query))
                    .collect();
                let _ = std::fs::write(&path, lines);
            }
        });
    }
    if let Some(ms) = a.churn {
        let pods = fk.list("pods", None);
        let mut tick = tokio::time::interval(Duration::from_millis(ms.max(1)));
        let mut n = 0u64;
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = tick.tick() => {
                    if pods.is_empty() { continue }
                    let p = &pods[(n as usize) % pods.len()];
                    let (ns, name) = (p["metadata"]["namespace"].as_str().unwrap_or_default(), p["metadata"]["name"].as_str().unwrap_or_default());
                    n += 1;
                    let _ = fk.modify("pods", ns, name, |o| {
                        o["metadata"]["annotations"]["fakekube/churn"] = serde_json::json!(n.to_string());
                    });
                }
            }
        }
    } else {
        let _ = tokio::signal::ctrl_c().await;
    }
    fk.stop().await;
    Ok(())
}

/// Re-create every loaded object `days` in the past (created, and a pod started):
/// creation time is the server's and cannot be changed in place, as on a real one.
fn age(fk: &FakeKube, days: u32) {
    let then = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * i64::from(days));
    let then = serde_json::json!(then.round(jiff::Unit::Second).unwrap_or(then).to_string());
    for kind in ["nodes", "deployments", "replicasets", "services", "pods"] {
        for mut o in fk.list(kind, None) {
            let ns = o["metadata"]["namespace"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let name = o["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if fk.delete(kind, &ns, &name).is_err() {
                continue;
            }
            if let Some(m) = o["metadata"].as_object_mut() {
                m.remove("uid");
                m.remove("resourceVersion");
                m.remove("deletionTimestamp");
                m.insert("creationTimestamp".into(), then.clone());
            }
            if kind == "pods" {
                o["status"]["startTime"] = then.clone();
                if let Some(cs) = o["status"]["containerStatuses"].as_array_mut() {
                    for c in cs.iter_mut().filter(|c| c["state"]["running"].is_object()) {
                        c["state"]["running"]["startedAt"] = then.clone();
                    }
                }
            }
            let _ = fk.apply(&o);
        }
    }
}
