//! A bootstrap's swarm, networks, secrets and configs against the lab's real engine:
//! the plan shows what it would make, applying makes it, a second plan shows nothing to
//! do, and a changed secret file is a new version of the secret.

mod support;

use labdeck::backend::swarm::connect::Endpoint;
use labdeck::ops::bootstrap::secret_key::SecretKey;
use labdeck::ops::bootstrap::{file, steps};
use labdeck::ops::journal::Journal;
use std::sync::Arc;
use support::lab::{self, docker, docker_result};
use tokio_util::sync::CancellationToken;

/// Removes what the test made, however it ends.
struct Made(Vec<Vec<String>>);

impl Drop for Made {
    fn drop(&mut self) {
        for args in &self.0 {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let _ = docker_result(&args);
        }
    }
}

/// A bootstrap file of one attachable network (named after `prefix` and this process)
/// in a folder of its own, and the network's removal however the test ends.
fn one_network(prefix: &str) -> (tempfile::TempDir, String, Made) {
    let dir = tempfile::tempdir().unwrap();
    let net = format!("{prefix}{}-net", std::process::id());
    let text = format!("[[networks]]\nname = \"{net}\"\nattachable = true\n");
    std::fs::write(dir.path().join("bootstrap.toml"), text).unwrap();
    let made = Made(vec![vec!["network".into(), "rm".into(), net.clone()]]);
    (dir, net, made)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bootstrap_makes_its_networks_secrets_and_configs_once() {
    require_lab!();
    let dir = tempfile::tempdir().unwrap();
    let id = format!("ldbs{}", std::process::id());
    let (net, sec, conf) = (
        format!("{id}-net"),
        format!("{id}-tok"),
        format!("{id}-conf"),
    );
    std::fs::write(dir.path().join("tok.txt"), "first secret\n").unwrap();
    std::fs::write(dir.path().join("conf.txt"), "setting = 1\n").unwrap();
    let text = format!(
        "[swarm]\nadvertise_addr = \"127.0.0.1\"\n\n\
         [[networks]]\nname = \"{net}\"\nattachable = true\nsubnet = \"10.231.0.0/24\"\n\n\
         [[secrets]]\nname = \"{sec}\"\nfile = \"tok.txt\"\n\n\
         [[configs]]\nname = \"{conf}\"\nfile = \"conf.txt\"\n"
    );
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(&path, text).unwrap();
    let b = file::load(&path).unwrap();
    let engine = Endpoint::from_value(Some(&format!("unix://{}", lab::SOCKET)));
    // The folder is the data dir too: its key names the secrets.
    let plan = steps::plan(&b, &engine, dir.path()).unwrap();
    let key = SecretKey::load_or_create(dir.path()).unwrap();
    let secret_v1 = key.name(&sec, b"first secret\n");
    let config_v1 = steps::versioned(&conf, b"setting = 1\n");
    let _made = Made(vec![
        vec!["network".into(), "rm".into(), net.clone()],
        vec!["secret".into(), "rm".into(), secret_v1.clone()],
        vec!["config".into(), "rm".into(), config_v1.clone()],
    ]);

    let review = plan.review().await;
    let lines = review.lines();
    assert!(
        lines[0].starts_with("= Initialise a swarm"),
        "the lab is one: {lines:?}"
    );
    assert!(lines[1].starts_with(&format!("+ Create overlay network {net} (attachable")));
    assert!(lines[2].starts_with(&format!("+ Create secret {secret_v1} from")));
    assert!(lines[3].starts_with(&format!("+ Create config {config_v1} from")));
    assert!(
        !lines.iter().any(|l| l.contains("first secret")),
        "never the content"
    );

    let journal = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let writer = support::writer();
    let done = plan
        .reconcile(
            &writer,
            Arc::new(|_| {}),
            &CancellationToken::new(),
            &journal,
        )
        .await;
    assert!(done.is_ok(), "{done:?}");
    assert_eq!(
        docker(&[
            "network",
            "inspect",
            "-f",
            "{{.Driver}} {{.Attachable}}",
            &net
        ])
        .trim(),
        "overlay true"
    );
    let label = format!("{{{{index .Spec.Labels \"{}\"}}}}", steps::LABEL);
    assert_eq!(
        docker(&["secret", "inspect", "-f", &label, &secret_v1]).trim(),
        sec
    );
    assert_eq!(
        docker(&["config", "inspect", "-f", &label, &config_v1]).trim(),
        conf
    );

    // Again: nothing to do, nothing done.
    assert!(
        plan.review().await.settled(),
        "{:?}",
        plan.review().await.lines()
    );
    let journal = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let again = plan
        .reconcile(
            &writer,
            Arc::new(|_| {}),
            &CancellationToken::new(),
            &journal,
        )
        .await;
    assert_eq!(again, Ok("nothing to change".into()));

    // The same network wanted encrypted on another subnet: blocked, said why.
    let changed = dir.path().join("changed.toml");
    let text = format!(
        "[[networks]]\nname = \"{net}\"\nattachable = true\nencrypted = true\nsubnet = \"10.232.0.0/24\"\n"
    );
    std::fs::write(&changed, text).unwrap();
    let b2 = file::load(&changed).unwrap();
    let lines = steps::plan(&b2, &engine, dir.path())
        .unwrap()
        .review()
        .await
        .lines();
    assert!(
        lines[0].starts_with("! ")
            && lines[0].contains("encrypted false (wanted true)")
            && lines[0].contains("subnet 10.231.0.0/24 (wanted 10.232.0.0/24)"),
        "{lines:?}"
    );

    // A changed file is a new version of the secret, made beside the old one.
    std::fs::write(dir.path().join("tok.txt"), "second secret\n").unwrap();
    let secret_v2 = key.name(&sec, b"second secret\n");
    let _v2 = Made(vec![vec!["secret".into(), "rm".into(), secret_v2.clone()]]);
    let review = steps::plan(&b, &engine, dir.path()).unwrap().review().await;
    assert!(
        review.lines().contains(&format!(
            "+ Create secret {secret_v2} from {} (its content is not shown).",
            dir.path().join("tok.txt").display()
        )),
        "{:?}",
        review.lines()
    );
}

/// The same plan from the command line: `plan` exits 2 while changes are pending,
/// `apply --yes` makes them, then `plan` exits 0; read-only `apply` changes nothing.
#[test]
fn the_bootstrap_commands_plan_apply_and_settle() {
    require_lab!();
    use support::labdeck::run_cli;
    let (dir, net, _made) = one_network("ldbscli");
    let path = dir.path().join("bootstrap.toml");
    let file = path.to_str().unwrap();
    let host = format!("unix://{}", lab::SOCKET);
    let (code, out, err) = run_cli(&["bootstrap", "plan", "-f", file], &host);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains(&format!("+ Create overlay network {net} (attachable)")),
        "{out}"
    );
    let (code, out, err) = run_cli(
        &["--read-only", "bootstrap", "apply", "-f", file, "--yes"],
        &host,
    );
    assert_eq!(code, 1, "read-only refuses: {out}{err}");
    assert!(err.contains("refused: read-only"), "{err}");
    assert!(
        docker_result(&["network", "inspect", &net]).is_err(),
        "nothing made"
    );
    let (code, out, err) = run_cli(&["bootstrap", "apply", "-f", file, "--yes"], &host);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("done: created network {net}")),
        "{out}"
    );
    let (code, out, _) = run_cli(&["bootstrap", "plan", "-f", file], &host);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("= Create overlay network {net}")),
        "{out}"
    );
    let (code, out, err) = run_cli(&["bootstrap", "plan", "-f", "/nonexistent.toml"], &host);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("cannot read"), "{err}");
}

