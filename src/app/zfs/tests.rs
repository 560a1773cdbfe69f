//! The ZFS pane through `update`, as the user presses keys: drill-downs, the write
//! dialogs and their refusals.

use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::app::shell::Overlay;
use crate::app::state::State;
use crate::app::update::tests::{bare_state, flash, key, press};
use crate::app::update::update;
use crate::app::zfs::ZfsPane;
use crate::app::zfs::msg::ZfsMsg;
use crate::app::zfs::view::ZfsView;
use crate::backend::zfs::sample::nas;
use crate::backend::zfs::watch::ZfsFeed;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// Host `host`'s snapshot, live, as the watcher sends it; whether the screen changed.
pub fn feed(s: &mut State, host: usize, snap: crate::backend::zfs::watch::ZfsSnapshot) -> bool {
    // Sources are addressed by name: the host's, from its place in the list.
    let host = s.find::<ZfsPane>().unwrap().hosts[host].host.name.clone();
    feed_named(s, &host, snap)
}

/// The same, by the host's name (which may be gone).
pub fn feed_named(
    s: &mut State,
    host: &str,
    snap: crate::backend::zfs::watch::ZfsSnapshot,
) -> bool {
    let host = host.to_string();
    s.shell.dirty = false;
    update(
        s,
        Msg::to_pane(
            "zfs",
            ZfsMsg::Feed {
                host,
                feed: ZfsFeed {
                    snapshot: Some(Arc::new(snap)),
                    status: SourceStatus::Live,
                },
            },
        ),
    );
    s.shell.dirty
}

fn state(access: AccessMode) -> State {
    let mut s = bare_state(access);
    feed(&mut s, 0, nas());
    press(&mut s, "3");
    s
}

fn zfs(s: &State) -> &ZfsPane {
    s.find::<ZfsPane>().expect("the registry has the ZFS pane")
}

fn command(s: &mut State, line: &str) {
    press(s, ":");
    press(s, line);
    key(s, KeyCode::Enter);
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

#[test]
fn enter_opens_a_pool_s_tree_and_a_dataset_s_snapshots() {
    let mut s = state(AccessMode::ReadOnly);
    press(&mut s, "j");
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        zfs(&s).level().view,
        ZfsView::Vdevs {
            pool: "tank".into()
        }
    );
    assert!(zfs(&s).level().table.rows_len() > 5);
    key(&mut s, KeyCode::Esc);
    command(&mut s, "datasets");
    press(&mut s, "j");
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        zfs(&s).level().view,
        ZfsView::Snapshots {
            dataset: Some("tank/media".into())
        }
    );
    assert_eq!(zfs(&s).level().table.rows_len(), 1);
}

#[test]
fn a_snapshot_asks_a_name_checks_it_and_confirms_exactly() {
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "datasets");
    press(&mut s, "j");
    press(&mut s, "s");
    let Overlay::Input { input, .. } = &s.shell.overlay else {
        panic!("no prompt: {}", flash(&s))
    };
    assert!(input.value().starts_with("labdeck-20"), "{}", input.value());
    // A bad name keeps the prompt open and says why.
    for _ in 0..30 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "bad name");
    key(&mut s, KeyCode::Enter);
    assert!(
        matches!(s.shell.overlay, Overlay::Input { .. }),
        "the prompt stays"
    );
    for _ in 0..30 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "before-upgrade -r");
    key(&mut s, KeyCode::Enter);
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert_eq!(
        c.text(),
        "On host local (this machine):\nTake snapshot tank/media@before-upgrade of tank/media and of every dataset below it."
    );
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::Apply { id, plan }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert_eq!(id.pane, "zfs");
    let step = format!("{:?}", plan.steps()[0]);
    assert!(step.contains("recursive: true"), "{step}");

    // A name that ends in "-r" is a name: only " -r" as its own word recurses.
    command(&mut s, "datasets");
    key(&mut s, KeyCode::Char('s'));
    for _ in 0..30 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "pre-upgrade-r");
    key(&mut s, KeyCode::Enter);
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert!(c.text().contains("@pre-upgrade-r of"), "{}", c.text());
    assert!(!c.text().contains("every dataset below"), "{}", c.text());
}

#[test]
fn a_snapshot_is_destroyed_only_after_its_name_is_typed() {
    let mut s = state(AccessMode::ReadWrite);
    command(&mut s, "snapshots");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert!(
        matches!(s.shell.overlay, Overlay::Input { .. }),
        "{}",
        flash(&s)
    );
    typed(&mut s, "tank/media@wrong");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(
        matches!(s.shell.overlay, Overlay::Input { .. }),
        "a wrong name keeps asking"
    );
    for _ in 0..40 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "tank/media@labdeck-20251124-120000");
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::Apply { plan, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    assert!(
        plan.describe()
            .starts_with("Destroy snapshot tank/media@labdeck-20251124-120000")
    );
}

