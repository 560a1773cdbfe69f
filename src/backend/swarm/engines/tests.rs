use super::*;
use proptest::prelude::*;
use std::fs;

/// `printf %s nas | sha256sum`
const NAS_ID: &str = "047de0f543c7e3596bb6dbd0e65f2c30357720a63eca423f08c52fae314f6806";

fn write(path: &Path, text: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn meta_path(config_dir: &Path, name: &str) -> PathBuf {
    config_dir
        .join("contexts/meta")
        .join(context_id(name))
        .join("meta.json")
}

fn tls_dir(config_dir: &Path, name: &str) -> PathBuf {
    config_dir
        .join("contexts/tls")
        .join(context_id(name))
        .join("docker")
}

/// A stored context as the CLI writes it (Go field names, capitalised).
fn add_context(config_dir: &Path, name: &str, host: &str, skip_tls_verify: bool) {
    let meta = serde_json::json!({
        "Name": name,
        "Metadata": {"Description": "test"},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}},
    });
    write(&meta_path(config_dir, name), meta.to_string());
}

fn add_files(dir: &Path, names: &[&str]) {
    for name in names {
        write(&dir.join(name), "-----BEGIN CERTIFICATE-----");
    }
}

/// A fake home with an empty `.docker`, and an environment pointing at it.
fn fake_home() -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".docker")).unwrap();
    let env = Env {
        home: Some(dir.path().to_path_buf()),
        ..Env::default()
    };
    (dir, env)
}

fn docker_dir(home: &tempfile::TempDir) -> PathBuf {
    home.path().join(".docker")
}

fn spec(name: &str, host: &str) -> EngineSpec {
    EngineSpec {
        name: name.into(),
        host: host.into(),
        tls: None,
    }
}

fn local() -> EngineSpec {
    spec("local", "unix:///var/run/docker.sock")
}

fn all_tls(dir: &Path) -> Option<TlsFiles> {
    Some(TlsFiles {
        ca: dir.join("ca.pem"),
        cert: Some(dir.join("cert.pem")),
        key: Some(dir.join("key.pem")),
    })
}

fn host_entry(name: &str, host: &str) -> DockerEntry {
    DockerEntry {
        name: name.into(),
        host: Some(host.into()),
        ..DockerEntry::default()
    }
}

fn context_entry(name: &str, context: &str) -> DockerEntry {
    DockerEntry {
        name: name.into(),
        context: Some(context.into()),
        ..DockerEntry::default()
    }
}

#[test]
fn no_entries_and_no_environment_watch_the_local_socket() {
    assert_eq!(resolve(&[], &Env::default()), (vec![local()], vec![]));
    let (_home, env) = fake_home();
    assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
}

#[test]
fn docker_host_wins_over_docker_context() {
    let (home, mut env) = fake_home();
    add_context(&docker_dir(&home), "prod", "ssh://admin@10.0.8.10", false);
    env.docker_context = Some("prod".into());
    env.docker_host = Some(" tcp://10.0.8.10:2375 ".into());
    let (engines, warnings) = resolve(&[], &env);
    assert_eq!(engines, vec![spec("local", "tcp://10.0.8.10:2375")]);
    assert!(warnings.is_empty(), "{warnings:?}");

    // A blank DOCKER_HOST does not count.
    env.docker_host = Some("  ".into());
    let (engines, _) = resolve(&[], &env);
    assert_eq!(engines, vec![spec("prod", "ssh://admin@10.0.8.10")]);
}

