//! A table's view state: rows (rebuilt only when data arrives), filter, sort and
//! selection. Pure data; the ui renders only the visible window of it.

use crate::core::text::SafeText;
use crate::core::time::{Timestamp, age};
use std::cmp::Ordering;

/// How a cell should look; the theme decides the colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Dim,
    Ok,
    Warn,
    Err,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: SafeText,
    pub tone: Tone,
    /// What the text alone does not say: a quantity to sort by, or an age.
    behind: Behind,
}

/// What a cell knows beyond its text, in 16 bytes: a table of 10,000 pods holds over
/// 100,000 cells, and three optional fields side by side cost 40 more bytes each.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Behind {
    Nothing,
    /// A quantity behind the text (bytes, a rate), for sorting: `512.0 MiB` is less
    /// than `2.0 GiB`, which the text does not say.
    Order(u64),
    /// An age cell: the time it counts from. Its text is made when drawn (only for
    /// the rows on screen), so rows stay equal as time passes and need no rebuild.
    Since(Timestamp),
    /// An age between words: `text` holds those before, this the time and the words
    /// after (`Up 5m (healthy)`). Rare, so boxed.
    Between(Box<(Timestamp, SafeText)>),
}

impl Cell {
    pub fn new(text: SafeText) -> Cell {
        Cell::toned(text, Tone::Normal)
    }
    pub fn toned(text: SafeText, tone: Tone) -> Cell {
        Cell {
            text,
            tone,
            behind: Behind::Nothing,
        }
    }
    /// A size in bytes (`2.0 GiB`), sorted by its bytes.
    pub fn bytes(n: u64, tone: Tone) -> Cell {
        Cell::own(crate::core::stats::bytes(n), tone).ordered(n)
    }
    /// The same cell, sorted by `n` (an age cell keeps sorting by its age).
    pub fn ordered(self, n: u64) -> Cell {
        match self.behind {
            Behind::Nothing | Behind::Order(_) => Cell {
                behind: Behind::Order(n),
                ..self
            },
            _ => self,
        }
    }
    /// A cell from text labdeck formatted itself (numbers).
    pub fn own(text: impl Into<String>, tone: Tone) -> Cell {
        Cell::toned(SafeText::trusted(text), tone)
    }
    /// The age of `since` (`5m`), formatted when drawn; `-` when unknown.
    pub fn age(since: Option<Timestamp>, tone: Tone) -> Cell {
        match since {
            Some(t) => Cell {
                text: SafeText::default(),
                tone,
                behind: Behind::Since(t),
            },
            None => Cell::own("-", tone),
        }
    }
    /// An age between words (`Up ` 5m ` (healthy)`), counted when drawn; with no
    /// `since`, just the words.
    pub fn age_between(
        before: SafeText,
        since: Option<Timestamp>,
        after: SafeText,
        tone: Tone,
    ) -> Cell {
        match since {
            Some(t) => Cell {
                text: before,
                tone,
                behind: Behind::Between(Box::new((t, after))),
            },
            None => Cell::toned(before, tone),
        }
    }
    /// The time an age cell counts from.
    pub fn since(&self) -> Option<Timestamp> {
        match &self.behind {
            Behind::Since(t) => Some(*t),
            Behind::Between(b) => Some(b.0),
            _ => None,
        }
    }
    /// The quantity the cell sorts by, when it has one.
    pub fn order(&self) -> Option<u64> {
        match self.behind {
            Behind::Order(n) => Some(n),
            _ => None,
        }
    }
    /// What the cell shows at `now`.
    pub fn shown(&self, now: Timestamp) -> std::borrow::Cow<'_, str> {
        match &self.behind {
            Behind::Since(t) => std::borrow::Cow::Owned(age(Some(*t), now)),
            Behind::Between(b) => std::borrow::Cow::Owned(format!(
                "{}{}{}",
                self.text.as_str(),
                age(Some(b.0), now),
                b.1.as_str()
            )),
            _ => std::borrow::Cow::Borrowed(self.text.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable identity, so the selection survives re-lists and re-sorts.
    pub key: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// Preferred width, kept while the line has room. A column whose cells are wider
    /// grows into the room left (see `ui::widgets::columns`); one whose cells are
    /// narrower needs only those when columns compete for the line.
    pub width: u16,
    /// A `flex` column that is never dropped (order 0) is a name column: lesser columns
    /// give way before its names are cut (up to a point).
    pub flex: bool,
    /// Lower numbers are dropped first when the terminal is narrow (0 = never).
    pub drop_order: u8,
    /// Shown only in wide mode (IDs and the like: there when asked for).
    pub wide_only: bool,
    /// Shown only when some row has something in it (where data lives: most lists
    /// have none, and an empty column would only take room).
    pub sparse: bool,
}

impl Column {
    pub const fn fixed(title: &'static str, width: u16, drop_order: u8) -> Column {
        Column {
            title,
            width,
            flex: false,
            drop_order,
            wide_only: false,
            sparse: false,
        }
    }
    pub const fn flex(title: &'static str, width: u16, drop_order: u8) -> Column {
        Column {
            title,
            width,
            flex: true,
            drop_order,
            wide_only: false,
            sparse: false,
        }
    }
    /// This column, shown only in wide mode.
    pub const fn wide(mut self) -> Column {
        self.wide_only = true;
        self
    }
    /// This column, shown only when a row has text in it.
    pub const fn sparse(mut self) -> Column {
        self.sparse = true;
        self
    }
}

/// A row's text for filtering: every cell, lower-cased, apart by a unit separator.
fn lower_text(r: &Row) -> String {
    let texts: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
    texts.join("\u{1f}").to_lowercase()
}

/// A cell's width on screen (an age counts as 3).
fn cell_width(cell: &Cell) -> u16 {
    let width = match &cell.behind {
        Behind::Since(_) => 3,
        Behind::Between(b) => cell.text.width() + 3 + b.1.width(),
        _ => cell.text.width(),
    };
    width.min(usize::from(u16::MAX)) as u16
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    rows: Vec<Row>,
    /// Each row's text, lower-cased once when the rows arrive: filtering as you type
    /// then costs one `contains` per row, not a lower-casing of every cell.
    lower: Vec<String>,
    /// Each column's widest cell over all rows (ages count as 3): widths that do not
    /// change as a filter hides rows, so the table does not jump while typing.
    pub widest: Vec<u16>,
    /// Indices into `rows` after filter and sort, in display order.
    visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub filter: String,
    /// Column index and descending flag; `None` keeps the source order.
    pub sort: Option<(usize, bool)>,
    /// Keys of the rows marked for an action on several rows; rows that go away
    /// take their mark with them.
    marks: std::collections::BTreeSet<String>,
    /// Wide mode: the wide-only columns are shown too.
    pub wide: bool,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            ..Default::default()
        }
    }

