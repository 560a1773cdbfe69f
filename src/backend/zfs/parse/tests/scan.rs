use crate::backend::zfs::model::{Scan, ScanKind, ScanState};
use crate::backend::zfs::parse::status_text;
use crate::core::time::Timestamp;

const G: u64 = 1 << 30;
const M: u64 = 1 << 20;
const T: u64 = 1 << 40;

fn scans(text: &str) -> Vec<Option<Scan>> {
    status_text(text).into_iter().map(|p| p.scan).collect()
}

fn approx(a: Option<u64>, b: f64) -> bool {
    a.is_some_and(|a| (a as f64 - b).abs() <= b * 0.001 + 1.0)
}

#[test]
fn before_0_8_scanned_out_of() {
    let s = scans(fixture!("status_scan_pre08.txt"));
    let scrub = s[0].as_ref().unwrap();
    assert_eq!(
        (scrub.kind, scrub.state),
        (ScanKind::Scrub, ScanState::InProgress)
    );
    assert!(approx(scrub.scanned, 1.18 * G as f64));
    assert!(approx(scrub.total, 4.23 * G as f64));
    assert!(approx(scrub.rate, 40.2 * M as f64));
    assert_eq!(scrub.issued, None);
    assert_eq!(scrub.percent, Some(27.9));
    assert_eq!(scrub.zfs_eta_secs, Some(60));
    assert_eq!(scrub.repaired, Some(0));
    assert_eq!(
        scrub.when.as_ref().unwrap().as_str(),
        "Sun Jul 25 16:07:49 2021"
    );
    assert_eq!(scrub.at, Some(Timestamp(1_627_229_269)));
    let res = s[1].as_ref().unwrap();
    assert_eq!(
        (res.kind, res.state),
        (ScanKind::Resilver, ScanState::InProgress)
    );
    assert_eq!(
        (res.scanned, res.total, res.rate),
        (Some(512 * M), Some(2 * G), Some(10 * M))
    );
    assert_eq!(
        (res.repaired, res.percent, res.zfs_eta_secs),
        (Some(500 * M), Some(25.0), Some(120))
    );
}

#[test]
fn from_0_8_to_2_1_scanned_issued_total() {
    let s = scans(fixture!("status_scan_08.txt"));
    let a = s[0].as_ref().unwrap();
    assert!(approx(a.scanned, 3.42 * G as f64));
    assert!(approx(a.issued, 1.14 * G as f64));
    assert!(approx(a.total, 5.68 * G as f64));
    assert_eq!(a.rate, Some(119 * M), "the issue rate, not the scan rate");
    assert_eq!((a.percent, a.zfs_eta_secs), (Some(20.07), Some(38)));
    let b = s[1].as_ref().unwrap();
    assert_eq!((b.issued, b.rate, b.percent), (Some(0), Some(0), Some(0.0)));
    assert_eq!(b.zfs_eta_secs, None, "no estimated completion time");
}

#[test]
fn from_2_2_slash_totals() {
    let a = scans(fixture!("status_scan_22.txt")).remove(0).unwrap();
    assert!(approx(a.scanned, 1.12 * T as f64));
    assert_eq!(a.issued, Some(745 * G));
    assert!(approx(a.total, 1.62 * T as f64));
    assert_eq!(a.rate, Some(764 * M));
    assert_eq!(
        (a.percent, a.zfs_eta_secs, a.repaired),
        (Some(44.95), Some(1198), Some(0))
    );
}

#[test]
fn resilver_in_progress_of_every_generation() {
    let beta = scans(fixture!("status_multi.txt")).remove(1).unwrap();
    assert_eq!(
        (beta.kind, beta.state),
        (ScanKind::Resilver, ScanState::InProgress)
    );
    assert!(approx(beta.repaired, 1.13 * G as f64));
    assert_eq!((beta.percent, beta.zfs_eta_secs), (Some(20.07), Some(38)));
    let pair = scans(fixture!("status_pair.txt")).remove(0).unwrap();
    assert_eq!(pair.kind, ScanKind::Resilver);
    assert_eq!(
        (pair.repaired, pair.percent, pair.zfs_eta_secs),
        (Some(3 * G), Some(44.91), Some(1226))
    );
}

#[test]
fn finished_canceled_paused_and_none() {
    let s = scans(fixture!("status_scan_ends.txt"));
    let done = s[0].as_ref().unwrap();
    assert_eq!(
        (done.kind, done.state),
        (ScanKind::Resilver, ScanState::Finished)
    );
    assert!(approx(done.repaired, 1.23 * G as f64));
    assert_eq!((done.duration_secs, done.errors), (Some(611), Some(0)));
    assert_eq!(done.at, Some(Timestamp(1_627_229_269)));

    let stopped = s[1].as_ref().unwrap();
    assert_eq!(
        (stopped.kind, stopped.state),
        (ScanKind::Scrub, ScanState::Canceled)
    );
    assert_eq!(stopped.at, Some(Timestamp(1_627_229_269)));

    let resting = s[2].as_ref().unwrap();
    assert_eq!(resting.state, ScanState::Paused);
    assert_eq!(
        resting.when.as_ref().unwrap().as_str(),
        "Mon Jul 26 08:00:00 2021"
    );
    assert_eq!(
        (resting.issued, resting.percent, resting.rate),
        (Some(745 * G), Some(44.95), None)
    );
    assert_eq!(resting.zfs_eta_secs, None);

    let old = s[3].as_ref().unwrap();
    assert_eq!(
        (old.state, old.repaired, old.duration_secs),
        (ScanState::Finished, Some(0), Some(300))
    );

    assert_eq!(s[4], None, "none requested");
}

#[test]
fn an_unreadable_date_keeps_its_text() {
    let s = crate::backend::zfs::parse::scan(&["scrub canceled on Di 1. Dez 2026"]).unwrap();
    assert_eq!(s.when.as_ref().unwrap().as_str(), "Di 1. Dez 2026");
    assert_eq!(s.at, None);
}
