//! Read-only mode against a Kubernetes cluster, proven on the wire: labdeck talks to a
//! fake API server while every key of the default keymap is pressed in every
//! Kubernetes view, with confirmations after each; the server must see nothing but
//! get, list, watch and access reviews. The header says who keeps each cluster
//! unchanged. Then, read-write: a key the cluster's RBAC forbids says so and sends
//! nothing, and a confirmed scale reaches the server as a PATCH.

mod support;

use fakekube::{FakeKube, Kubeconfig, Options};
use serde_json::json;
use support::keys::{default_keymap, tmux_key};
use support::kube::path_str;
use support::labdeck::{Labdeck, bottom_line, quiet, run_command, title_line};

const CONFIRMATIONS: [&str; 5] = ["y", "Enter", "3", "Enter", "y"];
const SIZE: (u16, u16) = (160, 40);

#[derive(Debug, Clone, Copy)]
enum View {
    /// A top-level view: its `:` word and its breadcrumb.
    Top(&'static str, &'static str),
    /// The test deployment's pods, then one pod's containers.
    WorkloadPods,
    Containers,
}

const VIEWS: [View; 13] = [
    View::Top("workloads", "workloads"),
    View::WorkloadPods,
    View::Containers,
    View::Top("pods", "pods"),
    View::Top("kube-nodes", "nodes"),
    View::Top("flux", "flux"),
    View::Top("storage", "storage"),
    View::Top("events", "warnings"),
    View::Top("services", "services"),
    View::Top("ingresses", "ingresses"),
    View::Top("vms", "vms"),
    View::Top("hosted", "hosted"),
    View::Top("clusters", "clusters"),
];

fn cluster(fk: &FakeKube) {
    fk.load(&fakekube::scenario::Scenario::default());
    let labels = json!({"app": "web"});
    fk.apply(&json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]}}}}))
        .unwrap();
    fk.apply(
        &json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": "podinfo", "namespace": "flux-system"},
        "spec": {"interval": "5m", "chart": {"spec": {"chart": "podinfo"}}}}),
    )
    .unwrap();
}

fn start(kubeconfig: &std::path::Path, args: &[&str]) -> Labdeck {
    let app = Labdeck::start(
        args,
        &[("KUBECONFIG", path_str(kubeconfig))],
        SIZE.0,
        SIZE.1,
    );
    // Keys typed before the first frame can reach a terminal not yet in raw mode.
    app.expect_that("the first frame", quiet);
    goto(&app, View::Top("workloads", "workloads"));
    app.expect_that("the test deployment", |s| {
        s.contains("web") && s.contains("Deployment")
    });
    app
}

