//! Which compose keys a stack may use. Nothing is dropped without a word: a key the
//! docker CLI ignores in a stack is ignored with a warning, as the CLI does; a key
//! Swarm could honour that labdeck does not is an error; an unknown key is an error.
//! Each names the key, the file and the line. `x-` keys are the user's own.

use super::tree::{Node, Value};

#[derive(Debug, Clone, Copy)]
enum Shape {
    /// A scalar, or a list or map whose inner keys are free (environment, labels).
    Leaf,
    /// A map of these keys.
    Fields(&'static [Field]),
    /// A map of free names, each value of this shape (services, networks).
    Named(&'static Shape),
    /// A list whose map elements have this shape (ports, volumes, secrets).
    List(&'static Shape),
}

#[derive(Debug, Clone, Copy)]
enum Support {
    Yes,
    /// The CLI ignores it in a stack, and says so: so does labdeck.
    Ignored,
    /// Swarm could honour it; labdeck does not (yet).
    No,
}

#[derive(Debug, Clone, Copy)]
struct Field(&'static str, Support, Shape);

const fn yes(name: &'static str) -> Field {
    Field(name, Support::Yes, Shape::Leaf)
}

const fn with(name: &'static str, shape: Shape) -> Field {
    Field(name, Support::Yes, shape)
}

const fn ignored(name: &'static str) -> Field {
    Field(name, Support::Ignored, Shape::Leaf)
}

const fn no(name: &'static str) -> Field {
    Field(name, Support::No, Shape::Leaf)
}

const FILE: &[Field] = &[
    yes("version"),
    with("services", Shape::Named(&Shape::Fields(SERVICE))),
    with("networks", Shape::Named(&Shape::Fields(NETWORK))),
    with("volumes", Shape::Named(&Shape::Fields(VOLUME))),
    with("secrets", Shape::Named(&Shape::Fields(OBJECT))),
    with("configs", Shape::Named(&Shape::Fields(OBJECT))),
];

const SERVICE: &[Field] = &[
    yes("image"),
    yes("command"),
    yes("entrypoint"),
    yes("environment"),
    yes("env_file"),
    with("secrets", Shape::List(&Shape::Fields(FILE_REF))),
    with("configs", Shape::List(&Shape::Fields(FILE_REF))),
    with("networks", Shape::Named(&Shape::Fields(SERVICE_NETWORK))),
    with("ports", Shape::List(&Shape::Fields(PORT))),
    with("volumes", Shape::List(&Shape::Fields(MOUNT))),
    with("deploy", Shape::Fields(DEPLOY)),
    with("healthcheck", Shape::Fields(HEALTHCHECK)),
    yes("labels"),
    yes("user"),
    yes("working_dir"),
    yes("hostname"),
    yes("extra_hosts"),
    yes("stop_grace_period"),
    yes("stop_signal"),
    with("logging", Shape::Fields(LOGGING)),
    yes("cap_add"),
    yes("cap_drop"),
    yes("sysctls"),
    with("ulimits", Shape::Named(&Shape::Fields(ULIMIT))),
    yes("init"),
    yes("read_only"),
    yes("tty"),
    yes("stdin_open"),
    yes("dns"),
    yes("dns_search"),
    yes("dns_opt"),
    // What the CLI reads from a compose file and leaves out of a stack.
    ignored("build"),
    ignored("cgroup_parent"),
    ignored("cgroupns_mode"),
    ignored("container_name"),
    ignored("depends_on"),
    ignored("devices"),
    ignored("domainname"),
    ignored("expose"),
    ignored("external_links"),
    ignored("ipc"),
    ignored("links"),
    ignored("mac_address"),
    ignored("network_mode"),
    ignored("pid"),
    ignored("privileged"),
    ignored("restart"),
    ignored("security_opt"),
    ignored("shm_size"),
    ignored("userns_mode"),
    // Swarm honours these; labdeck does not yet.
    no("credential_spec"),
    no("isolation"),
    no("oom_score_adj"),
    no("tmpfs"),
];

const FILE_REF: &[Field] = &[
    yes("source"),
    yes("target"),
    yes("uid"),
    yes("gid"),
    yes("mode"),
];

const SERVICE_NETWORK: &[Field] = &[
    yes("aliases"),
    yes("driver_opts"),
    no("ipv4_address"),
    no("ipv6_address"),
];

const PORT: &[Field] = &[
    yes("target"),
    yes("published"),
    yes("protocol"),
    yes("mode"),
];

const MOUNT: &[Field] = &[
    yes("type"),
    yes("source"),
    yes("target"),
    yes("read_only"),
    yes("consistency"),
    with("bind", Shape::Fields(&[yes("propagation")])),
    with("volume", Shape::Fields(&[yes("nocopy")])),
    with("tmpfs", Shape::Fields(&[yes("size"), yes("mode")])),
];

const DEPLOY: &[Field] = &[
    yes("mode"),
    yes("replicas"),
    yes("labels"),
    yes("endpoint_mode"),
    with("placement", Shape::Fields(PLACEMENT)),
    with("resources", Shape::Fields(RESOURCES)),
    with("restart_policy", Shape::Fields(RESTART)),
    with("update_config", Shape::Fields(UPDATE)),
    with("rollback_config", Shape::Fields(UPDATE)),
];

const PLACEMENT: &[Field] = &[
    yes("constraints"),
    with("preferences", Shape::List(&Shape::Fields(&[yes("spread")]))),
    yes("max_replicas_per_node"),
];

const RESOURCES: &[Field] = &[
    with(
        "limits",
        Shape::Fields(&[yes("cpus"), yes("memory"), yes("pids")]),
    ),
    with(
        "reservations",
        Shape::Fields(&[
            yes("cpus"),
            yes("memory"),
            no("generic_resources"),
            no("devices"),
        ]),
    ),
];

const RESTART: &[Field] = &[
    yes("condition"),
    yes("delay"),
    yes("max_attempts"),
    yes("window"),
];

const UPDATE: &[Field] = &[
    yes("parallelism"),
    yes("delay"),
    yes("failure_action"),
    yes("monitor"),
    yes("max_failure_ratio"),
    yes("order"),
];

const HEALTHCHECK: &[Field] = &[
    yes("test"),
    yes("interval"),
    yes("timeout"),
    yes("retries"),
    yes("start_period"),
    yes("start_interval"),
    yes("disable"),
];

const LOGGING: &[Field] = &[yes("driver"), yes("options")];

const ULIMIT: &[Field] = &[yes("soft"), yes("hard")];

const NETWORK: &[Field] = &[
    yes("driver"),
    yes("driver_opts"),
    yes("external"),
    yes("name"),
    yes("attachable"),
    yes("internal"),
    yes("labels"),
    with(
        "ipam",
        Shape::Fields(&[
            yes("driver"),
            with("config", Shape::List(&Shape::Fields(&[yes("subnet")]))),
        ]),
    ),
    no("enable_ipv6"),
];

const VOLUME: &[Field] = &[
    yes("driver"),
    yes("driver_opts"),
    yes("external"),
    yes("name"),
    yes("labels"),
];

const OBJECT: &[Field] = &[
    yes("file"),
    yes("external"),
    yes("name"),
    yes("labels"),
    no("driver"),
    no("template_driver"),
];

/// What the keys of one file say: warnings, and errors (each `file:line: ...`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Findings {
    pub warnings: Vec<String>,
    pub errors: Vec<String>,
}

/// Check every key of a compose file (`file` names it in the messages).
pub fn check(root: &Node, file: &str) -> Findings {
    let mut f = Findings::default();
    if !matches!(root.value, Value::Map(_)) {
        f.errors.push(format!(
            "{file}:{}: a compose file is a map of keys",
            root.line
        ));
        return f;
    }
    walk(root, Shape::Fields(FILE), "", file, &mut f);
    f
}

fn walk(node: &Node, shape: Shape, path: &str, file: &str, f: &mut Findings) {
    let join = |k: &str| match path {
        "" => k.to_string(),
        p => format!("{p}.{k}"),
    };
    match (shape, &node.value) {
        (Shape::Fields(fields), Value::Map(entries)) => {
            for (k, v) in entries {
                if k.name.starts_with("x-") {
                    continue;
                }
                let at = format!("{file}:{}: {}", k.line, join(&k.name));
                match fields.iter().find(|x| x.0 == k.name) {
                    None => f.errors.push(format!("{at}: not a compose key")),
                    Some(Field(_, Support::No, _)) => f.errors.push(format!(
                        "{at}: Swarm can do this, but labdeck does not support it yet"
                    )),
                    // The CLI says it ignores `restart`, yet reads it as the restart
                    // policy when `deploy.restart_policy` is absent: so does labdeck.
                    Some(Field("restart", ..)) => f.warnings.push(format!(
                        "{at}: read only as the restart policy when deploy.restart_policy is \
                         absent, as docker stack deploy reads it"
                    )),
                    Some(Field(_, Support::Ignored, _)) => f
                        .warnings
                        .push(format!("{at}: ignored, as docker stack deploy ignores it")),
                    Some(Field(_, Support::Yes, inner)) => walk(v, *inner, &join(&k.name), file, f),
                }
            }
        }
        (Shape::Named(inner), Value::Map(entries)) => {
            for (k, v) in entries {
                if path.is_empty() || !k.name.starts_with("x-") {
                    walk(v, *inner, &join(&k.name), file, f);
                }
            }
        }
        (Shape::List(inner), Value::Seq(items)) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, *inner, &format!("{path}[{i}]"), file, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::stack::tree::parse;

    #[test]
    fn every_key_is_known_ignored_with_a_word_or_refused_with_its_line() {
        let text = "\
services:
  web:
    image: nginx
    restart: always
    x-mine: 1
    deploy:
      resources:
        reservations:
          generic_resources: []
      replicaz: 2
    ports:
      - target: 80
        host_ip: 0.0.0.0
    isolation: hyperv
networks:
  n:
    enable_ipv6: true
x-anchors:
  anything: goes
";
        let f = check(&parse(text).unwrap(), "app.yaml");
        assert_eq!(
            f.warnings,
            [
                "app.yaml:4: services.web.restart: read only as the restart policy when \
              deploy.restart_policy is absent, as docker stack deploy reads it"
            ]
        );
        assert_eq!(
            f.errors,
            [
                "app.yaml:9: services.web.deploy.resources.reservations.generic_resources: \
                 Swarm can do this, but labdeck does not support it yet",
                "app.yaml:10: services.web.deploy.replicaz: not a compose key",
                "app.yaml:13: services.web.ports[0].host_ip: not a compose key",
                "app.yaml:14: services.web.isolation: Swarm can do this, but labdeck does not \
                 support it yet",
                "app.yaml:17: networks.n.enable_ipv6: Swarm can do this, but labdeck does not \
                 support it yet",
            ]
        );
    }

    #[test]
    fn short_forms_and_free_maps_pass() {
        let text = "\
services:
  web:
    image: nginx
    environment: {ANY_NAME: 1}
    labels: [a=b]
    ports: [\"80:80\"]
    networks: [front]
    secrets: [s]
    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 3}
";
        assert_eq!(check(&parse(text).unwrap(), "f"), Findings::default());
        assert_eq!(check(&parse("- a").unwrap(), "f").errors.len(), 1);
    }
}
