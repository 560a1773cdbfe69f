//! The `config:` tree of `zpool status`: indentation gives the depth (a tab, then two
//! spaces per level in real output; any consistent step works here).

use super::sizes::count;
use crate::backend::zfs::model::{Group, Vdev};
use crate::core::text::SafeText;

/// The top-level vdevs of every group, in the order listed.
pub fn tree(lines: &[&str]) -> Vec<Vdev> {
    let mut out = Vec::new();
    let mut base: Option<usize> = None;
    let mut group = Group::Data;
    let mut open: Vec<(usize, Vdev)> = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(&name) = fields.first() else {
            continue;
        };
        let indent = indent_of(line);
        if name == "NAME" && fields.get(1) == Some(&"STATE") {
            base = Some(indent);
            continue;
        }
        let base = *base.get_or_insert(indent);
        if indent <= base {
            close_all(&mut open, &mut out);
            group = match (name, fields.len()) {
                ("logs", 1) => Group::Logs,
                ("cache", 1) => Group::Cache,
                ("spares", 1) => Group::Spares,
                ("special", 1) => Group::Special,
                ("dedup", 1) => Group::Dedup,
                // The pool's own line: its children are the data vdevs.
                _ => Group::Data,
            };
            continue;
        }
        while open.last().is_some_and(|(i, _)| *i >= indent) {
            close_one(&mut open, &mut out);
        }
        open.push((indent, vdev(&fields, group)));
    }
    close_all(&mut open, &mut out);
    out
}

/// Columns of leading white space, a tab counting to the next multiple of 8.
fn indent_of(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            '\t' => col = (col / 8 + 1) * 8,
            ' ' => col += 1,
            _ => break,
        }
    }
    col
}

fn close_one(open: &mut Vec<(usize, Vdev)>, out: &mut Vec<Vdev>) {
    if let Some((_, v)) = open.pop() {
        match open.last_mut() {
            Some((_, parent)) => parent.children.push(v),
            None => out.push(v),
        }
    }
}

fn close_all(open: &mut Vec<(usize, Vdev)>, out: &mut Vec<Vdev>) {
    while !open.is_empty() {
        close_one(open, out);
    }
}

/// `name STATE READ WRITE CKSUM [note]`; spares have no counts (`sde INUSE currently in use`).
fn vdev(fields: &[&str], group: Group) -> Vdev {
    let counts: Option<Vec<u64>> = fields
        .get(2..5)
        .and_then(|c| c.iter().map(|n| count(n)).collect());
    let (read, write, cksum, rest) = match counts.as_deref() {
        Some(&[r, w, c]) => (r, w, c, fields.get(5..).unwrap_or(&[])),
        _ => (0, 0, 0, fields.get(2..).unwrap_or(&[])),
    };
    Vdev {
        name: SafeText::new(fields[0]),
        group,
        state: SafeText::new(fields.get(1).copied().unwrap_or("")),
        read,
        write,
        cksum,
        note: (!rest.is_empty()).then(|| SafeText::new(&rest.join(" "))),
        children: Vec::new(),
    }
}
