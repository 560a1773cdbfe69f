use crate::backend::zfs::model::{Dataset, DatasetKind};
use crate::backend::zfs::parse::{datasets_json, datasets_text, snapshots_json, snapshots_text};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

const K: u64 = 1 << 10;
const M: u64 = 1 << 20;
const G: u64 = 1 << 30;

#[test]
fn datasets_from_hp() {
    let d = datasets_text(fixture!("datasets_hp.txt"));
    assert_eq!(d.len(), 5);
    assert_eq!(
        d[1],
        Dataset {
            name: SafeText::new("tank/media"),
            kind: DatasetKind::Filesystem,
            used: 800 * G,
            avail: 2_886_218_022_912,
            refer: 700 * G,
            used_by_snapshots: Some(100 * G),
            compress_ratio: Some(1.02),
            mountpoint: SafeText::new("/tank/media"),
            quota: Some(1 << 40),
            block_size: Some(M),
            compression: SafeText::new("zstd"),
        }
    );
    assert_eq!(d[0].quota, None, "quota 0 is no quota");
    assert_eq!(
        (d[2].name.as_str(), d[2].mountpoint.as_str(), d[2].quota),
        ("tank/my files", "/tank/my files", None)
    );
    let vol = &d[3];
    assert_eq!(
        (vol.kind, vol.block_size, vol.mountpoint.as_str(), vol.quota),
        (DatasetKind::Volume, Some(16 * K), "-", None)
    );
    let legacy = &d[4];
    assert_eq!(
        (
            legacy.used_by_snapshots,
            legacy.compress_ratio,
            legacy.block_size
        ),
        (None, None, None)
    );
    assert_eq!(legacy.mountpoint.as_str(), "legacy");
}

#[test]
fn datasets_from_zfs_fuse_human_form() {
    let d = datasets_text(fixture!("datasets_fuse.txt"));
    assert_eq!(d.len(), 3);
    assert_eq!(
        (d[0].used, d[0].avail, d[0].refer, d[0].quota),
        (984 * M, 552 * M, 21 * K, None)
    );
    assert_eq!(
        (d[1].used_by_snapshots, d[1].compress_ratio, d[1].quota),
        (Some(50 * M), Some(1.5), Some(G))
    );
    assert_eq!(
        (d[1].block_size, d[1].compression.as_str()),
        (Some(128 * K), "gzip")
    );
    assert_eq!(
        (d[2].kind, d[2].block_size),
        (DatasetKind::Volume, Some(8 * K))
    );
    assert!(datasets_text("NAME TYPE USED AVAIL REFER\n").is_empty());
}

#[test]
fn datasets_from_json_both_forms() {
    let int = datasets_json(fixture!("datasets_int.json")).unwrap();
    let strs = datasets_json(fixture!("datasets_str.json")).unwrap();
    assert_eq!(int.len(), 2, "the snapshot is not a dataset");
    assert_eq!(
        (int[0].name.as_str(), int[0].kind, int[0].used, int[0].quota),
        ("tank", DatasetKind::Filesystem, 1 << 40, None)
    );
    assert_eq!(
        (
            int[0].block_size,
            int[0].compression.as_str(),
            int[0].mountpoint.as_str()
        ),
        (Some(128 * K), "lz4", "/tank")
    );
    assert_eq!(
        (int[1].kind, int[1].block_size, int[1].compress_ratio),
        (DatasetKind::Volume, Some(16 * K), Some(1.45))
    );
    for (a, b) in strs.iter().zip(&int) {
        assert_eq!(
            (&a.name, a.kind, a.block_size, a.quota, a.compress_ratio),
            (&b.name, b.kind, b.block_size, b.quota, b.compress_ratio)
        );
        assert!(a.avail.abs_diff(b.avail) as f64 <= b.avail as f64 * 0.005);
    }
    assert!(datasets_json("{}").is_err());
}

#[test]
fn snapshots_all_forms() {
    let hp = snapshots_text(fixture!("snapshots_hp.txt"));
    assert_eq!(hp.len(), 2);
    assert_eq!(hp[0].raw_name, "tank/media@labdeck-20261201-120000");
    assert_eq!(
        (hp[0].used, hp[0].refer, hp[0].created),
        (M, 700 * G, Some(Timestamp(1_796_126_400)))
    );
    assert_eq!(
        (hp[1].name.as_str(), hp[1].created),
        ("tank@before upgrade", Some(Timestamp(1_627_229_269)))
    );

    let human = snapshots_text(fixture!("snapshots_human.txt"));
    assert_eq!(
        (human[0].used, human[0].created),
        (M, Some(Timestamp(1_796_126_400)))
    );
    assert_eq!(
        (human[1].refer, human[1].created),
        (21 * K, Some(Timestamp(1_627_229_220)))
    );

    for text in [fixture!("datasets_int.json"), fixture!("datasets_str.json")] {
        let j = snapshots_json(text).unwrap();
        assert_eq!(j.len(), 1);
        assert_eq!(
            (j[0].raw_name.as_str(), j[0].used, j[0].created),
            (hp[0].raw_name.as_str(), M, Some(Timestamp(1_796_126_400)))
        );
    }
    assert!(
        snapshots_text("tank/a\t1\t2\t3\n").is_empty(),
        "no @: not a snapshot"
    );
}
