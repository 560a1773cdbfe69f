//! A picker: one of a list, chosen with the arrows (or by typing part of it) and Enter;
//! Esc leaves. What is picked goes to the pane that opened it as that pane's message.

use super::modal::{Modal, Reply};
use super::pane::{PaneId, PaneMsg};
use super::shell::Shell;
use crate::core::text::SafeText;
use crossterm::event::{KeyCode, KeyEvent};
use std::any::Any;

pub struct Picker {
    pub title: String,
    /// (what is sent back, what is shown).
    pub choices: Vec<(String, SafeText)>,
    /// Typed so far: only choices that contain it are offered.
    pub filter: String,
    /// Among the offered ones.
    pub selected: usize,
    for_pane: PaneId,
    picked: fn(String) -> PaneMsg,
}

impl Picker {
    pub fn new(
        title: impl Into<String>,
        choices: Vec<(String, SafeText)>,
        for_pane: PaneId,
        picked: fn(String) -> PaneMsg,
    ) -> Picker {
        Picker {
            title: title.into(),
            choices,
            filter: String::new(),
            selected: 0,
            for_pane,
            picked,
        }
    }

    /// The choices the filter leaves, in order.
    pub fn offered(&self) -> Vec<&(String, SafeText)> {
        let f = self.filter.to_lowercase();
        self.choices
            .iter()
            .filter(|(_, label)| label.as_str().to_lowercase().contains(&f))
            .collect()
    }
}

impl Modal for Picker {
    fn label(&self) -> String {
        format!("picker: {}", self.title)
    }

    fn key(&mut self, _shell: &mut Shell, key: KeyEvent) -> Reply {
        let offered = self.offered().len();
        match key.code {
            KeyCode::Esc => return Reply::close(),
            KeyCode::Enter => {
                let Some((value, _)) = self.offered().get(self.selected).map(|c| (*c).clone())
                else {
                    return Reply::stay();
                };
                return Reply {
                    tell: Some((self.for_pane, (self.picked)(value))),
                    ..Reply::close()
                };
            }
            KeyCode::Down => self.selected = (self.selected + 1).min(offered.saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            KeyCode::Char(c) if !c.is_control() => {
                self.filter.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        Reply::stay()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
