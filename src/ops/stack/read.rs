//! Reading a compose tree's values leniently, as the CLI does after interpolation
//! (`replicas: "${N}"` is a number once N is read), with each error at its line.

use super::tree::{Node, Value};
use std::collections::BTreeMap;

/// A node, where it came from (`file`), and its path for messages.
#[derive(Debug, Clone)]
pub struct At<'a> {
    pub node: &'a Node,
    pub file: &'a str,
    pub path: String,
}

pub type Res<T> = Result<T, String>;

impl<'a> At<'a> {
    pub fn err(&self, why: impl std::fmt::Display) -> String {
        format!("{}:{}: {}: {why}", self.file, self.node.line, self.path)
    }

    /// The entry `key` (absent or null is `None`).
    pub fn key(&self, key: &str) -> Option<At<'a>> {
        self.node
            .get(key)
            .filter(|n| n.value != Value::Null)
            .map(|node| self.child(node, key))
    }

    /// A child node, named `name` in messages.
    pub fn child(&self, node: &'a Node, name: &str) -> At<'a> {
        let path = match self.path.as_str() {
            "" => name.to_string(),
            p if name.starts_with('[') => format!("{p}{name}"),
            p => format!("{p}.{name}"),
        };
        At {
            node,
            file: self.file,
            path,
        }
    }

    /// Entries of a map (none for other values), each as a child.
    pub fn entries(&self) -> Vec<(&'a str, At<'a>)> {
        self.node
            .entries()
            .iter()
            .map(|(k, v)| (k.name.as_str(), self.child(v, &k.name)))
            .collect()
    }

    /// Items of a list (none for other values), each as a child.
    pub fn items(&self) -> Vec<At<'a>> {
        match &self.node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| self.child(n, &format!("[{i}]")))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn at(&self, node: &'a Node) -> At<'a> {
        At {
            node,
            file: self.file,
            path: self.path.clone(),
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.node.value, Value::Map(_))
    }

    /// A scalar as text, as Go prints it (`8080`, `true`, `1.5`).
    pub fn text(&self) -> Res<String> {
        scalar(&self.node.value).ok_or_else(|| self.err("expected a single value"))
    }

    pub fn u64(&self) -> Res<u64> {
        let t = self.text()?;
        t.parse()
            .map_err(|_| self.err(format!("{t:?} is not a whole number")))
    }

    pub fn i64(&self) -> Res<i64> {
        let t = self.text()?;
        t.parse()
            .map_err(|_| self.err(format!("{t:?} is not a whole number")))
    }

    pub fn f64(&self) -> Res<f64> {
        let t = self.text()?;
        t.parse()
            .map_err(|_| self.err(format!("{t:?} is not a number")))
    }

    pub fn bool(&self) -> Res<bool> {
        match self.text()?.as_str() {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            t => Err(self.err(format!("{t:?} is not true or false"))),
        }
    }

    /// A list of scalars; a single value is a list of one.
    pub fn strings(&self) -> Res<Vec<String>> {
        match &self.node.value {
            Value::Seq(items) => items.iter().map(|n| self.at(n).text()).collect(),
            _ => Ok(vec![self.text()?]),
        }
    }

    /// A command: a list as written, or a string split as a shell would.
    pub fn command(&self) -> Res<Vec<String>> {
        match &self.node.value {
            Value::Seq(_) => self.strings(),
            _ => {
                let t = self.text()?;
                shlex::split(&t).ok_or_else(|| self.err(format!("cannot split {t:?} into words")))
            }
        }
    }

    /// A list of `K=V` (or `K` alone, no value) or a map: environment, labels.
    pub fn dict(&self, sep: char) -> Res<BTreeMap<String, Option<String>>> {
        let mut out = BTreeMap::new();
        match &self.node.value {
            Value::Map(m) => {
                for (k, v) in m {
                    let value = match &v.value {
                        Value::Null => None,
                        other => Some(scalar(other).ok_or_else(|| {
                            self.at(v)
                                .err(format!("{}: expected a single value", k.name))
                        })?),
                    };
                    out.insert(k.name.clone(), value);
                }
            }
            Value::Seq(items) => {
                for n in items {
                    let t = self.at(n).text()?;
                    match t.split_once(sep) {
                        Some((k, v)) => out.insert(k.to_string(), Some(v.to_string())),
                        None => out.insert(t, None),
                    };
                }
            }
            _ => return Err(self.err("expected a list or a map")),
        }
        Ok(out)
    }

    /// A duration in Go's words (`1m30s`, `500ms`, `0`) as nanoseconds.
    pub fn duration_ns(&self) -> Res<i64> {
        let t = self.text()?;
        duration_ns(&t).ok_or_else(|| self.err(format!("{t:?} is not a duration (e.g. 1m30s)")))
    }

    /// A size (`512M`, `1.5g`, `1024`) in bytes, binary units as Docker reads them.
    pub fn bytes(&self) -> Res<i64> {
        let t = self.text()?;
        ram_in_bytes(&t).ok_or_else(|| self.err(format!("{t:?} is not a size (e.g. 512M)")))
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Go durations through jiff's reader (which takes `1h30m`, `1.5s`, `300ms`, `2us`);
/// Go also takes a bare `0`.
pub fn duration_ns(t: &str) -> Option<i64> {
    if t == "0" {
        return Some(0);
    }
    let d: jiff::SignedDuration = t.parse().ok()?;
    i64::try_from(d.as_nanos()).ok()
}

/// Docker's `RAMInBytes`: digits, an optional fraction, an optional unit
/// (`k m g t p`, any case, an optional `i` and `b`), in powers of 1024. A few lines
/// rather than a regex crate for one pattern.
pub fn ram_in_bytes(t: &str) -> Option<i64> {
    let t = t.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: f64 = number.parse().ok()?;
    let unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let power = match unit {
        "" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        _ => return None,
    };
    Some((number * 1024f64.powi(power)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_as_go_and_docker_read_them() {
        assert_eq!(duration_ns("1m30s"), Some(90_000_000_000));
        assert_eq!(duration_ns("1.5s"), Some(1_500_000_000));
        assert_eq!(duration_ns("300ms"), Some(300_000_000));
        assert_eq!(duration_ns("0"), Some(0));
        assert_eq!(duration_ns("1h"), Some(3_600_000_000_000));
        assert_eq!(duration_ns("soon"), None);
        assert_eq!(ram_in_bytes("512M"), Some(512 << 20));
        assert_eq!(ram_in_bytes("512mb"), Some(512 << 20));
        assert_eq!(ram_in_bytes("1.5g"), Some(3 << 29));
        assert_eq!(ram_in_bytes("2GiB"), Some(2 << 30));
        assert_eq!(ram_in_bytes("1024"), Some(1024));
        assert_eq!(ram_in_bytes("64 k"), Some(64 << 10));
        for bad in ["", "M", "12x", "1.2.3g"] {
            assert_eq!(ram_in_bytes(bad), None, "{bad:?}");
        }
    }
}
