//! Follows the client-to-engine half of an HTTP/1.1 connection just far enough to
//! name each request: request line, headers, then the body skipped by Content-Length
//! or chunked framing, so every request on a keep-alive connection is seen. After an
//! `Upgrade` (docker attach/exec hijack the connection) or anything it cannot parse,
//! it stops looking rather than guess: the bytes are forwarded regardless.

/// Longest line kept while waiting for its end; beyond it the stream is not HTTP.
const MAX_LINE: usize = 64 * 1024;

#[derive(Default)]
pub struct RequestParser {
    state: State,
    line: Vec<u8>,
    head: Head,
}

#[derive(Default, Clone, Copy)]
enum State {
    #[default]
    RequestLine,
    Headers,
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkEnd,
    Trailers,
    /// Upgraded or unparseable: ignore the rest of the connection.
    Opaque,
}

/// What the current request's headers say about its body.
#[derive(Default)]
struct Head {
    content_length: u64,
    chunked: bool,
    upgrade: bool,
}

impl RequestParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the stream, split anywhere; returns `(method, target)`
    /// for each request line completed by them.
    pub fn feed(&mut self, mut data: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        while !data.is_empty() {
            self.state = match self.state {
                State::Opaque => break,
                State::Body(left) => match skip(&mut data, left) {
                    0 => State::RequestLine,
                    left => State::Body(left),
                },
                State::ChunkData(left) => match skip(&mut data, left) {
                    0 => State::ChunkEnd,
                    left => State::ChunkData(left),
                },
                _ => match self.take_line(&mut data) {
                    Some(line) => self.on_line(&line, &mut found),
                    None if self.line.len() > MAX_LINE => State::Opaque,
                    None => self.state,
                },
            };
        }
        found
    }

    /// Completes the pending line from `data` if its `\n` is there (CR and LF removed).
    fn take_line(&mut self, data: &mut &[u8]) -> Option<Vec<u8>> {
        match data.iter().position(|&b| b == b'\n') {
            Some(end) => {
                self.line.extend_from_slice(&data[..end]);
                *data = &data[end + 1..];
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                Some(line)
            }
            None => {
                self.line.extend_from_slice(data);
                *data = &[];
                None
            }
        }
    }

    fn on_line(&mut self, line: &[u8], found: &mut Vec<(String, String)>) -> State {
        let Ok(line) = std::str::from_utf8(line) else {
            return State::Opaque;
        };
        match self.state {
            // Blank lines before a request line are allowed (RFC 9112 section 2.2).
            State::RequestLine if line.is_empty() => State::RequestLine,
            State::RequestLine => match parse_request_line(line) {
                Some(request) => {
                    found.push(request);
                    self.head = Head::default();
                    State::Headers
                }
                None => State::Opaque,
            },
            State::Headers if line.is_empty() => self.after_head(),
            State::Headers => self.on_header(line),
            State::ChunkSize => {
                let size = line.split(';').next().unwrap_or("").trim();
                match u64::from_str_radix(size, 16) {
                    Ok(0) => State::Trailers,
                    Ok(size) => State::ChunkData(size),
                    Err(_) => State::Opaque,
                }
            }
            State::ChunkEnd if line.is_empty() => State::ChunkSize,
            State::Trailers if line.is_empty() => State::RequestLine,
            State::Trailers => State::Trailers,
            _ => State::Opaque,
        }
    }

    fn on_header(&mut self, line: &str) -> State {
        let Some((name, value)) = line.split_once(':') else {
            return State::Opaque;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            match value.parse() {
                Ok(length) => self.head.content_length = length,
                Err(_) => return State::Opaque,
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked is always the last coding when present.
            let last = value.rsplit(',').next().unwrap_or("").trim();
            self.head.chunked = last.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("upgrade") {
            self.head.upgrade = true;
        }
        State::Headers
    }

    fn after_head(&self) -> State {
        if self.head.upgrade {
            State::Opaque
        } else if self.head.chunked {
            // Chunked framing wins over Content-Length (RFC 9112 section 6.3).
            State::ChunkSize
        } else if self.head.content_length > 0 {
            State::Body(self.head.content_length)
        } else {
            State::RequestLine
        }
    }
}

/// `METHOD SP target SP HTTP/x.y`.
fn parse_request_line(line: &str) -> Option<(String, String)> {
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if parts.next().is_some()
        || !token(method)
        || target.is_empty()
        || !version.starts_with("HTTP/")
    {
        return None;
    }
    Some((method.to_owned(), target.to_owned()))
}

/// Drops up to `left` bytes from the front of `data`; returns how many are still to drop.
fn skip(data: &mut &[u8], left: u64) -> u64 {
    let n = usize::try_from(left).map_or(data.len(), |left| left.min(data.len()));
    *data = &data[n..];
    left - n as u64
}
