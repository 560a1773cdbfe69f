//! Turning a URL into what the API server calls request info: group, version,
//! namespace, resource, name, subresource and the audit verb.

use hyper::Method;

/// Query parameters; repeated ones (exec's `command`) keep every value.
#[derive(Clone, Debug, Default)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(q: &str) -> Self {
        Query(form_urlencoded::parse(q.as_bytes()).into_owned().collect())
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn flag(&self, k: &str) -> bool {
        matches!(self.get(k), Some("1" | "true" | "True"))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestInfo {
    pub is_resource: bool,
    pub verb: String,
    pub group: String,
    pub version: String,
    pub namespace: String,
    pub resource: String,
    pub name: String,
    pub subresource: String,
    /// Path segments after the version, for discovery paths.
    pub parts: Vec<String>,
}

/// The audit verb for a request, as the API server's request-info resolver
/// names it: a GET is `get`, `list` or `watch`; a DELETE on a collection is
/// `deletecollection`.
pub fn resolve(method: &Method, path: &str, query: &Query) -> RequestInfo {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut info = RequestInfo {
        verb: method.as_str().to_ascii_lowercase(),
        ..Default::default()
    };
    let rest: &[&str] = match segs.as_slice() {
        ["api", version, rest @ ..] => {
            info.version = version.to_string();
            rest
        }
        ["apis", group, version, rest @ ..] => {
            info.group = group.to_string();
            info.version = version.to_string();
            rest
        }
        _ => return info,
    };
    info.parts = rest.iter().map(|s| s.to_string()).collect();
    if rest.is_empty() {
        return info;
    }
    info.is_resource = true;
    let mut parts: Vec<&str> = rest.to_vec();
    if parts[0] == "namespaces" && parts.len() > 1 {
        info.namespace = parts[1].to_string();
        if parts.len() > 2 && !matches!(parts[2], "status" | "finalize") {
            parts = parts[2..].to_vec();
        }
    }
    info.resource = parts[0].to_string();
    if let Some(n) = parts.get(1) {
        info.name = n.to_string();
    }
    if let Some(s) = parts.get(2) {
        info.subresource = s.to_string();
    }
    let collection = info.name.is_empty();
    info.verb = match *method {
        Method::GET | Method::HEAD => {
            if query.flag("watch") {
                "watch"
            } else if collection {
                "list"
            } else {
                "get"
            }
        }
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE if collection => "deletecollection",
        Method::DELETE => "delete",
        _ => "unknown",
    }
    .to_string();
    // A watch of one object by name is a watch, not a get.
    if info.verb == "get" && query.flag("watch") {
        info.verb = "watch".into();
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let q = Query::parse("watch=1&labelSelector=a%3Db");
        let i = resolve(&Method::GET, "/api/v1/namespaces/default/pods", &q);
        assert_eq!(
            (i.verb.as_str(), i.namespace.as_str(), i.resource.as_str()),
            ("watch", "default", "pods")
        );
        assert_eq!(q.get("labelSelector"), Some("a=b"));
        let i = resolve(
            &Method::GET,
            "/api/v1/namespaces/default",
            &Query::default(),
        );
        assert_eq!(
            (i.verb.as_str(), i.resource.as_str(), i.name.as_str()),
            ("get", "namespaces", "default")
        );
        let i = resolve(
            &Method::PATCH,
            "/apis/apps/v1/namespaces/x/deployments/web/scale",
            &Query::default(),
        );
        assert_eq!(
            (i.group.as_str(), i.name.as_str(), i.subresource.as_str()),
            ("apps", "web", "scale")
        );
        let i = resolve(
            &Method::DELETE,
            "/api/v1/namespaces/x/pods",
            &Query::default(),
        );
        assert_eq!(i.verb, "deletecollection");
        let i = resolve(&Method::GET, "/apis/apps/v1", &Query::default());
        assert!(!i.is_resource);
    }
}
