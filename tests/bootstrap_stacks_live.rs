//! A bootstrap's stacks against the lab's real engine: `depends_on` waves start a
//! service only once what it depends on is healthy; a stack whose healthcheck fails
//! stops the apply at its gate with the task's error while the stacks before it stay
//! up; a changed service in a compose file updates that service only.

mod support;

use labdeck::backend::swarm::connect::Endpoint;
use labdeck::ops::bootstrap::{file, steps};
use labdeck::ops::journal::Journal;
use serde_json::Value;
use std::sync::Arc;
use support::lab::{self, docker, docker_result};
use tokio_util::sync::CancellationToken;

struct Stacks(Vec<String>);

impl Drop for Stacks {
    fn drop(&mut self) {
        for s in &self.0 {
            let _ = docker_result(&["stack", "rm", s]);
        }
    }
}

fn inspect(kind: &str, name: &str) -> Value {
    let raw = docker(&[kind, "inspect", name]);
    serde_json::from_str::<Vec<Value>>(&raw).unwrap().remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waves_wait_for_health_and_a_failing_gate_stops_the_apply() {
    require_lab!();
    let id = format!("ldw{}", std::process::id());
    let (good, bad) = (format!("{id}a"), format!("{id}b"));
    let _cleanup = Stacks(vec![good.clone(), bad.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let image = lab::IMAGE;
    // db is healthy only after 3 s; app depends on it.
    std::fs::write(
        dir.path().join("good.yaml"),
        format!(
            "services:\n  db:\n    image: {image}\n    command: [sh, -c, \"sleep 3; touch /ready; sleep 3600\"]\n    \
             healthcheck: {{test: [CMD-SHELL, test -f /ready], interval: 1s, retries: 30}}\n    \
             stop_grace_period: 1s\n  \
             app:\n    image: {image}\n    command: [sleep, \"3600\"]\n    depends_on: [db]\n    \
             stop_grace_period: 1s\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        format!(
            "services:\n  sick:\n    image: {image}\n    command: [sleep, \"3600\"]\n    \
             healthcheck: {{test: [CMD-SHELL, \"echo no such file >&2; exit 1\"], interval: 1s, retries: 1}}\n    \
             stop_grace_period: 1s\n"
        ),
    )
    .unwrap();
    let text = format!(
        "[[stacks]]\nname = \"{good}\"\ncompose = [\"good.yaml\"]\norder = \"depends_on\"\n\
         gate = {{ timeout = \"60s\" }}\n\n\
         [[stacks]]\nname = \"{bad}\"\ncompose = [\"bad.yaml\"]\ngate = {{ timeout = \"25s\" }}\n"
    );
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(&path, text).unwrap();
    let b = file::load(&path).unwrap();
    let engine = Endpoint::from_value(Some(&format!("unix://{}", lab::SOCKET)));
    let plan = steps::plan(&b, &engine, dir.path()).unwrap();
    let lines = plan.review().await.lines();
    assert!(
        lines[0].starts_with(&format!("+ deploy stack {good} from"))
            && lines[0].contains("in depends_on waves"),
        "{lines:?}"
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
    let err = format!("{:?}", done.expect_err("the sick stack fails its gate"));
    assert!(err.contains(&format!("{bad}_sick")), "{err}");
    assert!(
        err.contains("keeps failing") || err.contains("not healthy within"),
        "{err}"
    );
    assert!(
        err.contains("task failed"),
        "the failing task's words: {err}"
    );

    // The first stack stays up, and app was made only once db was healthy: db's
    // task became running (Swarm's word for healthy, with a healthcheck) before
    // app's service existed.
    let app = inspect("service", &format!("{good}_app"));
    let db_tasks = docker(&[
        "service",
        "ps",
        "-q",
        "--filter",
        "desired-state=running",
        &format!("{good}_db"),
    ]);
    let task_id = db_tasks.lines().next().expect("db runs");
    let raw = docker(&["inspect", "--type", "task", task_id]);
    let db_task = serde_json::from_str::<Vec<Value>>(&raw).unwrap().remove(0);
    assert_eq!(db_task["Status"]["State"], "running");
    let healthy_at: jiff::Timestamp = db_task["Status"]["Timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let app_made: jiff::Timestamp = app["CreatedAt"].as_str().unwrap().parse().unwrap();
    assert!(
        app_made >= healthy_at,
        "app was made at {app_made}, before db was healthy at {healthy_at}"
    );

    // A changed service updates that one only.
    let before = |svc: &str| {
        inspect("service", &format!("{good}_{svc}"))["Version"]["Index"]
            .as_u64()
            .unwrap()
    };
    let (db_v, app_v) = (before("db"), before("app"));
    let text = std::fs::read_to_string(dir.path().join("good.yaml")).unwrap();
    std::fs::write(
        dir.path().join("good.yaml"),
        text.replace("command: [sleep, \"3600\"]", "command: [sleep, \"3601\"]"),
    )
    .unwrap();
    let b = file::load(&path).unwrap();
    let plan = steps::plan(&b, &engine, dir.path()).unwrap();
    let lines = plan.review().await.lines();
    assert!(
        lines[0].starts_with(&format!("~ deploy stack {good}"))
            && lines[0].contains(&format!("~ service {good}_app: Args")),
        "{lines:?}"
    );
    let one = labdeck::ops::plan::Plan::of(vec![plan.steps()[0].clone()]);
    one.reconcile(
        &writer,
        Arc::new(|_| {}),
        &CancellationToken::new(),
        &journal,
    )
    .await
    .unwrap();
    assert_eq!(before("db"), db_v, "db was not touched");
    assert!(before("app") > app_v, "app was updated");
    // The gate waited for the update itself: what runs is the new task, not the old.
    let running = docker(&[
        "service",
        "ps",
        "-q",
        "--filter",
        "desired-state=running",
        &format!("{good}_app"),
    ]);
    for t in running.lines() {
        let raw = docker(&["inspect", "--type", "task", t]);
        let task = serde_json::from_str::<Vec<Value>>(&raw).unwrap().remove(0);
        assert_eq!(task["Status"]["State"], "running", "{task}");
        assert_eq!(task["Spec"]["ContainerSpec"]["Args"][1], "3601", "{task}");
    }
    // A stack that failed its gate is not done on the next run.
    let again = steps::plan(&b, &engine, dir.path()).unwrap();
    let lines = again.review().await.lines();
    assert!(
        lines[1].starts_with(&format!("~ deploy stack {bad}")) && lines[1].contains("not healthy"),
        "{lines:?}"
    );
}

/// What the service's running container reads at `path`, if one runs.
fn read_in_task(service: &str, path: &str) -> Option<String> {
    let filter = format!("label=com.docker.swarm.service.name={service}");
    let ids = docker_result(&["ps", "-q", "--filter", &filter]).ok()?;
    let id = ids.lines().next()?;
    docker_result(&["exec", id, "cat", path]).ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_secret_file_rotates_the_secret_under_the_service() {
    require_lab!();
    let id = format!("ldr{}", std::process::id());
    let (stack, base) = (format!("{id}s"), format!("{id}tok"));
    let _cleanup = Stacks(vec![stack.clone()]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tok.txt"), "one").unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        format!(
            "services:\n  reader:\n    image: {}\n    command: [sleep, \"3600\"]\n    \
             stop_grace_period: 1s\n    secrets: [{base}]\nsecrets:\n  {base}:\n    external: true\n",
            lab::IMAGE
        ),
    )
    .unwrap();
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(
        &path,
        format!(
            "[[secrets]]\nname = \"{base}\"\nfile = \"tok.txt\"\n\n\
             [[stacks]]\nname = \"{stack}\"\ncompose = [\"app.yaml\"]\n"
        ),
    )
    .unwrap();
    let engine = Endpoint::from_value(Some(&format!("unix://{}", lab::SOCKET)));
    let journal = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let writer = support::writer();
    let apply = || async {
        let b = file::load(&path).unwrap();
        let plan = steps::plan(&b, &engine, dir.path()).unwrap();
        plan.reconcile(
            &writer,
            Arc::new(|_| {}),
            &CancellationToken::new(),
            &journal,
        )
        .await
        .unwrap();
        plan
    };
    apply().await;
    let service = format!("{stack}_reader");
    let secret_file = format!("/run/secrets/{base}");
    assert_eq!(read_in_task(&service, &secret_file).as_deref(), Some("one"));
    let key = labdeck::ops::bootstrap::secret_key::SecretKey::load_or_create(dir.path()).unwrap();
    let (v1, v2) = (key.name(&base, b"one"), key.name(&base, b"two"));

    std::fs::write(dir.path().join("tok.txt"), "two").unwrap();
    let plan = apply().await;
    let seen = tokio::task::spawn_blocking(move || {
        let mut last = None;
        lab::wait_until(std::time::Duration::from_secs(60), || {
            last = read_in_task(&service, &secret_file);
            last.as_deref() == Some("two")
        });
        last
    })
    .await
    .unwrap();
    assert_eq!(
        seen.as_deref(),
        Some("two"),
        "the service reads the new version"
    );
    let names = docker(&["secret", "ls", "--format", "{{.Name}}"]);
    assert!(names.lines().any(|n| n == v2), "{names}");
    assert!(
        !names.lines().any(|n| n == v1),
        "the old version is gone: {names}"
    );
    assert!(
        plan.review().await.settled(),
        "and a plan has nothing left to do"
    );
    let _ = docker_result(&["stack", "rm", &stack]);
    let _ = lab::wait_until(std::time::Duration::from_secs(30), || {
        docker_result(&["secret", "rm", &v2]).is_ok()
    });
}

/// On a terminal, `apply` shows the step under way beside a spinner and its time,
/// and keeps each finished line above it; the spinner is gone at the end.
#[test]
fn apply_on_a_terminal_shows_a_spinner_beside_the_step_under_way() {
    require_lab!();
    let stack = format!("ldp{}", std::process::id());
    let _cleanup = Stacks(vec![stack.clone()]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("slow.yaml"),
        format!(
            "services:\n  db:\n    image: {}\n    command: [sh, -c, \"sleep 4; touch /ready; sleep 3600\"]\n    \
             healthcheck: {{test: [CMD-SHELL, test -f /ready], interval: 1s, retries: 30}}\n    \
             stop_grace_period: 1s\n",
            lab::IMAGE
        ),
    )
    .unwrap();
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(
        &path,
        format!("[[stacks]]\nname = \"{stack}\"\ncompose = [\"slow.yaml\"]\n"),
    )
    .unwrap();
    let file = path.display().to_string();
    let app = support::labdeck::Labdeck::start_in_shell(
        "true",
        "echo EXIT=$?; sleep 60",
        &["bootstrap", "apply", "--yes", "-f", &file],
        &[],
        120,
        30,
    );
    let screen = app.expect_that("the spinner beside the gate", |s| {
        s.lines().any(|l| {
            l.contains(&format!("waiting for {stack}_db")) && !l.trim_start().starts_with('…')
        })
    });
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with(&format!("… + service {stack}_db"))),
        "a finished line stays above: {screen}"
    );
    let end = app.expect("EXIT=0");
    assert!(end.contains("done:"), "{end}");
    assert!(
        !end.lines()
            .any(|l| l.contains("waiting for") && !l.trim_start().starts_with('…')),
        "the spinner is cleared at the end: {end}"
    );
}

/// When a task of `service` first ran (healthy, with a healthcheck).
fn first_running(service: &str) -> jiff::Timestamp {
    let ids = docker(&[
        "service",
        "ps",
        "-q",
        "--filter",
        "desired-state=running",
        service,
    ]);
    let id = ids
        .lines()
        .next()
        .unwrap_or_else(|| panic!("{service} runs"));
    let raw = docker(&["inspect", "--type", "task", id]);
    let task = serde_json::from_str::<Vec<Value>>(&raw).unwrap().remove(0);
    assert_eq!(task["Status"]["State"], "running", "{service}");
    task["Status"]["Timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Seed 000's shape: a network, a secret, a config and three stacks (the second in
/// `depends_on` waves), each healthy before the next is made; a second plan has
/// nothing to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_stacks_come_up_in_order_each_healthy_first_and_a_second_plan_is_settled() {
    require_lab!();
    let id = format!("ld3s{}", std::process::id());
    let (conn, komodo, caddy) = (format!("{id}c"), format!("{id}k"), format!("{id}p"));
    let (net, tok, conf) = (format!("{id}-net"), format!("{id}tok"), format!("{id}conf"));
    let _cleanup = Stacks(vec![conn.clone(), komodo.clone(), caddy.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let image = lab::IMAGE;
    let healthy_after = |s: u32| {
        format!(
            "command: [sh, -c, \"sleep {s}; touch /ready; sleep 3600\"]\n    \
             healthcheck: {{test: [CMD-SHELL, test -f /ready], interval: 1s, retries: 30}}\n    \
             stop_grace_period: 1s\n    networks: [{net}]\n"
        )
    };
    let external = format!("networks:\n  {net}:\n    external: true\n");
    std::fs::write(dir.path().join("tok.txt"), "token").unwrap();
    std::fs::write(dir.path().join("conf.txt"), "site").unwrap();
    std::fs::write(
        dir.path().join("conn.yaml"),
        format!(
            "services:\n  api:\n    image: {image}\n    {}    secrets: [{tok}]\n\
             {external}secrets:\n  {tok}:\n    external: true\n",
            healthy_after(2)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("komodo.yaml"),
        format!(
            "services:\n  db:\n    image: {image}\n    {}  core:\n    image: {image}\n    {}    depends_on: [db]\n{external}",
            healthy_after(2),
            healthy_after(1)
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("caddy.yaml"),
        format!(
            "services:\n  proxy:\n    image: {image}\n    {}    configs: [{{source: {conf}, target: /etc/site}}]\n\
             {external}configs:\n  {conf}:\n    external: true\n",
            healthy_after(1)
        ),
    )
    .unwrap();
    let text = format!(
        "[[networks]]\nname = \"{net}\"\nattachable = true\n\n\
         [[secrets]]\nname = \"{tok}\"\nfile = \"tok.txt\"\n\n\
         [[configs]]\nname = \"{conf}\"\nfile = \"conf.txt\"\n\n\
         [[stacks]]\nname = \"{conn}\"\ncompose = [\"conn.yaml\"]\n\n\
         [[stacks]]\nname = \"{komodo}\"\ncompose = [\"komodo.yaml\"]\norder = \"depends_on\"\n\n\
         [[stacks]]\nname = \"{caddy}\"\ncompose = [\"caddy.yaml\"]\n"
    );
    let path = dir.path().join("bootstrap.toml");
    std::fs::write(&path, text).unwrap();
    let b = file::load(&path).unwrap();
    let engine = Endpoint::from_value(Some(&format!("unix://{}", lab::SOCKET)));
    let plan = steps::plan(&b, &engine, dir.path()).unwrap();
    let journal = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    let done = plan
        .reconcile(
            &support::writer(),
            Arc::new(|_| {}),
            &CancellationToken::new(),
            &journal,
        )
        .await;
    let key = labdeck::ops::bootstrap::secret_key::SecretKey::load_or_create(dir.path()).unwrap();
    let secret = key.name(&tok, b"token");
    let made_at = |svc: &str| -> jiff::Timestamp {
        inspect("service", svc)["CreatedAt"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let result = (|| {
        done.as_ref().map_err(|e| format!("{e}"))?;
        // Each next service was made only once the one before was healthy.
        let order = [
            format!("{conn}_api"),
            format!("{komodo}_db"),
            format!("{komodo}_core"),
            format!("{caddy}_proxy"),
        ];
        for pair in order.windows(2) {
            let (healthy, next) = (first_running(&pair[0]), made_at(&pair[1]));
            if next < healthy {
                return Err(format!(
                    "{} made at {next}, before {} was healthy at {healthy}",
                    pair[1], pair[0]
                ));
            }
        }
        Ok(())
    })();
    let settled = plan.review().await;
    for s in [&conn, &komodo, &caddy] {
        let _ = docker_result(&["stack", "rm", s]);
    }
    let _ = lab::wait_until(std::time::Duration::from_secs(30), || {
        docker_result(&["secret", "rm", &secret]).is_ok()
    });
    let configs = docker(&["config", "ls", "--format", "{{.Name}}"]);
    for c in configs.lines().filter(|c| c.starts_with(&conf)) {
        let _ = docker_result(&["config", "rm", c]);
    }
    let _ = docker_result(&["network", "rm", &net]);
    result.unwrap();
    assert!(settled.settled(), "a second plan: {:?}", settled.lines());
}
