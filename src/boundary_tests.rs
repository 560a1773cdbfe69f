//! Layer boundaries from ARCHITECTURE.md, checked on the sources: backends and ops know
//! no terminal, bollard stays in the Docker backend, config knows nothing of the app,
//! and the shell (app, ui, cli) knows the Swarm pane only through its own files.
use std::{fs, path::Path};

struct File {
    /// Relative to `src/`, with `/`.
    path: String,
    /// Without test code: tests of a pane through the shell may name the pane.
    code: String,
}

fn rust_files(dir: &Path, root: &Path, out: &mut Vec<File>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let text = fs::read_to_string(&path).unwrap();
            let is_test = rel.ends_with("tests.rs") || rel.contains("/tests/");
            let code = if is_test {
                String::new()
            } else {
                // Test modules sit at the end of a file.
                let cut = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
                text[..cut].to_string()
            };
            out.push(File { path: rel, code });
        }
    }
}

fn src() -> Vec<File> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &root, &mut files);
    assert!(files.len() > 40, "found the sources");
    files
}

/// Built at run time so this file does not match itself.
fn uses(code: &str, krate: &str) -> bool {
    code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}"))
}

#[test]
fn backends_and_ops_never_use_terminal_crates() {
    let mut checked = 0;
    for f in src() {
        if f.path.starts_with("backend/") || f.path.starts_with("ops/") {
            checked += 1;
            for krate in ["ratatui", "crossterm"] {
                assert!(!uses(&f.code, krate), "{} uses {krate}", f.path);
            }
        }
    }
    assert!(checked > 10);
}

#[test]
fn bollard_only_in_the_docker_backend() {
    let mut users = 0;
    for f in src() {
        if uses(&f.code, "bollard") {
            assert!(
                f.path.starts_with("backend/swarm/"),
                "{} uses bollard",
                f.path
            );
            users += 1;
        }
    }
    assert!(users > 3, "the check looks for the right string");
}

#[test]
fn config_knows_nothing_of_the_app_or_the_terminal() {
    for f in src().iter().filter(|f| f.path.starts_with("config/")) {
        for layer in ["crate::app", "crate::ui", "ratatui", "crossterm"] {
            assert!(!uses(&f.code, layer), "{} uses {layer}", f.path);
        }
    }
}

/// The files of the panes that read the Swarm source (the Swarm pane, and the Nodes
/// and VLANs panes that join its nodes and networks, through the hub); everything else in the shell goes
/// through `Pane`.
fn swarm_pane_file(path: &str) -> bool {
    path.starts_with("app/swarm/")
        || path.starts_with("ui/panes/swarm")
        || path.starts_with("cli/status/swarm/")
        || path.starts_with("app/nodes/")
        || path.starts_with("ui/panes/nodes")
        || path.starts_with("app/vlans/")
        || path.starts_with("ui/panes/vlans")
        || path.starts_with("cli/status/vlans")
        || path.starts_with("cli/status/nodes")
}

#[test]
fn the_shell_names_no_swarm_type_outside_the_swarm_pane() {
    let needle_path = format!("backend{}swarm", "::");
    let mut shell_files = 0;
    for f in src() {
        let shell = ["app/", "ui/", "cli/"]
            .iter()
            .any(|l| f.path.starts_with(l));
        if !shell || swarm_pane_file(&f.path) {
            continue;
        }
        shell_files += 1;
        assert!(
            !f.code.contains(&needle_path),
            "{} reaches into the Swarm backend",
            f.path
        );
        // A Swarm type: `Swarm` followed by an upper-case letter (SwarmPane, SwarmOp...).
        let b = f.code.as_bytes();
        for (i, _) in f.code.match_indices("Swarm") {
            let next = b.get(i + 5).copied().unwrap_or(b' ');
            let prev = if i == 0 { b' ' } else { b[i - 1] };
            let ident = next.is_ascii_uppercase() && !prev.is_ascii_alphanumeric();
            assert!(!ident, "{} names a Swarm type at byte {i}", f.path);
        }
    }
    assert!(shell_files > 20, "the shell's files were checked");
}

#[test]
fn directories_is_used_only_in_config() {
    let mut users = 0;
    for f in src() {
        if uses(&f.code, "directories") {
            assert!(f.path.starts_with("config/"), "{} uses directories", f.path);
            users += 1;
        }
    }
    assert!(users > 0, "the check looks for the right string");
}

/// bollard's `Docker` can write anything; inside the Docker backend it reaches readers
/// too, so the type system alone does not keep its writing calls behind the `Writer`.
/// They may appear only in the files whose every entry point takes one.
#[test]
fn bollard_writes_only_where_a_writer_is_held() {
    const WRITES: [&str; 22] = [
        "delete_service",
        "update_service",
        "create_service",
        "remove_network",
        "create_network",
        "delete_secret",
        "create_secret",
        "delete_config",
        "create_config",
        "update_node",
        "delete_node",
        "remove_container",
        "start_container",
        "stop_container",
        "kill_container",
        "restart_container",
        "create_exec",
        "start_exec",
        "init_swarm",
        "join_swarm",
        "leave_swarm",
        "update_swarm",
    ];
    const WRITER_FILES: [&str; 3] = [
        "backend/swarm/writer.rs",
        "backend/swarm/stack_rm.rs",
        "backend/swarm/create.rs",
    ];
    let mut seen = 0;
    for f in src() {
        // Doc comments show the calls that must not compile.
        let code: String = f
            .code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for call in WRITES {
            if code.contains(&format!(".{call}(")) {
                assert!(
                    WRITER_FILES.contains(&f.path.as_str()),
                    "{} calls bollard's {call} without holding a Writer",
                    f.path
                );
                seen += 1;
            }
        }
    }
    for f in WRITER_FILES {
        let code =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(f)).unwrap();
        assert!(code.contains("Writer"), "{f} takes a Writer");
    }
    assert!(seen >= 4, "the writer's own calls are found ({seen})");
}

