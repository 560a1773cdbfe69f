//! The storage map with real pieces, in tmux: a zfs-fuse dataset of the lab's pool, a
//! real Swarm service bind-mounting a folder in it, and a fake API server's PVs (a
//! hostPath under it, an NFS export of it from this host). Each workload shows beside
//! the dataset; offlining a vdev flags them all.

mod support;

use fakekube::{FakeKube, Kubeconfig, Options};
use serde_json::json;
use std::process::Command;
use support::lab::{self, docker, docker_result};
use support::labdeck::{Labdeck, first_line, title_line};

const POOL: &str = "labtank";
const DISK: &str = "/var/tmp/labdeck-lab/zfs/d2";

fn run(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

/// `run`, its errors unsaid: for removals retried while zfs-fuse says "busy".
fn quietly(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Removes the service and the dataset, and brings the vdev back, however it ends.
struct Cleanup {
    service: String,
    dataset: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = run("zpool", &["online", POOL, DISK]);
        let _ = docker_result(&["service", "rm", &self.service]);
        // zfs-fuse keeps a dataset busy a while after a container's bind mount of it
        // is gone: what is still busy here, the next run removes (`sweep`).
        let _ = lab::wait_until(std::time::Duration::from_secs(10), || {
            quietly("zfs", &["destroy", "-r", &self.dataset])
        });
    }
}

fn pv(name: &str, claim: &str, source: serde_json::Value) -> serde_json::Value {
    let mut spec = json!({"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
        "claimRef": {"namespace": "media", "name": claim}});
    for (k, v) in source.as_object().unwrap() {
        spec[k] = v.clone();
    }
    json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
        "spec": spec, "status": {"phase": "Bound"}})
}

/// Datasets an earlier run of this test could not remove yet.
fn sweep(mine: &str) {
    let out = Command::new("zfs")
        .args(["list", "-H", "-o", "name", "-d", "1", POOL])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    for d in out
        .lines()
        .filter(|d| d.starts_with(&format!("{POOL}/ldst")) && *d != mine)
    {
        let _ = quietly("zfs", &["destroy", "-r", d]);
    }
}

