//! ZFS writes from the pane: a dialog that says what will happen, then a plan of one
//! step. A snapshot's name is asked for (the template filled in); destroying one asks
//! for its name, typed, and nothing else confirms it. (Read-only mode refuses all of
//! these in the shell, before this is reached.)

use super::pane::{ID, ZfsPane};
use super::verbs::ZfsVerb;
use super::view::ZfsView;
use crate::app::effect::Effect;
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::app::sources::KEY_SEP;
use crate::backend::zfs::model::ScanState;
use crate::backend::zfs::ops::{SNAPSHOT_TEMPLATE, ZfsOp, ZfsStep, snapshot_name};
use crate::core::action::Action;
use crate::core::text::SafeText;
use crate::ops::plan::Plan;

/// Prompt purposes: `snapshot` or `destroy`, the host's name, the dataset or snapshot,
/// apart by `KEY_SEP` (which no name has).
const SNAPSHOT: &str = "snapshot";
const DESTROY: &str = "destroy";

pub fn start(p: &mut ZfsPane, shell: &mut Shell, action: Action) {
    let Some(action) = (match action {
        Action::Verb(v) => ZfsVerb::of(v),
        _ => None,
    }) else {
        return;
    };
    let Some((host, name)) = p.selected() else {
        return;
    };
    let view = p.level().view.clone();
    match (action, &view) {
        (ZfsVerb::Snapshot, ZfsView::Datasets)
        | (ZfsVerb::Snapshot, ZfsView::Snapshots { dataset: Some(_) }) => {
            let dataset = match &view {
                ZfsView::Snapshots { dataset: Some(d) } => d.clone(),
                _ => name,
            };
            let initial = snapshot_name(SNAPSHOT_TEMPLATE, &jiff::Zoned::now());
            let purpose = [SNAPSHOT, &host, &dataset].join(&KEY_SEP.to_string());
            let prompt = SafeText::new(&format!(
                "snapshot {dataset}@ (add \" -r\" for its children): "
            ));
            shell.prompt(InputKind::Prompt { purpose, prompt }, &initial);
        }
        (ZfsVerb::Scrub | ZfsVerb::ScrubPause | ZfsVerb::ScrubStop, ZfsView::Pools) => {
            let scanning = p
                .host(&host)
                .and_then(|h| h.snapshot.as_ref())
                .and_then(|s| s.pools.iter().find(|x| x.name.as_str() == name))
                .and_then(|x| x.scan.as_ref())
                .is_some_and(|s| s.state == ScanState::InProgress);
            let op = match action {
                ZfsVerb::Scrub => ZfsOp::Scrub { pool: name },
                _ if !scanning => {
                    shell.flash(FlashLevel::Info, format!("{name} is not scrubbing"));
                    return;
                }
                ZfsVerb::ScrubPause => ZfsOp::PauseScrub { pool: name },
                _ => ZfsOp::StopScrub { pool: name },
            };
            confirm(p, shell, &host, op);
        }
        (ZfsVerb::Remove, ZfsView::Snapshots { .. }) => {
            let purpose = [DESTROY, &host, &name].join(&KEY_SEP.to_string());
            let prompt = SafeText::new(&format!("destroy {name}? type its name: "));
            shell.prompt(InputKind::Prompt { purpose, prompt }, "");
        }
        (a, _) => {
            let where_ = match a {
                ZfsVerb::Snapshot => "select a dataset",
                ZfsVerb::Remove => "open a dataset's snapshots and select one",
                _ => "select a pool",
            };
            shell.flash(FlashLevel::Info, format!("{}: {where_}", a.verb().name));
        }
    }
}

fn plan(p: &ZfsPane, host: &str, op: ZfsOp) -> Option<Plan> {
    let h = p.host(host)?;
    Some(Plan::one(ZfsStep {
        host: h.host.clone(),
        op,
    }))
}

fn confirm(p: &mut ZfsPane, shell: &mut Shell, host: &str, op: ZfsOp) {
    if let Some(plan) = plan(p, host, op) {
        shell.confirm(ID, plan);
    }
}

/// A prompt this pane opened was answered. `Err` keeps the prompt open and says why.
pub fn submit(
    p: &mut ZfsPane,
    shell: &mut Shell,
    purpose: &str,
    value: &str,
) -> Result<Vec<Effect>, String> {
    let mut parts = purpose.splitn(3, KEY_SEP);
    let (Some(kind), Some(host), Some(target)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(vec![]);
    };
    match kind {
        SNAPSHOT => {
            // ` -r` as a word of its own: `pre-upgrade-r` is a name.
            let (name, recursive) = match value.trim().strip_suffix(" -r") {
                Some(n) => (n.trim(), true),
                None => (value.trim(), false),
            };
            // ZFS's own rule for a snapshot's name: these characters, nothing else.
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
            if !ok {
                return Err(format!(
                    "not a snapshot name (letters, digits, - _ . :): {name:?}"
                ));
            }
            let op = ZfsOp::Snapshot {
                dataset: target.to_string(),
                name: name.to_string(),
                recursive,
            };
            confirm(p, shell, host, op);
            Ok(vec![])
        }
        DESTROY if value.trim() == target => {
            let op = ZfsOp::DestroySnapshot {
                snapshot: target.to_string(),
            };
            // The typed name was the confirmation.
            Ok(plan(p, host, op)
                .map(|plan| vec![shell.start_plan(ID, plan)])
                .unwrap_or_default())
        }
        DESTROY => Err("the name does not match: nothing destroyed".into()),
        _ => Ok(vec![]),
    }
}
