//! No parser panics, whatever it is given: arbitrary bytes, arbitrary text, fixture
//! lines mutated, and JSON fixtures with leaves swapped for odd values.

use crate::backend::zfs::eta::RollingEta;
use crate::backend::zfs::parse::*;
use crate::core::time::Timestamp;
use proptest::prelude::*;

const TEXT_FIXTURES: &[&str] = &[
    fixture!("status_raidz_healthy.txt"),
    fixture!("status_degraded_offline.txt"),
    fixture!("status_unavail_errors.txt"),
    fixture!("status_spares.txt"),
    fixture!("status_classes.txt"),
    fixture!("status_multi.txt"),
    fixture!("status_scan_pre08.txt"),
    fixture!("status_scan_08.txt"),
    fixture!("status_scan_22.txt"),
    fixture!("status_scan_ends.txt"),
    fixture!("status_pair.txt"),
    fixture!("list_hp.txt"),
    fixture!("list_fuse.txt"),
    fixture!("datasets_hp.txt"),
    fixture!("datasets_fuse.txt"),
    fixture!("snapshots_hp.txt"),
    fixture!("snapshots_human.txt"),
    fixture!("fuse_status_real.txt"),
    fixture!("fuse_status_scrubs.txt"),
    fixture!("fuse_list_real.txt"),
    fixture!("fuse_datasets_real.txt"),
    fixture!("fuse_snapshots_like_real.txt"),
    fixture!("v23_status_pair_P.txt"),
];

const JSON_FIXTURES: &[&str] = &[
    fixture!("status_pair_int.json"),
    fixture!("status_pair_str.json"),
    fixture!("list_int.json"),
    fixture!("list_str.json"),
    fixture!("datasets_int.json"),
    fixture!("datasets_str.json"),
    fixture!("v23_status_pair_int.json"),
    fixture!("v23_status_pair_str.json"),
    fixture!("v23_status_classes_int.json"),
    fixture!("v23_status_classes_str.json"),
    fixture!("v23_status_rebuild_int.json"),
    fixture!("v23_list_int.json"),
    fixture!("v23_list_str.json"),
    fixture!("v23_datasets_int.json"),
    fixture!("v23_datasets_str.json"),
    fixture!("v23_snapshots_int.json"),
    fixture!("v23_snapshots_str.json"),
];

fn every_parser(s: &str) {
    let _ = status_text(s);
    let _ = status_json_at(s, Timestamp(1_764_601_000));
    let _ = status_json(s);
    let _ = list_text(s);
    let _ = list_json(s);
    let _ = datasets_text(s);
    let _ = datasets_json(s);
    let _ = snapshots_text(s);
    let _ = snapshots_json(s);
    let lines: Vec<&str> = s.lines().collect();
    let _ = scan(&lines);
    for word in s.split_whitespace().take(64) {
        let _ = (size(word), count(word), duration(word), timestamp(word));
    }
    let _ = (size(s), count(s), duration(s), timestamp(s));
}

/// Text that looks a little like ZFS output, so the parsers get past their first checks.
fn zfsish() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("pool:".to_string()),
        Just(" state:".to_string()),
        Just("  scan:".to_string()),
        Just("config:".to_string()),
        Just("errors:".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("NAME STATE READ WRITE CKSUM".to_string()),
        Just("scrub in progress since".to_string()),
        Just("resilvered".to_string()),
        Just("scanned out of".to_string()),
        Just("/".to_string()),
        Just("at".to_string()),
        Just("to go".to_string()),
        Just("% done".to_string()),
        Just(",".to_string()),
        Just("logs".to_string()),
        Just("spares".to_string()),
        "[0-9]{1,25}(\\.[0-9]{1,3})?[BKMGTPEZ]?(/s)?".prop_map(String::from),
        "[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}".prop_map(String::from),
        "[0-9]{1,20}( days )?[0-9]{1,20}:[0-9]{1,20}:[0-9]{1,20}".prop_map(String::from),
        "[0-9]{1,20}h[0-9]{1,20}m".prop_map(String::from),
        "\\PC{0,8}".prop_map(String::from),
    ];
    proptest::collection::vec(word, 0..80).prop_map(|w| w.join(" "))
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(String),
    Delete,
    Duplicate,
    Truncate(usize),
    Indent(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<String>().prop_map(Mutation::Replace),
        zfsish().prop_map(Mutation::Replace),
        Just(Mutation::Delete),
        Just(Mutation::Duplicate),
        (0usize..80).prop_map(Mutation::Truncate),
        (0usize..12).prop_map(Mutation::Indent),
    ]
}

