//! A JSON value that keeps object keys in the order `zpool`/`zfs` wrote them
//! (`serde_json::Value` sorts them, which would put `mirror-10` before `mirror-2` and
//! disks out of config order), and readers for numbers that come as integers
//! (`--json-int`) or as strings (default: exact or humanized like `"1.50G"`).

use super::sizes::size;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Num(f64),
    /// Integers kept exact (a GUID does not fit an f64).
    Int(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn parse(text: &str) -> Result<J, String> {
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
    }

    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// `properties.<name>.value` of a `zpool list -j` / `zfs list -j` object, under the
    /// first of `names` present; `-` counts as absent.
    pub fn prop(&self, names: &[&str]) -> Option<&J> {
        let props = self.get("properties")?;
        names
            .iter()
            .find_map(|n| props.get(n))
            .map(|p| p.get("value").unwrap_or(p))
            .filter(|v| !matches!(v, J::Null) && v.str() != Some("-"))
    }

    /// An object's entries in order; empty for anything else.
    pub fn entries(&self) -> &[(String, J)] {
        match self {
            J::Obj(entries) => entries,
            _ => &[],
        }
    }

    pub fn str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Text of a string or number field.
    pub fn text(&self) -> Option<String> {
        match self {
            J::Str(s) => Some(s.clone()),
            J::Int(n) => Some(n.to_string()),
            J::Num(f) => Some(f.to_string()),
            J::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A byte count or a count: an integer, or a string exact or humanized.
    pub fn bytes(&self) -> Option<u64> {
        match self {
            J::Int(n) => Some(*n),
            J::Num(f) if f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64 => {
                Some(f.round() as u64)
            }
            J::Str(s) => size(s),
            _ => None,
        }
    }

    /// A plain number (ratio, percent) from a number or a string like `1.00x`, `12%`.
    pub fn float(&self) -> Option<f64> {
        match self {
            J::Int(n) => Some(*n as f64),
            J::Num(f) => Some(*f),
            J::Str(s) => {
                let t = s.trim().trim_end_matches(['x', 'X', '%']);
                t.parse().ok().filter(|f: &f64| f.is_finite())
            }
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_none<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<J, E> {
        Ok(J::Int(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<J, E> {
        Ok(u64::try_from(v).map_or(J::Num(v as f64), J::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<J, E> {
        Ok(J::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<J, E> {
        Ok(J::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(J::Arr(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, J>()? {
            out.push((k, v));
        }
        Ok(J::Obj(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_reads_both_number_forms() {
        let j = J::parse(r#"{"b": 1, "a": "1.50G", "c": {"x": "12%"}, "d": 18446744073709551615}"#)
            .unwrap();
        let keys: Vec<&str> = j.entries().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c", "d"]);
        assert_eq!(j.get("b").and_then(J::bytes), Some(1));
        assert_eq!(j.get("a").and_then(J::bytes), Some(1_610_612_736));
        assert_eq!(
            j.get("c").and_then(|c| c.get("x")).and_then(J::float),
            Some(12.0)
        );
        assert_eq!(j.get("d").and_then(J::bytes), Some(u64::MAX));
        assert!(J::parse("{").is_err());
    }
}