/// Opens `view` afresh: `:` + its word resets the pane; drill-downs from the test's
/// deployment, filtered to it.
fn goto(app: &Labdeck, view: View) {
    let (word, label) = match view {
        View::Top(w, l) => (w, l),
        _ => ("workloads", "workloads"),
    };
    // Some words are the Swarm pane's too (services), and the shown pane's win.
    // The pane may show a log or a document the last key opened; the view word
    // below closes it.
    run_command(app, "kube");
    app.expect_that("the Kubernetes pane", quiet);
    run_command(app, word);
    let crumb = format!("Kubernetes › {label} ");
    app.expect_that(&crumb, |s| title_line(s).contains(&crumb) && quiet(s));
    if let View::Top(..) = view {
        return;
    }
    app.send_keys(&["/"]);
    app.send_text("shop");
    app.press("Enter", "the filter", |s| {
        title_line(s).contains("/shop ") && quiet(s) && s.lines().skip(3).any(|l| l.contains("web"))
    });
    app.press("Enter", "the deployment's pods", |s| {
        title_line(s).contains("shop/web (pods)") && s.contains("Running")
    });
    if let View::Containers = view {
        app.press("Enter", "a pod's containers", |s| {
            title_line(s).contains("(containers)") && s.contains("main")
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_sends_no_write_whatever_is_pressed_and_read_write_does() {
    let opts = Options::default()
        .controllers(true)
        .flux(true)
        .view_only("viewer");
    let fk = FakeKube::start(opts).await.unwrap();
    cluster(&fk);
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("both");
    Kubeconfig::new()
        .context("homelab", &fk, "admin")
        .context("viewonly", &fk, "viewer")
        .write(&both)
        .unwrap();

    let app = start(&both, &["--read-only"]);
    app.expect_that("who keeps each cluster unchanged", |s| {
        s.lines()
            .any(|l| l.contains("homelab") && l.contains("RO: labdeck only"))
            && s.lines()
                .any(|l| l.contains("viewonly") && l.contains("RO: enforced by the server"))
    });
    goto(&app, View::Top("workloads", "workloads"));
    app.press("s", "the read-only refusal", |s| {
        s.contains("scale is unavailable")
    });

    // Every key but those that quit, and the namespace filter (it would hide the rows
    // the other keys act on for the rest of the run).
    let all = default_keymap();
    let skip: Vec<String> = all
        .iter()
        .filter(|b| b.run == "quit" || b.run == "namespace")
        .map(|b| b.key.clone())
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for b in all.into_iter().filter(|b| !skip.contains(&b.key)) {
        let key = tmux_key(&b.key);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    assert!(keys.contains(&"C-d".to_string()) && keys.contains(&"p".to_string()));
    for view in VIEWS {
        let started = std::time::Instant::now();
        for key in &keys {
            goto(&app, view);
            app.send_keys(&[key]);
            for k in CONFIRMATIONS {
                app.send_keys(&[k]);
            }
        }
        eprintln!(
            "pressed {} keys in {view:?} in {:.1?}",
            keys.len(),
            started.elapsed()
        );
    }
    goto(&app, View::Top("clusters", "clusters"));
    assert!(app.is_alive(), "labdeck died:\n{}", app.log());
    let seen = fk.requests();
    let writes: Vec<_> = seen.iter().filter(|r| !r.is_read_only()).collect();
    assert!(
        writes.is_empty(),
        "read-only labdeck sent {} writes: {writes:#?}",
        writes.len()
    );
    assert!(seen.iter().any(|r| r.verb == "watch"), "it watched");
    assert!(
        seen.iter()
            .any(|r| r.resource == "selfsubjectaccessreviews"),
        "it asked the server what it may do"
    );
    drop(app);

    // Read-write as the view-only user: the server's RBAC takes the key away first.
    fk.clear_requests();
    let viewer = dir.path().join("viewer");
    fk.write_kubeconfig(&viewer, "viewonly", "viewer").unwrap();
    let app = start(&viewer, &[]);
    goto(&app, View::Top("workloads", "workloads"));
    app.send_keys(&["/"]);
    app.send_text("web");
    app.press("Enter", "the filter", |s| {
        title_line(s).contains("/web ") && quiet(s)
    });
    app.press("s", "the refusal", |s| {
        s.contains("not allowed on viewonly:")
    });
    app.press("?", "help", |s| s.contains("not allowed by the cluster"));
    let writes: Vec<_> = fk
        .requests()
        .into_iter()
        .filter(|r| !r.is_read_only())
        .collect();
    assert!(writes.is_empty(), "{writes:#?}");
    drop(app);

    // Control: read-write as admin, a confirmed scale is a PATCH of the scale.
    fk.clear_requests();
    let admin = dir.path().join("admin");
    fk.write_kubeconfig(&admin, "homelab", "admin").unwrap();
    let app = start(&admin, &[]);
    goto(&app, View::Top("workloads", "workloads"));
    app.send_keys(&["/"]);
    app.send_text("web");
    app.press("Enter", "the filter", |s| {
        title_line(s).contains("/web ") && quiet(s)
    });
    app.press("s", "the scale prompt", |s| {
        bottom_line(s).starts_with("scale shop/web (now 2) to:")
    });
    app.send_keys(&["BSpace"]);
    app.send_text("3");
    app.press("Enter", "the confirmation", |s| {
        s.contains("scale deployment shop/web from 2 to 3 replicas")
    });
    app.press("y", "the scale to be done", |s| {
        s.contains("scaled shop/web to 3")
    });
    app.expect_that("the new count", |s| {
        s.lines().any(|l| l.contains("web") && l.contains("/3"))
    });
    let patched = fk.requests().into_iter().any(|r| {
        r.method == "PATCH" && r.path == "/apis/apps/v1/namespaces/shop/deployments/web/scale"
    });
    assert!(patched, "no PATCH of the scale: {:#?}", fk.requests());
}
