//! The describe view for any object: FIELD / VALUE rows from a key/value tree (nested
//! keys are joined with `.`; labels are one row each). Panes build the tree; the table,
//! filter and renderer are the shared ones.

use super::table::{Cell, Column, Row, Tone};
use crate::core::text::SafeText;

pub fn columns() -> Vec<Column> {
    vec![Column::fixed("FIELD", 12, 0), Column::flex("VALUE", 20, 0)]
}

/// One FIELD / VALUE row.
pub fn row(key: &str, value: Cell) -> Row {
    Row {
        key: key.to_string(),
        cells: vec![Cell::own(key, Tone::Dim), value],
    }
}

pub fn text(key: &str, value: &SafeText) -> Row {
    row(key, Cell::new(value.clone()))
}

pub fn own(key: &str, value: impl Into<String>) -> Row {
    row(key, Cell::own(value, Tone::Normal))
}

/// One row per label: `label  key=value`, keyed `label:<key>`.
pub fn labels(out: &mut Vec<Row>, labels: &[(SafeText, SafeText)]) {
    for (k, v) in labels {
        out.push(Row {
            key: format!("label:{k}"),
            cells: vec![
                Cell::own("label", Tone::Dim),
                Cell::new(SafeText::trusted(format!("{k}={v}"))),
            ],
        });
    }
}

/// The object went away while it was open.
pub fn gone(id: &str) -> Vec<Row> {
    vec![row(
        "gone",
        Cell::own(format!("{id} no longer exists"), Tone::Warn),
    )]
}

/// Rows being built; the key of each row is its path, so the selection survives.
#[derive(Debug, Default)]
pub struct Fields {
    rows: Vec<Row>,
    prefix: Vec<String>,
}

impl Fields {
    fn path(&self, key: &str) -> String {
        let mut p = self.prefix.join(".");
        if !p.is_empty() {
            p.push('.');
        }
        p.push_str(key);
        p
    }

    pub fn cell(&mut self, key: &str, value: Cell) -> &mut Fields {
        let path = self.path(key);
        self.rows.push(Row {
            key: path.clone(),
            cells: vec![Cell::own(path, Tone::Dim), value],
        });
        self
    }

    /// A value from outside (already clean).
    pub fn text(&mut self, key: &str, value: &SafeText) -> &mut Fields {
        self.cell(key, Cell::new(value.clone()))
    }

    /// A value labdeck formatted itself.
    pub fn own(&mut self, key: &str, value: impl Into<String>) -> &mut Fields {
        self.cell(key, Cell::own(value, Tone::Normal))
    }

    /// Fields under `key.` until the matching `end`.
    pub fn begin(&mut self, key: &str) -> &mut Fields {
        self.prefix.push(key.to_string());
        self
    }

    pub fn end(&mut self) -> &mut Fields {
        self.prefix.pop();
        self
    }

    /// One row per label: `label  key=value`.
    pub fn labels(&mut self, l: &[(SafeText, SafeText)]) -> &mut Fields {
        labels(&mut self.rows, l);
        self
    }

    pub fn rows(self) -> Vec<Row> {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_keys_are_paths_and_labels_are_rows() {
        let mut f = Fields::default();
        f.own("name", "web")
            .begin("update")
            .own("state", "completed")
            .end()
            .labels(&[(SafeText::new("tier"), SafeText::new("front"))]);
        let rows = f.rows();
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["name", "update.state", "label:tier"]);
        assert_eq!(rows[2].cells[1].text.as_str(), "tier=front");
    }
}
