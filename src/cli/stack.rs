//! `labdeck stack deploy|diff|rm`: compose files as a Swarm stack through the Engine
//! API, named and labelled as `docker stack deploy` would, so `docker stack ls`, `ps`,
//! `services` and `rm` manage what labdeck deployed. The engine is the environment's
//! (`DOCKER_HOST`, the Docker context, else the local socket).

use super::bootstrap::{FAILED, PENDING, SETTLED};
use crate::core::access::{READ_ONLY_REASON, Writer};
use crate::core::text::SafeText;
use crate::ops::stack::deploy::{self, Options};
use crate::ops::stack::desired::Desired;
use crate::ops::stack::load::{Variables, load};
use std::path::PathBuf;

fn say(line: &str) {
    eprintln!("labdeck: {}", SafeText::new(line));
}

/// The files as the stack `name`; problems said, each with its file and line.
fn desired(files: &[PathBuf], name: &str) -> Result<Desired, i32> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
    {
        say(&format!(
            "{name:?} is not a stack name (letters, digits, - and _)"
        ));
        return Err(FAILED);
    }
    let report = |errors: Vec<String>| {
        for e in errors {
            say(&e);
        }
        FAILED
    };
    let loaded = load(files, &Variables::from_env()).map_err(report)?;
    let d = crate::ops::stack::convert::convert(name, &loaded).map_err(report)?;
    for w in &d.warnings {
        say(&format!("warning: {w}"));
    }
    Ok(d)
}

/// `diff`: what a deploy would change; 0 nothing, 2 changes, 1 an error.
pub async fn diff(files: &[PathBuf], name: &str, prune: bool) -> i32 {
    let d = match desired(files, name) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let state = match deploy::read_state(&deploy::here(), name).await {
        Ok(s) => s,
        Err(e) => {
            say(&e);
            return FAILED;
        }
    };
    let r = deploy::review(&d, &state, prune);
    for c in &r.changes {
        println!("{}", SafeText::new(&c.to_string()));
    }
    for b in &r.blocked {
        println!("! {}", SafeText::new(b));
    }
    match (r.blocked.is_empty(), r.changes.is_empty()) {
        (false, _) => FAILED,
        (true, true) => {
            println!("stack {name} is as the files say");
            SETTLED
        }
        (true, false) => PENDING,
    }
}

/// `deploy`: as `docker stack deploy`: no question asked, nothing waited for.
pub async fn deploy(files: &[PathBuf], name: &str, prune: bool, writer: Option<Writer>) -> i32 {
    let d = match desired(files, name) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let Some(writer) = writer else {
        say(&format!("refused: {READ_ONLY_REASON}"));
        return FAILED;
    };
    let (shown, progress) = super::progress::Shown::start("");
    let opts = Options {
        prune,
        ..Options::default()
    };
    let outcome = deploy::deploy(&writer, &deploy::here(), &d, &opts, progress).await;
    shown.finish();
    match outcome {
        Ok(done) => {
            println!("{}", SafeText::new(&done));
            SETTLED
        }
        Err(e) => {
            say(&e);
            FAILED
        }
    }
}

/// `rm`: the stack's services, then its networks, secrets and configs.
pub async fn rm(name: &str, writer: Option<Writer>) -> i32 {
    let Some(writer) = writer else {
        say(&format!("refused: {READ_ONLY_REASON}"));
        return FAILED;
    };
    match deploy::remove(&writer, &deploy::here(), name).await {
        Ok(done) => {
            println!("{}", SafeText::new(&done));
            SETTLED
        }
        Err(e) => {
            say(&e);
            FAILED
        }
    }
}
