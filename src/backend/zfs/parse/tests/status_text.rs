use super::outline;
use crate::backend::zfs::model::{ScanKind, ScanState};
use crate::backend::zfs::parse::status_text;

#[test]
fn healthy_raidz() {
    let pools = status_text(fixture!("status_raidz_healthy.txt"));
    assert_eq!(pools.len(), 1);
    let p = &pools[0];
    assert_eq!(p.name.as_str(), "tank");
    assert_eq!(p.health.as_str(), "ONLINE");
    assert_eq!((p.status.as_ref(), p.action.as_ref()), (None, None));
    assert_eq!(p.usage, None);
    assert_eq!(p.data_errors, Some(0));
    assert_eq!(
        outline(&p.vdevs),
        [
            "raidz1-0 Data ONLINE 0/0/0",
            "  sda Data ONLINE 0/0/0",
            "  sdb Data ONLINE 0/0/0",
            "  sdc Data ONLINE 0/0/0",
        ]
    );
    let s = p.scan.as_ref().unwrap();
    assert_eq!((s.kind, s.state), (ScanKind::Scrub, ScanState::Finished));
    assert_eq!(
        (s.repaired, s.duration_secs, s.errors),
        (Some(0), Some(1), Some(0))
    );
}

#[test]
fn degraded_mirror_with_an_offline_disk() {
    let p = &status_text(fixture!("status_degraded_offline.txt"))[0];
    assert_eq!(p.health.as_str(), "DEGRADED");
    assert_eq!(
        p.status.as_ref().unwrap().as_str(),
        "One or more devices has been taken offline by the administrator. \
         Sufficient replicas exist for the pool to continue functioning in a degraded state."
    );
    assert_eq!(
        p.action.as_ref().unwrap().as_str(),
        "Online the device using 'zpool online' or replace the device with 'zpool replace'."
    );
    assert_eq!(
        outline(&p.vdevs),
        [
            "mirror-0 Data DEGRADED 0/0/0",
            "  sdb Data ONLINE 0/0/0",
            "  sdc Data OFFLINE 0/0/0",
        ]
    );
    assert_eq!(p.scan.as_ref().unwrap().duration_secs, Some(11_045));
}

#[test]
fn unavail_was_faulted_and_humanized_counts() {
    let p = &status_text(fixture!("status_unavail_errors.txt"))[0];
    assert_eq!(
        outline(&p.vdevs),
        [
            "mirror-0 Data DEGRADED 0/0/0",
            "  sda Data ONLINE 0/0/1229",
            "  1234567890123456789 Data UNAVAIL 0/0/0 was /dev/sdc1",
            "mirror-1 Data DEGRADED 0/0/0",
            "  sdd Data FAULTED 12582912/3/0 too many errors",
            "  sde Data ONLINE 0/0/0",
        ]
    );
    assert_eq!(p.data_errors, Some(3));
    assert!(p.vdevs[0].has_errors() && p.vdevs[1].has_errors());
    let s = p.scan.as_ref().unwrap();
    assert_eq!((s.repaired, s.errors), (Some(128 * 1024), Some(3)));
}

#[test]
fn spares_in_use_and_available() {
    let p = &status_text(fixture!("status_spares.txt"))[0];
    assert_eq!(
        outline(&p.vdevs),
        [
            "mirror-0 Data ONLINE 0/0/0",
            "  sda Data ONLINE 0/0/0",
            "  sdb Data ONLINE 0/0/0",
            "mirror-1 Data DEGRADED 0/0/0",
            "  sdc Data ONLINE 0/0/0",
            "  spare-1 Data DEGRADED 0/0/0",
            "    sdd Data REMOVED 0/0/0",
            "    sdg Data ONLINE 0/0/4 (repairing)",
            "sdg Spares INUSE 0/0/0 currently in use",
            "sdh Spares AVAIL 0/0/0",
        ]
    );
}

#[test]
fn every_device_class() {
    let p = &status_text(fixture!("status_classes.txt"))[0];
    let tops: Vec<String> = p
        .vdevs
        .iter()
        .map(|v| format!("{} {:?} {}", v.name, v.group, v.children.len()))
        .collect();
    assert_eq!(
        tops,
        [
            "mirror-0 Data 2",
            "mirror-3 Dedup 2",
            "mirror-2 Special 2",
            "mirror-1 Logs 2",
            "sdg Cache 0",
            "sdh Cache 0",
        ]
    );
    assert!(
        p.vdevs[1]
            .children
            .iter()
            .all(|c| c.group == crate::backend::zfs::model::Group::Dedup)
    );
    assert_eq!(p.scan, None, "none requested");
}

#[test]
fn several_pools_in_one_output() {
    let pools = status_text(fixture!("status_multi.txt"));
    let names: Vec<(&str, &str)> = pools
        .iter()
        .map(|p| (p.name.as_str(), p.health.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("alpha", "ONLINE"),
            ("beta", "DEGRADED"),
            ("gamma", "UNAVAIL")
        ]
    );
    assert_eq!(outline(&pools[0].vdevs), ["sda Data ONLINE 0/0/0"]);
    assert_eq!(
        outline(&pools[1].vdevs),
        [
            "mirror-0 Data DEGRADED 0/0/0",
            "  sdb Data ONLINE 0/0/0",
            "  replacing-1 Data DEGRADED 0/0/0",
            "    sdc Data FAULTED 0/88/0 too many errors",
            "    sdd Data ONLINE 0/0/0 (resilvering)",
        ]
    );
    assert_eq!(outline(&pools[2].vdevs), ["sdx Data REMOVED 0/0/0"]);
    assert_eq!(pools[2].scan, None);
    assert!(
        pools[2]
            .status
            .as_ref()
            .unwrap()
            .as_str()
            .ends_with("continue functioning.")
    );
    let s = pools[1].scan.as_ref().unwrap();
    assert_eq!(
        (s.kind, s.state),
        (ScanKind::Resilver, ScanState::InProgress)
    );
}

#[test]
fn nothing_to_read() {
    assert!(status_text("").is_empty());
    assert!(status_text("no pools available\n").is_empty());
}

#[test]
fn spaces_instead_of_tabs_still_give_the_tree() {
    let text = fixture!("status_multi.txt").replace('\t', "        ");
    let pools = status_text(&text);
    assert_eq!(pools.len(), 3);
    assert_eq!(pools[1].vdevs[0].children[1].children.len(), 2);
    assert_eq!(
        pools[2].status.as_ref().unwrap().as_str(),
        status_text(fixture!("status_multi.txt"))[2]
            .status
            .as_ref()
            .unwrap()
            .as_str()
    );
}

#[test]
fn escapes_in_names_are_cleaned() {
    let text = "  pool: ev\u{1b}]0;pwned\u{7}il\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\tevil ONLINE 0 0 0\n\t  sd\u{1b}[2Ja ONLINE 0 0 0\n";
    let p = &status_text(text)[0];
    assert_eq!(p.name.as_str(), "ev␛il");
    assert_eq!(p.vdevs[0].name.as_str(), "sd␛a");
}
