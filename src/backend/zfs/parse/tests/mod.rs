//! Parsers against the fixtures in `tests/fixtures/zfs/` (see its README for where each
//! shape comes from), and property tests.

macro_rules! fixture {
    ($f:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/zfs/", $f))
    };
}

mod datasets;
mod fuse;
mod list;
mod pair;
mod props;
mod scan;
mod status_text;
mod v23;

use crate::backend::zfs::model::Vdev;

/// `name STATE r/w/c note` per vdev, indented by depth, for whole-tree assertions.
fn outline(vdevs: &[Vdev]) -> Vec<String> {
    fn walk(v: &Vdev, depth: usize, out: &mut Vec<String>) {
        let note = v.note.as_ref().map_or(String::new(), |n| format!(" {n}"));
        out.push(format!(
            "{}{} {:?} {} {}/{}/{}{}",
            "  ".repeat(depth),
            v.name,
            v.group,
            v.state,
            v.read,
            v.write,
            v.cksum,
            note
        ));
        for c in &v.children {
            walk(c, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for v in vdevs {
        walk(v, 0, &mut out);
    }
    out
}
