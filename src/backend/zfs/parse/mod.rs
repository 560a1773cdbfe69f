//! Pure parsers for `zpool` and `zfs` output in every format labdeck meets: OpenZFS
//! 2.3+ JSON (`-j`, with or without `--json-int`), `-Hp` text, `zpool status` text of
//! every generation, and the zfs-fuse dialect. No I/O; none of them panics, whatever
//! the input (property-tested).
//!
//! Column orders the text parsers expect (`-H`: tab-separated; without `-H` runs of
//! spaces also work, and a header line is skipped):
//! - [`list_text`]: `zpool list -Hp -o name,size,alloc,free,frag,cap,dedup,health` (8
//!   columns), or on zfs-fuse, which has no `-p` and no `frag`,
//!   `zpool list -H -o name,size,alloc,free,cap,dedup,health` (7 columns).
//! - [`datasets_text`]: `zfs list -H[p] -t filesystem,volume -o name,type,used,avail,
//!   refer,usedbysnapshots,compressratio,mountpoint,quota,recordsize,volblocksize,
//!   compression` (zfs-fuse: no `-p`).
//! - [`snapshots_text`]: `zfs list -H[p] -t snapshot -o name,used,refer,creation`.
//! - [`status_text`]: plain `zpool status` (with or without `-P`), any version.
//!
//! [`status_json`] computes rates and ETAs against the current time, as `zpool` does;
//! [`status_json_at`] takes the time (tests, or a reading taken earlier).

mod config;
mod datasets;
mod iostat;
mod json;
mod list;
mod scan;
mod sizes;
mod status_json;
mod status_text;
mod units;
mod when;

pub use datasets::{datasets_json, datasets_text, snapshots_json, snapshots_text};
pub use iostat::iostat_text;
pub use list::{list_json, list_text};
pub use scan::scan;
pub use sizes::{count, size};
pub use status_json::{status_json, status_json_at};
pub use status_text::status_text;
pub use units::duration;
pub use when::timestamp;

#[cfg(test)]
mod tests;
