use super::*;

fn row(key: &str, cells: &[&str]) -> Row {
    Row {
        key: key.into(),
        cells: cells.iter().map(|c| Cell::new(SafeText::new(c))).collect(),
    }
}

fn table() -> Table {
    let mut t = Table::new(vec![
        Column::flex("NAME", 10, 0),
        Column::fixed("REPLICAS", 8, 1),
    ]);
    t.set_rows(vec![
        row("a", &["media_sonarr", "0/1"]),
        row("b", &["infra_caddy", "1/1"]),
        row("c", &["media_radarr", "10/10"]),
        row("d", &["media_lidarr", "2/2"]),
    ]);
    t
}

fn names(t: &Table) -> Vec<&str> {
    (0..t.rows_len())
        .map(|i| t.row(i).unwrap().cells[0].text.as_str())
        .collect()
}

#[test]
fn filter_keeps_matching_rows_case_insensitively() {
    let mut t = table();
    t.set_filter("MEDIA");
    assert_eq!(names(&t), ["media_sonarr", "media_radarr", "media_lidarr"]);
    t.set_filter("caddy");
    assert_eq!(names(&t), ["infra_caddy"]);
    t.set_filter("");
    assert_eq!(t.rows_len(), 4);
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut t = table();
    t.sort_next();
    assert_eq!(
        names(&t),
        [
            "infra_caddy",
            "media_lidarr",
            "media_radarr",
            "media_sonarr"
        ]
    );
    t.sort_reverse();
    assert_eq!(names(&t)[0], "media_sonarr");
    t.sort_next(); // replicas column, natural order, still descending
    assert_eq!(
        names(&t),
        [
            "media_radarr",
            "media_lidarr",
            "infra_caddy",
            "media_sonarr"
        ]
    );
    t.sort_next(); // back to source order
    assert_eq!(t.sort, None);
    assert_eq!(names(&t)[0], "media_sonarr");
}

#[test]
fn selection_follows_its_row_through_resorts_and_relists() {
    let mut t = table();
    t.move_by(2);
    assert_eq!(t.selected_key(), Some("c"));
    t.sort_next();
    assert_eq!(t.selected_key(), Some("c"));
    let mut rows: Vec<Row> = (0..4).map(|i| t.row(i).unwrap().clone()).collect();
    rows.retain(|r| r.key != "a");
    t.set_rows(rows);
    assert_eq!(t.selected_key(), Some("c"));
}

#[test]
fn selection_is_clamped_when_rows_disappear() {
    let mut t = table();
    t.bottom();
    t.set_rows(vec![row("x", &["only", "1/1"])]);
    assert_eq!(t.selected, 0);
    t.set_rows(vec![]);
    assert_eq!(t.selected_row(), None);
    t.move_by(5);
    assert_eq!(t.selected, 0);
}

#[test]
fn scrolling_keeps_the_selection_visible() {
    let mut t = Table::new(vec![Column::flex("N", 5, 0)]);
    t.set_rows(
        (0..100)
            .map(|i| row(&i.to_string(), &[&i.to_string()]))
            .collect(),
    );
    t.move_by(30);
    assert_eq!(t.scroll_into_view(10), 21);
    t.move_by(-25);
    assert_eq!(t.scroll_into_view(10), 5);
    t.bottom();
    assert_eq!(t.scroll_into_view(10), 90);
}

#[test]
fn natural_order_compares_numbers_as_numbers() {
    assert_eq!(natural_cmp("node2", "node10"), Ordering::Less);
    assert_eq!(natural_cmp("1/2", "10/20"), Ordering::Less);
    assert_eq!(natural_cmp("a", "B"), Ordering::Less);
    assert_eq!(natural_cmp("007", "7"), Ordering::Equal);
}

#[test]
fn the_next_age_change_is_the_soonest_visible_label_change() {
    use crate::core::time::Timestamp;
    let now = Timestamp(10_000);
    let row = |k: &str, age: i64| Row {
        key: k.into(),
        cells: vec![Cell::age(Some(Timestamp(now.0 - age)), Tone::Dim)],
    };
    let mut t = Table::new(vec![Column::fixed("AGE", 4, 0)]);
    t.set_rows(vec![row("a", 330), row("b", 7200 + 15)]);
    // 5m30s turns 6m in 30 s; 2h0m15s turns 3h in 59m45s.
    assert_eq!(t.next_age_change(now, 10), Some(30));
    t.set_rows(vec![row("a", 59)]);
    assert_eq!(
        t.next_age_change(now, 10),
        Some(1),
        "59s becomes 1m in a second"
    );
    // Only rows on screen count: with one row shown, the second one is ignored.
    t.set_rows(vec![row("a", 3000 - 1), row("b", 5)]);
    assert_eq!(t.next_age_change(now, 1), Some(60 - (2999 % 60)));
    t.set_rows(vec![Row {
        key: "x".into(),
        cells: vec![Cell::own("no age", Tone::Normal)],
    }]);
    assert_eq!(t.next_age_change(now, 10), None);
}