#[test]
fn docker_context_picks_the_contexts_ssh_host_and_name() {
    let (home, mut env) = fake_home();
    add_context(
        &docker_dir(&home),
        "prod",
        "ssh://admin@10.0.8.10:2222",
        false,
    );
    // Even TLS files do not apply to ssh.
    add_files(&tls_dir(&docker_dir(&home), "prod"), &TLS_FILE_NAMES);
    env.docker_context = Some(" prod ".into());
    let (engines, warnings) = resolve(&[], &env);
    assert_eq!(engines, vec![spec("prod", "ssh://admin@10.0.8.10:2222")]);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn context_keys_are_matched_ignoring_case() {
    let (home, mut env) = fake_home();
    let meta =
        r#"{"name":"lab","endpoints":{"docker":{"host":"ssh://lab.lan","skipTLSVerify":false}}}"#;
    write(&meta_path(&docker_dir(&home), "lab"), meta);
    env.docker_context = Some("lab".into());
    assert_eq!(
        resolve(&[], &env),
        (vec![spec("lab", "ssh://lab.lan")], vec![])
    );
}

#[test]
fn current_context_comes_from_config_json() {
    let (home, env) = fake_home();
    let docker = docker_dir(&home);
    add_context(&docker, "nas", "ssh://root@nas.lan", false);
    write(
        &docker.join("config.json"),
        r#"{"auths": {}, "currentContext": "nas"}"#,
    );
    assert_eq!(
        resolve(&[], &env),
        (vec![spec("nas", "ssh://root@nas.lan")], vec![])
    );

    write(
        &docker.join("config.json"),
        r#"{"currentContext": "default"}"#,
    );
    assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
}

#[test]
fn docker_context_default_beats_current_context_as_in_the_cli() {
    let (home, mut env) = fake_home();
    let docker = docker_dir(&home);
    add_context(&docker, "nas", "ssh://root@nas.lan", false);
    write(&docker.join("config.json"), r#"{"currentContext": "nas"}"#);
    env.docker_context = Some("default".into());
    assert_eq!(resolve(&[], &env), (vec![local()], vec![]));
}

#[test]
fn docker_config_overrides_home() {
    let (home, mut env) = fake_home();
    add_context(&docker_dir(&home), "a", "ssh://wrong.lan", false);
    write(
        &docker_dir(&home).join("config.json"),
        r#"{"currentContext": "a"}"#,
    );
    let other = tempfile::tempdir().unwrap();
    add_context(other.path(), "b", "ssh://right.lan", false);
    write(
        &other.path().join("config.json"),
        r#"{"currentContext": "b"}"#,
    );

    env.docker_config = Some(other.path().to_path_buf());
    assert_eq!(resolve(&[], &env).0, vec![spec("b", "ssh://right.lan")]);

    // An empty DOCKER_CONFIG counts as unset.
    env.docker_config = Some(PathBuf::new());
    assert_eq!(resolve(&[], &env).0, vec![spec("a", "ssh://wrong.lan")]);
}

#[test]
fn context_with_tls_files_for_tcp() {
    let (home, mut env) = fake_home();
    let docker = docker_dir(&home);
    add_context(&docker, "nas", "tcp://nas.lan:2376", false);
    // The CLI's layout, spelt out rather than built with context_id.
    let tls = docker.join("contexts/tls").join(NAS_ID).join("docker");
    add_files(&tls, &TLS_FILE_NAMES);
    env.docker_context = Some("nas".into());
    let (engines, warnings) = resolve(&[], &env);
    let want = EngineSpec {
        tls: all_tls(&tls),
        ..spec("nas", "tcp://nas.lan:2376")
    };
    assert_eq!(engines, vec![want]);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn context_tls_without_a_client_pair_or_with_skip_verify() {
    let (home, mut env) = fake_home();
    let docker = docker_dir(&home);
    add_context(&docker, "nas", "tcp://nas.lan:2376", true);
    let tls = tls_dir(&docker, "nas");
    add_files(&tls, &["ca.pem", "cert.pem"]);
    env.docker_context = Some("nas".into());
    let (engines, warnings) = resolve(&[], &env);
    let want = TlsFiles {
        ca: tls.join("ca.pem"),
        cert: None,
        key: None,
    };
    assert_eq!(engines[0].tls, Some(want));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("does not skip TLS verification"),
        "{warnings:?}"
    );
}

#[test]
fn tcp_context_without_tls_files_is_plain() {
    let (home, mut env) = fake_home();
    add_context(&docker_dir(&home), "lab", "tcp://10.0.8.10:2375", false);
    env.docker_context = Some("lab".into());
    assert_eq!(
        resolve(&[], &env),
        (vec![spec("lab", "tcp://10.0.8.10:2375")], vec![])
    );
}

#[test]
fn docker_tls_verify_takes_files_from_docker_cert_path() {
    let certs = tempfile::tempdir().unwrap();
    add_files(certs.path(), &TLS_FILE_NAMES);
    let mut env = Env {
        docker_host: Some("tcp://10.0.8.10:2376".into()),
        tls_verify: Some("1".into()),
        cert_path: Some(certs.path().to_path_buf()),
        ..Env::default()
    };
    let (engines, warnings) = resolve(&[], &env);
    let want = EngineSpec {
        tls: all_tls(certs.path()),
        ..spec("local", "tcp://10.0.8.10:2376")
    };
    assert_eq!(engines, vec![want.clone()]);
    assert!(warnings.is_empty(), "{warnings:?}");

    // Any non-empty value turns TLS on, as in the CLI; an empty one does not.
    env.tls_verify = Some("0".into());
    assert_eq!(resolve(&[], &env).0, vec![want]);
    env.tls_verify = Some(String::new());
    assert_eq!(
        resolve(&[], &env).0,
        vec![spec("local", "tcp://10.0.8.10:2376")]
    );
}

#[test]
fn docker_tls_verify_without_ca_keeps_tls_and_warns() {
    let (home, mut env) = fake_home();
    env.docker_host = Some("tcp://10.0.8.10:2376".into());
    env.tls_verify = Some("1".into());
    let (engines, warnings) = resolve(&[], &env);
    let ca = docker_dir(&home).join("ca.pem");
    let want = TlsFiles {
        ca: ca.clone(),
        cert: None,
        key: None,
    };
    assert_eq!(engines[0].tls, Some(want));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(&ca.display().to_string()),
        "{warnings:?}"
    );
}

#[test]
fn entries_with_duplicate_or_empty_names_are_skipped_with_warnings() {
    let entries = [
        host_entry("nas", "ssh://root@nas.lan"),
        host_entry(" ", "unix:///run/docker.sock"),
        host_entry("nas", "tcp://10.0.0.2:2375"),
        host_entry(" pi ", "tcp://pi.lan"),
    ];
    let (engines, warnings) = resolve(&entries, &Env::default());
    assert_eq!(
        engines,
        vec![
            spec("nas", "ssh://root@nas.lan"),
            spec("pi", "tcp://pi.lan:2375")
        ]
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("entry 2: no name"), "{warnings:?}");
    assert!(warnings[1].contains("\"nas\""), "{warnings:?}");
    assert!(warnings[1].contains("same name"), "{warnings:?}");
}

#[test]
fn entry_with_both_host_and_context_or_neither_is_warned() {
    let both = DockerEntry {
        host: Some("ssh://nas.lan".into()),
        ..context_entry("nas", "nas")
    };
    let neither = DockerEntry {
        name: "pi".into(),
        host: Some(" ".into()),
        ..DockerEntry::default()
    };
    let ok = host_entry("ok", "unix:///run/docker.sock");
    let (engines, warnings) = resolve(&[both, neither, ok], &Env::default());
    assert_eq!(engines, vec![spec("ok", "unix:///run/docker.sock")]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("\"nas\": set host or context, not both"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("\"pi\": needs a host or a context"),
        "{warnings:?}"
    );
}

#[test]
fn unknown_scheme_is_warned() {
    let entries = [
        host_entry("nas", "ftp://nas.lan"),
        host_entry("pi", "pi.lan:2375"),
        host_entry("win", "npipe:////./pipe/docker_engine"),
    ];
    let (engines, warnings) = resolve(&entries, &Env::default());
    assert!(engines.is_empty(), "{engines:?}");
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (w, name) in warnings.iter().zip(["\"nas\"", "\"pi\"", "\"win\""]) {
        assert!(w.contains(name) && w.ends_with("skipped"), "{w}");
    }

    let env = Env {
        docker_host: Some("ftp://nas.lan".into()),
        ..Env::default()
    };
    let (engines, warnings) = resolve(&[], &env);
    assert_eq!(engines, vec![local()]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("DOCKER_HOST: "), "{warnings:?}");
}

#[test]
fn missing_context_is_warned_and_falls_back_to_the_local_socket() {
    let (home, mut env) = fake_home();
    env.docker_context = Some("gone".into());
    let (engines, warnings) = resolve(&[], &env);
    assert_eq!(engines, vec![local()]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let meta = meta_path(&docker_dir(&home), "gone").display().to_string();
    for part in [
        "\"gone\"",
        &meta,
        "watching unix:///var/run/docker.sock instead",
    ] {
        assert!(warnings[0].contains(part), "{part} in {warnings:?}");
    }
}

#[test]
fn entry_with_a_missing_context_is_skipped() {
    let (home, env) = fake_home();
    add_context(&docker_dir(&home), "nas", "ssh://root@nas.lan", false);
    let entries = [context_entry("nas", "nas"), context_entry("gone", "gone")];
    let (engines, warnings) = resolve(&entries, &env);
    assert_eq!(engines, vec![spec("nas", "ssh://root@nas.lan")]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("context \"gone\": no such context"),
        "{warnings:?}"
    );
    assert!(warnings[0].ends_with("skipped"), "{warnings:?}");
}

#[test]
fn broken_context_files_are_warnings_not_panics() {
    let bad: [&[u8]; 8] = [
        b"{",
        b"null",
        b"[]",
        b"{\"Endpoints\": []}",
        b"{\"Endpoints\": {\"docker\": {\"Host\": 5}}}",
        b"{\"Endpoints\": {\"docker\": {\"Host\": \"  \"}}}",
        b"{\"Endpoints\": {\"docker\": {\"Host\": \"ftp://x\"}}}",
        b"\xff\xfe{}",
    ];
    for text in bad {
        let (home, mut env) = fake_home();
        write(&meta_path(&docker_dir(&home), "x"), text);
        env.docker_context = Some("x".into());
        let (engines, warnings) = resolve(&[], &env);
        let shown = String::from_utf8_lossy(text);
        assert_eq!(engines, vec![local()], "{shown}");
        assert_eq!(warnings.len(), 1, "{shown}: {warnings:?}");
        assert!(warnings[0].contains("meta.json"), "{shown}: {warnings:?}");
    }
}

#[test]
fn broken_config_json_is_a_warning() {
    let (home, env) = fake_home();
    write(
        &docker_dir(&home).join("config.json"),
        "{\"currentContext\": ",
    );
    let (engines, warnings) = resolve(&[], &env);
    assert_eq!(engines, vec![local()]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("config.json is not valid JSON"),
        "{warnings:?}"
    );
}

#[test]
fn context_ids_are_the_sha256_of_the_name() {
    assert_eq!(context_id("nas"), NAS_ID);
}

#[test]
fn host_forms_are_normalised() {
    let cases = [
        (
            "unix:///run/user/1000/docker.sock",
            "unix:///run/user/1000/docker.sock",
            Kind::Unix,
        ),
        ("unix://", "unix:///var/run/docker.sock", Kind::Unix),
        ("tcp://10.0.8.10", "tcp://10.0.8.10:2375", Kind::Tcp),
        ("http://10.0.8.10:2380/", "tcp://10.0.8.10:2380", Kind::Tcp),
        ("https://nas.lan", "tcp://nas.lan:2376", Kind::Https),
        ("TCP://[::1]", "tcp://[::1]:2375", Kind::Tcp),
        ("tcp://[fe80::1]:2380", "tcp://[fe80::1]:2380", Kind::Tcp),
        (
            "ssh://root@nas.lan:2222",
            "ssh://root@nas.lan:2222",
            Kind::Ssh,
        ),
        ("ssh://nas.lan/", "ssh://nas.lan", Kind::Ssh),
    ];
    for (raw, address, kind) in cases {
        let want = Host {
            address: address.into(),
            kind,
        };
        assert_eq!(parse_host(raw), Ok(want), "{raw}");
    }
}

#[test]
fn bad_hosts_are_refused() {
    for raw in [
        "",
        "nas.lan:2375",
        "ftp://nas.lan",
        "npipe:////./pipe/docker_engine",
        "tcp://",
        "tcp://:2375",
        "tcp://nas.lan:port",
        "tcp://nas.lan:0",
        "tcp://nas.lan:+80",
        "tcp://nas.lan:70000",
        "tcp://[::1",
        "tcp://[::1]x",
        "tcp://tcp://nas.lan",
        "tcp://nas lan",
        "ssh://nas.lan/var/run/docker.sock",
        "ssh://root@",
        "ssh://-oProxyCommand=x",
        "tcp://nas.lan:2375/base",
        "unix://unix:///x",
    ] {
        assert!(parse_host(raw).is_err(), "{raw:?} was accepted");
    }
}

#[test]
fn entry_tls_follows_tls_verify_and_cert_path() {
    let (home, env) = fake_home();
    let certs = home.path().join("certs/nas");
    add_files(&certs, &TLS_FILE_NAMES);
    let entries = [
        DockerEntry {
            cert_path: Some(" ~/certs/nas ".into()),
            ..host_entry("nas", "tcp://nas.lan:2376")
        },
        DockerEntry {
            tls_verify: Some(true),
            ..host_entry("pi", "tcp://pi.lan:2376")
        },
        host_entry("https", "https://10.0.0.4"),
        DockerEntry {
            tls_verify: Some(false),
            ..host_entry("plain", "tcp://10.0.0.3:2375")
        },
        DockerEntry {
            tls_verify: Some(true),
            ..host_entry("ssh", "ssh://root@10.0.0.5")
        },
    ];
    let (engines, warnings) = resolve(&entries, &env);
    let ca_only = Some(TlsFiles {
        ca: docker_dir(&home).join("ca.pem"),
        cert: None,
        key: None,
    });
    let tls: Vec<_> = engines
        .iter()
        .map(|e| (e.name.as_str(), e.tls.clone()))
        .collect();
    assert_eq!(
        tls,
        vec![
            ("nas", all_tls(&certs)),
            ("pi", ca_only.clone()),
            ("https", ca_only),
            ("plain", None),
            ("ssh", None),
        ]
    );
    assert_eq!(engines[2].host, "tcp://10.0.0.4:2376");
    // ca.pem missing for pi and https; TLS settings ignored for ssh.
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].starts_with("[[docker]] \"pi\": "),
        "{warnings:?}"
    );
    assert!(
        warnings[2].contains("\"ssh\": tls_verify and cert_path apply"),
        "{warnings:?}"
    );
}

#[test]
fn entry_contexts_take_the_entry_name_and_default_means_docker_host() {
    let (home, mut env) = fake_home();
    add_context(&docker_dir(&home), "nas-ctx", "ssh://root@nas.lan", false);
    env.docker_host = Some("tcp://10.0.8.10".into());
    let entries = [
        context_entry("nas", "nas-ctx"),
        context_entry("lab", "default"),
    ];
    let (engines, warnings) = resolve(&entries, &env);
    assert_eq!(
        engines,
        vec![
            spec("nas", "ssh://root@nas.lan"),
            spec("lab", "tcp://10.0.8.10:2375")
        ]
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

proptest! {
    #[test]
    fn any_text_gives_engines_or_one_line_warnings(
        host in "(?s).{0,40}",
        name in "(?s).{0,12}",
        context in "(?s).{0,12}",
    ) {
        let env = Env {
            docker_host: Some(host.clone()),
            docker_context: Some(context.clone()),
            tls_verify: Some("1".into()),
            ..Env::default()
        };
        let entries = [
            host_entry(&name, &host),
            context_entry(&format!("{name}-ctx"), &context),
        ];
        for (engines, warnings) in [resolve(&[], &env), resolve(&entries, &env)] {
            prop_assert!(engines.len() <= 2);
            for w in warnings {
                prop_assert!(!w.contains('\n') && !w.contains('\r'), "{w:?}");
            }
        }
    }
}
