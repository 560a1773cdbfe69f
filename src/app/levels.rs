//! Drill-down levels over any view type: each level is a view and its table; `open`
//! pushes, `back` pops, the first level stays.

use super::table::{Column, Table};

#[derive(Debug, Clone)]
pub struct Level<V> {
    pub view: V,
    pub table: Table,
    /// Which of the pane's sources this level is about (an engine, a context, a host);
    /// `None`: all of them together.
    pub source: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Levels<V> {
    /// Never empty.
    stack: Vec<Level<V>>,
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
    pub fn of_source(mut self, source: Option<usize>) -> Level<V> {
        self.source = source;
        self
    }
}

impl<V> Levels<V> {
    pub fn new(first: Level<V>) -> Levels<V> {
        Levels { stack: vec![first] }
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

    pub fn push(&mut self, level: Level<V>) {
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

    /// Start over from `first`.
    pub fn reset(&mut self, first: Level<V>) {
        self.stack = vec![first];
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

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Level<V>> {
        self.stack.iter_mut()
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
}
