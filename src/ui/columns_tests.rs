//! At 120 columns a table line has room to spare for long names, images, ports and
//! node names: nothing is cut (`…`) or left out while it does.

use super::tests::{keys, render, state_with, text};
use crate::backend::swarm::model::Port;
use crate::backend::swarm::sample::lab;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crossterm::event::KeyCode;

const SERVICE: &str = "media_sonarr_anime";
const IMAGE: &str = "linuxserver/sonarr:4.0";
const PORTS: &str = "8989:8989/tcp,9898:9898/tcp";
const NODE: &str = "nas-storage-primary-01";

/// The lab with longer names than the columns' preferred widths, all of which fit
/// on a 120-column line.
fn long_names() -> crate::app::state::State {
    let mut snap = lab();
    let sonarr = &mut snap.services[0];
    sonarr.name = SafeText::new(SERVICE);
    sonarr.image = SafeText::new(IMAGE);
    sonarr.ports.push(Port {
        published: 9898,
        target: 9898,
        protocol: SafeText::new("tcp"),
        mode: SafeText::new("ingress"),
    });
    snap.nodes[0].hostname = SafeText::new(NODE);
    state_with(AccessMode::ReadWrite, Some(snap), SourceStatus::Live)
}

fn assert_whole(screen: &str, texts: &[&str]) {
    assert!(!screen.contains('…'), "cut while there is room:\n{screen}");
    for t in texts {
        assert!(screen.contains(t), "{t:?} not shown whole:\n{screen}");
    }
}

#[test]
fn services_with_long_names_images_and_ports_are_not_cut_at_120_columns() {
    let mut s = long_names();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
    let screen = text(&render(&mut s, 120, 40));
    assert!(
        screen.contains("PORTS") && screen.contains("UPDATE"),
        "{screen}"
    );
    assert_whole(&screen, &[SERVICE, IMAGE, PORTS]);
}

#[test]
fn tasks_on_a_node_with_a_long_name_are_not_cut_at_120_columns() {
    let mut s = long_names();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Enter]);
    let screen = text(&render(&mut s, 120, 40));
    assert!(screen.contains("HEALTH"), "{screen}");
    assert_whole(&screen, &[NODE, "task: non-zero exit (1)"]);
}
