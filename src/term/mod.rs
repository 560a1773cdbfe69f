//! The terminal: raw mode + alternate screen while labdeck runs, restored on every
//! way out (normal exit, error, panic).

pub mod clipboard;
mod sgr16;

use crossterm::{cursor, execute, terminal};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use sgr16::Basic16;
use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the terminal is in labdeck's mode. Restoring twice is not harmless: leaving
/// the alternate screen again moves the cursor back over what was printed in between
/// (the panic report, when the hook restored first and the guard's drop runs after).
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<CrosstermBackend<Basic16<Stdout>>>;

/// Restores the terminal when dropped. Each step is tried even if an earlier one failed.
pub struct TermGuard {
    pub term: Term,
}

impl TermGuard {
    pub fn enter() -> std::io::Result<TermGuard> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = stdout();
        if let Err(e) = execute!(out, terminal::EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        let term =
            Terminal::new(CrosstermBackend::new(Basic16::new(out))).inspect_err(|_| restore())?;
        Ok(TermGuard { term })
    }
}

impl Drop for TermGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back as we found it. Only the first call after `enter` acts.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
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