#[test]
fn scrubs_are_offered_on_pools_and_pause_only_while_one_runs() {
    let mut s = state(AccessMode::ReadWrite);
    press(&mut s, "S");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {}", flash(&s))
    };
    assert!(
        c.text()
            .starts_with("On host local (this machine):\nStart a scrub of pool ai"),
        "{}",
        c.text()
    );
    key(&mut s, KeyCode::Esc);
    press(&mut s, "P");
    assert_eq!(flash(&s), "ai is not scrubbing");
    press(&mut s, "jj");
    press(&mut s, "X");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {}", flash(&s))
    };
    assert!(c.danger, "a stopped scrub's progress is lost");
    assert!(
        c.text().contains("\nStop the scrub of pool vms"),
        "{}",
        c.text()
    );
}

#[test]
fn read_only_refuses_every_zfs_write() {
    let mut s = state(AccessMode::ReadOnly);
    for k in ["S", "P", "X"] {
        press(&mut s, k);
        assert!(matches!(s.shell.overlay, Overlay::None));
        assert!(flash(&s).contains("is unavailable"), "{k}: {}", flash(&s));
    }
    command(&mut s, "datasets");
    press(&mut s, "s");
    assert!(matches!(s.shell.overlay, Overlay::None));
}

/// Two hosts in one pane, each fed its own snapshot.
fn two_hosts() -> State {
    let text = "[[zfs]]\nname = \"nas\"\n[[zfs]]\nname = \"n5\"\nprefix = [\"ssh\", \"n5\"]\n";
    let (settings, unknown) =
        crate::config::settings::Settings::parse(text, &crate::app::registry::tables()).unwrap();
    assert!(unknown.is_empty());
    let panes = crate::app::registry::panes(&settings);
    let vocab = crate::app::registry::vocab(&panes);
    let mut s = State::new(
        AccessMode::ReadWrite,
        crate::config::keymap::Keymap::embedded("default", &vocab).unwrap(),
        vec![],
        panes,
        crate::app::registry::FIRST,
    );
    s.shell.clock = || crate::backend::zfs::sample::NOW;
    let mut other = nas();
    other.pools.retain(|p| p.name.as_str() == "ai");
    for (host, snap) in [(0, nas()), (1, other)] {
        feed(&mut s, host, snap);
    }
    press(&mut s, "3");
    s
}

#[test]
fn two_hosts_share_a_view_and_each_row_acts_on_its_own_host() {
    let mut s = two_hosts();
    let table = &zfs(&s).level().table;
    assert_eq!(table.columns[0].title, "HOST");
    let hosts: Vec<String> = (0..table.rows_len())
        .filter_map(|i| table.row(i))
        .map(|r| format!("{} {}", r.cells[0].text, r.cells[1].text))
        .collect();
    assert_eq!(hosts, ["nas ai", "nas tank", "nas vms", "n5 ai"]);
    let at = |host: &str| Some((host.to_string(), "ai".to_string()));
    assert_eq!(zfs(&s).selected(), at("nas"));
    // The last row is n5's ai: its tree, and a scrub of it on n5, through its prefix.
    key(&mut s, KeyCode::End);
    assert_eq!(zfs(&s).selected(), at("n5"));
    press(&mut s, "S");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert!(c.text().contains("pool ai"), "{}", c.text());
    let fx = key(&mut s, KeyCode::Enter);
    let [Effect::Apply { plan, .. }] = &fx[..] else {
        panic!("{fx:?}")
    };
    let step = format!("{:?}", plan.steps()[0]);
    assert!(
        step.contains("name: \"n5\"") && step.contains("\"ssh\""),
        "{step}"
    );
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        zfs(&s).level().source.as_deref(),
        Some("n5"),
        "the tree is n5's"
    );
}

#[test]
fn a_change_of_the_header_alone_is_drawn_and_nothing_new_is_not() {
    let mut s = state(AccessMode::ReadOnly);
    command(&mut s, "pools");
    key(&mut s, KeyCode::Enter);
    assert!(!feed(&mut s, 0, nas()), "the same again draws nothing");
    // On the vdev tree, only the header shows the ARC: a change of it is drawn.
    let mut arc = nas();
    arc.arc.as_mut().unwrap().size += 3 << 30;
    assert!(feed(&mut s, 0, arc));
    let mut partial = nas();
    partial.partial = Some(crate::core::text::SafeText::new("datasets: timed out"));
    assert!(feed(&mut s, 0, partial));
}

/// Sources are addressed by name: when one goes (a host taken out of the config), the
/// view of another still shows and acts on that one, not on whoever took its place.
#[test]
fn a_view_of_one_host_outlives_another_host_leaving() {
    let mut s = two_hosts();
    key(&mut s, KeyCode::End);
    key(&mut s, KeyCode::Enter);
    assert_eq!(zfs(&s).level().source.as_deref(), Some("n5"));
    let p = s.find_mut::<ZfsPane>().unwrap();
    p.hosts.remove(0);
    let now = s.shell.now();
    s.find_mut::<ZfsPane>().unwrap().rebuild(now);
    assert!(
        zfs(&s).level().table.rows_len() > 0,
        "n5's tree is still there"
    );
    key(&mut s, KeyCode::Esc);
    press(&mut s, "S");
    let Overlay::Confirm(c) = &s.shell.overlay else {
        panic!("no dialog: {:?}", s.shell.overlay)
    };
    assert!(c.text().starts_with("On host n5 (ssh"), "{}", c.text());
    // A late feed from the host that left is not news.
    assert!(!feed_named(&mut s, "nas", nas()));
}
