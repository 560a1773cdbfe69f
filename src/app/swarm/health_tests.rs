//! Health across engines: a manager lists every node's tasks, but a container's health
//! is known only to the engine of the node it runs on.

use super::pane::SwarmPane;
use super::view::SwarmView;
use crate::app::pane::{Pane, PaneMsg};
use crate::app::swarm::msg::SwarmMsg;
use crate::app::update::tests::bare_state;
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::sample::lab;
use crate::backend::swarm::watch::SwarmFeed;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use std::sync::Arc;

#[test]
fn a_task_s_health_comes_from_the_engine_of_its_node() {
    let mut s = bare_state(AccessMode::ReadOnly);
    let named = |n: &str| Endpoint {
        name: n.into(),
        ..Endpoint::from_value(None)
    };
    let mut p = SwarmPane::with_engines(vec![named("manager"), named("worker")]);
    // The manager knows the tasks, not their health; the worker's engine knows the
    // health of the containers on its node.
    let mut manager = lab();
    let health = std::mem::take(&mut manager.health);
    let mut worker = lab();
    worker.services.clear();
    worker.tasks.clear();
    worker.engine.swarm_manager = false;
    worker.health = health;
    let later = worker.clone();
    for (engine, snap) in [("manager", manager), ("worker", worker)] {
        let feed = SwarmFeed {
            snapshot: Some(Arc::new(snap)),
            status: SourceStatus::Live,
        };
        let engine = engine.to_string();
        p.message(&mut s.shell, PaneMsg::new(SwarmMsg::Feed { engine, feed }));
    }
    // The batch's feeds are worked out together, as the run loop does after a batch.
    p.settle(&mut s.shell);
    let l = p.level_of(
        SwarmView::Tasks {
            service_id: "svc-radarr".into(),
            service: "media_radarr".into(),
        },
        Some("manager".into()),
    );
    p.levels.push(l);
    p.rebuild(s.shell.now());
    let t = &p.level().table;
    let health: Vec<String> = (0..t.rows_len())
        .filter_map(|i| t.row(i))
        .map(|r| r.cells[5].text.to_string())
        .collect();
    assert_eq!(health, ["healthy", "unhealthy ✗3"]);
    // Only the worker's engine hears the container recover: the manager's level, which
    // its feed does not touch, shows it all the same once the batch is settled.
    let mut recovered = later;
    for h in recovered.health.values_mut() {
        h.status = crate::core::text::SafeText::new("healthy");
        h.failing_streak = 0;
    }
    let feed = SwarmFeed {
        snapshot: Some(Arc::new(recovered)),
        status: SourceStatus::Live,
    };
    let engine = "worker".to_string();
    p.message(&mut s.shell, PaneMsg::new(SwarmMsg::Feed { engine, feed }));
    p.settle(&mut s.shell);
    let t = &p.level().table;
    let health: Vec<String> = (0..t.rows_len())
        .filter_map(|i| t.row(i))
        .map(|r| r.cells[5].text.to_string())
        .collect();
    assert_eq!(health, ["healthy", "healthy"]);
}