    /// Replace the rows, keeping the selected row (by key) where it still exists.
    /// Returns false (and does nothing) when the rows are the same as before. (Keeping
    /// unchanged rows' text work was measured slower than redoing it: comparing rows
    /// costs about what lower-casing them does.)
    pub fn set_rows(&mut self, rows: Vec<Row>) -> bool {
        if rows == self.rows {
            return false;
        }
        let keep = self.selected_key().map(str::to_owned);
        self.lower = rows.iter().map(lower_text).collect();
        self.widest = vec![0; self.columns.len()];
        for r in &rows {
            for (c, cell) in r.cells.iter().enumerate() {
                if let Some(w) = self.widest.get_mut(c) {
                    *w = (*w).max(cell_width(cell));
                }
            }
        }
        self.rows = rows;
        if !self.marks.is_empty() {
            let keys: std::collections::HashSet<&str> =
                self.rows.iter().map(|r| r.key.as_str()).collect();
            self.marks.retain(|k| keys.contains(k.as_str()));
        }
        self.rebuild(keep.as_deref());
        true
    }

    /// Mark or unmark the selected row, then move to the next (as k9s does).
    pub fn toggle_mark(&mut self) {
        let Some(key) = self.selected_key().map(str::to_owned) else {
            return;
        };
        if !self.marks.remove(&key) {
            self.marks.insert(key);
        }
        self.move_by(1);
    }

