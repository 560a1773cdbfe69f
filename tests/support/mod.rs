//! Helpers shared by the integration tests: the lab (Docker Swarm), a recording and
//! cuttable proxy in front of the engine, a real terminal driven through tmux, and
//! waiting on a `SwarmWatcher`'s feed.
//! Include with `mod support;` at the root of a test crate. Every test binary uses a
//! different subset, hence the blanket allow.
#![allow(dead_code, unused_imports, unused_macros)]

pub mod feed;
pub mod keys;
pub mod kube_it;
pub mod lab;
pub mod labdeck;
pub mod plain;
pub mod process;
pub mod proxy;
pub mod ssh_sessions;
pub mod stack_view;
pub mod tmux;

/// This test binary's one `Writer`: the binary decides read-write once, as `main` does,
/// and every test that writes shares the result.
pub fn writer() -> ::labdeck::core::access::Writer {
    use ::labdeck::core::access::{AccessMode, Writer, decide};
    static WRITER: std::sync::OnceLock<Writer> = std::sync::OnceLock::new();
    WRITER
        .get_or_init(|| decide(AccessMode::ReadWrite).expect("the test binary decides once"))
        .clone()
}
