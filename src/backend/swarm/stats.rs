//! Live resource use of ONE container the user opened (never polled across the board).

use super::connect::describe_error;
use bollard::Docker;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptions;
use futures::{Stream, StreamExt};

pub use crate::core::stats::{ContainerStats, bytes};

/// Derive the figures from one engine sample; `None` until the engine has two CPU
/// readings to compare (its first sample has an empty `precpu_stats`).
pub fn compute(s: &ContainerStatsResponse) -> Option<ContainerStats> {
    let cpu = s.cpu_stats.as_ref()?;
    let pre = s.precpu_stats.as_ref()?;
    let total = cpu.cpu_usage.as_ref()?.total_usage?;
    let pre_total = pre.cpu_usage.as_ref().and_then(|u| u.total_usage)?;
    let system = cpu.system_cpu_usage?;
    let pre_system = pre.system_cpu_usage?;
    let cpus = cpu
        .online_cpus
        .map(u64::from)
        .or_else(|| {
            cpu.cpu_usage
                .as_ref()?
                .percpu_usage
                .as_ref()
                .map(|p| p.len() as u64)
        })
        .unwrap_or(1)
        .max(1);
    let cpu_delta = total.saturating_sub(pre_total) as f64;
    let sys_delta = system.saturating_sub(pre_system) as f64;
    let cpu_percent = if sys_delta > 0.0 {
        cpu_delta / sys_delta * cpus as f64 * 100.0
    } else {
        0.0
    };
    let mem = s.memory_stats.as_ref();
    let usage = mem.and_then(|m| m.usage).unwrap_or(0);
    // cgroup v2 reports `inactive_file`, v1 `total_inactive_file`: page cache, not use.
    let cache = mem
        .and_then(|m| m.stats.as_ref())
        .and_then(|st| {
            st.get("inactive_file")
                .or_else(|| st.get("total_inactive_file"))
                .copied()
        })
        .unwrap_or(0);
    let nets = s.networks.as_ref();
    Some(ContainerStats {
        cpu_percent,
        mem_used: usage.saturating_sub(cache),
        mem_limit: mem.and_then(|m| m.limit).unwrap_or(0),
        pids: s.pids_stats.as_ref().and_then(|p| p.current).unwrap_or(0),
        rx_bytes: nets.map_or(0, |n| n.values().filter_map(|x| x.rx_bytes).sum()),
        tx_bytes: nets.map_or(0, |n| n.values().filter_map(|x| x.tx_bytes).sum()),
    })
}

/// The engine streams one sample a second while this is followed; dropping it stops.
pub(super) fn follow(
    docker: &Docker,
    container_id: &str,
) -> impl Stream<Item = Result<ContainerStats, String>> + use<> {
    docker
        .stats(
            container_id,
            Some(StatsOptions {
                stream: true,
                one_shot: false,
            }),
        )
        .filter_map(|r| async move {
            match r {
                Ok(s) => compute(&s).map(Ok),
                Err(e) => Some(Err(describe_error(&e))),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample shaped like dockerd 20.10 on cgroup v2 sends it.
    const SAMPLE: &str = r#"{
        "read": "2026-11-22T00:40:00.5Z", "pids_stats": {"current": 3},
        "cpu_stats": {"cpu_usage": {"total_usage": 3000000000}, "system_cpu_usage": 120000000000, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 2500000000}, "system_cpu_usage": 118000000000, "online_cpus": 2},
        "memory_stats": {"usage": 10485760, "limit": 8589934592, "stats": {"inactive_file": 2097152}},
        "networks": {"eth0": {"rx_bytes": 1000, "tx_bytes": 200}, "eth1": {"rx_bytes": 24, "tx_bytes": 0}}
    }"#;

    #[test]
    fn cpu_memory_and_network_figures() {
        let s: ContainerStatsResponse = serde_json::from_str(SAMPLE).unwrap();
        let c = compute(&s).unwrap();
        assert!((c.cpu_percent - 50.0).abs() < 1e-9, "{}", c.cpu_percent);
        assert_eq!(c.mem_used, 8 * 1024 * 1024);
        assert_eq!(c.mem_limit, 8 * 1024 * 1024 * 1024);
        assert_eq!((c.pids, c.rx_bytes, c.tx_bytes), (3, 1024, 200));
    }

    #[test]
    fn the_first_sample_without_a_previous_reading_is_skipped() {
        let s: ContainerStatsResponse =
            serde_json::from_str(r#"{"cpu_stats": {"cpu_usage": {"total_usage": 5}, "system_cpu_usage": 9}, "precpu_stats": {}}"#).unwrap();
        assert_eq!(compute(&s), None);
        assert_eq!(compute(&ContainerStatsResponse::default()), None);
    }
}