    pub fn is_marked(&self, key: &str) -> bool {
        self.marks.contains(key)
    }

    /// The marked rows' keys, in display order.
    pub fn marked(&self) -> Vec<&str> {
        if self.marks.is_empty() {
            return Vec::new();
        }
        self.visible
            .iter()
            .map(|&i| self.rows[i].key.as_str())
            .filter(|k| self.marks.contains(*k))
            .collect()
    }

    /// Unmark these rows (those a finished plan acted on); other marks stay.
    pub fn unmark(&mut self, keys: &[String]) {
        for k in keys {
            self.marks.remove(k);
        }
    }

    pub fn clear_marks(&mut self) -> bool {
        let had = !self.marks.is_empty();
        self.marks.clear();
        had
    }

    /// The columns in force: all in wide mode, else those not wide-only.
    pub fn shows(&self, column: usize) -> bool {
        let Some(c) = self.columns.get(column) else {
            return false;
        };
        (self.wide || !c.wide_only)
            && (!c.sparse || self.widest.get(column).is_some_and(|w| *w > 0))
    }

    pub fn rows_len(&self) -> usize {
        self.visible.len()
    }

    pub fn total_len(&self) -> usize {
        self.rows.len()
    }

    /// The visible row at display position `i`.
    pub fn row(&self, i: usize) -> Option<&Row> {
        self.visible.get(i).and_then(|&r| self.rows.get(r))
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.row(self.selected)
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected_row().map(|r| r.key.as_str())
    }

    /// Filter the rows. Marks stay only on rows still shown, and clearing the filter
    /// clears them: a dialog never lists a row the user no longer sees marked. The
    /// same filter again changes nothing (Esc on a `/` that typed nothing keeps marks).
    pub fn set_filter(&mut self, filter: &str) {
        if filter == self.filter {
            return;
        }
        let keep = self.selected_key().map(str::to_owned);
        self.filter = filter.to_string();
        self.rebuild(keep.as_deref());
        if filter.is_empty() {
            self.marks.clear();
        } else if !self.marks.is_empty() {
            let shown: std::collections::BTreeSet<&str> = self
                .visible
                .iter()
                .map(|&i| self.rows[i].key.as_str())
                .collect();
            self.marks.retain(|k| shown.contains(k.as_str()));
        }
    }

    /// Cycle the sort column: source order -> col 0 -> col 1 -> ... -> source order.
    pub fn sort_next(&mut self) {
        let keep = self.selected_key().map(str::to_owned);
        self.sort = match self.sort {
            None if !self.columns.is_empty() => Some((0, false)),
            Some((c, d)) if c + 1 < self.columns.len() => Some((c + 1, d)),
            _ => None,
        };
        self.rebuild(keep.as_deref());
    }

    pub fn sort_reverse(&mut self) {
        let keep = self.selected_key().map(str::to_owned);
        self.sort = Some(match self.sort {
            Some((c, d)) => (c, !d),
            None => (0, true),
        });
        self.rebuild(keep.as_deref());
    }

