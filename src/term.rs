//! The terminal: raw mode + alternate screen while labdeck runs, restored on every
//! way out (normal exit, error, panic).

use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Restores the terminal when dropped. Each step is tried even if an earlier one failed.
pub struct TermGuard {
    pub term: Term,
}

impl TermGuard {
    pub fn enter() -> std::io::Result<TermGuard> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let mut out = stdout();
        if let Err(e) = execute!(out, terminal::EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        let term = Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| restore())?;
        Ok(TermGuard { term })
    }
}

impl Drop for TermGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back as we found it. Safe to call more than once.
pub fn restore() {
    let _ = execute!(stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

/// Restore the terminal first, then let color-eyre's hook report the panic on a sane screen.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            report(info);
        }));
    });
}
