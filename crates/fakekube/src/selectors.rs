//! Label and field selectors as the API server parses them from `labelSelector`
//! and `fieldSelector`. Bad input is an error for a 400, never a panic.

use serde_json::Value;

use crate::resources::ResourceDef;

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Eq(String),
    NotEq(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    NotExists,
}

#[derive(Clone, Debug, PartialEq)]
struct Requirement {
    key: String,
    op: Op,
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector(Vec<Requirement>);

impl LabelSelector {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(s)? {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            reqs.push(parse_requirement(part)?);
        }
        Ok(LabelSelector(reqs))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, labels: Option<&serde_json::Map<String, Value>>) -> bool {
        self.0.iter().all(|r| {
            let v = labels.and_then(|l| l.get(&r.key)).and_then(Value::as_str);
            match &r.op {
                Op::Eq(x) => v == Some(x.as_str()),
                // Absent keys satisfy `!=` and `notin`, as in Kubernetes.
                Op::NotEq(x) => v != Some(x.as_str()),
                Op::In(xs) => v.is_some_and(|v| xs.iter().any(|x| x == v)),
                Op::NotIn(xs) => v.is_none_or(|v| !xs.iter().any(|x| x == v)),
                Op::Exists => v.is_some(),
                Op::NotExists => v.is_none(),
            }
        })
    }

    pub fn matches_object(&self, obj: &Value) -> bool {
        self.matches(obj.pointer("/metadata/labels").and_then(Value::as_object))
    }

    /// A selector from a `spec.selector` object (matchLabels and
    /// matchExpressions), as deployments and disruption budgets carry it.
    pub fn from_spec(sel: &Value) -> Result<Self, String> {
        let mut reqs = Vec::new();
        if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in m {
                reqs.push(Requirement {
                    key: k.clone(),
                    op: Op::Eq(v.as_str().unwrap_or_default().to_string()),
                });
            }
        }
        if let Some(exprs) = sel.get("matchExpressions").and_then(Value::as_array) {
            for e in exprs {
                let key = e["key"]
                    .as_str()
                    .ok_or("matchExpressions: key required")?
                    .to_string();
                let values: Vec<String> = e["values"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let op = match e["operator"].as_str() {
                    Some("In") => Op::In(values),
                    Some("NotIn") => Op::NotIn(values),
                    Some("Exists") => Op::Exists,
                    Some("DoesNotExist") => Op::NotExists,
                    other => {
                        return Err(format!("{other:?} is not a valid label selector operator"));
                    }
                };
                reqs.push(Requirement { key, op });
            }
        }
        Ok(LabelSelector(reqs))
    }

    /// The string form, as `Scale.status.selector` carries it.
    pub fn to_query(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|r| match &r.op {
                Op::Eq(v) => format!("{}={v}", r.key),
                Op::NotEq(v) => format!("{}!={v}", r.key),
                Op::In(v) => format!("{} in ({})", r.key, v.join(",")),
                Op::NotIn(v) => format!("{} notin ({})", r.key, v.join(",")),
                Op::Exists => r.key.clone(),
                Op::NotExists => format!("!{}", r.key),
            })
            .collect();
        parts.join(",")
    }
}

/// Splits on commas outside parentheses (`a in (x,y),b`).
fn split_top_level(s: &str) -> Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!(
                        "unable to parse requirement: unexpected ')' in {s:?}"
                    ));
                }
            }
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!(
            "unable to parse requirement: unclosed '(' in {s:?}"
        ));
    }
    parts.push(&s[start..]);
    Ok(parts)
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 317
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(v: &str) -> bool {
    v.len() <= 63
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    let err = || format!("unable to parse requirement: invalid selector {part:?}");
    if let Some(key) = part.strip_prefix('!') {
        let key = key.trim();
        return if valid_key(key) {
            Ok(Requirement {
                key: key.into(),
                op: Op::NotExists,
            })
        } else {
            Err(err())
        };
    }
    for (sym, neg) in [("!=", true), ("==", false), ("=", false)] {
        if let Some((k, v)) = part.split_once(sym) {
            let (k, v) = (k.trim(), v.trim());
            if !valid_key(k) || !valid_value(v) {
                return Err(err());
            }
            let op = if neg {
                Op::NotEq(v.into())
            } else {
                Op::Eq(v.into())
            };
            return Ok(Requirement { key: k.into(), op });
        }
    }
    // Set-based: `key in (a,b)` / `key notin (a,b)`, or a bare `key`.
    let mut words = part.splitn(2, char::is_whitespace);
    let key = words.next().unwrap_or_default().trim();
    let rest = words.next().unwrap_or_default().trim();
    if !valid_key(key) {
        return Err(err());
    }
    if rest.is_empty() {
        return Ok(Requirement {
            key: key.into(),
            op: Op::Exists,
        });
    }
    let (neg, list) = if let Some(l) = rest.strip_prefix("notin") {
        (true, l)
    } else if let Some(l) = rest.strip_prefix("in") {
        (false, l)
    } else {
        return Err(err());
    };
    let inner = list
        .trim()
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
        .ok_or_else(err)?;
    let values: Vec<String> = inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() || !values.iter().all(|v| valid_value(v)) {
        return Err(err());
    }
    let op = if neg {
        Op::NotIn(values)
    } else {
        Op::In(values)
    };
    Ok(Requirement {
        key: key.into(),
        op,
    })
}

