//! Handing the terminal to another program until it ends: a shell in a container
//! today, a shell in a pod tomorrow. A pane asks with `Effect::Handover`; the run loop
//! opens the session (with the `Writer`: running a process is a write), suspends the
//! TUI, pumps keys in and output out byte for byte, resizes the program's terminal with
//! the real one, then restores the TUI, redraws everything and flashes the outcome.
//! Nothing here knows what the program is.

use super::msg::Msg;
use super::pane::PaneId;
use super::state::State;
use crate::core::access::{READ_ONLY_REASON, Writer};
use crate::core::text::SafeText;
use crate::term::TermGuard;
use futures::future::BoxFuture;
use std::fmt;
use tokio::io::{AsyncRead, AsyncWrite};

/// The program's terminal stream: what it prints, and where keys go.
pub trait SessionIo: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> SessionIo for T {}

/// Sizes the program's terminal: columns, rows.
pub type Resize = Box<dyn Fn(u16, u16) -> BoxFuture<'static, ()> + Send + Sync>;
/// Once the stream has ended: the flash line, given the last bytes the program printed.
pub type Finish = Box<dyn FnOnce(Vec<u8>) -> BoxFuture<'static, Result<String, String>> + Send>;

/// An opened session.
pub struct Session {
    pub io: Box<dyn SessionIo>,
    pub resize: Resize,
    pub finish: Finish,
}

type Open =
    Box<dyn FnOnce(&Writer, (u16, u16)) -> BoxFuture<'static, Result<Session, String>> + Send>;

/// What a pane asks for: `label` says what it is ("shell in web.1"), `open` starts it
/// at the terminal's size (columns, rows).
pub struct Handover {
    pub pane: PaneId,
    pub label: String,
    open: Open,
}

impl Handover {
    pub fn new<F, Fut>(pane: PaneId, label: impl Into<String>, open: F) -> Handover
    where
        F: FnOnce(Writer, (u16, u16)) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Session, String>> + Send + 'static,
    {
        Handover {
            pane,
            label: label.into(),
            open: Box::new(move |w: &Writer, size| Box::pin(open(w.clone(), size))),
        }
    }

    /// Open the session, or refuse without a `Writer`, in the backend's terms.
    pub async fn open(self, writer: Option<&Writer>, size: (u16, u16)) -> Result<Session, String> {
        let Some(w) = writer else {
            return Err(format!("refused: {READ_ONLY_REASON}"));
        };
        (self.open)(w, size).await
    }
}

impl fmt::Debug for Handover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handover({:?} for {})", self.label, self.pane)
    }
}

impl PartialEq for Handover {
    fn eq(&self, other: &Handover) -> bool {
        self.pane == other.pane && self.label == other.label
    }
}

/// A session opened by the run loop, to lend the terminal to.
pub(super) struct Opened {
    session: Session,
    pane: PaneId,
    label: SafeText,
}

/// Open `h` while the TUI still shows ("connecting" in the progress line). A refusal or
/// an error is the message to hand back at once: the TUI never leaves. Only a terminal
/// error is an `Err`.
pub(super) async fn open(
    h: Handover,
    guard: &mut TermGuard,
    state: &mut State,
    writer: Option<&Writer>,
    rt: &super::run::Runtime,
) -> std::io::Result<Result<Opened, Msg>> {
    let pane = h.pane;
    let label = SafeText::new(&h.label);
    state.shell.progress = Some(SafeText::trusted(format!("{label}: connecting")));
    guard.term.draw(|f| (rt.draw)(f, state, &rt.theme))?;
    let size = crossterm::terminal::size()?;
    let opened = h.open(writer, size).await;
    state.shell.progress = None;
    state.shell.dirty = true;
    Ok(match opened {
        Ok(session) => Ok(Opened {
            session,
            pane,
            label,
        }),
        Err(e) => Err(Msg::HandedBack {
            pane,
            result: Err(e),
        }),
    })
}

/// Lend the terminal to the opened program until it ends, then take it back and say
/// how it ended. The caller has dropped its crossterm `EventStream` first: that
/// stream's reader thread would otherwise take the keys meant for the program (and a
/// new one cannot even be made while the old one waits, holding crossterm's reader).
pub(super) async fn lend(
    o: Opened,
    guard: &mut TermGuard,
    state: &mut State,
) -> std::io::Result<Msg> {
    let Opened {
        mut session,
        pane,
        label,
    } = o;
    guard.suspend(&format!("labdeck: {label} (exit it to come back)"))?;
    if crate::core::fault::asked("handover") {
        panic!(
            "fault injected by {} while the terminal is lent",
            super::run::FAULT_PANIC_ENV
        );
    }
    let tail = crate::term::session::pump(&mut session.io, &session.resize).await;
    guard.resume()?;
    let size = guard.term.size()?;
    state.shell.size = (size.width, size.height);
    let result = (session.finish)(tail).await;
    Ok(Msg::HandedBack { pane, result })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::{AccessMode, test_writer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn marking(opened: Arc<AtomicBool>) -> Handover {
        Handover::new("t", "shell in x", move |_w, _size| async move {
            opened.store(true, Ordering::SeqCst);
            Err::<Session, _>("no engine here".to_string())
        })
    }

    #[tokio::test]
    async fn a_session_opens_only_with_a_writer() {
        let opened = Arc::new(AtomicBool::new(false));
        let Err(e) = marking(opened.clone()).open(None, (80, 24)).await else {
            panic!("opened without a writer")
        };
        assert!(e.starts_with("refused: read-only mode"), "{e}");
        assert!(
            !opened.load(Ordering::SeqCst),
            "a refused session never opens"
        );

        let w = Some(test_writer());
        let Err(e) = marking(opened.clone()).open(w.as_ref(), (80, 24)).await else {
            panic!("the test session always fails")
        };
        assert_eq!(e, "no engine here");
        assert!(opened.load(Ordering::SeqCst));
    }

    #[test]
    fn how_the_program_ended_is_flashed() {
        use crate::app::shell::FlashLevel;
        use crate::app::update::{tests::state, update};
        let mut s = state(AccessMode::ReadWrite);
        let back = |result| Msg::HandedBack {
            pane: "swarm",
            result,
        };
        update(&mut s, back(Ok("shell in web.1 ended (exit 0)".into())));
        let f = s.shell.flash.clone().unwrap();
        assert_eq!(
            (f.level, f.text.as_str()),
            (FlashLevel::Ok, "shell in web.1 ended (exit 0)")
        );
        // What the engine said is outside text: cleaned before it is shown.
        update(
            &mut s,
            back(Err(
                "shell in web.1: engine said \u{1b}]0;pwned\u{7}409".into()
            )),
        );
        let f = s.shell.flash.clone().unwrap();
        assert_eq!(f.level, FlashLevel::Err);
        assert!(!f.text.as_str().contains('\u{1b}') && !f.text.as_str().contains('\u{7}'));
    }
}
