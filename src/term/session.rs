//! The terminal lent to another program (see `app::handover`): its keys go to the
//! program as they come, byte for byte (raw mode stays on), what it prints goes to the
//! terminal as it is (it is the user's shell, as with `docker exec -it`), and its
//! terminal follows this one's size.

use futures::future::BoxFuture;
use std::io;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::signal::unix::{SignalKind, signal};

/// The last bytes the program printed, at most (for the outcome line).
const TAIL: usize = 512;

/// Pump until the program's stream ends; returns the last bytes it printed.
pub async fn pump<S>(
    io: &mut S,
    resize: &(dyn Fn(u16, u16) -> BoxFuture<'static, ()> + Sync),
) -> Vec<u8>
where
    S: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    let (mut from, mut to) = tokio::io::split(io);
    let mut keys = match Keys::new() {
        Ok(k) => Some(k),
        Err(e) => {
            tracing::warn!(%e, "cannot read the terminal's keys");
            None
        }
    };
    let mut winch = signal(SignalKind::window_change())
        .inspect_err(|e| tracing::warn!(%e, "no SIGWINCH"))
        .ok();
    let mut out = tokio::io::stdout();
    let mut tail = Vec::new();
    let mut printed = vec![0u8; 16 * 1024];
    loop {
        tokio::select! {
            n = from.read(&mut printed) => {
                let n = match n {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                if out.write_all(&printed[..n]).await.is_err() || out.flush().await.is_err() {
                    break;
                }
                keep_tail(&mut tail, &printed[..n]);
            }
            k = async { keys.as_mut().expect("guarded").next().await }, if keys.is_some() => {
                match k {
                    None => keys = None,
                    Some(typed) => {
                        if to.write_all(&typed).await.is_err() || to.flush().await.is_err() {
                            break;
                        }
                    }
                }
            }
            Some(()) = async { winch.as_mut().expect("guarded").recv().await }, if winch.is_some() => {
                if let Ok((cols, rows)) = crossterm::terminal::size() {
                    resize(cols, rows).await;
                }
            }
        }
    }
    let _ = out.flush().await;
    // Stop reading keys before the TUI takes the terminal back.
    drop(keys);
    tail
}

fn keep_tail(tail: &mut Vec<u8>, more: &[u8]) {
    tail.extend_from_slice(more);
    if tail.len() > TAIL {
        tail.drain(..tail.len() - TAIL);
    }
}

/// The terminal's input while the program has it, from a thread of its own that stops
/// when told (within [`POLL`]) and never sits in a read: tokio's `stdin()` reads on a
/// blocking thread that cannot be stopped, so once the program ended it would still be
/// waiting and steal the next key from the TUI. `O_NONBLOCK` is no way out either: the
/// flag is on the terminal's open file, which stdout shares, and the TUI's blocking
/// writes would start failing. So the thread polls with a timeout, asks how much is
/// there (`FIONREAD`) and reads exactly that: a read that cannot block.
struct Keys {
    rx: tokio::sync::mpsc::Receiver<Vec<u8>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long the key thread waits for input before looking whether to stop.
const POLL: Duration = Duration::from_millis(50);

impl Keys {
    fn new() -> io::Result<Keys> {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let stop = Arc::new(AtomicBool::new(false));
        let halt = stop.clone();
        let thread = std::thread::Builder::new()
            .name("labdeck-keys".into())
            .spawn(move || read_keys(&tx, &halt))?;
        Ok(Keys {
            rx,
            stop,
            thread: Some(thread),
        })
    }

    /// The next keys typed; `None` once the terminal's input has ended.
    async fn next(&mut self) -> Option<Vec<u8>> {
        self.rx.recv().await
    }
}

impl Drop for Keys {
    /// Stop the thread and wait for it, so no key typed after this goes anywhere but
    /// to the TUI.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_keys(tx: &tokio::sync::mpsc::Sender<Vec<u8>>, stop: &AtomicBool) {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let timeout = Timespec {
        tv_sec: 0,
        tv_nsec: i64::from(POLL.subsec_nanos()),
    };
    while !stop.load(Ordering::SeqCst) {
        let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return,
        }
        let revents = fds[0].revents();
        let waiting = rustix::io::ioctl_fionread(fd).unwrap_or(0) as usize;
        if waiting == 0 {
            if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                return; // the terminal is gone
            }
            continue;
        }
        let mut buf = vec![0u8; waiting.min(64 * 1024)];
        match rustix::io::read(fd, &mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                buf.truncate(n);
                if tx.blocking_send(buf).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_keeps_the_last_bytes_only() {
        let mut t = Vec::new();
        keep_tail(&mut t, b"hello ");
        keep_tail(&mut t, b"world");
        assert_eq!(t, b"hello world");
        keep_tail(&mut t, &[b'x'; TAIL]);
        assert_eq!(t.len(), TAIL);
        assert!(t.iter().all(|b| *b == b'x'));
    }
}
