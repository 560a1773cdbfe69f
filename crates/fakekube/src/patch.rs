//! The patch types a client sends: JSON merge patch (RFC 7386), JSON patch
//! (RFC 6902), strategic merge patch for built-in kinds, and server-side
//! apply, whose intent this fake approximates as a merge.

use serde_json::Value;

use crate::resources::ResourceDef;
use crate::status::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchKind {
    Merge,
    Strategic,
    Json,
    Apply,
}

pub fn kind_from_content_type(ct: &str, d: &ResourceDef) -> Result<PatchKind, ApiError> {
    let base = ct.split(';').next().unwrap_or_default().trim();
    let unsupported = || {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{}",
                if d.crd.is_none() {
                    ", application/strategic-merge-patch+json"
                } else {
                    ""
                }
            ),
        )
    };
    match base {
        "application/merge-patch+json" => Ok(PatchKind::Merge),
        "application/json-patch+json" => Ok(PatchKind::Json),
        "application/apply-patch+yaml" => Ok(PatchKind::Apply),
        // Custom resources have no patch strategy, so the real server
        // refuses strategic merge for them.
        "application/strategic-merge-patch+json" if d.crd.is_none() => Ok(PatchKind::Strategic),
        _ => Err(unsupported()),
    }
}

pub fn apply(kind: PatchKind, target: &Value, body: &[u8]) -> Result<Value, ApiError> {
    let bad =
        |e: &dyn std::fmt::Display| ApiError::bad_request(format!("error decoding patch: {e}"));
    let mut doc = target.clone();
    match kind {
        PatchKind::Merge | PatchKind::Apply => {
            let p: Value = serde_json::from_slice(body).map_err(|e| bad(&e))?;
            json_patch::merge(&mut doc, &p);
        }
        PatchKind::Strategic => {
            let p: Value = serde_json::from_slice(body).map_err(|e| bad(&e))?;
            strategic_merge(&mut doc, &p);
        }
        PatchKind::Json => {
            let p: json_patch::Patch = serde_json::from_slice(body).map_err(|e| bad(&e))?;
            json_patch::patch(&mut doc, &p).map_err(|e| {
                ApiError::new(
                    422,
                    "Invalid",
                    format!("the server rejected our request due to an error in our request: {e}"),
                )
            })?;
        }
    }
    Ok(doc)
}

/// Merge patch, except that lists of objects keyed by `name` (containers,
/// env, ports, volumes) merge item by item, the patch strategy the built-in
/// kinds declare for them; `$patch: delete` on such an item removes it.
fn strategic_merge(doc: &mut Value, patch: &Value) {
    match (doc, patch) {
        (Value::Object(d), Value::Object(p)) => {
            for (k, pv) in p {
                if k.starts_with("$") {
                    continue;
                }
                if pv.is_null() {
                    d.remove(k);
                    continue;
                }
                match d.get_mut(k) {
                    Some(dv) => strategic_merge(dv, pv),
                    None => {
                        let mut fresh = Value::Null;
                        strategic_merge(&mut fresh, pv);
                        d.insert(k.clone(), fresh);
                    }
                }
            }
        }
        (Value::Array(d), Value::Array(p)) if keyed(d) && keyed(p) => {
            for item in p {
                let name = item["name"].clone();
                let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                match d.iter().position(|x| x["name"] == name) {
                    Some(i) if delete => {
                        d.remove(i);
                    }
                    Some(i) => strategic_merge(&mut d[i], item),
                    None if delete => {}
                    None => {
                        let mut fresh = Value::Null;
                        strategic_merge(&mut fresh, item);
                        d.push(fresh);
                    }
                }
            }
        }
        (d, p) => {
            // Non-objects replace; objects onto non-objects start empty.
            if p.is_object() {
                *d = Value::Object(Default::default());
                strategic_merge(d, p);
            } else {
                *d = p.clone();
            }
        }
    }
}

fn keyed(items: &[Value]) -> bool {
    items
        .iter()
        .all(|i| i.get("name").is_some_and(Value::is_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merges_containers_by_name() {
        let mut d = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}], "paused": true}});
        strategic_merge(
            &mut d,
            &json!({"spec": {"containers": [{"name": "b", "image": "z"}], "paused": null, "replicas": 2}}),
        );
        assert_eq!(
            d,
            json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "z"}], "replicas": 2}})
        );
    }

    #[test]
    fn json_patch_errors_are_invalid() {
        let target = json!({"spec": {}});
        let e = apply(
            PatchKind::Json,
            &target,
            br#"[{"op":"remove","path":"/spec/x"}]"#,
        )
        .unwrap_err();
        assert_eq!(e.code, 422);
        let ok = apply(
            PatchKind::Json,
            &target,
            br#"[{"op":"add","path":"/spec/x","value":1}]"#,
        )
        .unwrap();
        assert_eq!(ok["spec"]["x"], 1);
    }
}
