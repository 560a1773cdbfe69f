//! A table's column layout: which columns fit on the line, and how wide each is.

use crate::app::table::Column;

/// How wide a never-dropped name column asks to be before others give way.
const NAME_WANTS: u16 = 28;

/// Which of the columns `shown` (wide mode decides which those are) fit in `width`,
/// and how wide each is drawn. `content` holds each column's widest cell, header
/// included.
pub fn layout(
    columns: &[Column],
    mut shown: Vec<usize>,
    width: u16,
    content: &[u16],
) -> Vec<(usize, u16)> {
    // What a column's cells need to be read whole (its widest cell); with none known,
    // its preferred width.
    let whole = |i: usize| content.get(i).copied().unwrap_or(columns[i].width);
    // What a column is given before another is dropped: its preferred width, or less
    // when its cells need less (a column whose every cell fits is not dropped for
    // room it would not use). A name column that is never dropped (flex, order 0)
    // wants its names whole, up to a point: lesser columns give way before a
    // service's name is cut.
    let base = |i: usize| -> u16 {
        let c = &columns[i];
        let wants = if c.flex && c.drop_order == 0 {
            c.width.max(NAME_WANTS)
        } else {
            c.width
        };
        wants.min(whole(i))
    };
    let need = |shown: &[usize]| -> u16 {
        shown
            .iter()
            .map(|&i| base(i) + 1)
            .sum::<u16>()
            .saturating_sub(1)
    };
    let mut dropped = Vec::new();
    while need(&shown) > width {
        // Drop the droppable column with the lowest drop order, rightmost first.
        let victim = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop_order > 0)
            .max_by_key(|(pos, i)| (std::cmp::Reverse(columns[**i].drop_order), *pos))
            .map(|(pos, _)| pos);
        match victim {
            Some(p) => dropped.push(shown.remove(p)),
            None => break,
        }
    }
    // A column dropped before a wider one may fit in the room that one left: it comes
    // back (the last dropped, the most wanted, first), but only into room that no cut
    // cell of the line wants.
    for i in dropped.into_iter().rev() {
        let mut with = shown.clone();
        let at = with.partition_point(|&j| j < i);
        with.insert(at, i);
        let wanted: u16 = with.iter().map(|&j| whole(j).saturating_sub(base(j))).sum();
        if need(&with).saturating_add(wanted) <= width {
            shown = with;
        }
    }
    let mut widths: Vec<u16> = shown.iter().map(|&i| base(i)).collect();
    let mut spare = width.saturating_sub(need(&shown));
    // The room left goes first to the columns whose cells are cut, fixed and flex
    // alike (a cut list of ports is as unreadable as a cut image), up to their widest
    // cell; then it gives the columns whose cells need less their preferred width
    // back (the usual look, which does not shift as short values come and go). What
    // nobody needs stays empty on the right instead of stretching a short column.
    grow(&mut widths, &mut spare, |p| whole(shown[p]));
    grow(&mut widths, &mut spare, |p| columns[shown[p]].width);
    // Never wider than the area, even when nothing more can be dropped.
    let mut left = width;
    shown
        .into_iter()
        .zip(widths)
        .map(|(i, w)| {
            let w = w.min(left);
            left = left.saturating_sub(w + 1);
            (i, w)
        })
        .collect()
}

/// Share `spare` fairly among the columns narrower than their `target`: each gets an
/// equal share, up to its target, and what one does not take goes round again.
fn grow(widths: &mut [u16], spare: &mut u16, target: impl Fn(usize) -> u16) {
    loop {
        let wanting: Vec<usize> = (0..widths.len())
            .filter(|&p| widths[p] < target(p))
            .collect();
        if *spare == 0 || wanting.is_empty() {
            return;
        }
        let share = (*spare / wanting.len() as u16).max(1);
        for p in wanting {
            let give = (target(p) - widths[p]).min(share).min(*spare);
            widths[p] += give;
            *spare -= give;
        }
    }
}

#[cfg(test)]
mod tests;
