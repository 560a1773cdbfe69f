//! Several Docker engines at once, against the lab's two real engines: the Swarm one
//! and the plain one, named in `config.toml`, shown together in one pane; a socket
//! proxy cuts the plain one: only its rows go stale, and it comes back live. Also the
//! transports a NAS is reached over: TLS with client certificates, and ssh.

mod support;

use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::engines::TlsFiles;
use std::path::{Path, PathBuf};
use support::lab::{self, require_lab};
use support::labdeck::Labdeck;
use support::plain::{PLAIN_SOCK, Project, require_plain};
use support::proxy::DockerProxy;

fn row_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

#[test]
fn two_engines_show_together_and_a_cut_one_goes_stale_alone() {
    if !require_lab() || !require_plain() {
        return;
    }
    let project = Project::new("lbk-multi");
    project.run("web", &["sleep", "3600"]);
    let proxy = DockerProxy::start(Path::new(PLAIN_SOCK));
    let config = format!(
        "[[docker]]\nname = \"nas\"\nhost = \"unix://{}\"\n\n[[docker]]\nname = \"plain\"\nhost = \"{}\"\n",
        lab::SOCKET,
        proxy.docker_host()
    );
    let app = Labdeck::start_with_config(&config, &[], &[], 120, 40);
    let screen = app.expect_that("both engines live in the header", |s| {
        s.contains("nas: live") && s.contains("plain: live")
    });
    assert!(screen.contains("swarm 2/2 live"), "{screen}");
    assert!(
        screen.contains("ENGINE"),
        "an ENGINE column with two engines: {screen}"
    );
    // Compose projects come from the plain engine, in the same pane.
    app.press(":", "command line", |s| {
        s.lines().last().is_some_and(|l| l.starts_with(':'))
    });
    for c in "compose".chars() {
        app.press(&c.to_string(), "typing", |_| true);
    }
    let screen = app.press("Enter", "the compose view", |s| s.contains(&project.name));
    let row = row_with(&screen, &project.name).unwrap();
    assert!(
        row.contains("plain"),
        "the project's row names its engine: {row}"
    );

    proxy.cut();
    let screen = app.expect_that("the plain engine stale, the swarm one live", |s| {
        s.contains("plain: STALE") && s.contains("nas: live")
    });
    assert!(screen.contains("swarm 1/2 live"), "{screen}");
    assert!(
        row_with(&screen, &project.name).is_some(),
        "the cut engine's rows stay, marked: {screen}"
    );
    assert!(
        screen.contains("STALE plain:"),
        "the reason names the engine: {screen}"
    );

    proxy.restore();
    app.expect_that("the plain engine live again", |s| {
        s.contains("plain: live") && s.contains("swarm 2/2 live")
    });
}

/// A dead engine (no socket) next to a live one: the live one shows at once, the dead
/// one is stale with its reason; start-up waits for neither.
#[test]
fn a_dead_engine_delays_nothing_and_goes_stale_alone() {
    if !require_lab() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[[docker]]\nname = \"gone\"\nhost = \"unix://{}/no.sock\"\n\n[[docker]]\nname = \"nas\"\nhost = \"unix://{}\"\n",
        dir.path().display(),
        lab::SOCKET
    );
    let started = std::time::Instant::now();
    let app = Labdeck::start_with_config(&config, &[], &[], 120, 40);
    let screen = app.expect_that("the live engine's stacks, the dead one stale", |s| {
        s.contains("nas: live") && s.contains("gone: STALE")
    });
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(screen.contains("swarm 1/2 live"), "{screen}");
    assert!(
        screen.contains("STALE gone:"),
        "the reason names the engine: {screen}"
    );
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn tls(dir: &str, with_client_cert: bool) -> TlsFiles {
    let d = PathBuf::from(dir);
    TlsFiles {
        ca: d.join("ca.pem"),
        cert: with_client_cert.then(|| d.join("cert.pem")),
        key: with_client_cert.then(|| d.join("key.pem")),
    }
}

#[test]
fn an_engine_over_tls_with_a_client_certificate() {
    if !require_plain() {
        return;
    }
    let mut e = Endpoint::from_value(Some(lab::PLAIN_TLS_HOST));
    e.tls = Some(tls(lab::PLAIN_TLS_CERTS, true));
    let snap = rt()
        .block_on(async { e.connect().await?.list_all().await })
        .expect("list over TLS");
    assert!(!snap.engine.swarm_manager, "the plain engine answered");
    // Without a client certificate the engine refuses: a clear error, no data.
    e.tls = Some(tls(lab::PLAIN_TLS_CERTS, false));
    let err = rt()
        .block_on(async { e.connect().await.map(|_| ()) })
        .expect_err("no client certificate");
    let text = labdeck::backend::swarm::connect::describe_error(&err);
    assert!(!text.is_empty(), "{text}");
}

#[test]
fn an_engine_over_ssh() {
    if !require_lab() {
        return;
    }
    let e = Endpoint::from_value(Some(lab::SSH_HOST));
    let snap = rt()
        .block_on(async { e.connect().await?.list_all().await })
        .expect("list over ssh");
    assert!(
        snap.engine.swarm_manager,
        "the lab's swarm engine answered over ssh"
    );
}
