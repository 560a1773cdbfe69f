//! The docker CLI is the oracle: the same compose files deployed once with
//! `docker stack deploy` and once with `labdeck stack deploy` give the same service
//! specs, networks, secrets and configs (names, IDs, versions and timestamps
//! normalised); `docker stack services` and `docker stack rm` work on labdeck's stack.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::lab::{self, docker, docker_result, wait_until};
use support::labdeck::BIN;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stack")
        .join(name)
}

/// What the fixture's variables are set to, for both tools alike.
fn variables(ext_secret: &str) -> Vec<(&'static str, String)> {
    vec![
        ("BB_TAG", "1".into()),
        ("ORACLE_EMPTY", String::new()),
        ("ORACLE_PASSTHRU", "from-shell".into()),
        ("EXT_SECRET", ext_secret.into()),
    ]
}

/// Runs a program in the fixture's folder with the fixture's variables (and
/// `ORACLE_UNSET` unset), against the lab engine.
fn run(program: &str, args: &[&str], dir: &Path, vars: &[(&str, String)]) -> (bool, String) {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env("DOCKER_HOST", format!("unix://{}", lab::SOCKET))
        .env_remove("DOCKER_CONTEXT")
        .env_remove("ORACLE_UNSET")
        .env_remove("LABDECK_READ_ONLY");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let data = tempfile::tempdir().unwrap();
    cmd.env("LABDECK_DATA_DIR", data.path())
        .env("LABDECK_CONFIG_DIR", data.path());
    let done = support::process::run(&mut cmd, Duration::from_secs(120)).unwrap();
    (
        done.status.success(),
        format!("{}{}", done.stdout, done.stderr),
    )
}

/// Everything a stack made, as JSON with the stack's name, IDs, versions and
/// timestamps taken out.
fn snapshot(stack: &str) -> BTreeMap<String, Value> {
    let networks: BTreeMap<String, String> = docker(&[
        "network",
        "ls",
        "--no-trunc",
        "--format",
        "{{.ID}} {{.Name}}",
    ])
    .lines()
    .filter_map(|l| l.split_once(' '))
    .map(|(id, name)| (id.to_string(), name.to_string()))
    .collect();
    let filter = format!("label=com.docker.stack.namespace={stack}");
    let mut out = BTreeMap::new();
    for (kind, list_args) in [
        ("service", vec!["service", "ls", "-q", "--filter", &filter]),
        ("network", vec!["network", "ls", "-q", "--filter", &filter]),
        ("secret", vec!["secret", "ls", "-q", "--filter", &filter]),
        ("config", vec!["config", "ls", "-q", "--filter", &filter]),
    ] {
        for id in docker(&list_args).lines() {
            let raw = docker(&[kind, "inspect", id]);
            let mut v: Value = serde_json::from_str::<Vec<Value>>(&raw).unwrap().remove(0);
            let name = match kind {
                "network" => v["Name"].as_str().unwrap().to_string(),
                _ => v["Spec"]["Name"].as_str().unwrap().to_string(),
            };
            let v = normalise(kind, &mut v, &networks);
            let text = serde_json::to_string(&v)
                .unwrap()
                .replace(&format!("{stack}_"), "STACK_")
                .replace(&format!("\"{stack}\""), "\"STACK\"");
            out.insert(
                format!("{kind} {}", name.replace(&format!("{stack}_"), "STACK_")),
                serde_json::from_str(&text).unwrap(),
            );
        }
    }
    out
}

fn normalise(kind: &str, v: &mut Value, networks: &BTreeMap<String, String>) -> Value {
    match kind {
        "service" => {
            let mut spec = v["Spec"].take();
            if let Some(list) = spec["TaskTemplate"]["Networks"].as_array_mut() {
                for n in list {
                    let id = n["Target"].as_str().unwrap_or_default();
                    n["Target"] = Value::from(networks.get(id).cloned().unwrap_or_default());
                }
            }
            for (field, id) in [("Secrets", "SecretID"), ("Configs", "ConfigID")] {
                if let Some(list) = spec["TaskTemplate"]["ContainerSpec"][field].as_array_mut() {
                    for r in list.iter_mut() {
                        r.as_object_mut().unwrap().remove(id);
                    }
                    // The CLI sorts them by name with an unstable sort: one config under
                    // two targets comes in either order. The engine keeps what it is given.
                    list.sort_by_key(|r| r.to_string());
                }
            }
            spec
        }
        "network" => {
            let mut n = v.take();
            for k in ["Id", "Created", "Containers", "Peers", "Name"] {
                n.as_object_mut().unwrap().remove(k);
            }
            // The gateway, the VXLAN ID, and a subnet from the default pool
            // (10.0.0.0/8 in /24s, handed out in turn: 10.1.x once 10.0.x went round)
            // are the engine's picks, not the file's. The fixture's own is 10.123.0.0/24.
            if let Some(list) = n["IPAM"]["Config"].as_array_mut() {
                for c in list {
                    let c = c.as_object_mut().unwrap();
                    c.remove("Gateway");
                    let picked = |s: &str| s.starts_with("10.") && !s.starts_with("10.123.");
                    if c["Subnet"].as_str().is_some_and(picked) {
                        c.remove("Subnet");
                    }
                }
            }
            if let Some(o) = n["Options"].as_object_mut() {
                o.remove("com.docker.network.driver.overlay.vxlanid_list");
            }
            n
        }
        _ => v["Spec"].take(),
    }
}

