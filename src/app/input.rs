//! A one-line text input (command line, filter, scale count) on ratatui-textarea.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;

#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub area: TextArea<'static>,
}

impl LineInput {
    pub fn new(initial: &str) -> LineInput {
        let mut area = TextArea::default();
        area.insert_str(initial);
        LineInput { area }
    }

    pub fn value(&self) -> &str {
        self.area.lines().first().map_or("", String::as_str)
    }

    pub fn set(&mut self, value: &str) {
        *self = LineInput::new(value);
    }

    /// Edit with a key. Enter and newlines are not text: a single line stays single.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        if matches!(key.code, KeyCode::Enter)
            || (key.code == KeyCode::Char('m')
                && key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL))
        {
            return false;
        }
        self.area.input(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_deleting_edit_one_line() {
        let mut i = LineInput::new("sw");
        i.handle(key(KeyCode::Char('a')));
        i.handle(key(KeyCode::Char('r')));
        i.handle(key(KeyCode::Enter));
        assert_eq!(i.value(), "swar");
        i.handle(key(KeyCode::Backspace));
        assert_eq!(i.value(), "swa");
        i.set("stacks");
        assert_eq!(i.value(), "stacks");
    }
}
