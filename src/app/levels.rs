//! Drill-down levels over any view type: each level is a view and its table; `open`
//! pushes, `back` pops, the first level stays.

use super::pane::InputEvent;
use super::shell::{InputKind, Shell};
use super::table::{Column, Table};
use crate::core::action::Action;

#[derive(Debug, Clone)]
pub struct Level<V> {
    pub view: V,
    pub table: Table,
    /// Which of the pane's sources this level is about (an engine, a context, a host),
    /// by name; `None`: all of them together.
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Levels<V> {
    /// Never empty.
    stack: Vec<Level<V>>,
    /// The levels before the last `reset` (a `:` view, view cycling), for `last-view`.
    previous: Option<Vec<Level<V>>>,
}

impl<V> Level<V> {
    pub fn new(view: V, columns: Vec<Column>) -> Level<V> {
        Level {
            view,
            table: Table::new(columns),
            source: None,
        }
    }

    /// The same level about one source only.
    pub fn of_source(mut self, source: Option<String>) -> Level<V> {
        self.source = source;
        self
    }
}

impl<V> Levels<V> {
    /// What every table answers alike: `/` asks for the level's filter; Esc clears
    /// the filter, then the marks, then goes back a level; `w` turns wide mode on or
    /// off for every level; the rest moves, sorts and marks the table. True when Esc
    /// went back a level.
    pub fn table_action(&mut self, shell: &mut Shell, action: Action) -> bool {
        let page = shell.table_height();
        match action {
            Action::Filter => {
                let current = self.current().table.filter.clone();
                shell.prompt(InputKind::Filter, &current);
            }
            Action::Back => {
                let t = &mut self.current_mut().table;
                if !t.filter.is_empty() {
                    t.set_filter("");
                } else if !t.clear_marks() {
                    return self.pop();
                }
            }
            Action::Wide => {
                let wide = !self.current().table.wide;
                self.set_wide(wide);
            }
            a => {
                self.current_mut().table.act(a, page);
            }
        }
        false
    }

    /// The filter prompt's text: followed as it is typed, dropped when cancelled.
    pub fn filter_input(&mut self, purpose: &str, value: &str, event: InputEvent) {
        let t = &mut self.current_mut().table;
        match (purpose, event) {
            ("filter", InputEvent::Cancelled) => t.set_filter(""),
            ("filter", _) => t.set_filter(value),
            _ => {}
        }
    }

    pub fn new(first: Level<V>) -> Levels<V> {
        Levels {
            stack: vec![first],
            previous: None,
        }
    }

    pub fn current(&self) -> &Level<V> {
        self.stack.last().expect("levels are never empty")
    }

    pub fn current_mut(&mut self) -> &mut Level<V> {
        self.stack.last_mut().expect("levels are never empty")
    }

    pub fn root(&self) -> &Level<V> {
        &self.stack[0]
    }

    /// Open `level` over the current one; it keeps the wide mode in force.
    pub fn push(&mut self, mut level: Level<V>) {
        level.table.wide = self.current().table.wide;
        self.stack.push(level);
    }

    /// Back one level; false at the first.
    pub fn pop(&mut self) -> bool {
        if self.stack.len() > 1 {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    /// Start over from `first`; the levels left are kept for `swap_previous`.
    pub fn reset(&mut self, mut first: Level<V>) {
        first.table.wide = self.current().table.wide;
        let old = std::mem::replace(&mut self.stack, vec![first]);
        self.previous = Some(old);
    }

    /// Back to the levels before the last reset (selection, filter and all); the
    /// current ones become the previous, so pressing it again comes back. False if
    /// there is none.
    pub fn swap_previous(&mut self) -> bool {
        let Some(prev) = self.previous.take() else {
            return false;
        };
        let wide = self.current().table.wide;
        self.previous = Some(std::mem::replace(&mut self.stack, prev));
        self.stack.iter_mut().for_each(|l| l.table.wide = wide);
        true
    }

    /// Set wide mode on every level, so it stays as the user moves.
    pub fn set_wide(&mut self, wide: bool) {
        for l in self
            .stack
            .iter_mut()
            .chain(self.previous.iter_mut().flatten())
        {
            l.table.wide = wide;
        }
    }

    pub fn len(&self) -> usize {
        self.stack.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn iter(&self) -> impl Iterator<Item = &Level<V>> {
        self.stack.iter()
    }

    /// Every level, the previous ones included (they are rebuilt with the rest, so a
    /// swap back shows fresh rows).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Level<V>> {
        self.stack
            .iter_mut()
            .chain(self.previous.iter_mut().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_level_stays() {
        let mut l = Levels::new(Level::new("a", vec![]));
        l.push(Level::new("b", vec![]));
        assert_eq!(l.current().view, "b");
        assert!(l.pop());
        assert!(!l.pop(), "the first level cannot be popped");
        assert_eq!(l.current().view, "a");
        l.push(Level::new("c", vec![]));
        l.reset(Level::new("d", vec![]));
        assert_eq!((l.len(), l.root().view), (1, "d"));
    }

    #[test]
    fn last_view_swaps_back_and_forth_with_wide_mode_kept() {
        let mut l = Levels::new(Level::new("stacks", vec![]));
        assert!(!l.swap_previous(), "nothing before the first view");
        l.push(Level::new("services", vec![]));
        l.current_mut().table.set_filter("media");
        l.reset(Level::new("nodes", vec![]));
        l.set_wide(true);
        assert!(l.swap_previous());
        assert_eq!((l.len(), l.current().view), (2, "services"));
        assert_eq!(
            l.current().table.filter,
            "media",
            "the view comes back as left"
        );
        assert!(l.current().table.wide, "wide mode follows the user");
        assert!(l.swap_previous());
        assert_eq!((l.len(), l.current().view), (1, "nodes"));
        l.push(Level::new("describe", vec![]));
        assert!(
            l.current().table.wide,
            "a level opened in wide mode is wide"
        );
    }
}
