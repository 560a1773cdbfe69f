//! Building responses: JSON bodies, `Status` errors, streamed bodies.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper::{Response, StatusCode};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::status::ApiError;

pub type Body = BoxBody<Bytes, Infallible>;
pub type Resp = Response<Body>;

pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed()
}

pub fn json(code: u16, v: &Value) -> Resp {
    let body = serde_json::to_vec(v).unwrap_or_default();
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::OK))
        .header("content-type", "application/json")
        .body(full(body))
        .expect("valid response")
}

pub fn error(e: &ApiError) -> Resp {
    json(e.code, &e.to_status())
}

pub fn text(code: u16, s: impl Into<Bytes>) -> Resp {
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::OK))
        .header("content-type", "text/plain; charset=utf-8")
        .body(full(s.into()))
        .expect("valid response")
}

/// A body fed chunk by chunk from a channel; each chunk goes out as it is
/// sent (hyper writes a chunk per frame), which watches and log follows need.
/// The stream ends when every sender is dropped.
pub fn streamed(content_type: &str) -> (mpsc::Sender<Bytes>, Resp) {
    let (tx, mut rx) = mpsc::channel::<Bytes>(256);
    let stream = futures::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|o| o.map(|b| Ok::<_, Infallible>(Frame::data(b))))
    });
    let resp = Response::builder()
        .status(StatusCode::OK)
        .header("content-type", content_type)
        .header("cache-control", "no-cache, private")
        .body(BodyExt::boxed(StreamBody::new(stream)))
        .expect("valid response");
    (tx, resp)
}