/// The kube crate itself (and k8s-openapi), not labdeck's `backend::kube`: a path
/// starting with it, not inside another path.
fn uses_crate(code: &str, krate: &str) -> bool {
    let b = code.as_bytes();
    // labdeck's own `kube` modules (`kube::ENTRY`) have none of these.
    const ITEMS: [&str; 11] = [
        "api",
        "Api",
        "Client",
        "Config",
        "runtime",
        "config::Kube",
        "discovery",
        "core",
        "Error",
        "Resource",
        "{",
    ];
    code.match_indices(&format!("{krate}::")).any(|(i, m)| {
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        let rest = &code[i + m.len()..];
        let item = krate != "kube" || ITEMS.iter().any(|x| rest.starts_with(x));
        item && prev != b':' && !prev.is_ascii_alphanumeric() && prev != b'_'
    })
}

#[test]
fn kube_only_in_the_kubernetes_backend() {
    let mut users = 0;
    for f in src() {
        for krate in ["kube", "k8s_openapi"] {
            if uses_crate(&f.code, krate) {
                assert!(
                    f.path.starts_with("backend/kube/"),
                    "{} uses {krate}",
                    f.path
                );
                users += 1;
            }
        }
    }
    assert!(!uses_crate("crate::backend::kube::conn", "kube"));
    assert!(!uses_crate("(\"kube\", kube::collect)", "kube"));
    assert!(uses_crate("use kube::api::Api;", "kube"));
    assert!(users > 3, "the check looks for the right string ({users})");
}

/// The kube client can write anything, and inside the Kubernetes backend readers hold
/// one too: its writing calls may appear only where a `Writer` is held (the writer and
/// its exec and port-forward parts),
/// and the access reviews' `create` (which asks, and changes nothing) in access.rs.
#[test]
fn kube_writes_only_where_a_writer_is_held() {
    const WRITES: [&str; 16] = [
        "patch",
        "patch_scale",
        "patch_status",
        "patch_metadata",
        "patch_subresource",
        "replace",
        "replace_scale",
        "replace_status",
        "delete",
        "delete_collection",
        "evict",
        "create",
        "create_subresource",
        "exec",
        "attach",
        "portforward",
    ];
    // exec.rs and forward.rs are `impl KubeWriter`: they hold the writer too.
    const WRITER_FILES: [&str; 3] = [
        "backend/kube/writer.rs",
        "backend/kube/exec.rs",
        "backend/kube/forward.rs",
    ];
    const REVIEWS: &str = "backend/kube/access.rs";
    let mut seen = 0;
    for f in src() {
        if !f.path.starts_with("backend/kube/") {
            continue;
        }
        let code: String = f
            .code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for call in WRITES {
            if code.contains(&format!(".{call}(")) {
                let reviews = f.path == REVIEWS && call == "create";
                assert!(
                    reviews || WRITER_FILES.contains(&f.path.as_str()),
                    "{} calls kube's {call} without holding a Writer",
                    f.path
                );
                seen += 1;
            }
        }
    }
    for f in WRITER_FILES {
        let code =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(f)).unwrap();
        // The writer is made from a Writer; its other parts only extend it.
        let held = code.contains("_w: &Writer") || code.contains("impl KubeWriter {");
        assert!(
            held,
            "{f} is made from a Writer or extends the writer made from one"
        );
    }
    assert!(seen >= 5, "the writer's own calls are found ({seen})");
}

/// The layers' arrows run one way: `labdeck status` (cli) and the TUI runtime (app)
/// sit side by side over the backends; the renderer (ui) reads the app's state; the
/// terminal (term) knows neither. Nothing reads back up.
#[test]
fn layers_point_one_way() {
    const MAY_NOT: &[(&str, &[&str])] = &[
        ("cli/", &["crate::app", "crate::ui", "ratatui", "crossterm"]),
        ("app/", &["crate::ui", "crate::cli"]),
        ("ui/", &["crate::backend", "crate::cli"]),
        ("term/", &["crate::app", "crate::ui", "crate::cli"]),
    ];
    let files = src();
    for (dir, banned) in MAY_NOT {
        let mine: Vec<&File> = files.iter().filter(|f| f.path.starts_with(dir)).collect();
        assert!(!mine.is_empty(), "{dir} has files");
        for f in mine {
            for b in *banned {
                assert!(!f.code.contains(b), "{} uses {b}", f.path);
            }
        }
    }
}
