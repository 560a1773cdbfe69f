//! Proves each piece of `tests/support` against the real lab and a real tmux.

mod support;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use support::lab::{self, Stack, docker, docker_result, wait_until};
use support::proxy::{DockerProxy, RequestParser};
use support::tmux::{Tmux, sh_quote, tmux_arg};

const SECS_10: Duration = Duration::from_secs(10);

// ---- lab ----

#[test]
fn lab_absence_skips_outside_ci_and_fails_inside() {
    assert_eq!(lab::skip_message(&Ok(()), true), None);
    let absent = Err("engine gone".to_owned());
    let skip = lab::skip_message(&absent, false).unwrap();
    assert!(
        skip.starts_with("SKIPPED: lab not available (run scripts/lab up)"),
        "{skip}"
    );
    let in_ci = std::panic::catch_unwind(|| lab::skip_message(&absent, true));
    assert!(in_ci.is_err(), "an absent lab must fail under CI");
}

#[test]
fn lab_is_here_and_docker_runs_argument_vectors() {
    require_lab!();
    assert!(lab::lab_available());
    // One argument with spaces and quotes reaches docker intact: no shell in between.
    let odd = "{{.Swarm.LocalNodeState}} 'quoted' $HOME";
    assert_eq!(
        docker(&["info", "--format", odd]).trim(),
        "active 'quoted' $HOME"
    );
    let err = docker_result(&["service", "inspect", "no-such-service-labdeck"]).unwrap_err();
    assert!(err.contains("no-such-service-labdeck"), "{err}");
}

const COMPOSE: &str = r#"
version: "3.8"
services:
  web:
    image: local/busybox:1
    command: ["/bin/httpd", "-f", "-p", "8080"]
    stop_grace_period: 1s
  idle:
    image: local/busybox:1
    command: ["sleep", "3600"]
    deploy:
      replicas: 0
"#;

#[test]
fn stack_deploys_under_a_unique_name_and_is_removed_on_drop() {
    require_lab!();
    let stack = Stack::deploy("ldself", COMPOSE);
    let other = Stack::deploy("ldself", "version: \"3.8\"\nservices: {}\n");
    assert_ne!(stack.name(), other.name());
    assert!(
        stack
            .name()
            .starts_with(&format!("ldself-{}-", std::process::id()))
    );
    assert_eq!(
        stack.services(),
        vec![stack.service("idle"), stack.service("web")]
    );
    assert!(
        stack.wait_converged(Duration::from_secs(60)),
        "web never ran"
    );
    let name = stack.name().to_owned();
    drop(stack);
    let filter = format!("label=com.docker.stack.namespace={name}");
    for object in ["service", "network"] {
        let left = docker(&[object, "ls", "-q", "--filter", &filter]);
        assert!(left.trim().is_empty(), "{object}s left by {name}: {left}");
    }
}

// ---- proxy ----

#[test]
fn proxy_records_cli_requests_and_cuts_and_restores() {
    require_lab!();
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let host = proxy.docker_host();
    assert_eq!(host, format!("unix://{}", proxy.path().display()));

    let version = docker(&["-H", &host, "version", "--format", "{{.Server.APIVersion}}"]);
    assert_eq!(version.trim(), "1.41");
    let seen = proxy.requests();
    eprintln!("docker version: {seen:?}");
    assert!(
        seen.iter()
            .any(|(m, p)| p == "/_ping" && (m == "HEAD" || m == "GET")),
        "{seen:?}"
    );
    assert!(seen.contains(&get("/v1.41/version")), "{seen:?}");

    proxy.clear();
    docker(&["-H", &host, "service", "ls"]);
    let seen = proxy.requests();
    assert!(
        seen.iter()
            .any(|(m, p)| m == "GET" && p.starts_with("/v1.41/services")),
        "{seen:?}"
    );

    // An open keep-alive connection is closed by cut(), and new ones are refused.
    let mut open = UnixStream::connect(proxy.path()).unwrap();
    open.set_read_timeout(Some(SECS_10)).unwrap();
    let answer = ping(&mut open);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    proxy.cut();
    let mut rest = Vec::new();
    let closed = open
        .read_to_end(&mut rest)
        .map(|_| ())
        .map_err(|e| e.kind());
    assert!(
        closed.is_ok() || closed == Err(std::io::ErrorKind::ConnectionReset),
        "{closed:?}"
    );
    let err = docker_result(&["-H", &host, "version"]).unwrap_err();
    assert!(
        err.contains("Cannot connect") || err.contains("connection refused"),
        "{err}"
    );

    proxy.restore();
    proxy.clear();
    assert_eq!(
        docker(&["-H", &host, "version", "--format", "{{.Server.APIVersion}}"]).trim(),
        "1.41"
    );
    assert!(proxy.requests().contains(&get("/v1.41/version")));
}

