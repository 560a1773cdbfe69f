//! A compose file as a tree that remembers the line of each value and key, so a
//! later check (an unsupported key, a variable that is not set) can point at it.
//! serde-saphyr parses; `Spanned` gives the lines.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A value and the line it is on (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u64,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// In file order; keys keep their lines.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub line: u64,
    pub name: String,
}

impl Node {
    pub fn new(value: Value) -> Node {
        Node { line: 0, value }
    }

    /// The entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(m) => m.iter_mut().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A map's entries; nothing for any other value.
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// As JSON, for the typed model (lines are dropped here: checks that need them
    /// run on the tree first).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(s) => J::Array(s.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(
                m.iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parse one YAML document. The error names the line where saphyr could tell.
pub fn parse(text: &str) -> Result<Node, String> {
    if text.trim().is_empty() {
        return Ok(Node::new(Value::Map(Vec::new())));
    }
    // As the CLI's YAML reader: `0440` is octal (a file mode), and only true/false
    // are booleans (`yes` is a string).
    let options = serde_saphyr::options! { legacy_octal_numbers: true, strict_booleans: true };
    let spanned: Spanned<Value> =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())?;
    Ok(node(spanned))
}

fn node(s: Spanned<Value>) -> Node {
    Node {
        line: s.referenced.line(),
        value: s.value,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        i64::try_from(u)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("number {u} is too large")))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = a.next_element::<Spanned<Value>>()? {
            out.push(node(v));
        }
        Ok(Value::Seq(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut out: Vec<(Key, Node)> = Vec::new();
        while let Some(k) = a.next_key::<Spanned<Value>>()? {
            let line = k.referenced.line();
            // Keys are strings in compose; a number or a bool as a key (`80:`) is
            // taken as written, as Go's YAML reader does.
            let name = match k.value {
                Value::Str(s) => s,
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_string(),
                Value::Seq(_) | Value::Map(_) => {
                    return Err(de::Error::custom(format!(
                        "line {line}: a key must be a plain value"
                    )));
                }
            };
            let v = node(a.next_value::<Spanned<Value>>()?);
            if out.iter().any(|(k, _)| k.name == name) {
                return Err(de::Error::custom(format!(
                    "line {line}: the key {name:?} is given twice"
                )));
            }
            out.push((Key { line, name }, v));
        }
        Ok(Value::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_keys_keep_their_lines() {
        let t = parse("services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n      - 443\n    x: 1.5\n    y: true\n    z:\n").unwrap();
        let web = t.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.line, 3, "a map's line is its first key's");
        let image = web.get("image").unwrap();
        assert_eq!((image.line, image.as_str()), (3, Some("nginx")));
        let (k, _) = &web.entries()[1];
        assert_eq!((k.name.as_str(), k.line), ("ports", 4));
        let Value::Seq(ports) = &web.get("ports").unwrap().value else {
            panic!()
        };
        assert_eq!(ports[0].value, Value::Str("80:80".into()));
        assert_eq!((ports[1].line, &ports[1].value), (6, &Value::Int(443)));
        assert_eq!(web.get("x").unwrap().value, Value::Float(1.5));
        assert_eq!(web.get("y").unwrap().value, Value::Bool(true));
        assert_eq!(web.get("z").unwrap().value, Value::Null);
    }

    #[test]
    fn anchors_merge_and_bad_yaml_is_an_error_not_a_panic() {
        let t =
            parse("x-base: &b\n  image: a\nservices:\n  s:\n    <<: *b\n    user: u\n").unwrap();
        let s = t.get("services").unwrap().get("s").unwrap();
        assert_eq!(s.get("image").and_then(Node::as_str), Some("a"));
        assert_eq!(s.get("user").and_then(Node::as_str), Some("u"));
        for bad in ["a: [1, 2", "a: b: c", "a: 1\na: 2\n"] {
            assert!(parse(bad).is_err(), "{bad:?} read as valid");
        }
        assert_eq!(parse("  \n").unwrap().entries().len(), 0);
        let t = parse("mode: 0440\nplain: 440\nyes: yes\n").unwrap();
        assert_eq!(t.get("mode").unwrap().value, Value::Int(0o440));
        assert_eq!(t.get("plain").unwrap().value, Value::Int(440));
        assert_eq!(t.get("yes").unwrap().value, Value::Str("yes".into()));
    }
}
