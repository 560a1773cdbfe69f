//! Pure parsers for `zpool` and `zfs` output in every format labdeck meets: OpenZFS
//! 2.3+ JSON (`-j`, with or without `--json-int`), `-Hp` text, `zpool status` text of
//! every generation, and the zfs-fuse dialect. No I/O; none of them panics, whatever
//! the input (property-tested).

mod config;
mod datasets;
mod json;
mod list;
mod scan;
mod sizes;
mod status_json;
mod status_text;
mod units;
mod when;

pub use datasets::{datasets_json, datasets_text, snapshots_json, snapshots_text};
pub use list::{list_json, list_text};
pub use scan::scan;
pub use sizes::{count, size};
pub use status_json::{status_json, status_json_at};
pub use status_text::status_text;
pub use units::duration;
pub use when::timestamp;

#[cfg(test)]
mod tests;