#[test]
fn proxy_records_every_request_of_a_keep_alive_connection_with_bodies() {
    require_lab!();
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let host = proxy.docker_host();
    let network = format!("ldself-net-{}", std::process::id());
    // The CLI posts a JSON body, then asks again on the same connection.
    docker(&["-H", &host, "network", "create", "-d", "overlay", &network]);
    let removed = docker_result(&["-H", &host, "network", "rm", &network]);
    let seen = proxy.requests();
    removed.unwrap();
    eprintln!("{} connections: {seen:?}", proxy.connections());
    assert!(
        seen.len() > proxy.connections(),
        "no connection carried two requests"
    );
    let create = ("POST".to_owned(), "/v1.41/networks/create".to_owned());
    assert!(seen.contains(&create), "{seen:?}");
    assert!(
        seen.iter()
            .any(|(m, p)| m == "DELETE" && p.starts_with("/v1.41/networks/")),
        "{seen:?}"
    );
}

#[test]
fn proxy_passes_hijacked_attach_streams() {
    require_lab!();
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    // `docker run` without -d attaches: the CLI upgrades that connection to a raw stream.
    let out = docker(&[
        "-H",
        &proxy.docker_host(),
        "run",
        "--rm",
        lab::IMAGE,
        "echo",
        "through the proxy",
    ]);
    assert_eq!(out.trim(), "through the proxy");
    let seen = proxy.requests();
    eprintln!("{} connections: {seen:?}", proxy.connections());
    assert!(
        seen.iter()
            .any(|(m, p)| m == "POST" && p.contains("/attach?")),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|(m, p)| m == "POST" && p.ends_with("/start")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn proxy_works_from_an_async_test() {
    require_lab!();
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let path = proxy.path().to_owned();
    let answer = tokio::task::spawn_blocking(move || ping(&mut UnixStream::connect(path).unwrap()))
        .await
        .unwrap();
    assert!(answer.ends_with("OK"), "{answer}");
    assert_eq!(proxy.requests(), vec![get("/_ping")]);
    drop(proxy); // inside the runtime: must not panic
}

fn get(path: &str) -> (String, String) {
    ("GET".to_owned(), path.to_owned())
}

/// One `GET /_ping` on a kept-alive connection; returns the whole answer.
fn ping(stream: &mut UnixStream) -> String {
    stream
        .write_all(b"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.ends_with(b"OK") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(answer).unwrap()
}

// ---- request parser ----

/// Two requests, the first with a Content-Length body that itself looks like a request.
fn with_length() -> String {
    let body = "{\"x\":\"GET /body HTTP/1.1\r\n\r\n\"}";
    format!(
        "POST /v1.41/services/create HTTP/1.1\r\nHost: docker\r\n\
Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}\
GET /v1.41/services?filters=%7B%7D HTTP/1.1\r\nHost: docker\r\n\r\n",
        body.len()
    )
}

/// Three requests, the second chunked with an extension, a fake request in a chunk and
/// a trailer; blank lines between requests are allowed.
const CHUNKED: &str = "HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n\
POST /v1.41/build?t=x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
5\r\nhello\r\n\
1a;name=value\r\nGET /chunk HTTP/1.1\r\n\r\nxxx\r\n\
0\r\nX-Trailer: yes\r\n\r\n\
\r\n\
DELETE /v1.41/services/abc HTTP/1.1\r\nContent-Length: 0\r\n\r\n";

fn reqs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect()
}

/// Feeds `stream` cut at every pair of positions (which includes every single cut and
/// the whole stream) and checks the same requests come out each time.
fn assert_parses_at_every_split(stream: &str, want: &[(String, String)]) {
    let bytes = stream.as_bytes();
    for i in 0..=bytes.len() {
        for j in i..=bytes.len() {
            let mut parser = RequestParser::new();
            let mut got = parser.feed(&bytes[..i]);
            got.extend(parser.feed(&bytes[i..j]));
            got.extend(parser.feed(&bytes[j..]));
            assert_eq!(got, want, "split at {i} and {j}");
        }
    }
    let mut parser = RequestParser::new();
    let got: Vec<_> = bytes
        .iter()
        .flat_map(|b| parser.feed(std::slice::from_ref(b)))
        .collect();
    assert_eq!(got, want, "byte by byte");
}

#[test]
fn parser_skips_content_length_bodies() {
    let want = reqs(&[
        ("POST", "/v1.41/services/create"),
        ("GET", "/v1.41/services?filters=%7B%7D"),
    ]);
    assert_parses_at_every_split(&with_length(), &want);
}

#[test]
fn parser_skips_chunked_bodies() {
    let want = reqs(&[
        ("HEAD", "/_ping"),
        ("POST", "/v1.41/build?t=x"),
        ("DELETE", "/v1.41/services/abc"),
    ]);
    assert_parses_at_every_split(CHUNKED, &want);
}

#[test]
fn parser_goes_quiet_after_an_upgrade_or_garbage() {
    let hijack = "POST /v1.41/containers/c1/attach?stream=1 HTTP/1.1\r\n\
Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nGET /typed-into-the-container HTTP/1.1\r\n\r\n";
    let want = reqs(&[("POST", "/v1.41/containers/c1/attach?stream=1")]);
    assert_parses_at_every_split(hijack, &want);

    let mut parser = RequestParser::new();
    assert!(
        parser
            .feed(b"\x16\x03\x01 not http\r\nGET / HTTP/1.1\r\n\r\n")
            .is_empty()
    );
    let mut parser = RequestParser::new();
    assert!(parser.feed(&vec![b'A'; 200_000]).is_empty());
    assert!(parser.feed(b"\r\nGET / HTTP/1.1\r\n\r\n").is_empty());
}

// ---- tmux ----

#[test]
fn tmux_runs_an_argument_vector_at_a_fixed_size() {
    let odd = "it's \"quoted\" $HOME";
    let script = r#"printf '%s|%s' "$GREETING" "$1"; sleep 30"#;
    let term = Tmux::start(
        &["/bin/sh", "-c", script, "sh", odd],
        &[("GREETING", "hello there")],
        80,
        24,
    );
    let screen = term
        .wait_for(&format!("hello there|{odd}"), SECS_10)
        .unwrap();
    assert_eq!(screen.lines().count(), 24, "{screen:?}");
    assert_eq!(term.size(), (80, 24));
    assert!(term.is_alive());

    term.resize(100, 30);
    assert_eq!(term.size(), (100, 30));
    assert_eq!(term.capture().lines().count(), 30);

    let pid = pane_pid(&term);
    drop(term);
    let gone = wait_until(SECS_10, || !Path::new(&format!("/proc/{pid}")).exists());
    assert!(gone, "program {pid} outlived its tmux");
}

#[test]
fn tmux_types_into_a_lone_program_and_records_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("it's out");
    let term = Tmux::start(&["cat"], &[], 80, 24);
    term.pipe_output(&out);
    term.send_text("Enter typed");
    term.send_keys(&["Enter"]);
    let screen = term.wait_for("Enter typed\nEnter typed", SECS_10).unwrap();
    assert_eq!(screen.lines().count(), 24);
    let recorded = || std::fs::read_to_string(&out).unwrap_or_default();
    // The terminal echoes the line, then cat writes it back.
    assert!(
        wait_until(SECS_10, || recorded() == "Enter typed\r\nEnter typed\r\n"),
        "{:?}",
        recorded()
    );

    term.send_keys(&["C-d"]);
    assert!(wait_until(SECS_10, || !term.is_alive()), "cat still runs");
}

#[test]
fn tmux_records_from_the_first_byte_and_keeps_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let script = r"printf '\033[1mbold\033[0m plain'; sleep 30";
    let term = Tmux::start_recording(&["/bin/sh", "-c", script], &[], 40, 10, &out);
    term.wait_for("bold plain", SECS_10).unwrap();
    let recorded = || std::fs::read(&out).unwrap_or_default();
    assert!(
        wait_until(SECS_10, || recorded() == b"\x1b[1mbold\x1b[0m plain"),
        "{:?}",
        recorded()
    );
    let colours = term.capture_with_escapes();
    assert!(colours.contains("\x1b[1mbold"), "{colours:?}");
    assert!(!term.capture().contains('\x1b'));
}