    fn rebuild(&mut self, keep: Option<&str>) {
        let needle = self.filter.to_lowercase();
        let lower = &self.lower;
        self.visible = (0..self.rows.len())
            .filter(|&i| needle.is_empty() || lower[i].contains(&needle))
            .collect();
        if let Some((col, desc)) = self.sort {
            let rows = &self.rows;
            self.visible.sort_by(|&a, &b| {
                let (ca, cb) = (rows[a].cells.get(col), rows[b].cells.get(col));
                // One order, key by key, so it is total: cells with an age first, the
                // youngest first; then cells with a quantity, the largest first; then
                // the text, naturally ("web-2" before "web-10").
                let since = |c: Option<&Cell>| c.and_then(Cell::since);
                let order = |c: Option<&Cell>| c.and_then(Cell::order);
                fn text(c: Option<&Cell>) -> &str {
                    c.map_or("", |c| c.text.as_str())
                }
                let o = since(cb)
                    .is_some()
                    .cmp(&since(ca).is_some())
                    .then_with(|| since(cb).cmp(&since(ca)))
                    .then_with(|| order(cb).is_some().cmp(&order(ca).is_some()))
                    .then_with(|| order(cb).cmp(&order(ca)))
                    .then_with(|| natural_cmp(text(ca), text(cb)));
                if desc { o.reverse() } else { o }
            });
        }
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| self.rows[i].key == k))
            .unwrap_or(self.selected)
            .min(self.visible.len().saturating_sub(1));
    }

    /// Move the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    pub fn top(&mut self) {
        self.selected = 0;
    }

    pub fn bottom(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// The first row of a `height`-row window that keeps the selection visible,
    /// moving as little as possible from the last window. Pure, for the renderer.
    pub fn window_start(&self, height: usize) -> usize {
        let h = height.max(1);
        let mut start = self.offset;
        if self.selected < start {
            start = self.selected;
        } else if self.selected >= start + h {
            start = self.selected + 1 - h;
        }
        start.min(self.visible.len().saturating_sub(h))
    }

    /// A navigation or sort action; false if it is not one. `page` is the window height.
    pub fn act(&mut self, action: crate::core::action::Action, page: usize) -> bool {
        use crate::core::action::Action::*;
        let p = page as isize;
        match action {
            Up => self.move_by(-1),
            Down => self.move_by(1),
            PageUp => self.move_by(-p),
            PageDown => self.move_by(p),
            Top => self.top(),
            Bottom => self.bottom(),
            SortNext => self.sort_next(),
            SortReverse => self.sort_reverse(),
            Mark => self.toggle_mark(),
            _ => return false,
        }
        self.scroll_into_view(page);
        true
    }

    /// Seconds until the next age label among the `height` rows on screen changes
    /// (`59s` -> `1m` in 1 s, `5m` -> `6m` at the next whole minute); `None` when no age
    /// is shown. The run loop sleeps exactly that long: no timer, no idle redraws.
    pub fn next_age_change(&self, now: Timestamp, height: usize) -> Option<u64> {
        let first = self.window_start(height);
        (first..(first + height).min(self.visible.len()))
            .filter_map(|i| self.row(i))
            .flat_map(|r| r.cells.iter().filter_map(Cell::since))
            .map(|since| until_label_changes((now.0 - since.0).max(0) as u64))
            .min()
    }

    /// Remember the window, so the next move scrolls from where the user is.
    pub fn scroll_into_view(&mut self, height: usize) -> usize {
        self.offset = self.window_start(height);
        self.offset
    }
}

/// For an age of `s` seconds, how long until `age()` reads differently.
fn until_label_changes(s: u64) -> u64 {
    let unit = match s {
        0..=59 => 1,
        60..=3599 => 60,
        3600..=86_399 => 3600,
        86_400..=1_209_599 => 86_400,
        _ => 604_800,
    };
    unit - s % unit
}

/// Compare so that `node2` < `node10` and `1/2` < `10/20`: digit runs compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // By byte offsets into the two texts: sorting 10,000 rows compares ~140,000 pairs,
    // and a digit run is compared where it lies, without copying it.
    let digits = |s: &str, from: usize| {
        from + s.as_bytes()[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let (mut i, mut j) = (0, 0);
    loop {
        match (a[i..].chars().next(), b[j..].chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (ei, ej) = (digits(a, i), digits(b, j));
                let (ta, tb) = (
                    a[i..ei].trim_start_matches('0'),
                    b[j..ej].trim_start_matches('0'),
                );
                let o = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if o != Ordering::Equal {
                    return o;
                }
                (i, j) = (ei, ej);
            }
            (Some(x), Some(y)) => {
                let o = x.to_lowercase().cmp(y.to_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                i += x.len_utf8();
                j += y.len_utf8();
            }
        }
    }
}

#[cfg(test)]
mod tests;
