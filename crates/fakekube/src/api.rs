//! Routing a request: authentication, the request log, authorization, and the
//! verbs on a collection or an object. Subresources live in their own files.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use base64::Engine;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Method, Request};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::policy::Attrs;
use crate::request::{self, Query, RequestInfo};
use crate::resources::{self, ResourceDef};
use crate::respond::{self, Resp};
use crate::selectors::{FieldSelector, LabelSelector};
use crate::status::ApiError;
use crate::store::{Key, Part};
use crate::{RequestRecord, Shared, discovery, lock, patch};

/// Everything a resource handler needs about the request.
pub struct Ctx {
    pub shared: Arc<Shared>,
    pub cancel: CancellationToken,
    pub tracker: TaskTracker,
    pub info: RequestInfo,
    pub def: &'static ResourceDef,
    pub query: Query,
    pub user: String,
    pub content_type: String,
    /// Client asked for metadata only (`as=PartialObjectMetadata`).
    pub meta_only: bool,
}

impl Ctx {
    /// Namespace for the store: "" for cluster-scoped kinds.
    pub fn ns(&self) -> &str {
        if self.def.namespaced {
            &self.info.namespace
        } else {
            ""
        }
    }
}

pub async fn handle(
    shared: Arc<Shared>,
    cancel: CancellationToken,
    tracker: TaskTracker,
    req: Request<Incoming>,
) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query_str = req.uri().query().unwrap_or_default().to_string();
    let query = Query::parse(&query_str);
    let header = |n: &str| {
        req.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type");
    let accept = header("accept").unwrap_or_default();
    let token = header("authorization")
        .and_then(|a| a.strip_prefix("Bearer ").map(|t| t.trim().to_string()));
    let user = token.and_then(|t| {
        lock(&shared.policy)
            .user_by_token(&t)
            .map(|u| u.name.clone())
    });
    let info = request::resolve(&method, &path, &query);
    lock(&shared.requests).push(RequestRecord {
        method: method.to_string(),
        path: path.clone(),
        query: query_str,
        content_type: content_type.clone(),
        user: user.clone(),
        verb: info.verb.clone(),
        resource: info.resource.clone(),
        subresource: info.subresource.clone(),
        namespace: info.namespace.clone(),
    });
    if shared.hang.load(Ordering::SeqCst) {
        cancel.cancelled().await;
        return respond::text(503, "stopping");
    }
    let Some(user) = user else {
        return respond::error(&ApiError::unauthorized());
    };
    if !info.is_resource {
        return non_resource(&shared, &method, &path, &info);
    }
    let crds = &shared.opts.crds;
    let Some(def) = resources::by_path(&info.group, &info.version, &info.resource, crds) else {
        return respond::error(&ApiError::no_route());
    };
    let namespaces_itself = info.group.is_empty() && info.resource == "namespaces";
    if !def.namespaced && !info.namespace.is_empty() && !namespaces_itself {
        return respond::error(&ApiError::no_route());
    }
    if !info.subresource.is_empty() && def.sub(&info.subresource).is_none() {
        return respond::error(&ApiError::no_route());
    }
    // Opening a stream into a pod needs `create` whatever the HTTP method,
    // as the API server authorizes websocket upgrades since 1.30.
    let authz_verb = if matches!(info.subresource.as_str(), "exec" | "attach" | "portforward") {
        "create".to_string()
    } else {
        info.verb.clone()
    };
    let attrs = Attrs {
        verb: authz_verb,
        group: info.group.clone(),
        resource: info.resource.clone(),
        subresource: info.subresource.clone(),
        namespace: if namespaces_itself && info.name.is_empty() {
            String::new()
        } else {
            info.namespace.clone()
        },
        name: info.name.clone(),
    };
    // Every authenticated user may ask what it may do (the system:basic-user
    // role grants the self reviews to all).
    if def.stored && !lock(&shared.policy).allowed(&user, &attrs) {
        let mut details = json!({"kind": info.resource});
        if !info.name.is_empty() {
            details["name"] = json!(info.name);
        }
        if !info.group.is_empty() {
            details["group"] = json!(info.group);
        }
        return respond::error(
            &ApiError::new(403, "Forbidden", attrs.forbidden_message(&user)).with_details(details),
        );
    }
    let ctx = Ctx {
        shared,
        cancel,
        tracker,
        def,
        query,
        user,
        content_type: content_type.unwrap_or_default(),
        meta_only: accept.contains("as=PartialObjectMetadata"),
        info,
    };
    match (method.clone(), ctx.info.subresource.as_str()) {
        (_, "exec") => return crate::exec::serve(&ctx, req).await,
        (_, "portforward") => return crate::portforward::serve(&ctx, req).await,
        (Method::GET, "log") => return crate::logs::serve(&ctx).await,
        _ => {}
    }
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return respond::error(&ApiError::bad_request("could not read the request body")),
    };
    let result = if !def.stored {
        review(&ctx, &method, &body)
    } else {
        match (
            method,
            ctx.info.subresource.as_str(),
            ctx.info.name.is_empty(),
        ) {
            (Method::GET, "", true) if ctx.query.flag("watch") => {
                return crate::watch::serve(&ctx).await;
            }
            (Method::GET, "", false) if ctx.query.flag("watch") => {
                return crate::watch::serve(&ctx).await;
            }
            (Method::GET, "", true) => list(&ctx),
            (Method::GET, "", false) => get(&ctx),
            (Method::POST, "", true) => create(&ctx, &body),
            (Method::PUT, "", false) => update(&ctx, &body, Part::Main),
            (Method::PATCH, "", false) => patch(&ctx, &body, Part::Main),
            (Method::DELETE, "", false) => delete(&ctx, &body),
            (Method::DELETE, "", true) => delete_collection(&ctx),
            (Method::GET, "status", false) => get(&ctx),
            (Method::PUT, "status", false) => update(&ctx, &body, Part::Status),
            (Method::PATCH, "status", false) => patch(&ctx, &body, Part::Status),
            (Method::GET | Method::PUT | Method::PATCH, "scale", false) => {
                crate::eviction::scale(&ctx, &body)
            }
            (Method::POST, "eviction", false) => crate::eviction::evict(&ctx, &body),
            _ => Err(ApiError::method_not_allowed()),
        }
    };
    match result {
        Ok((code, v)) => respond::json(code, &v),
        Err(e) => respond::error(&e),
    }
}