/// `:bootstrap` in a real terminal: the file's path typed, the plan reviewed, the
/// change confirmed, the end shown; the network is there after.
#[test]
fn the_bootstrap_wizard_reviews_confirms_and_applies_in_a_terminal() {
    require_lab!();
    use support::labdeck::{Labdeck, bottom_line};
    let (dir, net, _made) = one_network("ldbswiz");
    let path = dir.path().join("bootstrap.toml");
    let host = format!("unix://{}", lab::SOCKET);
    let app = Labdeck::start(&[], &[("DOCKER_HOST", &host)], 120, 32);
    app.expect("Swarm ›");
    app.send_keys(&[":"]);
    app.send_text("bootstrap");
    app.expect_that("the command typed", |s| bottom_line(s) == ":bootstrap");
    app.press("Enter", "the wizard", |s| s.contains("Bootstrap: 1 file"));
    for _ in 0.."bootstrap.toml".len() {
        app.send_keys(&["BSpace"]);
    }
    app.send_text(path.to_str().unwrap());
    app.press("Enter", "the plan", |s| {
        s.contains("Bootstrap: 3 plan") && s.contains(&format!("+ Create overlay network {net}"))
    });
    app.press("Enter", "the confirmation", |s| s.contains("Confirm"));
    app.press("y", "the end", |s| {
        s.contains("Bootstrap: 4 done") && s.contains(&format!("done: created network {net}"))
    });
    assert_eq!(
        docker(&["network", "inspect", "-f", "{{.Driver}}", &net]).trim(),
        "overlay"
    );
    app.press("Escape", "the wizard closed", |s| !s.contains("Bootstrap:"));
}

