//! Who may do what: users found by bearer token, each with deny rules. The
//! same answer serves requests (403) and access reviews.

use serde_json::{Value, json};

use crate::resources::{self, Crd};

/// A rule taking rights away from a user. An empty list matches everything;
/// a resource also matches its subresources only when the rule names none
/// (`pods` does not cover `pods/exec`, as in RBAC).
#[derive(Clone, Debug, Default)]
pub struct Deny {
    pub verbs: Vec<String>,
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub namespaces: Vec<String>,
}

impl Deny {
    /// Denies these verbs (`get`, `list`, `watch`, `create`, `update`,
    /// `patch`, `delete`, `deletecollection`) on everything.
    pub fn verbs(verbs: &[&str]) -> Self {
        Deny {
            verbs: verbs.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// Everything that writes: what a view-only user may not do.
    pub fn writes() -> Self {
        Self::verbs(&["create", "update", "patch", "delete", "deletecollection"])
    }

    /// Narrows to resources (`pods`, `pods/exec`, `deployments/scale`).
    pub fn resources(mut self, r: &[&str]) -> Self {
        self.resources = r.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Narrows to API groups (`""` is core).
    pub fn groups(mut self, g: &[&str]) -> Self {
        self.groups = g.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Narrows to namespaces; cluster-scope requests (all namespaces) are
    /// matched by any namespaced rule too, as RBAC grants them only clusterwide.
    pub fn namespaces(mut self, n: &[&str]) -> Self {
        self.namespaces = n.iter().map(|s| s.to_string()).collect();
        self
    }

    fn matches(&self, a: &Attrs) -> bool {
        let any = |list: &Vec<String>, v: &str| {
            list.is_empty() || list.iter().any(|x| x == "*" || x == v)
        };
        any(&self.verbs, &a.verb)
            && any(&self.groups, &a.group)
            && (self.resources.is_empty()
                || self
                    .resources
                    .iter()
                    .any(|r| r == "*" || *r == a.resource_path()))
            && (self.namespaces.is_empty()
                || a.namespace.is_empty()
                || self.namespaces.contains(&a.namespace))
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub token: String,
    pub deny: Vec<Deny>,
}

/// What a request wants, as the authorizer sees it.
#[derive(Clone, Debug, Default)]
pub struct Attrs {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
}

impl Attrs {
    fn resource_path(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.clone()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }

    /// The 403 message, word for word as the API server's: it names the
    /// object by its resource alone, the subresource only in what was denied.
    pub fn forbidden_message(&self, user: &str) -> String {
        let what = if self.name.is_empty() {
            format!("{} is forbidden", self.resource)
        } else {
            format!("{} \"{}\" is forbidden", self.resource, self.name)
        };
        let scope = if self.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{}\"", self.namespace)
        };
        format!(
            "{what}: User \"{user}\" cannot {} resource \"{}\" in API group \"{}\" {scope}",
            self.verb,
            self.resource_path(),
            self.group
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub users: Vec<User>,
}

impl Policy {
    pub fn user_by_token(&self, token: &str) -> Option<&User> {
        self.users.iter().find(|u| u.token == token)
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    pub fn allowed(&self, user: &str, a: &Attrs) -> bool {
        self.user(user)
            .is_some_and(|u| !u.deny.iter().any(|d| d.matches(a)))
    }

    /// `SelfSubjectAccessReview.status` for a review's spec.
    pub fn access_review(&self, user: &str, spec: &Value) -> Value {
        if spec.get("nonResourceAttributes").is_some() {
            return json!({"allowed": true});
        }
        let ra = &spec["resourceAttributes"];
        let s = |k: &str| ra[k].as_str().unwrap_or_default().to_string();
        let a = Attrs {
            verb: s("verb"),
            group: s("group"),
            resource: s("resource"),
            subresource: s("subresource"),
            namespace: s("namespace"),
            name: s("name"),
        };
        if self.allowed(user, &a) {
            json!({"allowed": true, "reason": format!("allowed by the fake cluster's policy for user \"{user}\"")})
        } else {
            json!({"allowed": false})
        }
    }

    /// `SelfSubjectRulesReview.status`: the rights left after the deny rules,
    /// listed per served resource.
    pub fn rules_review(&self, user: &str, namespace: &str, crds: &[Crd]) -> Value {
        const VERBS: [&str; 8] = [
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "delete",
            "deletecollection",
        ];
        let Some(u) = self.user(user) else {
            return json!({"resourceRules": [], "nonResourceRules": [], "incomplete": false});
        };
        let mut rules = Vec::new();
        if u.deny.is_empty() {
            rules.push(json!({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}));
        } else {
            for d in resources::all()
                .iter()
                .filter(|d| d.stored && resources::served(d, crds))
            {
                let mut paths = vec![(d.plural.to_string(), String::new())];
                paths.extend(
                    d.subresources
                        .iter()
                        .map(|s| (d.plural.to_string(), s.name.to_string())),
                );
                for (res, sub) in paths {
                    let verbs: Vec<&str> = VERBS
                        .iter()
                        .copied()
                        .filter(|v| {
                            self.allowed(
                                user,
                                &Attrs {
                                    verb: v.to_string(),
                                    group: d.group.into(),
                                    resource: res.clone(),
                                    subresource: sub.clone(),
                                    namespace: namespace.into(),
                                    name: String::new(),
                                },
                            )
                        })
                        .collect();
                    if verbs.is_empty() {
                        continue;
                    }
                    let r = if sub.is_empty() {
                        res
                    } else {
                        format!("{res}/{sub}")
                    };
                    let rule = json!({"verbs": verbs, "apiGroups": [d.group], "resources": [r]});
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
            }
        }
        rules.push(json!({"verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]}));
        json!({
            "resourceRules": rules,
            "nonResourceRules": [{"verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/version", "/version/"]}],
            "incomplete": false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_matches_the_api_server() {
        let a = Attrs {
            verb: "list".into(),
            resource: "pods".into(),
            ..Default::default()
        };
        assert_eq!(
            a.forbidden_message("viewer"),
            "pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" at the cluster scope"
        );
    }

    #[test]
    fn subresources_need_their_own_rule() {
        let p = Policy {
            users: vec![User {
                name: "u".into(),
                token: "t".into(),
                deny: vec![Deny::verbs(&["create"]).resources(&["pods"])],
            }],
        };
        let mut a = Attrs {
            verb: "create".into(),
            resource: "pods".into(),
            namespace: "default".into(),
            ..Default::default()
        };
        assert!(!p.allowed("u", &a));
        a.subresource = "exec".into();
        assert!(p.allowed("u", &a));
        assert!(!p.allowed("nobody", &a));
    }
}
