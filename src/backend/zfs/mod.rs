//! ZFS: pools, vdevs, scans, datasets and snapshots, read with `zpool` and `zfs` on
//! one or more hosts, and the kernel's statistics.
pub mod eta;
pub mod kstat;
pub mod model;
pub mod ops;
pub mod parse;
pub mod runner;
