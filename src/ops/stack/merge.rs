//! Several compose files as one, as `docker stack deploy -c a.yaml -c b.yaml` merges
//! them: a later file's service keys override, maps merge, lists of ports, mounts,
//! secrets and configs merge by what they attach (a later file's wins), other lists
//! append; a later file's network, volume, secret or config replaces the earlier one.

use super::tree::{Key, Node, Value};

pub fn merge_files(base: &mut Node, over: Node) {
    let Value::Map(entries) = over.value else {
        return;
    };
    for (k, v) in entries {
        match (k.name.as_str(), base.get_mut(&k.name)) {
            ("services", Some(services)) => {
                for (name, svc) in into_entries(v) {
                    match services.get_mut(&name.name) {
                        Some(existing) => merge_service(existing, svc),
                        None => push(services, name, svc),
                    }
                }
            }
            ("networks" | "volumes" | "secrets" | "configs", Some(defs)) => {
                for (name, def) in into_entries(v) {
                    match defs.get_mut(&name.name) {
                        Some(existing) => *existing = def,
                        None => push(defs, name, def),
                    }
                }
            }
            (_, Some(existing)) => *existing = v,
            (_, None) => push(base, k, v),
        }
    }
}

fn merge_service(base: &mut Node, over: Node) {
    for (k, v) in into_entries(over) {
        let Some(existing) = base.get_mut(&k.name) else {
            push(base, k, v);
            continue;
        };
        match k.name.as_str() {
            "command" | "entrypoint" => *existing = v,
            "environment" | "labels" | "sysctls" => merge_dict(existing, v, '='),
            "extra_hosts" => merge_dict(existing, v, ':'),
            "ports" => merge_keyed(existing, v, |n| format!("{:?}", n.value)),
            "volumes" => merge_keyed(existing, v, |n| attach_key(n, "target", mount_target)),
            "secrets" | "configs" => {
                merge_keyed(existing, v, |n| attach_key(n, "source", str::to_string))
            }
            _ => merge_any(existing, v),
        }
    }
}

/// Maps merge key by key, lists append, anything else is replaced.
fn merge_any(base: &mut Node, over: Node) {
    match (&mut base.value, over.value) {
        (Value::Map(_), Value::Map(entries)) => {
            for (k, v) in entries {
                match base.get_mut(&k.name) {
                    // A healthcheck's test is one command, not a list to extend.
                    Some(existing) if k.name == "test" => *existing = v,
                    Some(existing) => merge_any(existing, v),
                    None => push(base, k, v),
                }
            }
        }
        (Value::Seq(items), Value::Seq(more)) => items.extend(more),
        (_, value) => {
            *base = Node {
                line: over.line,
                value,
            }
        }
    }
}

/// Lists of `K=V` and maps alike, as a map, a later key winning.
fn merge_dict(base: &mut Node, over: Node, sep: char) {
    let line = base.line;
    let mut merged = as_map(std::mem::replace(base, Node::new(Value::Null)), sep);
    for (k, v) in as_map(over, sep) {
        match merged.iter_mut().find(|(x, _)| x.name == k.name) {
            Some((_, existing)) => *existing = v,
            None => merged.push((k, v)),
        }
    }
    *base = Node {
        line,
        value: Value::Map(merged),
    };
}

fn as_map(n: Node, sep: char) -> Vec<(Key, Node)> {
    match n.value {
        Value::Map(m) => m,
        Value::Seq(items) => items
            .into_iter()
            .map(|item| {
                let line = item.line;
                let text = item.as_str().map(str::to_string).unwrap_or_default();
                let (k, v) = match text.split_once(sep) {
                    Some((k, v)) => (k.to_string(), Value::Str(v.to_string())),
                    None => (text, Value::Null),
                };
                (Key { line, name: k }, Node { line, value: v })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn merge_keyed(base: &mut Node, over: Node, key: impl Fn(&Node) -> String) {
    let (Value::Seq(items), Value::Seq(more)) = (&mut base.value, over.value) else {
        return;
    };
    for item in more {
        let k = key(&item);
        match items.iter_mut().find(|x| key(x) == k) {
            Some(existing) => *existing = item,
            None => items.push(item),
        }
    }
}

/// What a list entry attaches: the map form's `field`, or the short form's part.
fn attach_key(n: &Node, field: &str, short: fn(&str) -> String) -> String {
    match (&n.value, n.get(field)) {
        (Value::Map(_), Some(v)) => v.as_str().unwrap_or_default().to_string(),
        _ => short(n.as_str().unwrap_or_default()),
    }
}

/// `src:/data:ro` attaches at `/data`; `/data` alone at itself.
fn mount_target(short: &str) -> String {
    let parts: Vec<&str> = short.split(':').collect();
    match parts.as_slice() {
        [target] | [_, target] | [_, target, _] => target.to_string(),
        _ => short.to_string(),
    }
}

fn into_entries(n: Node) -> Vec<(Key, Node)> {
    match n.value {
        Value::Map(m) => m,
        _ => Vec::new(),
    }
}

fn push(map: &mut Node, k: Key, v: Node) {
    if let Value::Map(m) = &mut map.value {
        m.push((k, v));
    } else {
        *map = Node {
            line: k.line,
            value: Value::Map(vec![(k, v)]),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::stack::tree::parse;

    #[test]
    fn a_later_file_overrides_merges_and_appends_as_the_cli_does() {
        let mut a = parse(
            "services:\n  web:\n    image: a\n    command: [x, y]\n    environment: [A=1, B=2]\n    \
             ports: [\"80:80\"]\n    volumes: [\"d:/data\", \"/cache\"]\n    dns: [1.1.1.1]\n    \
             deploy: {replicas: 1, labels: {l: 1}}\n    healthcheck: {test: [CMD, a], retries: 2}\n\
             networks:\n  n: {driver: overlay, attachable: true}\n",
        )
        .unwrap();
        let b = parse(
            "services:\n  web:\n    image: b\n    command: [z]\n    environment: {B: 3, C: 4}\n    \
             ports: [\"443:443\"]\n    volumes: [\"e:/data:ro\"]\n    dns: [8.8.8.8]\n    \
             deploy: {replicas: 3}\n    healthcheck: {test: [CMD, b]}\n  db:\n    image: pg\n\
             networks:\n  n: {driver: bridge}\n",
        )
        .unwrap();
        merge_files(&mut a, b);
        let web = a.get("services").unwrap().get("web").unwrap();
        let j = web.to_json();
        assert_eq!(j["image"], "b");
        assert_eq!(j["command"], serde_json::json!(["z"]));
        assert_eq!(
            j["environment"],
            serde_json::json!({"A": "1", "B": 3, "C": 4})
        );
        assert_eq!(j["ports"], serde_json::json!(["80:80", "443:443"]));
        assert_eq!(j["volumes"], serde_json::json!(["e:/data:ro", "/cache"]));
        assert_eq!(j["dns"], serde_json::json!(["1.1.1.1", "8.8.8.8"]));
        assert_eq!(
            j["deploy"],
            serde_json::json!({"replicas": 3, "labels": {"l": 1}})
        );
        assert_eq!(
            j["healthcheck"],
            serde_json::json!({"test": ["CMD", "b"], "retries": 2})
        );
        assert!(a.get("services").unwrap().get("db").is_some());
        assert_eq!(
            a.get("networks").unwrap().to_json(),
            serde_json::json!({"n": {"driver": "bridge"}}),
            "a network is replaced whole"
        );
    }
}