fn non_resource(shared: &Shared, method: &Method, path: &str, info: &RequestInfo) -> Resp {
    if *method != Method::GET {
        return respond::error(&ApiError::method_not_allowed());
    }
    let crds = &shared.opts.crds;
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let doc = match segs.as_slice() {
        ["version"] => Some(discovery::version()),
        ["api"] => Some(discovery::core_versions(&shared.addr.to_string())),
        ["apis"] => Some(discovery::group_list(crds)),
        ["apis", g] => discovery::group(g, crds),
        ["api", v] | ["apis", _, v] if info.parts.is_empty() => {
            discovery::resource_list(&info.group, v, crds)
        }
        ["healthz" | "livez" | "readyz"] => return respond::text(200, "ok"),
        _ => None,
    };
    match doc {
        Some(d) => respond::json(200, &d),
        None => respond::text(404, "404 page not found\n"),
    }
}

type Answer = Result<(u16, Value), ApiError>;

/// An object as this request's group/version serves it.
pub fn present(ctx: &Ctx, mut obj: Value) -> Value {
    if ctx.meta_only {
        return json!({
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj["metadata"].take(),
        });
    }
    obj["apiVersion"] = json!(ctx.def.api_version());
    obj
}

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding the body: {e}")))
}

pub fn selectors(ctx: &Ctx) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let label = LabelSelector::parse(ctx.query.get("labelSelector").unwrap_or_default())
        .map_err(ApiError::bad_request)?;
    let field = FieldSelector::parse(ctx.query.get("fieldSelector").unwrap_or_default(), ctx.def)
        .map_err(ApiError::bad_request)?;
    Ok((label, field))
}

fn get(ctx: &Ctx) -> Answer {
    let s = lock(&ctx.shared.store);
    let obj = s
        .get(ctx.def, ctx.ns(), &ctx.info.name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(ctx.def, &ctx.info.name))?;
    Ok((200, present(ctx, obj)))
}

/// The continue token: the list's revision and the last key returned, so a
/// continued list reads the same snapshot.
fn encode_continue(rv: u64, key: &Key) -> String {
    let raw = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": format!("{}/{}", key.0, key.1)});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.to_string())
}

fn decode_continue(tok: &str) -> Result<(u64, Key), ApiError> {
    let bad = || {
        ApiError::bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        )
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(tok)
        .map_err(|_| bad())?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    let rv = v["rv"].as_u64().ok_or_else(bad)?;
    let (ns, name) = v["start"]
        .as_str()
        .and_then(|s| s.split_once('/'))
        .ok_or_else(bad)?;
    Ok((rv, (ns.to_string(), name.to_string())))
}