fn mutate(text: &str, at: usize, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return String::new();
    }
    let i = at % lines.len();
    match m {
        Mutation::Replace(s) => lines[i] = s.clone(),
        Mutation::Delete => {
            lines.remove(i);
        }
        Mutation::Duplicate => lines.insert(i, lines[i].clone()),
        Mutation::Truncate(n) => lines[i] = lines[i].chars().take(*n).collect(),
        Mutation::Indent(n) => lines[i] = format!("{}{}", "\t ".repeat(*n), lines[i].trim_start()),
    }
    lines.join("\n")
}

/// An odd JSON value to put where a fixture has a leaf.
fn odd_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        "[0-9]{0,22}(\\.[0-9]{0,3})?[BKMGTPEx%]?".prop_map(Value::String),
        Just(json!({"vdevs": {"a": {"vdevs": {}}}})),
        Just(json!([1, "2", null])),
        Just(json!({})),
    ]
}

fn leaf_count(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => m.values().map(leaf_count).sum(),
        serde_json::Value::Array(a) => a.iter().map(leaf_count).sum(),
        _ => 1,
    }
}

fn swap_leaf(text: &str, at: usize, with: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    fn nth(v: &mut serde_json::Value, n: &mut usize, with: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(m) => m.values_mut().any(|c| nth(c, n, with)),
            serde_json::Value::Array(a) => a.iter_mut().any(|c| nth(c, n, with)),
            leaf => {
                if *n == 0 {
                    *leaf = with.clone();
                    return true;
                }
                *n -= 1;
                false
            }
        }
    }
    let mut n = at % leaf_count(&v).max(1);
    nth(&mut v, &mut n, &with);
    v.to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        every_parser(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn no_parser_panics_on_arbitrary_text(s in any::<String>()) {
        every_parser(&s);
    }

    #[test]
    fn no_parser_panics_on_zfs_like_text(s in zfsish()) {
        every_parser(&s);
    }

    #[test]
    fn no_parser_panics_on_mutated_fixtures(
        f in 0..TEXT_FIXTURES.len(),
        edits in proptest::collection::vec((any::<usize>(), mutation()), 1..4),
    ) {
        let mut text = TEXT_FIXTURES[f].to_string();
        for (at, m) in &edits {
            text = mutate(&text, *at, m);
        }
        every_parser(&text);
    }

    #[test]
    fn no_parser_panics_on_odd_json_leaves(
        f in 0..JSON_FIXTURES.len(),
        edits in proptest::collection::vec((any::<usize>(), odd_json()), 1..4),
    ) {
        let mut text = JSON_FIXTURES[f].to_string();
        for (at, with) in edits {
            text = swap_leaf(&text, at, with);
        }
        every_parser(&text);
        prop_assert!(status_json_at(&text, Timestamp(0)).is_ok() || !text.contains("\"pools\""));
    }

    #[test]
    fn exact_sizes_read_back_and_humanized_ones_are_close(n in 0u64..(1 << 62)) {
        prop_assert_eq!(size(&n.to_string()), Some(n));
        // zfs_nicenum's shape: three significant digits and a binary suffix.
        let (mut v, mut i) = (n as f64, 0);
        while v >= 1024.0 && i < 6 { v /= 1024.0; i += 1; }
        let human = format!("{v:.2}{}", ["B", "K", "M", "G", "T", "P", "E"][i]);
        let back = size(&human).unwrap();
        prop_assert!((back as f64 - n as f64).abs() <= n as f64 * 0.005 + 1.0, "{} -> {}", human, back);
    }

    #[test]
    fn rolling_eta_never_panics_and_stays_finite(
        samples in proptest::collection::vec((any::<f64>(), any::<u64>(), any::<u64>()), 0..40),
    ) {
        let mut e = RollingEta::new();
        for (t, issued, total) in samples {
            e.push(t, issued, total);
            if let Some(r) = e.rate() { prop_assert!(r.is_finite() && r >= 0.0); }
            let _ = e.eta_secs();
        }
    }
}

/// Every number of every JSON fixture at its largest at once: sums and rates of them
/// (the rebuild totals, the error counts) saturate instead of overflowing.
#[test]
fn no_parser_panics_when_every_number_is_the_largest() {
    fn max_out(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => m.values_mut().for_each(max_out),
            serde_json::Value::Array(a) => a.iter_mut().for_each(max_out),
            serde_json::Value::Number(_) => *v = serde_json::json!(u64::MAX),
            serde_json::Value::String(s)
                if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() =>
            {
                *s = u64::MAX.to_string()
            }
            _ => {}
        }
    }
    for f in JSON_FIXTURES {
        let mut v: serde_json::Value = serde_json::from_str(f).unwrap();
        max_out(&mut v);
        every_parser(&v.to_string());
    }
}
