//! The short forms of ports (`8080:80/udp`, `9000-9001:9000-9001`) and volumes
//! (`./data:/data:ro`, `cache:/cache:nocopy`), as the CLI spells them out.

use serde_json::{Value, json};
use std::path::Path;

/// A port as the Engine takes it.
pub fn port(short: &str) -> Result<Vec<Value>, String> {
    let (spec, protocol) = match short.rsplit_once('/') {
        Some((s, p)) => (s, p.to_ascii_lowercase()),
        None => (short, "tcp".to_string()),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("{short:?}: unknown protocol {protocol:?}"));
    }
    let parts: Vec<&str> = spec.split(':').collect();
    let (published, target) = match parts.as_slice() {
        [target] => (None, *target),
        [published, target] => (Some(*published), *target),
        [_, _, _] => {
            return Err(format!(
                "{short:?}: a host address cannot be set in a swarm"
            ));
        }
        _ => return Err(format!("{short:?} is not a port")),
    };
    let targets = range(target).ok_or_else(|| format!("{short:?}: bad port {target:?}"))?;
    let published = match published {
        None | Some("") => None,
        Some(p) => Some(range(p).ok_or_else(|| format!("{short:?}: bad port {p:?}"))?),
    };
    if let Some(p) = &published
        && p.len() != targets.len()
    {
        return Err(format!("{short:?}: the two ranges differ in length"));
    }
    Ok(targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut port = json!({"Protocol": protocol, "TargetPort": t, "PublishMode": "ingress"});
            if let Some(p) = &published {
                port["PublishedPort"] = json!(p[i]);
            }
            port
        })
        .collect())
}

fn range(s: &str) -> Option<Vec<u16>> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u16, u16) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then(|| (a..=b).collect())
}

/// A volume's short form as the long form's fields (`type`, `source`, `target`,
/// `read_only`, and options), relative binds made whole against `dir`.
pub fn volume(short: &str, dir: &Path) -> Result<Value, String> {
    let parts: Vec<&str> = short.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [t] => ("", *t, ""),
        [s, t] => (*s, *t, ""),
        [s, t, m] => (*s, *t, *m),
        _ => return Err(format!("{short:?} is not a volume (source:target[:mode])")),
    };
    if target.is_empty() {
        return Err(format!("{short:?}: no target"));
    }
    let bind = source.starts_with(['.', '/', '~']);
    let mut v = json!({
        "type": if bind { "bind" } else { "volume" },
        "target": target,
    });
    if !source.is_empty() {
        v["source"] = json!(if bind {
            bind_source(source, dir)
        } else {
            source.to_string()
        });
    }
    for option in mode.split(',').filter(|o| !o.is_empty()) {
        match option {
            "ro" => v["read_only"] = json!(true),
            "rw" => v["read_only"] = json!(false),
            "nocopy" if !bind => v["volume"] = json!({"nocopy": true}),
            "z" | "Z" => {}
            "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" if bind => {
                v["bind"] = json!({"propagation": option});
            }
            "consistent" | "cached" | "delegated" => v["consistency"] = json!(option),
            other => return Err(format!("{short:?}: unknown volume option {other:?}")),
        }
    }
    Ok(v)
}

/// A bind's source: `./x` against the compose file's folder, `~` the home folder.
pub fn bind_source(source: &str, dir: &Path) -> String {
    if let Some(rest) = source.strip_prefix('~') {
        let home = std::env::var("HOME").unwrap_or_default();
        return format!("{home}{rest}");
    }
    if source.starts_with('.') {
        return clean(&dir.join(source));
    }
    source.to_string()
}

/// A path without `.` and `..` parts, as Go's `filepath.Join` leaves it.
fn clean(p: &Path) -> String {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_spell_out_as_the_cli_spells_them() {
        assert_eq!(
            port("8080:80").unwrap(),
            [
                json!({"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"})
            ]
        );
        assert_eq!(
            port("53/UDP").unwrap(),
            [json!({"Protocol": "udp", "TargetPort": 53, "PublishMode": "ingress"})]
        );
        let r = port("9000-9001:8000-8001").unwrap();
        assert_eq!(
            (r[1]["PublishedPort"].clone(), r[1]["TargetPort"].clone()),
            (json!(9001), json!(8001))
        );
        for bad in [
            "x",
            "80:80/icmp",
            "1.2.3.4:80:80",
            "9000-9002:80-81",
            "70000",
            "",
        ] {
            assert!(port(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn volumes_spell_out_with_binds_made_whole() {
        let dir = Path::new("/srv/app");
        assert_eq!(
            volume("./data:/data:ro", dir).unwrap(),
            json!({"type": "bind", "source": "/srv/app/data", "target": "/data", "read_only": true})
        );
        assert_eq!(
            volume("../shared/x:/x", dir).unwrap()["source"],
            json!("/srv/shared/x")
        );
        assert_eq!(
            volume("cache:/cache:nocopy", dir).unwrap(),
            json!({"type": "volume", "source": "cache", "target": "/cache", "volume": {"nocopy": true}})
        );
        assert_eq!(
            volume("/scratch", dir).unwrap(),
            json!({"type": "volume", "target": "/scratch"})
        );
        assert!(volume("a:/b:bogus", dir).is_err());
        assert!(volume("a:b:c:d", dir).is_err());
    }
}
