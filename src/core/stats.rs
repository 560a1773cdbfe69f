//! A container's resource use, whatever engine measured it (Docker now; a kubelet
//! later), and how sizes read.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ContainerStats {
    /// Percent of one core, as `docker stats` shows it (200% = two cores busy).
    pub cpu_percent: f64,
    /// Memory in use, page cache excluded.
    pub mem_used: u64,
    pub mem_limit: u64,
    pub pids: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
}

/// `1.5 MiB`, `7.8 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_read_like_docker_stats() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(8 * 1024 * 1024 * 1024), "8.0 GiB");
    }
}
