//! ZFS: pools, vdevs, scans, datasets and snapshots, read with `zpool` and `zfs` on
//! one or more hosts, and the kernel's statistics.
pub mod beats;
pub mod eta;
pub mod io;
pub mod kstat;
pub mod misses;
pub mod model;
pub mod ops;
pub mod parse;
pub mod reader;
pub mod runner;
/// Made-up pools for tests and snapshots (not used by the program itself).
#[doc(hidden)]
pub mod sample;
pub mod watch;
