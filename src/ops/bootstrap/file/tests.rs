use super::*;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bootstrap")
}

#[test]
fn the_shipped_example_reads_whole_in_order() {
    let b = load(&example().join("bootstrap.toml")).unwrap();
    assert_eq!(b.swarm.advertise_addr.as_deref(), Some("192.168.4.10"));
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        b.networks
            .iter()
            .map(|n| n.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["infra", "proxy"])
    );
    assert!(b.networks.iter().all(|n| n.driver == "overlay"));
    assert!(b.networks[1].encrypted && b.networks[0].subnet.is_some());
    assert_eq!(
        b.stacks.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        names(vec!["op-connect", "komodo", "caddy"])
    );
    assert_eq!(b.stacks[0].gate, Duration::from_secs(180));
    assert_eq!(b.stacks[1].gate, DEFAULT_GATE);
    assert_eq!(b.stacks[2].gate, Duration::from_secs(120));
    assert_eq!(b.stacks[1].order, Order::DependsOn);
    assert_eq!(b.stacks[0].order, Order::Together);
    // Paths are the file's folder's.
    assert_eq!(
        b.secrets[0].file,
        example().join("secrets/1password-credentials.json")
    );
    assert!(b.stacks[0].env_file.as_ref().unwrap().is_file());
}

/// A wrong file is refused whole, each problem with its line and its field.
#[test]
fn a_wrong_file_says_each_problem_with_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), "services: {}\n").unwrap();
    let text = r#"[[networks]]
name = "infra"
subnet = "10.20.0.0/33"

[[networks]]
name = "infra"

[[secrets]]
name = "bad name!"
file = "missing.json"

[[stacks]]
name = "web"
compose = ["c.yaml", "nope.yaml"]
gate = { timeout = "soon" }
"#;
    let errors = parse(text, dir.path()).unwrap_err();
    let has = |line: usize, what: &str| {
        errors
            .iter()
            .any(|e| e.starts_with(&format!("line {line}: ")) && e.contains(what))
    };
    assert!(
        has(3, "subnet \"10.20.0.0/33\": a prefix of 33"),
        "{errors:#?}"
    );
    assert!(has(6, "network \"infra\" is named twice"), "{errors:#?}");
    assert!(has(9, "secret name \"bad name!\""), "{errors:#?}");
    assert!(
        has(10, "secret \"bad name!\": file: no such file"),
        "{errors:#?}"
    );
    assert!(
        has(14, "stack \"web\": compose: no such file"),
        "{errors:#?}"
    );
    assert!(has(15, "gate.timeout \"soon\""), "{errors:#?}");
    assert_eq!(errors.len(), 6, "{errors:#?}");
}

#[test]
fn an_unknown_or_mistyped_field_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let errors = parse("[[stacks]]\nname = \"web\"\ncompsoe = []\n", dir.path()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("line 3: ") && errors[0].contains("compsoe"),
        "{errors:?}"
    );
    let errors = parse(
        "[[networks]]\nname = \"n\"\nattachable = \"yes\"\n",
        dir.path(),
    )
    .unwrap_err();
    assert!(errors[0].starts_with("line 3: "), "{errors:?}");
    let errors = parse("[[stacks]]\nname = \"web\"\ncompose = []\n", dir.path()).unwrap_err();
    assert!(errors[0].contains("compose names no file"), "{errors:?}");
}

#[test]
fn an_empty_file_is_an_empty_bootstrap() {
    let b = parse("", Path::new("/etc/labdeck")).unwrap();
    assert!(b.networks.is_empty() && b.stacks.is_empty());
    assert_eq!(b.swarm, SwarmInit::default());
}
