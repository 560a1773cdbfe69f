//! Write actions: refused in read-only mode, otherwise a dialog that says exactly what
//! will happen. Only a confirmed dialog produces `Effect::Apply`.

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::input::LineInput;
use crate::app::state::{Confirm, FlashLevel, InputKind, Overlay, State};
use crate::app::swarm::view::SwarmView;
use crate::app::tab::Tab;
use crate::backend::swarm::model::ServiceMode;
use crate::backend::swarm::ops::SwarmOp;
use crate::core::access::READ_ONLY_REASON;

pub fn start(state: &mut State, action: Action) -> Vec<Effect> {
    if state.access.is_read_only() {
        state.flash(
            FlashLevel::Warn,
            format!("{} is unavailable: {READ_ONLY_REASON}", action.name()),
        );
        return vec![];
    }
    if state.tab != Tab::Swarm || state.logs.is_some() {
        return vec![];
    }
    let level = state.swarm.level();
    let Some(key) = level.table.selected_key().map(str::to_owned) else {
        return vec![];
    };
    let Some(snap) = state.swarm.snapshot.clone() else {
        return vec![];
    };
    if let (SwarmView::Stacks, Action::Remove) = (&level.view, action) {
        if key.is_empty() {
            state.flash(
                FlashLevel::Info,
                "services outside a stack are removed one by one",
            );
            return vec![];
        }
        confirm(state, SwarmOp::RemoveStack { stack: key });
        return vec![];
    }
    let Some(svc) = (if level.view.lists_services() {
        snap.service(&key)
    } else {
        None
    }) else {
        state.flash(
            FlashLevel::Info,
            format!("{}: select a service", action.name()),
        );
        return vec![];
    };
    let (service_id, service) = (svc.id.clone(), svc.name.to_string());
    match action {
        Action::Scale => match svc.mode {
            ServiceMode::Replicated(current) => {
                state.overlay = Overlay::Input {
                    kind: InputKind::Scale {
                        service_id,
                        service,
                        current,
                    },
                    input: Box::new(LineInput::new(&current.to_string())),
                };
            }
            _ => state.flash(
                FlashLevel::Info,
                format!("{service} is not replicated: it cannot be scaled"),
            ),
        },
        Action::Redeploy => confirm(
            state,
            SwarmOp::Redeploy {
                service_id,
                service,
            },
        ),
        Action::Rollback => confirm(
            state,
            SwarmOp::Rollback {
                service_id,
                service,
            },
        ),
        Action::Remove => confirm(
            state,
            SwarmOp::RemoveService {
                service_id,
                service,
            },
        ),
        _ => {}
    }
    vec![]
}

pub fn confirm(state: &mut State, op: SwarmOp) {
    let danger = matches!(
        op,
        SwarmOp::RemoveService { .. } | SwarmOp::RemoveStack { .. }
    );
    state.overlay = Overlay::Confirm(Confirm {
        text: op.describe(),
        op,
        danger,
        yes_focused: !danger,
    });
}
