//! Errors as the API server sends them: a `Status` object with the HTTP code,
//! reason and message text a client may match on.

use serde_json::{Value, json};

use crate::resources::ResourceDef;

/// An error answered as a `Status` object. Also returned by the test-side
/// store methods, so a test sees the same error a client would.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.reason, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn new(code: u16, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn to_status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            s["details"] = d.clone();
        }
        s
    }

    pub fn not_found(d: &ResourceDef, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", qualified(d)),
        )
        .with_details(details(d, Some(name)))
    }

    pub fn already_exists(d: &ResourceDef, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", qualified(d)),
        )
        .with_details(details(d, Some(name)))
    }

    pub fn conflict(d: &ResourceDef, name: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                qualified(d)
            ),
        )
        .with_details(details(d, Some(name)))
    }

    pub fn invalid(d: &ResourceDef, name: &str, field_msg: &str) -> Self {
        Self::new(
            422,
            "Invalid",
            format!("{} \"{name}\" is invalid: {field_msg}", d.kind),
        )
        .with_details(json!({"name": name, "group": d.group, "kind": d.kind}))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(410, "Expired", message)
    }

    /// The answer for an unknown path or a kind that is not served.
    pub fn no_route() -> Self {
        Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized", "Unauthorized")
    }
}

/// `pods`, or `deployments.apps` for a named group, as messages name kinds.
pub fn qualified(d: &ResourceDef) -> String {
    if d.group.is_empty() {
        d.plural.to_string()
    } else {
        format!("{}.{}", d.plural, d.group)
    }
}

fn details(d: &ResourceDef, name: Option<&str>) -> Value {
    let mut v = json!({"kind": d.plural});
    if let Some(n) = name {
        v["name"] = json!(n);
    }
    if !d.group.is_empty() {
        v["group"] = json!(d.group);
    }
    v
}

/// A success `Status` (eviction answers one, as do some deletes).
pub fn success(code: u16) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": code})
}