#[test]
fn column_widths_come_from_every_row_so_a_filter_does_not_move_them() {
    let mut t = Table::new(vec![Column::flex("NAME", 4, 0)]);
    let row = |k: &str| Row {
        key: k.into(),
        cells: vec![Cell::own(k, Tone::Normal)],
    };
    t.set_rows(vec![row("a"), row("a-much-longer-name")]);
    let before = t.widest.clone();
    t.set_filter("a");
    t.set_filter("zz");
    assert_eq!(t.widest, before);
    assert_eq!(before, vec![18]);
}

proptest::proptest! {
    /// Any mix of ages, quantities and text in one column sorts without the standard
    /// library finding the order inconsistent, both ways, and quantities come largest
    /// first.
    #[test]
    fn any_mix_of_cells_sorts_in_one_consistent_order(
        cells in proptest::collection::vec((0u8..4, 0u64..5, "[a-c0-9-]{0,3}"), 0..40),
        desc in proptest::bool::ANY,
    ) {
        let rows: Vec<Row> = cells
            .iter()
            .enumerate()
            .map(|(i, (kind, n, text))| Row {
                key: i.to_string(),
                cells: vec![match kind {
                    0 => Cell::age(Some(crate::core::time::Timestamp(*n as i64)), Tone::Dim),
                    1 => Cell::age(None, Tone::Dim),
                    2 => Cell::own(text.clone(), Tone::Normal).ordered(*n),
                    _ => Cell::own(text.clone(), Tone::Normal),
                }],
            })
            .collect();
        let mut t = Table::new(vec![Column::fixed("X", 5, 0)]);
        t.set_rows(rows);
        t.sort = Some((0, desc));
        // A filter change rebuilds the visible rows in the sort's order.
        t.set_filter("x");
        t.set_filter("");
        let shown: Vec<Option<u64>> = (0..t.rows_len())
            .filter_map(|i| t.row(i))
            .filter_map(|r| r.cells[0].order().map(Some))
            .collect();
        let mut sorted = shown.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        if desc {
            sorted.reverse();
        }
        proptest::prop_assert_eq!(shown, sorted);
    }
}

/// Marks are on what is shown: a filter that hides a marked row unmarks it, and
/// clearing the filter clears the marks, so a dialog never lists rows out of sight.
#[test]
fn marks_stay_only_on_rows_shown_and_go_with_the_filter() {
    let mut t = table();
    t.set_filter("media");
    t.toggle_mark(); // media_sonarr, then on to media_radarr
    t.toggle_mark(); // media_radarr
    assert_eq!(t.marked(), ["a", "c"]);
    t.set_filter("media_s");
    assert_eq!(t.marked(), ["a"], "radarr is hidden: no longer marked");
    t.set_filter("media");
    assert_eq!(t.marked(), ["a"], "and not marked again when shown");
    t.set_filter("");
    assert!(
        t.marked().is_empty(),
        "clearing the filter clears the marks"
    );
    assert!(!t.is_marked("a"));
}

#[test]
fn a_sparse_column_shows_only_when_a_row_fills_it() {
    let cols = vec![
        Column::flex("NAME", 10, 0),
        Column::flex("DATA", 10, 1).sparse(),
    ];
    let row = |k: &str, data: &str| Row {
        key: k.into(),
        cells: vec![Cell::new(SafeText::new(k)), Cell::new(SafeText::new(data))],
    };
    let mut t = Table::new(cols);
    t.set_rows(vec![row("a", ""), row("b", "")]);
    assert!(t.shows(0));
    assert!(!t.shows(1), "empty everywhere: not shown");
    t.set_rows(vec![row("a", ""), row("b", "tank/media")]);
    assert!(t.shows(1));
}

#[test]
fn a_cell_stays_small_and_keeps_its_age_or_its_quantity() {
    // A table of 10,000 pods holds over 100,000 cells: their size is the pane's memory.
    assert!(
        std::mem::size_of::<Cell>() <= 48,
        "{}",
        std::mem::size_of::<Cell>()
    );
    let t = Timestamp(1_000);
    let age = Cell::age(Some(t), Tone::Normal);
    assert_eq!(age.since(), Some(t));
    assert_eq!(age.shown(Timestamp(1_090)), "1m");
    // An age sorts by its age: a quantity put on it does not replace the time.
    assert_eq!(age.clone().ordered(5).since(), Some(t));
    assert_eq!(age.ordered(5).order(), None);
    assert_eq!(Cell::age(None, Tone::Dim).shown(t), "-");
    let between = Cell::age_between(
        SafeText::new("Up "),
        Some(t),
        SafeText::new(" (healthy)"),
        Tone::Ok,
    );
    assert_eq!(between.since(), Some(t));
    assert_eq!(between.shown(Timestamp(1_090)), "Up 1m (healthy)");
    let bytes = Cell::bytes(2048, Tone::Normal);
    assert_eq!((bytes.order(), bytes.since()), (Some(2048), None));
}