/// The revision a list reads, from `resourceVersion` and `resourceVersionMatch`.
fn list_revision(ctx: &Ctx, current: u64, compacted: u64) -> Result<u64, ApiError> {
    let rv = ctx.query.get("resourceVersion").unwrap_or_default();
    let exact = ctx.query.get("resourceVersionMatch") == Some("Exact");
    if rv.is_empty() || rv == "0" {
        if exact {
            return Err(ApiError::new(
                422,
                "Invalid",
                "resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"",
            ));
        }
        return Ok(current);
    }
    let n: u64 = rv.parse().map_err(|_| {
        ApiError::new(
            422,
            "Invalid",
            format!("resourceVersion: Invalid value: \"{rv}\": must be a valid resource version"),
        )
    })?;
    if n > current {
        return Err(ApiError::new(504, "Timeout", format!("Too large resource version: {n}, current: {current}"))
            .with_details(json!({"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}], "retryAfterSeconds": 1})));
    }
    if exact {
        if n < compacted {
            return Err(ApiError::expired(
                "The resourceVersion for the provided list is too old.",
            ));
        }
        return Ok(n);
    }
    Ok(current)
}

fn list(ctx: &Ctx) -> Answer {
    let (label, field) = selectors(ctx)?;
    let limit: usize = ctx
        .query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let s = lock(&ctx.shared.store);
    let (at, after) = match ctx.query.get("continue").filter(|c| !c.is_empty()) {
        Some(tok) => {
            let (rv, key) = decode_continue(tok)?;
            if rv < s.compacted() {
                return Err(ApiError::expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to get a consistent list.",
                ));
            }
            (rv, Some(key))
        }
        None => (list_revision(ctx, s.rv(), s.compacted())?, None),
    };
    let ns = (ctx.def.namespaced && !ctx.info.namespace.is_empty())
        .then_some(ctx.info.namespace.as_str());
    let filtered = !label.is_empty() || !field.is_empty();
    let mut items = Vec::new();
    let mut last: Option<Key> = None;
    let mut remaining = 0usize;
    let r = s.for_each_at(ctx.def, ns, at, after.as_ref(), |k, v| {
        if !(label.matches_object(v) && field.matches(v)) {
            return true;
        }
        if limit == 0 || items.len() < limit {
            items.push(item(ctx, v.clone()));
            last = Some(k.clone());
            true
        } else {
            remaining += 1;
            // With selectors the server cannot count what is left cheaply;
            // it only knows there is more.
            !filtered
        }
    });
    if r.is_err() {
        return Err(ApiError::expired(
            "The resourceVersion for the provided list is too old.",
        ));
    }
    let mut meta = json!({"resourceVersion": at.to_string()});
    if remaining > 0
        && let Some(k) = &last
    {
        meta["continue"] = json!(encode_continue(at, k));
        if !filtered {
            meta["remainingItemCount"] = json!(remaining);
        }
    }
    let (kind, api_version) = if ctx.meta_only {
        (
            "PartialObjectMetadataList".to_string(),
            "meta.k8s.io/v1".to_string(),
        )
    } else {
        (format!("{}List", ctx.def.kind), ctx.def.api_version())
    };
    Ok((
        200,
        json!({"kind": kind, "apiVersion": api_version, "metadata": meta, "items": items}),
    ))
}

/// A list item: built-in kinds' items carry no kind/apiVersion in a real
/// server's list, custom resources' do.
fn item(ctx: &Ctx, v: Value) -> Value {
    let mut v = present(ctx, v);
    if ctx.def.crd.is_none()
        && !ctx.meta_only
        && let Some(m) = v.as_object_mut()
    {
        m.remove("kind");
        m.remove("apiVersion");
    }
    v
}

fn create(ctx: &Ctx, body: &[u8]) -> Answer {
    let obj = parse_body(body)?;
    check_kind(ctx, &obj)?;
    if ctx.query.get("dryRun") == Some("All") {
        return Ok((201, present(ctx, obj)));
    }
    let created = lock(&ctx.shared.store).create(ctx.def, ctx.ns(), obj)?;
    Ok((201, present(ctx, created)))
}

fn check_kind(ctx: &Ctx, obj: &Value) -> Result<(), ApiError> {
    if let Some(k) = obj["kind"].as_str()
        && k != ctx.def.kind
    {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({}) does not match the expected API version ({})",
            obj["apiVersion"].as_str().unwrap_or_default(),
            ctx.def.api_version()
        )));
    }
    Ok(())
}

fn update(ctx: &Ctx, body: &[u8], part: Part) -> Answer {
    let obj = parse_body(body)?;
    check_kind(ctx, &obj)?;
    let updated = lock(&ctx.shared.store).update(ctx.def, ctx.ns(), &ctx.info.name, obj, part)?;
    Ok((200, present(ctx, updated)))
}

