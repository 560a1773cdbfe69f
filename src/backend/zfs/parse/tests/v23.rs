//! `zpool status` JSON in the shape real OpenZFS 2.3 hosts print (see the fixtures'
//! README): enum-named states and reasons, full paths, string times with a zone.

use super::outline;
use crate::backend::zfs::model::{ScanKind, ScanState};
use crate::backend::zfs::parse::{status_json_at, status_text};
use crate::core::time::Timestamp;

const NOW: Timestamp = Timestamp(1_764_601_000);

#[test]
fn the_json_forms_and_the_text_agree_on_a_resilvering_pool() {
    let text = status_text(fixture!("v23_status_pair_P.txt")).remove(0);
    let want = [
        "raidz1-0 Data DEGRADED 0/0/0",
        "  /dev/sda1 Data ONLINE 0/0/0",
        "  replacing-1 Data DEGRADED 0/0/0",
        "    9876543210987654321 Data UNAVAIL 0/0/0 was /dev/sdb1",
        "    /dev/sdf1 Data ONLINE 0/0/0 (resilvering)",
        "  /dev/sdc1 Data ONLINE 0/0/2",
        "/dev/sdd1 Logs ONLINE 0/0/0",
        "/dev/sde1 Spares AVAIL 0/0/0",
    ];
    assert_eq!(outline(&text.vdevs), want);
    for f in [
        fixture!("v23_status_pair_int.json"),
        fixture!("v23_status_pair_str.json"),
    ] {
        let p = status_json_at(f, NOW).unwrap().remove(0);
        // `CANT_OPEN` is said as the text says it.
        assert_eq!(outline(&p.vdevs), want);
        assert_eq!(p.health, text.health);
        let s = p.scan.unwrap();
        assert_eq!(
            (s.kind, s.state),
            (ScanKind::Resilver, ScanState::InProgress)
        );
        // `Mon Dec  1 14:40:00 UTC 2025` in the string form, epoch seconds in the other.
        assert_eq!(s.at, Some(Timestamp(1_764_600_000)));
        assert!((s.percent.unwrap() - 44.91).abs() < 0.01);
    }
}

#[test]
fn every_class_and_a_faulted_spare_with_its_reason_in_words() {
    for f in [
        fixture!("v23_status_classes_int.json"),
        fixture!("v23_status_classes_str.json"),
    ] {
        let p = status_json_at(f, NOW).unwrap().remove(0);
        assert_eq!((p.name.as_str(), p.health.as_str()), ("fast", "DEGRADED"));
        assert_eq!(p.data_errors, Some(3));
        assert_eq!(
            outline(&p.vdevs),
            [
                "mirror-0 Data DEGRADED 0/0/0",
                "  /dev/sdg1 Data ONLINE 0/0/0",
                "  spare-1 Data DEGRADED 0/0/0",
                "    /dev/sdh1 Data FAULTED 1229/0/0 too many errors",
                "    /dev/sdj1 Data ONLINE 0/0/0",
                "/dev/nvme0n1p1 Logs ONLINE 0/0/0",
                "/dev/nvme1n1p1 Cache ONLINE 0/0/0",
                "/dev/sdj1 Spares INUSE 0/0/0",
                "/dev/sdk1 Spares AVAIL 0/0/0",
                "mirror-2 Special ONLINE 0/0/0",
                "  /dev/nvme0n1p2 Special ONLINE 0/0/0",
                "  /dev/nvme1n1p2 Special ONLINE 0/0/0",
                "mirror-3 Dedup ONLINE 0/0/0",
                "  /dev/nvme2n1p1 Dedup ONLINE 0/0/0",
                "  /dev/nvme3n1p1 Dedup ONLINE 0/0/0",
            ]
        );
        let s = p.scan.unwrap();
        assert_eq!((s.kind, s.state), (ScanKind::Scrub, ScanState::Finished));
        assert_eq!(s.errors, Some(3));
        assert_eq!(s.duration_secs, Some(3638));
    }
}

#[test]
fn lists_of_pools_datasets_and_snapshots_read_alike_in_both_forms() {
    use crate::backend::zfs::model::DatasetKind;
    use crate::backend::zfs::parse::{datasets_json, list_json, snapshots_json};
    for f in [fixture!("v23_list_int.json"), fixture!("v23_list_str.json")] {
        let l = list_json(f).unwrap();
        let names: Vec<(&str, &str)> = l.iter().map(|(n, _, h)| (n.as_str(), h.as_str())).collect();
        assert_eq!(names, [("tank", "ONLINE"), ("backup", "DEGRADED")]);
        let (tank, backup) = (&l[0].1, &l[1].1);
        assert_eq!(
            (tank.cap, tank.frag, tank.dedup),
            (Some(27), Some(12), Some(1.0))
        );
        assert_eq!((backup.frag, backup.dedup), (None, Some(1.5)));
        assert!(tank.size.abs_diff(3_985_729_650_688) < 3_985_729_650_688 / 100);
    }
    let int = datasets_json(fixture!("v23_datasets_int.json")).unwrap();
    let strs = datasets_json(fixture!("v23_datasets_str.json")).unwrap();
    for d in [&int, &strs] {
        let names: Vec<&str> = d.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["tank", "tank/media", "tank/vm-101"]);
        assert_eq!(d[2].kind, DatasetKind::Volume);
        assert_eq!(d[2].compress_ratio, Some(1.45));
        assert_eq!(d[2].block_size, Some(16384));
        assert_eq!(d[1].quota, Some(1 << 40));
        assert_eq!(d[0].quota, None, "quota 0 is none");
    }
    assert_eq!(int[1].used, 751_620_325_376);
    let int = snapshots_json(fixture!("v23_snapshots_int.json")).unwrap();
    let strs = snapshots_json(fixture!("v23_snapshots_str.json")).unwrap();
    for s in [&int, &strs] {
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].raw_name, "tank@before upgrade");
        assert_eq!(s[1].created, Some(Timestamp(1_796_126_400)));
    }
    // The string form's dates have minutes only.
    assert_eq!(int[0].created, Some(Timestamp(1_627_229_269)));
    assert_eq!(strs[0].created, Some(Timestamp(1_627_229_220)));
}

#[test]
fn a_sequential_resilver_is_the_scan_while_it_runs() {
    let p = status_json_at(fixture!("v23_status_rebuild_int.json"), NOW)
        .unwrap()
        .remove(0);
    let s = p.scan.unwrap();
    assert_eq!(
        (s.kind, s.state),
        (ScanKind::Resilver, ScanState::InProgress),
        "not the finished scrub beside it"
    );
    assert_eq!(s.percent, Some(50.0));
    // 50 GiB in a 600 s pass; 50 GiB to go.
    assert_eq!(s.rate, Some(53_687_091_200 / 600));
    assert_eq!(s.zfs_eta_secs, Some(600));
    assert_eq!(s.at, Some(Timestamp(1_764_600_000)));
}
