//! A frame in which nothing changed writes nothing. ratatui's crossterm backend ends
//! every draw with an SGR reset, and the terminal hides the cursor on every frame, even
//! when no cell differs: 10 bytes each time something asked for a redraw that turned
//! out to change nothing visible (a hidden pane's source retrying, say). Over ssh, on a
//! quiet lab, that is the only traffic; this wrapper drops it.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Write};

pub struct Quiet<B> {
    inner: B,
    /// Whether the cursor is shown, when known.
    cursor: Option<bool>,
}

impl<B> Quiet<B> {
    pub fn new(inner: B) -> Quiet<B> {
        Quiet {
            inner,
            cursor: None,
        }
    }

    /// Something wrote around this backend (a handover): the cursor's state is unknown.
    pub fn forget_cursor(&mut self) {
        self.cursor = None;
    }
}

impl<B: Backend> Backend for Quiet<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        self.inner.draw(content)
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor != Some(false) {
            self.inner.hide_cursor()?;
            self.cursor = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor != Some(true) {
            self.inner.show_cursor()?;
            self.cursor = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// Raw writes (the clipboard, a handover's banner) pass through.
impl<B: Write> Write for Quiet<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::widgets::Paragraph;

    /// Bytes written, shared with the test.
    #[derive(Clone, Default)]
    struct Out(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Out {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    type T = Terminal<Quiet<CrosstermBackend<Out>>>;

    fn term() -> (T, Out) {
        let out = Out::default();
        let mut t = Terminal::new(Quiet::new(CrosstermBackend::new(out.clone()))).unwrap();
        t.resize(ratatui::layout::Rect::new(0, 0, 20, 2)).unwrap();
        (t, out)
    }

    fn written(out: &Out) -> usize {
        let n = out.0.borrow().len();
        out.0.borrow_mut().clear();
        n
    }

    #[test]
    fn the_same_frame_again_writes_nothing_and_a_change_writes_only_itself() {
        let (mut t, out) = term();
        let frame = |text: &'static str| {
            move |f: &mut ratatui::Frame| f.render_widget(Paragraph::new(text), f.area())
        };
        t.draw(frame("up 3d")).unwrap();
        assert!(written(&out) > 0, "the first frame is drawn");
        t.draw(frame("up 3d")).unwrap();
        assert_eq!(written(&out), 0, "an unchanged frame writes nothing");
        t.draw(frame("up 4d")).unwrap();
        let n = written(&out);
        assert!(
            n > 0 && n < 30,
            "only the changed cell and its move: {n} bytes"
        );
    }

    #[test]
    fn the_cursor_is_shown_or_hidden_once_until_forgotten() {
        let (mut t, out) = term();
        t.hide_cursor().unwrap();
        assert!(written(&out) > 0);
        t.hide_cursor().unwrap();
        assert_eq!(written(&out), 0);
        t.backend_mut().forget_cursor();
        t.hide_cursor().unwrap();
        assert!(written(&out) > 0, "after a handover it is said again");
    }
}