fn patch(ctx: &Ctx, body: &[u8], part: Part) -> Answer {
    let kind = patch::kind_from_content_type(&ctx.content_type, ctx.def)?;
    let mut s = lock(&ctx.shared.store);
    let current = match s.get(ctx.def, ctx.ns(), &ctx.info.name) {
        Some(c) => c.clone(),
        // Server-side apply creates what does not exist yet.
        None if kind == patch::PatchKind::Apply => {
            let obj = parse_body(body)?;
            let created = s.create(ctx.def, ctx.ns(), obj)?;
            return Ok((201, present(ctx, created)));
        }
        None => return Err(ApiError::not_found(ctx.def, &ctx.info.name)),
    };
    let patched = patch::apply(kind, &current, body)?;
    let updated = s.update(ctx.def, ctx.ns(), &ctx.info.name, patched, part)?;
    Ok((200, present(ctx, updated)))
}

fn delete(ctx: &Ctx, body: &[u8]) -> Answer {
    let opts: Value = if body.is_empty() {
        json!({})
    } else {
        parse_body(body)?
    };
    let mut s = lock(&ctx.shared.store);
    let Some(current) = s.get(ctx.def, ctx.ns(), &ctx.info.name) else {
        return Err(ApiError::not_found(ctx.def, &ctx.info.name));
    };
    let pre = &opts["preconditions"];
    for (field, path) in [
        ("uid", "/metadata/uid"),
        ("resourceVersion", "/metadata/resourceVersion"),
    ] {
        if let Some(want) = pre[field].as_str()
            && current.pointer(path).and_then(Value::as_str) != Some(want)
        {
            return Err(ApiError::new(
                409,
                "Conflict",
                format!(
                    "Operation cannot be fulfilled on {} \"{}\": Precondition failed: {field} in precondition: {want}, {field} in object meta: {}",
                    crate::status::qualified(ctx.def),
                    ctx.info.name,
                    current
                        .pointer(path)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ),
            ));
        }
    }
    if ctx.query.get("dryRun") == Some("All") {
        return Ok((200, present(ctx, current.clone())));
    }
    let deleted = s.delete(ctx.def, ctx.ns(), &ctx.info.name)?;
    Ok((200, present(ctx, deleted)))
}

fn delete_collection(ctx: &Ctx) -> Answer {
    let (label, field) = selectors(ctx)?;
    let mut s = lock(&ctx.shared.store);
    let ns = (!ctx.info.namespace.is_empty()).then_some(ctx.info.namespace.as_str());
    let names: Vec<(String, String)> = s
        .iter(ctx.def, ns)
        .filter(|v| label.matches_object(v) && field.matches(v))
        .map(|v| {
            (
                crate::store::namespace_of(v).to_string(),
                crate::store::name_of(v).to_string(),
            )
        })
        .collect();
    let mut items = Vec::new();
    for (ns, name) in names {
        if let Ok(v) = s.delete(ctx.def, &ns, &name) {
            items.push(item(ctx, v));
        }
    }
    Ok((
        200,
        json!({"kind": format!("{}List", ctx.def.kind), "apiVersion": ctx.def.api_version(), "metadata": {"resourceVersion": s.rv().to_string()}, "items": items}),
    ))
}

/// SelfSubjectAccessReview and SelfSubjectRulesReview: answered from the
/// policy, never stored.
fn review(ctx: &Ctx, method: &Method, body: &[u8]) -> Answer {
    if *method != Method::POST || !ctx.info.name.is_empty() {
        return Err(ApiError::method_not_allowed());
    }
    let req = parse_body(body)?;
    let spec = req.get("spec").cloned().unwrap_or(json!({}));
    let policy = lock(&ctx.shared.policy);
    let status = match ctx.def.plural {
        "selfsubjectaccessreviews" => policy.access_review(&ctx.user, &spec),
        _ => {
            let ns = spec["namespace"].as_str().unwrap_or_default();
            if ns.is_empty() {
                return Err(ApiError::invalid(
                    ctx.def,
                    "",
                    "spec.namespace: Required value: namespace is required",
                ));
            }
            policy.rules_review(&ctx.user, ns, &ctx.shared.opts.crds)
        }
    };
    Ok((
        201,
        json!({
            "kind": ctx.def.kind,
            "apiVersion": ctx.def.api_version(),
            "metadata": {"creationTimestamp": null},
            "spec": spec,
            "status": status,
        }),
    ))
}
