//! The terminal: raw mode + alternate screen while labdeck runs, restored on every
//! way out (normal exit, error, panic).

pub mod clipboard;
mod moves;
mod quiet;
pub mod session;
mod sgr16;
/// Styles resolved for this terminal's colours: what the panes draw with.
pub mod theme;

use crossterm::{cursor, execute, terminal};
use moves::ShortMoves;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use sgr16::Basic16;
use std::io::{Stdout, stdout};
use std::sync::Arc;
use std::sync::atomic::AtomicU16;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the terminal is in labdeck's mode. Restoring twice is not harmless: leaving
/// the alternate screen again moves the cursor back over what was printed in between
/// (the panic report, when the hook restored first and the guard's drop runs after).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the alternate screen is on. Off while the terminal is lent to a shell: a
/// panic then must not leave it again (that moves the cursor to where it was when the
/// screen was entered, over the shell's output).
static ALTERNATE: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<quiet::Quiet<CrosstermBackend<Basic16<ShortMoves<Stdout>>>>>;

/// Restores the terminal when dropped. Each step is tried even if an earlier one failed.
pub struct TermGuard {
    pub term: Term,
    /// The terminal's width, for the cursor-move rewrite (updated on resize).
    width: Arc<AtomicU16>,
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
        ALTERNATE.store(true, Ordering::SeqCst);
        let cols = terminal::size().map_or(0, |(w, _)| w);
        let width = Arc::new(AtomicU16::new(cols));
        let moves = ShortMoves::new(out, width.clone());
        let term = Terminal::new(quiet::Quiet::new(CrosstermBackend::new(Basic16::new(
            moves,
        ))))
        .inspect_err(|_| restore())?;
        Ok(TermGuard { term, width })
    }

    /// The terminal is now `cols` wide.
    pub fn set_width(&self, cols: u16) {
        self.width.store(cols, Ordering::Relaxed);
    }
}

impl TermGuard {
    /// Lend the terminal to another program: leave the alternate screen and show the
    /// cursor, keep raw mode (its keys pass through byte for byte), print `banner` on
    /// a line of its own.
    pub fn suspend(&mut self, banner: &str) -> std::io::Result<()> {
        use std::io::Write;
        let out = self.term.backend_mut();
        out.forget_cursor();
        execute!(out, terminal::LeaveAlternateScreen, cursor::Show)?;
        ALTERNATE.store(false, Ordering::SeqCst);
        write!(out, "\r\n{banner}\r\n")?;
        out.flush()
    }

    /// Take the terminal back from the program and have everything redrawn. Modes a
    /// program may have left on (bracketed paste, application cursor keys and keypad,
    /// mouse reporting, a scroll region, colours) are turned off first: labdeck found
    /// the terminal without them.
    pub fn resume(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        const RESET: &str = concat!(
            "\x1b[0m",                                      // SGR reset
            "\x1b[r",                                       // scroll region: the whole screen
            "\x1b[?2004l",                                  // bracketed paste off
            "\x1b[?1l",                                     // normal cursor keys
            "\x1b>",                                        // numeric keypad
            "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l", // mouse reporting off
        );
        terminal::enable_raw_mode()?;
        let out = self.term.backend_mut();
        out.forget_cursor();
        // The alternate screen first: entering it saves the cursor, and leaving it on
        // quit puts the cursor back there, under the program's last line, for the
        // user's prompt. The reset after it homes the cursor (the scroll region's
        // reset does), which on the main screen would have been saved instead, and
        // the prompt written over the first line.
        execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
        ALTERNATE.store(true, Ordering::SeqCst);
        out.write_all(RESET.as_bytes())?;
        self.term.clear()
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
    if ALTERNATE.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), terminal::LeaveAlternateScreen);
    }
    let _ = execute!(stdout(), cursor::Show);
    let _ = terminal::disable_raw_mode();
}

/// The thread that draws: a panic there ends labdeck. A panic elsewhere (a watcher's
/// task) is caught, and the watcher started again, while the TUI goes on.
static UI_THREAD: std::sync::OnceLock<std::thread::ThreadId> = std::sync::OnceLock::new();

/// A panic on the drawing thread: restore the terminal first, then let color-eyre's hook
/// report it on a sane screen. Anywhere else the TUI keeps the terminal, so the panic
/// goes to the log, not over the screen.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    let _ = UI_THREAD.set(std::thread::current().id());
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_ui = UI_THREAD.get() == Some(&std::thread::current().id());
            if ACTIVE.load(Ordering::SeqCst) && !on_ui {
                tracing::error!(panic = %info, "a task panicked; it is started again");
                return;
            }
            restore();
            report(info);
        }));
    });
}
