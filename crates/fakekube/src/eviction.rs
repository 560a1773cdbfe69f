//! Two subresources that act on other objects: `scale` (autoscaling/v1 Scale
//! over a workload's spec.replicas) and pod `eviction`, which honours
//! PodDisruptionBudgets as the API server does.

use serde_json::{Value, json};

use crate::api::Ctx;
use crate::lock;
use crate::patch;
use crate::resources;
use crate::selectors::LabelSelector;
use crate::status::{ApiError, success};
use crate::store::{Part, Store, meta_mut, name_of};

type Answer = Result<(u16, Value), ApiError>;

fn to_scale(obj: &Value) -> Value {
    let selector = obj
        .pointer("/spec/selector")
        .and_then(|s| LabelSelector::from_spec(s).ok())
        .map(|s| s.to_query())
        .unwrap_or_default();
    let m = &obj["metadata"];
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": m["name"],
            "namespace": m["namespace"],
            "uid": m["uid"],
            "resourceVersion": m["resourceVersion"],
            "creationTimestamp": m["creationTimestamp"],
        },
        "spec": {"replicas": obj.pointer("/spec/replicas").cloned().unwrap_or(json!(1))},
        "status": {
            "replicas": obj.pointer("/status/replicas").cloned().unwrap_or(json!(0)),
            "selector": selector,
        }
    })
}

pub fn scale(ctx: &Ctx, body: &[u8]) -> Answer {
    let mut s = lock(&ctx.shared.store);
    let ns = ctx.info.namespace.as_str();
    let name = ctx.info.name.as_str();
    let current = s
        .get(ctx.def, ns, name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(ctx.def, name))?;
    let scale_now = to_scale(&current);
    let wanted = match ctx.info.verb.as_str() {
        "get" => return Ok((200, scale_now)),
        "update" => serde_json::from_slice::<Value>(body)
            .map_err(|e| ApiError::bad_request(e.to_string()))?,
        _ => {
            let kind = patch::kind_from_content_type(&ctx.content_type, ctx.def)?;
            patch::apply(kind, &scale_now, body)?
        }
    };
    let replicas = wanted
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .filter(|r| *r >= 0)
        .ok_or_else(|| {
            ApiError::new(422, "Invalid", format!("Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0"))
        })?;
    let mut next = current.clone();
    next["spec"]["replicas"] = json!(replicas);
    // A Scale carrying a resourceVersion must match the workload's.
    let rv = wanted
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    meta_mut(&mut next).insert("resourceVersion".into(), json!(rv));
    let updated = s.update(ctx.def, ns, name, next, Part::Main)?;
    Ok((200, to_scale(&updated)))
}

fn ready(pod: &Value) -> bool {
    pod.pointer("/metadata/deletionTimestamp").is_none()
        && pod.pointer("/status/phase").and_then(Value::as_str) == Some("Running")
        && pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            })
}

/// An IntOrString count (`2` or `"50%"`) of `total`; percentages round up
/// as the disruption controller rounds minAvailable.
fn count(v: &Value, total: usize) -> Option<usize> {
    match v {
        Value::Number(n) => n.as_u64().map(|n| n as usize),
        Value::String(s) => match s.strip_suffix('%') {
            Some(p) => p.parse::<usize>().ok().map(|p| (p * total).div_ceil(100)),
            None => s.parse().ok(),
        },
        _ => None,
    }
}

/// Healthy pods a budget needs, healthy ones it has, and pods it expects.
pub fn budget(store: &Store, pdb: &Value) -> Option<(usize, usize, usize)> {
    let pods_def = resources::by_name("pods")?;
    let ns = pdb.pointer("/metadata/namespace").and_then(Value::as_str)?;
    let sel = LabelSelector::from_spec(pdb.pointer("/spec/selector")?).ok()?;
    let matching: Vec<&Value> = store
        .iter(pods_def, Some(ns))
        .filter(|p| sel.matches_object(p))
        .collect();
    let expected = matching.len();
    let healthy = matching.iter().filter(|p| ready(p)).count();
    let desired = if let Some(m) = pdb.pointer("/spec/minAvailable") {
        count(m, expected)?
    } else if let Some(m) = pdb.pointer("/spec/maxUnavailable") {
        expected.saturating_sub(count(m, expected)?)
    } else {
        return None;
    };
    Some((desired, healthy, expected))
}

pub fn evict(ctx: &Ctx, body: &[u8]) -> Answer {
    let ev: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(e.to_string()))?
    };
    let ns = ctx.info.namespace.as_str();
    let name = ctx.info.name.as_str();
    if let Some(n) = ev.pointer("/metadata/name").and_then(Value::as_str)
        && n != name
    {
        return Err(ApiError::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let mut s = lock(&ctx.shared.store);
    let pod = s
        .get(ctx.def, ns, name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(ctx.def, name))?;
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Pods that are not running count against no budget.
    let guarded = !matches!(phase, "Succeeded" | "Failed" | "Pending") && ready(&pod);
    if guarded && let Some(pdbs) = resources::by_name("poddisruptionbudgets") {
        let matching: Vec<Value> = s
            .iter(pdbs, Some(ns))
            .filter(|b| {
                b.pointer("/spec/selector")
                    .and_then(|sel| LabelSelector::from_spec(sel).ok())
                    .is_some_and(|sel| !sel.is_empty() && sel.matches_object(&pod))
            })
            .cloned()
            .collect();
        if matching.len() > 1 {
            return Err(ApiError::new(
                500,
                "InternalError",
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
            ));
        }
        if let Some(pdb) = matching.first()
            && let Some((desired, healthy, _)) = budget(&s, pdb)
            && healthy <= desired
        {
            return Err(ApiError::new(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.")
                .with_details(json!({"causes": [{"reason": "DisruptionBudget", "message": format!("The disruption budget {} needs {desired} healthy pods and has {healthy} currently", name_of(pdb))}]})));
        }
    }
    if ctx.query.get("dryRun") != Some("All") && ev.pointer("/deleteOptions/dryRun").is_none() {
        s.delete(ctx.def, ns, name)?;
    }
    Ok((201, success(201)))
}
