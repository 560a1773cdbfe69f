//! The same pool as `zpool status` text, `-jP --json-int` and `-j` (strings): the
//! parsers must agree on everything both forms carry.

use super::outline;
use crate::backend::zfs::model::{Pool, ScanKind, ScanState};
use crate::backend::zfs::parse::{status_json, status_json_at, status_text};
use crate::core::time::Timestamp;

/// The fixtures' pass started at 1_764_600_000; they were "taken" 1000 s later.
const NOW: Timestamp = Timestamp(1_764_601_000);

fn json(text: &str) -> Pool {
    let mut pools = status_json_at(text, NOW).unwrap();
    assert_eq!(pools.len(), 1);
    pools.remove(0)
}

#[test]
fn json_int_reads_the_whole_pool() {
    let p = json(fixture!("status_pair_int.json"));
    assert_eq!((p.name.as_str(), p.health.as_str()), ("tank", "DEGRADED"));
    assert_eq!(p.data_errors, Some(0));
    assert_eq!(
        p.action.as_ref().unwrap().as_str(),
        "Wait for the resilver to complete."
    );
    assert_eq!(
        outline(&p.vdevs),
        [
            "raidz1-0 Data DEGRADED 0/0/0",
            "  sda Data ONLINE 0/0/0",
            "  replacing-1 Data DEGRADED 0/0/0",
            "    9876543210987654321 Data UNAVAIL 0/0/0 was /dev/sdb1",
            "    sdf Data ONLINE 0/0/0 (resilvering)",
            "  sdc Data ONLINE 0/0/2",
            "sdd Logs ONLINE 0/0/0",
            "sde Spares AVAIL 0/0/0",
        ]
    );
    let s = p.scan.unwrap();
    assert_eq!(
        (s.kind, s.state),
        (ScanKind::Resilver, ScanState::InProgress)
    );
    assert_eq!(s.total, Some(1_781_208_836_997));
    assert_eq!(s.issued, Some(799_937_658_880));
    assert_eq!(s.scanned, Some(1_231_453_023_109));
    assert_eq!(s.rate, Some(799_937_658), "issued this pass / 1000 s");
    assert_eq!(s.zfs_eta_secs, Some(1226));
    assert!((s.percent.unwrap() - 44.909_818).abs() < 1e-4);
    assert_eq!(s.repaired, Some(3 << 30));
    assert_eq!(s.at, Some(Timestamp(1_764_600_000)));
    assert_eq!(s.when, None, "an integer time has no text");
}

#[test]
fn text_int_and_string_forms_agree() {
    let text = status_text(fixture!("status_pair.txt")).remove(0);
    let int = json(fixture!("status_pair_int.json"));
    let strs = json(fixture!("status_pair_str.json"));
    for j in [&int, &strs] {
        assert_eq!(j.name, text.name);
        assert_eq!(j.health, text.health);
        assert_eq!(j.data_errors, text.data_errors);
        assert_eq!(outline(&j.vdevs), outline(&text.vdevs));
        let (a, b) = (j.scan.as_ref().unwrap(), text.scan.as_ref().unwrap());
        assert_eq!((a.kind, a.state), (b.kind, b.state));
        assert!((a.percent.unwrap() - b.percent.unwrap()).abs() < 0.01);
        let close = |x: Option<u64>, y: Option<u64>| {
            let (x, y) = (x.unwrap() as f64, y.unwrap() as f64);
            (x - y).abs() <= y * 0.006
        };
        assert!(
            close(a.total, b.total) && close(a.issued, b.issued) && close(a.scanned, b.scanned)
        );
        assert!(close(a.rate, b.rate), "{:?} {:?}", a.rate, b.rate);
        assert!(a.zfs_eta_secs.unwrap().abs_diff(b.zfs_eta_secs.unwrap()) <= 10);
    }
    // Text dates are local time read as UTC; the string form's date string too.
    assert_eq!(
        strs.scan.as_ref().unwrap().at,
        text.scan.as_ref().unwrap().at
    );
    for j in [&int, &strs] {
        assert_eq!((&j.status, &j.action), (&text.status, &text.action));
    }
}

#[test]
fn finished_canceled_and_paused_scans_from_json() {
    let doc = |scan: &str| {
        format!(
            r#"{{"output_version": {{"command": "zpool status", "vers_major": 0, "vers_minor": 1}},
            "pools": {{"p": {{"name": "p", "state": "ONLINE", "scan_stats": {scan},
            "vdevs": {{"p": {{"name": "p", "vdev_type": "root", "state": "ONLINE",
            "vdevs": {{"sda": {{"name": "sda", "vdev_type": "disk", "state": "ONLINE",
            "read_errors": 0, "write_errors": 0, "checksum_errors": 0}}}}}}}}, "error_count": 0}}}}}}"#
        )
    };
    let fin = doc(
        r#"{"function": "SCRUB", "state": "FINISHED", "start_time": 1000, "end_time": 4600,
        "to_examine": 100, "examined": 100, "processed": 4096, "errors": 2, "pass_start": 1000,
        "scrub_pause": 0, "scrub_spent_paused": 0, "issued_bytes_per_scan": 100, "issued": 100}"#,
    );
    let s = status_json_at(&fin, NOW).unwrap()[0].scan.clone().unwrap();
    assert_eq!(
        (s.state, s.duration_secs, s.repaired, s.errors),
        (ScanState::Finished, Some(3600), Some(4096), Some(2))
    );
    assert_eq!(
        (s.at, s.rate, s.zfs_eta_secs),
        (Some(Timestamp(4600)), None, None)
    );

    let can = doc(
        r#"{"function": "SCRUB", "state": "CANCELED", "start_time": "1000", "end_time": "2000"}"#,
    );
    let s = status_json_at(&can, NOW).unwrap()[0].scan.clone().unwrap();
    assert_eq!(
        (s.state, s.at),
        (ScanState::Canceled, Some(Timestamp(2000)))
    );

    let paused = doc(
        r#"{"function": "SCRUB", "state": "SCANNING", "start_time": "Sun Jul 25 16:07:49 2021",
        "to_examine": "1.00T", "examined": "512G", "issued": "256G", "skipped": "0B", "pass_start": "1627229269",
        "scrub_pause": "Mon Jul 26 08:00:00 2021", "scrub_spent_paused": "0", "issued_bytes_per_scan": "256G"}"#,
    );
    let s = status_json_at(&paused, NOW).unwrap()[0]
        .scan
        .clone()
        .unwrap();
    assert_eq!(
        (s.state, s.percent, s.rate),
        (ScanState::Paused, Some(25.0), None)
    );
    assert_eq!(
        s.when.as_ref().unwrap().as_str(),
        "Mon Jul 26 08:00:00 2021"
    );

    let none = doc(r#"{"function": "NONE", "state": "NONE"}"#);
    assert_eq!(status_json_at(&none, NOW).unwrap()[0].scan, None);
}

#[test]
fn json_errors_are_values_not_panics() {
    assert!(status_json("").is_err());
    assert!(status_json("[1, 2]").is_err());
    assert!(status_json(r#"{"output_version": {}}"#).unwrap().is_empty());
    assert!(status_json(r#"{"pools": {}}"#).unwrap().is_empty());
    let odd =
        status_json(r#"{"pools": {"x": 3, "y": {"vdevs": [1], "scan_stats": {"function": 7}}}}"#)
            .unwrap();
    assert_eq!(odd.len(), 2);
    assert_eq!(odd[0].name.as_str(), "x");
}