#[test]
fn tmux_quotes_a_lone_program_path() {
    let dir = tempfile::tempdir().unwrap();
    let prog = dir.path().join("my 'prog';");
    std::fs::write(&prog, "#!/bin/sh\necho lone ok; sleep 30\n").unwrap();
    std::fs::set_permissions(&prog, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let term = Tmux::start(&[prog.to_str().unwrap()], &[], 80, 24);
    term.wait_for("lone ok", SECS_10).unwrap();
    assert_eq!(sh_quote("a'b"), r"'a'\''b'");
}

#[test]
fn tmux_passes_semicolons_through_its_command_line() {
    assert_eq!(tmux_arg("a;"), r"a\;");
    let args = ["a;", r"b\;", ";", "{", "#{pane_id}", "$HOME"];
    let script = r#"for a in "$@" "$V"; do printf '<%s>' "$a"; done; sleep 30"#;
    let mut cmd = vec!["/bin/sh", "-c", script, "sh"];
    cmd.extend(args);
    let term = Tmux::start(&cmd, &[("V", "v;")], 80, 24);
    term.wait_for(r"<a;><b\;><;><{><#{pane_id}><$HOME><v;>", SECS_10)
        .unwrap();
    term.send_text("typed;");
    term.send_keys(&["x;"]);
    term.wait_for("typed;x;", SECS_10).unwrap();
}

fn pane_pid(term: &Tmux) -> u32 {
    let out = std::process::Command::new("tmux")
        .arg("-S")
        .arg(term.socket())
        .args(["display-message", "-p", "-t", "labdeck", "#{pane_pid}"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}