/// Remove a stack with the CLI and wait until its networks are gone (the next
/// deploy makes a network with the same subnet).
fn remove_stack(stack: &str) {
    let _ = docker_result(&["stack", "rm", stack]);
    let filter = format!("label=com.docker.stack.namespace={stack}");
    // Its tasks stop first (the fixture's worker has a 20 s grace period), then the
    // engine lets go of its networks; on a busy lab that has taken over a minute.
    let gone = wait_until(Duration::from_secs(180), || {
        docker_result(&["network", "ls", "-q", "--filter", &filter])
            .map(|s| s.trim().is_empty())
            .unwrap_or(false)
            && docker_result(&["service", "ls", "-q", "--filter", &filter])
                .map(|s| s.trim().is_empty())
                .unwrap_or(false)
    });
    assert!(gone, "stack {stack} was not removed");
}

struct Cleanup(Vec<String>, String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for s in &self.0 {
            let _ = docker_result(&["stack", "rm", s]);
        }
        let _ = docker_result(&["secret", "rm", &self.1]);
    }
}

#[test]
fn labdeck_deploys_a_stack_exactly_as_docker_stack_deploy_does() {
    require_lab!();
    let pid = std::process::id();
    let (cli_stack, our_stack) = (format!("orc{pid}c"), format!("orc{pid}l"));
    let ext = format!("orc{pid}_ext");
    let _cleanup = Cleanup(vec![cli_stack.clone(), our_stack.clone()], ext.clone());
    let mut secret = Command::new("docker");
    secret
        .args(["secret", "create", &ext, "-"])
        .env("DOCKER_HOST", format!("unix://{}", lab::SOCKET))
        .stdin(std::process::Stdio::piped());
    let mut child = secret.spawn().unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"external").unwrap();
    }
    assert!(child.wait().unwrap().success());

    let dir = fixture("full");
    let vars = variables(&ext);
    let (ok, out) = run(
        "docker",
        &[
            "stack",
            "deploy",
            "--resolve-image",
            "never",
            "-c",
            "docker-compose.yaml",
            &cli_stack,
        ],
        &dir,
        &vars,
    );
    assert!(ok, "docker stack deploy: {out}");
    let theirs = snapshot(&cli_stack);
    remove_stack(&cli_stack);

    let (ok, out) = run(
        BIN,
        &["stack", "deploy", "-c", "docker-compose.yaml", &our_stack],
        &dir,
        &vars,
    );
    assert!(ok, "labdeck stack deploy: {out}");
    let ours = snapshot(&our_stack);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the same services, networks, secrets and configs"
    );
    for (name, want) in &theirs {
        assert_eq!(
            &ours[name],
            want,
            "{name} differs\nlabdeck: {}\ndocker:  {}",
            serde_json::to_string(&ours[name]).unwrap(),
            serde_json::to_string(want).unwrap()
        );
    }
    assert_eq!(
        theirs.len(),
        8,
        "three services, three networks, a secret, a config: {:?}",
        theirs.keys()
    );

    // The CLI sees labdeck's stack as its own, and a second deploy changes nothing.
    let services = docker(&["stack", "services", "--format", "{{.Name}}", &our_stack]);
    for s in ["web", "worker", "solo"] {
        assert!(
            services.lines().any(|l| l == format!("{our_stack}_{s}")),
            "{services}"
        );
    }
    let (code, out) = run(
        BIN,
        &["stack", "diff", "-c", "docker-compose.yaml", &our_stack],
        &dir,
        &vars,
    );
    assert!(code, "nothing to change after a deploy: {out}");
    remove_stack(&our_stack);
}