/// A parsed field selector: `field=value`, `field==value`, `field!=value`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    /// Parses and checks each field against the ones the kind supports, as the
    /// API server refuses unknown fields with a 400.
    pub fn parse(s: &str, d: &ResourceDef) -> Result<Self, String> {
        let mut terms = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (field, neg, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, false, v)
            } else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let field = field.trim();
            if !supported_fields(d).contains(&field) {
                return Err(format!("field label not supported: {field}"));
            }
            terms.push((field.to_string(), neg, value.trim().to_string()));
        }
        Ok(FieldSelector(terms))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|(f, neg, want)| {
            let have = field_value(obj, f);
            (have == *want) != *neg
        })
    }
}

fn supported_fields(d: &ResourceDef) -> Vec<&'static str> {
    let mut f = vec!["metadata.name", "metadata.namespace"];
    let extra: &[&str] = match (d.group, d.plural) {
        ("", "pods") => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        ("", "events") => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        ("", "nodes") => &["spec.unschedulable"],
        ("", "namespaces") => &["status.phase"],
        ("", "secrets") => &["type"],
        ("apps", "replicasets") => &["status.replicas"],
        ("batch", "jobs") => &["status.successful"],
        _ => &[],
    };
    f.extend_from_slice(extra);
    f
}

/// The string a field compares as; absent booleans read "false" as the
/// server's field-label conversion does.
fn field_value(obj: &Value, field: &str) -> String {
    let path = match field {
        "source" => "/source/component".to_string(),
        f => format!("/{}", f.replace('.', "/")),
    };
    match obj.pointer(&path) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ if matches!(field, "spec.unschedulable" | "spec.hostNetwork") => "false".into(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(v: Value) -> Value {
        json!({"metadata": {"labels": v}})
    }

    #[test]
    fn equality_and_sets() {
        let s = LabelSelector::parse("app=web, tier in (front, back),!canary,env!=prod").unwrap();
        assert!(s.matches_object(&labels(json!({"app": "web", "tier": "front"}))));
        assert!(!s.matches_object(&labels(json!({"app": "web", "tier": "db"}))));
        assert!(!s.matches_object(&labels(
            json!({"app": "web", "tier": "front", "canary": "1"})
        )));
        assert!(!s.matches_object(&labels(
            json!({"app": "web", "tier": "front", "env": "prod"})
        )));
        let s = LabelSelector::parse("app==web,x notin (a),y").unwrap();
        assert!(s.matches_object(&labels(json!({"app": "web", "y": ""}))));
        assert!(!s.matches_object(&labels(json!({"app": "web"}))));
    }

    #[test]
    fn bad_input_is_an_error() {
        for bad in [
            "a in (b",
            "a in b)",
            "a in ()",
            "=x",
            "a b c",
            "a=b=c",
            "!",
            "a in (b c)",
        ] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(LabelSelector::parse("").unwrap(), LabelSelector::default());
    }

    #[test]
    fn fields() {
        let pods = crate::resources::by_name("pods").unwrap();
        let s = FieldSelector::parse("spec.nodeName=n1,status.phase!=Failed", pods).unwrap();
        assert!(s.matches(&json!({"spec": {"nodeName": "n1"}, "status": {"phase": "Running"}})));
        assert!(!s.matches(&json!({"spec": {"nodeName": "n2"}, "status": {"phase": "Running"}})));
        assert!(FieldSelector::parse("spec.foo=1", pods).is_err());
        let nodes = crate::resources::by_name("nodes").unwrap();
        let s = FieldSelector::parse("spec.unschedulable=false", nodes).unwrap();
        assert!(s.matches(&json!({"spec": {}})));
        assert!(!s.matches(&json!({"spec": {"unschedulable": true}})));
    }
}
