use crate::backend::zfs::model::PoolUsage;
use crate::backend::zfs::parse::{list_json, list_text};

fn rows(
    v: Vec<(
        crate::core::text::SafeText,
        PoolUsage,
        crate::core::text::SafeText,
    )>,
) -> Vec<(String, PoolUsage, String)> {
    v.into_iter()
        .map(|(n, u, h)| (n.to_string(), u, h.to_string()))
        .collect()
}

fn usage(
    size: u64,
    alloc: u64,
    free: u64,
    frag: Option<u8>,
    cap: Option<u8>,
    dedup: Option<f64>,
) -> PoolUsage {
    PoolUsage {
        size,
        alloc,
        free,
        frag,
        cap,
        dedup,
    }
}

#[test]
fn exact_columns_from_hp() {
    assert_eq!(
        rows(list_text(fixture!("list_hp.txt"))),
        [
            (
                "tank".into(),
                usage(
                    3_985_729_650_688,
                    1 << 40,
                    2_886_218_022_912,
                    Some(12),
                    Some(27),
                    Some(1.0)
                ),
                "ONLINE".into()
            ),
            (
                "backup".into(),
                usage(
                    1_992_864_825_344,
                    0,
                    1_992_864_825_344,
                    None,
                    Some(0),
                    Some(1.5)
                ),
                "DEGRADED".into()
            ),
            (
                "gone".into(),
                usage(0, 0, 0, None, None, None),
                "UNAVAIL".into()
            ),
        ]
    );
}

#[test]
fn human_columns_from_zfs_fuse() {
    assert_eq!(
        rows(list_text(fixture!("list_fuse.txt"))),
        [
            (
                "tank".into(),
                usage(
                    1_610_612_736,
                    984 << 20,
                    552 << 20,
                    None,
                    Some(64),
                    Some(1.0)
                ),
                "ONLINE".into()
            ),
            (
                "small".into(),
                usage(100_139_008, 12 << 10, 100_139_008, None, Some(0), Some(1.0)),
                "ONLINE".into()
            ),
        ]
    );
}

#[test]
fn headers_and_other_shapes_are_skipped() {
    assert!(list_text("NAME SIZE ALLOC FREE FRAG CAP DEDUP HEALTH\n").is_empty());
    assert!(list_text("no pools available\n\n").is_empty());
    assert_eq!(
        list_text("a 1 2 3 - - - ONLINE\n").len(),
        1,
        "spaces when -H was forgotten"
    );
}

#[test]
fn json_int_and_string_forms() {
    let int = rows(list_json(fixture!("list_int.json")).unwrap());
    assert_eq!(
        int,
        [
            (
                "tank".into(),
                usage(
                    3_985_729_650_688,
                    1 << 40,
                    2_886_218_022_912,
                    Some(12),
                    Some(27),
                    Some(1.0)
                ),
                "ONLINE".into()
            ),
            (
                "backup".into(),
                usage(
                    1_992_864_825_344,
                    0,
                    1_992_864_825_344,
                    None,
                    Some(0),
                    Some(1.5)
                ),
                "DEGRADED".into()
            ),
        ]
    );
    let strs = rows(list_json(fixture!("list_str.json")).unwrap());
    assert_eq!(strs.len(), 2);
    for (a, b) in strs.iter().zip(&int) {
        assert_eq!(
            (&a.0, &a.2, a.1.frag, a.1.cap, a.1.dedup),
            (&b.0, &b.2, b.1.frag, b.1.cap, b.1.dedup)
        );
        for (x, y) in [
            (a.1.size, b.1.size),
            (a.1.alloc, b.1.alloc),
            (a.1.free, b.1.free),
        ] {
            assert!(x.abs_diff(y) as f64 <= y as f64 * 0.005, "{x} vs {y}");
        }
    }
    assert!(list_json("nope").is_err());
    assert!(list_json(r#"{"output_version": {}}"#).unwrap().is_empty());
}
