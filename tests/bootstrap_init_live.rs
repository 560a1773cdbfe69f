//! A bootstrap from nothing: the lab's plain engine (no Swarm) is made a swarm manager
//! by `labdeck bootstrap apply`, with a network in it, then the next plan has nothing
//! left to do. The engine leaves the swarm again however the test ends (it is plain
//! for the Compose tests, which run in another binary).

mod support;

use support::labdeck::BIN;
use support::plain::{plain_docker, plain_host, require_plain};

/// Takes the plain engine out of the swarm when dropped.
struct Leave;

impl Drop for Leave {
    fn drop(&mut self) {
        let _ = plain_docker(&["swarm", "leave", "--force"]);
    }
}

fn state() -> String {
    plain_docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"])
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn a_bootstrap_inits_the_swarm_on_a_plain_engine_then_has_nothing_left_to_do() {
    if !require_plain() {
        return;
    }
    let _leave = Leave;
    let dir = tempfile::tempdir().unwrap();
    let net = format!("ldinit{}-net", std::process::id());
    let file = dir.path().join("bootstrap.toml");
    std::fs::write(
        &file,
        format!("[swarm]\nadvertise_addr = \"127.0.0.1\"\n# The lab's own swarm has 2377 on this host.\nlisten_addr = \"127.0.0.1:2378\"\n\n[[networks]]\nname = \"{net}\"\n"),
    )
    .unwrap();
    let (config, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(BIN)
            .args(args)
            .args(["-f", file.to_str().unwrap()])
            .env("DOCKER_HOST", plain_host())
            .env("LABDECK_CONFIG_DIR", config.path())
            .env("LABDECK_DATA_DIR", data.path())
            .env_remove("LABDECK_READ_ONLY")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };

    let (code, plan) = run(&["bootstrap", "plan"]);
    assert_eq!(code, Some(2), "changes pending: {plan}");
    assert!(plan.contains("swarm") && plan.contains(&net), "{plan}");
    assert_eq!(state(), "inactive", "a plan changes nothing");

    let (code, out) = run(&["bootstrap", "apply", "--yes"]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(state(), "active", "{out}");
    let manager = plain_docker(&["info", "--format", "{{.Swarm.ControlAvailable}}"]).unwrap();
    assert_eq!(manager.trim(), "true", "the engine manages the swarm");
    let driver = plain_docker(&["network", "inspect", "-f", "{{.Driver}}", &net]).unwrap();
    assert_eq!(driver.trim(), "overlay", "the network is the swarm's");

    let (code, plan) = run(&["bootstrap", "plan"]);
    assert_eq!(code, Some(0), "nothing left to do: {plan}");
}