#[test]
fn workloads_show_beside_their_dataset_and_a_degraded_pool_flags_them() {
    require_lab!();
    if !run("zpool", &["list", "-H", POOL]) {
        assert!(!lab::in_ci(), "the lab pool {POOL} is missing");
        return;
    }
    let id = format!("ldst{}", std::process::id());
    let dataset = format!("{POOL}/{id}");
    let service = format!("{id}_web");
    sweep(&dataset);
    let _cleanup = Cleanup {
        service: service.clone(),
        dataset: dataset.clone(),
    };
    assert!(run("zfs", &["create", &dataset]), "zfs create {dataset}");
    let mount = format!("/{dataset}");
    std::fs::create_dir_all(format!("{mount}/media")).unwrap();
    docker(&[
        "service",
        "create",
        "-d",
        "--name",
        &service,
        "--mount",
        &format!("type=bind,source={mount}/media,target=/data"),
        lab::IMAGE,
        "sleep",
        "3600",
    ]);
    // A Compose container on the plain engine, its data bound from the dataset too.
    let plain = support::plain::require_plain();
    let project = support::plain::Project::new("ldstc");
    let container = format!("{}-app-1", project.name);
    if plain {
        std::fs::create_dir_all(format!("{mount}/compose")).unwrap();
        project.run_with(
            "app",
            &["-v", &format!("{mount}/compose:/data")],
            &["sleep", "3600"],
        );
    }
    let on_tank = if plain { 4 } else { 3 };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fk = rt.block_on(FakeKube::start(Options::default())).unwrap();
    fk.apply(&pv(
        "pv-config",
        "config",
        json!({"hostPath": {"path": format!("{mount}/k8s/config")}}),
    ))
    .unwrap();
    fk.apply(&pv(
        "pv-sonarr",
        "sonarr-config",
        json!({"nfs": {"server": "127.0.0.1", "path": format!("{mount}/nfs/sonarr")}}),
    ))
    .unwrap();
    fk.apply(&pv(
        "pv-away",
        "away",
        json!({"nfs": {"server": "10.255.0.9", "path": mount}}),
    ))
    .unwrap();
    fk.apply(&json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "sonarr-config", "namespace": "media"},
        "spec": {"volumeName": "pv-sonarr", "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}}}))
        .unwrap();
    // A pod of a statefulset that mounts the claim: the workload and the pod say where
    // their data is.
    fk.apply(&json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "sonarr", "namespace": "media", "uid": "sts-sonarr"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "sonarr"}}, "serviceName": "sonarr",
            "template": {"metadata": {"labels": {"app": "sonarr"}},
                "spec": {"containers": [{"name": "app", "image": "lscr.io/linuxserver/sonarr:4"}]}}},
        "status": {"replicas": 1, "readyReplicas": 1}}))
        .unwrap();
    fk.apply(&json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "sonarr-0", "namespace": "media",
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "sonarr",
                "uid": "sts-sonarr", "controller": true}]},
        "spec": {"containers": [{"name": "app", "image": "lscr.io/linuxserver/sonarr:4"}],
            "volumes": [{"name": "config", "persistentVolumeClaim": {"claimName": "sonarr-config"}}]},
        "status": {"phase": "Running"}}))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    Kubeconfig::new()
        .context("homelab", &fk, "admin")
        .write(&kubeconfig)
        .unwrap();
    let mut config = "[[zfs]]\nname = \"lab\"\npools_every = 1\ndatasets_every = 1\n".to_string();
    if plain {
        config.push_str(&format!(
            "\n[[docker]]\nname = \"local\"\nhost = \"unix://{}\"\n\n[[docker]]\nname = \"plain\"\nhost = \"{}\"\n",
            lab::SOCKET,
            support::plain::plain_host()
        ));
    }
    let config = config.as_str();
    let env = [("KUBECONFIG", kubeconfig.to_str().unwrap())];
    let app = Labdeck::start_with_files(&[("config.toml", config)], &[], &env, 180, 30);
    app.expect("Swarm ›");
    app.press("1", "the Nodes pane", |s| title_line(s).contains("Nodes ›"));
    app.send_keys(&[":"]);
    app.send_text("storagemap");
    let compose = format!("container plain/{container}");
    let screen = app.press("Enter", "the storage map", |s| {
        title_line(s).contains("Nodes › storage map")
            && (!plain || s.contains(&compose))
            && s.contains(&service)
            && s.contains("pv homelab/pv-config")
            && s.contains("pv homelab/pv-sonarr")
    });
    let row = |s: &str, what: &str| {
        s.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what}:\n{s}"))
            .to_string()
    };
    if plain {
        assert!(
            row(&screen, &compose).contains(&dataset),
            "the Compose container beside {dataset}:\n{screen}"
        );
    }
    for what in [
        service.as_str(),
        "pv homelab/pv-config",
        "pv homelab/pv-sonarr",
    ] {
        assert!(
            row(&screen, what).contains(&dataset),
            "{what} beside {dataset}:\n{screen}"
        );
    }
    assert!(
        row(&screen, "pv-sonarr").contains("nfs 127.0.0.1:"),
        "{screen}"
    );
    assert!(
        row(&screen, "pv-sonarr").contains("SQLite on NFS"),
        "{screen}"
    );
    assert!(
        !screen.contains("pv-away"),
        "another server's export is not ours:\n{screen}"
    );

    // A vdev offline: every workload on the pool is flagged, and the tab bar says so.
    assert!(run("zpool", &["offline", POOL, DISK]));
    let degraded = app.expect_that("the workloads flagged", |s| {
        s.lines()
            .filter(|l| l.contains(&dataset) && l.contains("labtank DEGRADED"))
            .count()
            == on_tank
            && first_line(s).contains(&format!("{on_tank} on degraded pools"))
    });
    assert!(row(&degraded, &service).contains("DEGRADED"), "{degraded}");
    // The reverse wherever a workload is listed: the Swarm services list,
    app.press("4", "the Swarm pane", |s| title_line(s).contains("Swarm ›"));
    app.send_keys(&[":"]);
    app.send_text("services");
    let services = app.press("Enter", "the service with its data", |s| {
        s.lines().any(|l| {
            l.contains(&service) && l.contains(&format!("{dataset} (pool labtank DEGRADED)"))
        })
    });
    assert!(
        services.contains("DATA"),
        "the DATA column shows when some row fills it:\n{services}"
    );
    // The reverse, where the claim is shown: the Kubernetes pane's storage view.
    app.press("5", "the Kubernetes pane", |s| {
        title_line(s).contains("Kubernetes")
    });
    app.send_keys(&[":"]);
    app.send_text("storage");
    let claims = app.press("Enter", "the claim with its dataset", |s| {
        s.lines().any(|l| {
            l.contains("sonarr-config")
                && l.contains(&format!("→ {dataset} (pool labtank DEGRADED)"))
        })
    });
    assert!(
        row(&claims, "sonarr-config").contains("nfs 127.0.0.1:"),
        "{claims}"
    );
    // and the Kubernetes workloads and pods, through the pod's claim.
    for view in ["pods", "workloads"] {
        app.send_keys(&[":"]);
        app.send_text(view);
        app.press("Enter", view, |s| {
            s.lines().any(|l| {
                l.contains("sonarr")
                    && !l.contains("sonarr-config")
                    && l.contains(&format!("{dataset} (pool labtank DEGRADED)"))
            })
        });
    }
    // `labdeck status` names them too.
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(cfg.path().join("config.toml"), config).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(support::labdeck::BIN)
        .arg("status")
        .env("KUBECONFIG", &kubeconfig)
        .env("DOCKER_HOST", format!("unix://{}", lab::SOCKET))
        .env("LABDECK_CONFIG_DIR", cfg.path())
        .env("LABDECK_DATA_DIR", data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let verdict = text.lines().last().unwrap_or_default();
    for what in [
        format!("swarm local/{service}: data: {dataset} (pool labtank DEGRADED)"),
        format!(
            "pv homelab/pv-sonarr (media/sonarr-config): data: {dataset} (pool labtank DEGRADED) · SQLite on NFS"
        ),
    ] {
        assert!(verdict.contains(&what), "{what:?} not in {verdict}");
    }
    if plain {
        let what = format!("{compose}: data: {dataset} (pool labtank DEGRADED)");
        assert!(verdict.contains(&what), "{what:?} not in {verdict}");
    }
    assert!(run("zpool", &["online", POOL, DISK]));
    app.expect_that("the flags gone", |s| {
        !first_line(s).contains("degraded pools")
    });
}
