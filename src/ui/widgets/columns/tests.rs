use super::*;

fn all(columns: &[Column]) -> Vec<usize> {
    (0..columns.len()).collect()
}

fn widths(laid: &[(usize, u16)]) -> Vec<u16> {
    laid.iter().map(|c| c.1).collect()
}

fn shown(laid: &[(usize, u16)]) -> Vec<usize> {
    laid.iter().map(|c| c.0).collect()
}

/// The line a layout takes: its columns and the one-space gaps between them.
fn line(laid: &[(usize, u16)]) -> u16 {
    widths(laid)
        .iter()
        .map(|w| w + 1)
        .sum::<u16>()
        .saturating_sub(1)
}

#[test]
fn narrow_terminals_drop_low_priority_columns_first() {
    let cols = vec![
        Column::flex("NAME", 20, 0),
        Column::fixed("MODE", 10, 2),
        Column::fixed("REPLICAS", 8, 0),
        Column::flex("IMAGE", 18, 1),
    ];
    let short_names = [20, 8, 8, 25];
    let laid = layout(&cols, all(&cols), 40, &short_names);
    assert_eq!(shown(&laid), [0, 1, 2], "IMAGE (drop order 1) goes first");
    // Long names: MODE gives way too, so that a name is not cut (up to 28 columns).
    let content = [60, 8, 8, 25];
    let laid = layout(&cols, all(&cols), 40, &content);
    assert_eq!(shown(&laid), [0, 2]);
    assert!(laid[0].1 >= 28, "{laid:?}");
    assert_eq!(shown(&layout(&cols, all(&cols), 30, &content)), [0, 2]);
    // 100 columns: NAME and IMAGE are cut, MODE's cells need only 8 of its 10: the
    // room goes to the cut columns first, fairly; IMAGE fits its widest cell, NAME
    // takes the rest.
    let wide = layout(&cols, all(&cols), 100, &content);
    assert_eq!(widths(&wide), [56, 8, 8, 25]);
    // 200 columns: everything fits, each column has its preferred width at least; the
    // rest stays empty instead of stretching.
    assert_eq!(
        widths(&layout(&cols, all(&cols), 200, &content)),
        [60, 10, 8, 25]
    );
}

/// The Swarm services view at 120 columns (118 inside the border) with long ports:
/// PORTS is a fixed column, and it too grows to its widest cell while the line has
/// room, instead of keeping its preferred 14 and cutting `8989:8989/tcp,9898:…`.
#[test]
fn a_fixed_column_grows_to_its_content_while_the_line_has_room() {
    let cols = vec![
        Column::flex("SERVICE", 16, 0),
        Column::fixed("MODE", 10, 4),
        Column::fixed("REPLICAS", 9, 0),
        Column::fixed("HEALTH", 11, 6),
        Column::flex("IMAGE", 14, 2),
        Column::fixed("PORTS", 14, 3),
        Column::fixed("UPDATE", 10, 5),
        Column::fixed("AGE", 4, 1),
    ];
    // Everything fits exactly: 111 columns of cells and 7 gaps.
    let content = [20, 10, 9, 11, 21, 27, 9, 4];
    let laid = layout(&cols, all(&cols), 118, &content);
    assert_eq!(shown(&laid), all(&cols), "nothing dropped");
    assert_eq!(widths(&laid), content, "nothing cut");
}

/// Preferred widths that add up to more than the line do not drop a column whose
/// cells need less: the Swarm tasks view in wide mode at 120 columns, with short
/// node names and no health checks.
#[test]
fn a_column_is_not_dropped_while_every_cell_fits() {
    let cols = vec![
        Column::fixed("SLOT", 4, 0),
        Column::fixed("ID", 12, 1),
        Column::fixed("NODE", 12, 4),
        Column::fixed("DESIRED", 8, 3),
        Column::fixed("STATE", 9, 0),
        Column::fixed("HEALTH", 12, 5),
        Column::fixed("AGE", 4, 2),
        Column::flex("ERROR", 20, 0),
        Column::fixed("CONTAINER", 12, 1),
        Column::flex("MESSAGE", 14, 1),
        Column::fixed("EXIT", 4, 1),
    ];
    let content = [5, 12, 5, 8, 9, 7, 4, 23, 12, 9, 5];
    let laid = layout(&cols, all(&cols), 118, &content);
    assert_eq!(shown(&laid), all(&cols), "nothing dropped: {laid:?}");
    for (i, w) in laid {
        assert!(
            w >= content[i],
            "{} cut: {w} < {}",
            cols[i].title,
            content[i]
        );
    }
}

fn any_column() -> impl proptest::strategy::Strategy<Value = (Column, u16)> {
    use proptest::prelude::*;
    (1u16..30, any::<bool>(), 0u8..6, 1u16..50).prop_map(|(width, flex, drop, content)| {
        let c = if flex {
            Column::flex("C", width, drop)
        } else {
            Column::fixed("C", width, drop)
        };
        (c, content)
    })
}

proptest::proptest! {
    /// Whatever the columns: when every cell fits on the line, none is dropped or cut;
    /// a column is cut only when the line is full; and the line is never longer than
    /// the area.
    #[test]
    fn nothing_is_cut_or_dropped_while_the_line_has_room(
        columns in proptest::collection::vec(any_column(), 1..12),
        width in 1u16..200,
    ) {
        let (cols, content): (Vec<Column>, Vec<u16>) = columns.into_iter().unzip();
        let laid = layout(&cols, all(&cols), width, &content);
        let needed = content.iter().map(|w| w + 1).sum::<u16>() - 1;
        if needed <= width {
            proptest::prop_assert_eq!(shown(&laid), all(&cols));
        }
        if laid.iter().any(|&(i, w)| w < content[i]) {
            proptest::prop_assert!(line(&laid) >= width, "cut with room: {:?}", laid);
        }
        if laid.iter().all(|&(_, w)| w > 0) {
            proptest::prop_assert!(line(&laid) <= width, "too long: {:?}", laid);
        }
    }
}

/// The Kubernetes pods view at 80 columns (78 inside): NAMESPACE, NODE and IP give way
/// in their order, but once NAMESPACE is gone NODE fits again: it comes back.
#[test]
fn a_column_dropped_for_room_a_later_drop_freed_comes_back() {
    let cols = vec![
        Column::fixed("CLUSTER", 8, 0),
        Column::fixed("NAMESPACE", 12, 3),
        Column::flex("NAME", 24, 0),
        Column::fixed("READY", 5, 0),
        Column::fixed("STATUS", 16, 0),
        Column::fixed("RESTARTS", 12, 4),
        Column::fixed("NODE", 10, 2),
        Column::fixed("IP", 15, 1),
        Column::fixed("AGE", 4, 5),
    ];
    let content = [8, 9, 24, 5, 16, 11, 4, 10, 3];
    let laid = layout(&cols, all(&cols), 78, &content);
    assert_eq!(shown(&laid), [0, 2, 3, 4, 5, 6, 8], "{laid:?}");
    assert!(line(&laid) <= 78);
    // Not into room a cut cell wants: with a status too long for its 16 columns, NODE
    // stays out and the status has the room.
    let content = [8, 9, 24, 5, 18, 11, 4, 10, 3];
    let laid = layout(&cols, all(&cols), 78, &content);
    assert_eq!(shown(&laid), [0, 2, 3, 4, 5, 8], "{laid:?}");
    assert_eq!(laid[3].1, 18, "{laid:?}");
}