/// Killed (SIGKILL) in the middle of an apply, with one network made and the next under
/// way: the next `apply` says which step was cut short, makes what is missing, and
/// leaves the network already made as it is.
#[test]
fn an_apply_killed_mid_step_is_finished_by_the_next_apply_from_its_journal() {
    require_lab!();
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    use support::labdeck::BIN;
    let dir = tempfile::tempdir().unwrap();
    let nets: Vec<String> = (1..=3)
        .map(|i| format!("ldkill{}-{i}", std::process::id()))
        .collect();
    let text: String = nets
        .iter()
        .map(|n| format!("[[networks]]\nname = \"{n}\"\n\n"))
        .collect();
    let file = dir.path().join("bootstrap.toml");
    std::fs::write(&file, text).unwrap();
    let _made = Made(
        nets.iter()
            .map(|n| vec!["network".into(), "rm".into(), n.clone()])
            .collect(),
    );
    let (config, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let apply = |delay: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(["bootstrap", "apply", "-f", file.to_str().unwrap(), "--yes"])
            .env("DOCKER_HOST", format!("unix://{}", lab::SOCKET))
            .env("LABDECK_CONFIG_DIR", config.path())
            .env("LABDECK_DATA_DIR", data.path())
            .env_remove("LABDECK_READ_ONLY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(ms) = delay {
            cmd.env(labdeck::core::fault::STEP_DELAY_ENV, ms);
        }
        cmd
    };
    let journal = labdeck::ops::bootstrap::journal_path(data.path(), &file);
    let entries = || Journal::read(&journal).unwrap();

    // Each step pauses 2 s once journalled as started: killed while the second waits.
    let mut child = apply(Some("2000")).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let second = format!("network {}", nets[1]);
    while !entries().iter().any(|e| e.step.ends_with(&second)) {
        assert!(Instant::now() < deadline, "no second step: {:?}", entries());
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let cut = Journal::interrupted(&entries());
    assert_eq!(cut.len(), 1, "{:?}", entries());
    assert!(cut[0].ends_with(&second), "{cut:?}");
    let first_id = docker(&["network", "inspect", "-f", "{{.Id}}", &nets[0]]);
    assert!(
        docker_result(&["network", "inspect", &nets[2]]).is_err(),
        "the third was never started"
    );

    let out = apply(None).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("the last apply stopped during: ") && stdout.contains(&second),
        "{stdout}"
    );
    for n in &nets {
        docker(&["network", "inspect", n]);
    }
    assert_eq!(
        docker(&["network", "inspect", "-f", "{{.Id}}", &nets[0]]),
        first_id,
        "the network made before the kill is the same one"
    );
    let last = entries().iter().map(|e| e.run).max().unwrap();
    let first_now: Vec<_> = entries()
        .into_iter()
        .filter(|e| e.run == last && e.step.ends_with(&format!("network {}", nets[0])))
        .map(|e| e.transition)
        .collect();
    assert_eq!(
        first_now,
        [labdeck::ops::journal::Transition::Unchanged],
        "checked, not made again"
    );
    assert!(Journal::interrupted(&entries()).is_empty());
}
