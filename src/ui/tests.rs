//! Snapshots of whole screens (named `<pane>__<scenario>__<w>x<h>`) plus cell-level
//! style checks: text snapshots drop colour, so colours are asserted separately.

use crate::app::logs::LogFeed;
use crate::app::msg::Msg;
use crate::app::state::State;
use crate::app::swarm::msg::SwarmMsg;
use crate::app::update::tests::{bare_state, feed, sw};
use crate::app::update::update;
use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::sample::{NOW, lab};
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use crate::ui::theme::{Slot, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub fn state_with(access: AccessMode, snap: Option<SwarmSnapshot>, status: SourceStatus) -> State {
    let mut s = bare_state(access);
    feed(&mut s, snap, status);
    s
}

pub fn live() -> State {
    state_with(AccessMode::ReadWrite, Some(lab()), SourceStatus::Live)
}

pub fn keys(s: &mut State, codes: &[KeyCode]) {
    for c in codes {
        update(s, Msg::Key(KeyEvent::new(*c, KeyModifiers::NONE)));
    }
}

pub fn render(state: &mut State, w: u16, h: u16) -> Buffer {
    update(state, Msg::Resize(w, h));
    let theme = Theme::default();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::draw(f, state, &theme)).unwrap();
    t.backend().buffer().clone()
}

pub fn text(b: &Buffer) -> String {
    let w = b.area.width as usize;
    b.content
        .chunks(w)
        .map(|row| {
            row.iter()
                .map(|c| c.symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn snap_all(name: &str, mut make: impl FnMut() -> State) {
    for (w, h) in SIZES {
        let mut s = make();
        let b = render(&mut s, w, h);
        insta::assert_snapshot!(format!("{name}__{w}x{h}"), text(&b));
    }
}

/// The row of the buffer containing `needle`.
pub fn row_of(b: &Buffer, needle: &str) -> u16 {
    let t = text(b);
    t.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{t}")) as u16
}

pub fn col_of(b: &Buffer, y: u16, needle: &str) -> u16 {
    let line: String = (0..b.area.width)
        .map(|x| b[(x, y)].symbol().to_string())
        .collect();
    let byte = line.find(needle).unwrap();
    line[..byte].chars().count() as u16
}

#[test]
fn swarm_stacks() {
    snap_all("swarm__stacks", live);
}

#[test]
fn swarm_service_drill_down() {
    snap_all("swarm__services_of_stack", || {
        let mut s = live();
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
        s
    });
}

#[test]
fn swarm_tasks_with_a_failure() {
    snap_all("swarm__tasks_with_failure", || {
        let mut s = live();
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Enter]);
        s
    });
}

#[test]
fn swarm_task_stats() {
    snap_all("swarm__tasks_with_stats", || {
        let mut s = live();
        keys(
            &mut s,
            &[
                KeyCode::Down,
                KeyCode::Enter,
                KeyCode::Enter,
                KeyCode::Char('x'),
            ],
        );
        let generation = sw(&s).stats.as_ref().unwrap().generation;
        // A minute of samples: the charts show their rise, the figures the newest.
        for i in 0..60u64 {
            let sample = crate::backend::swarm::stats::ContainerStats {
                cpu_percent: if i == 59 {
                    12.25
                } else {
                    (i % 10) as f64 * 2.0
                },
                mem_used: (1 + i / 20) * 1024 * 1024 * 1024,
                mem_limit: 8 * 1024 * 1024 * 1024,
                pids: 4,
                rx_bytes: 2048,
                tx_bytes: 512,
            };
            update(
                &mut s,
                Msg::to_pane(
                    "swarm",
                    SwarmMsg::Stats {
                        generation,
                        sample: Ok(sample),
                    },
                ),
            );
        }
        s
    });
}

#[test]
fn swarm_describe_service() {
    snap_all("swarm__describe_service", || {
        let mut s = live();
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Char('d')]);
        // The service as the engine sends it, once read: its spec fields follow.
        let generation = sw(&s)
            .raw
            .as_ref()
            .expect("describe reads the object")
            .generation;
        let raw = serde_json::json!({"Spec": {"TaskTemplate": {
            "ContainerSpec": {
                "Args": ["--data", "/config"],
                "Env": ["TZ=Europe/Paris", "SONARR_API_KEY=(hidden)"],
                "Mounts": [{"Type": "bind", "Source": "/mnt/tank/media", "Target": "/tv"}]
            },
            "Networks": [{"Target": "net-proxy"}],
            "RestartPolicy": {"Condition": "any", "Delay": 5_000_000_000u64}
        }}});
        update(
            &mut s,
            Msg::to_pane(
                "swarm",
                SwarmMsg::Inspected {
                    generation,
                    result: Ok(std::sync::Arc::new(raw)),
                },
            ),
        );
        s
    });
}

#[test]
fn swarm_empty() {
    snap_all("swarm__empty", || {
        let mut empty = lab();
        empty.services.clear();
        empty.tasks.clear();
        state_with(AccessMode::ReadWrite, Some(empty), SourceStatus::Live)
    });
}

fn stale() -> SourceStatus {
    SourceStatus::Stale {
        since: Timestamp(NOW.0 - 42),
        reason: SafeText::new("cannot reach engine: Connection refused (os error 111)"),
        attempt: 3,
    }
}

#[test]
fn swarm_daemon_unreachable() {
    snap_all("swarm__unreachable_no_data", || {
        state_with(AccessMode::ReadWrite, None, stale())
    });
    snap_all("swarm__unreachable_stale_data", || {
        let mut s = live();
        feed(&mut s, None, stale());
        s
    });
}

#[test]
fn swarm_read_only_badge() {
    snap_all("swarm__read_only", || {
        let mut s = state_with(AccessMode::ReadOnly, Some(lab()), SourceStatus::Live);
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
        s
    });
}

#[test]
fn swarm_confirm_dialog_and_help() {
    snap_all("swarm__confirm_remove_stack", || {
        let mut s = live();
        keys(&mut s, &[KeyCode::Down]);
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
        );
        s
    });
    snap_all("swarm__help_read_only", || {
        let mut s = state_with(AccessMode::ReadOnly, Some(lab()), SourceStatus::Live);
        keys(&mut s, &[KeyCode::Char('?')]);
        s
    });
}

#[test]
fn logs_view() {
    snap_all("logs__following_with_search", || {
        let mut s = live();
        keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Char('l')]);
        let generation = sw(&s).logs.as_ref().unwrap().generation;
        let lines = (0..60)
            .map(|i| {
                let text = if i % 7 == 0 {
                    format!("ERROR request {i} failed")
                } else {
                    format!("GET /api/{i} 200")
                };
                crate::backend::swarm::logs::parse_line(
                    &format!("2025-11-20T10:00:{:02}.000000001Z {text}", i % 60),
                    false,
                )
            })
            .collect();
        let lines = LogFeed::Lines { lines, lost: 0 };
        update(
            &mut s,
            Msg::to_pane(
                "swarm",
                SwarmMsg::Log {
                    generation,
                    feed: lines,
                },
            ),
        );
        keys(
            &mut s,
            &[
                KeyCode::Char('/'),
                KeyCode::Char('e'),
                KeyCode::Char('r'),
                KeyCode::Char('r'),
                KeyCode::Enter,
            ],
        );
        s
    });
}

/// At 80 columns what matters wins: a task's full error is on the detail line, the
/// services view keeps UPDATE, and a sort arrow is never cut.
#[test]
fn at_80_columns_truncation_hides_nothing_that_matters() {
    let mut snap = lab();
    let long = "task: non-zero exit (137): dockerexec: unhealthy container";
    for t in snap.tasks.iter_mut().filter(|t| t.id == "t-sonarr-1a") {
        t.error = Some(SafeText::new(long));
    }
    let mut s = state_with(AccessMode::ReadWrite, Some(snap), SourceStatus::Live);
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Enter]);
    // Select the failed attempt.
    while sw(&s).level().table.selected_key() != Some("t-sonarr-1a") {
        keys(&mut s, &[KeyCode::Down]);
    }
    let screen = text(&render(&mut s, 80, 24));
    assert!(screen.contains(&format!("ERROR: {long}")), "{screen}");
    keys(&mut s, &[KeyCode::Esc]);
    let screen = text(&render(&mut s, 80, 24));
    assert!(
        screen.contains("UPDATE"),
        "UPDATE stays at 80 columns: {screen}"
    );
    keys(
        &mut s,
        &[KeyCode::Char('o'), KeyCode::Char('o'), KeyCode::Char('o')],
    );
    let screen = text(&render(&mut s, 80, 24));
    let header = screen.lines().find(|l| l.contains("SERVICE")).unwrap();
    assert!(header.contains('↑'), "the sort arrow shows: {header}");
}

/// Help says which of the pane's keys do nothing in this view (`s` on a task).
#[test]
fn help_marks_the_keys_that_do_nothing_here() {
    let mut s = live();
    keys(
        &mut s,
        &[
            KeyCode::Down,
            KeyCode::Enter,
            KeyCode::Enter,
            KeyCode::Char('?'),
        ],
    );
    let screen = text(&render(&mut s, 120, 40));
    let scale = screen.lines().find(|l| l.contains("Scale")).unwrap();
    assert!(scale.contains("not in this view"), "{scale}");
    let logs = screen.lines().find(|l| l.contains(" Logs")).unwrap();
    assert!(!logs.contains("not in this view"), "{logs}");
}

/// Typing a filter does not move the columns (widths come from every row).
#[test]
fn filtering_does_not_move_the_columns() {
    let mut snap = lab();
    let long = crate::backend::swarm::sample::service(
        "svc-long",
        "media_a_rather_long_service_name",
        Some("media"),
        1,
    );
    snap.services.push(long);
    let mut s = state_with(AccessMode::ReadWrite, Some(snap), SourceStatus::Live);
    keys(&mut s, &[KeyCode::Char(']')]);
    let b = render(&mut s, 120, 40);
    let y = row_of(&b, "SERVICE");
    let before = col_of(&b, y, "REPLICAS");
    // Hide the long name: the SERVICE column keeps its width.
    keys(
        &mut s,
        &[
            KeyCode::Char('/'),
            KeyCode::Char('c'),
            KeyCode::Char('a'),
            KeyCode::Char('d'),
        ],
    );
    let b = render(&mut s, 120, 40);
    assert!(sw(&s).level().table.rows_len() < sw(&s).level().table.total_len());
    assert_eq!(col_of(&b, row_of(&b, "SERVICE"), "REPLICAS"), before);
}

/// A long log line is cut with a visible marker, scrolls sideways, and wraps on `w`.
#[test]
fn long_log_lines_are_marked_scroll_and_wrap() {
    let mut s = live();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Char('l')]);
    let generation = sw(&s).logs.as_ref().unwrap().generation;
    let long = format!(
        "start {} (137): dockerexec: unhealthy container",
        "x".repeat(90)
    );
    let line =
        crate::backend::swarm::logs::parse_line(&format!("2025-11-20T10:00:00Z {long}"), false);
    let feed = LogFeed::Lines {
        lines: vec![line],
        lost: 0,
    };
    update(
        &mut s,
        Msg::to_pane("swarm", SwarmMsg::Log { generation, feed }),
    );
    let screen = text(&render(&mut s, 80, 24));
    let row = screen.lines().find(|l| l.contains("start xxx")).unwrap();
    assert!(
        row.trim_end_matches('│').ends_with('›'),
        "cut with a marker: {row:?}"
    );
    assert!(!screen.contains("unhealthy"), "the end is off screen");
    keys(&mut s, &[KeyCode::Right; 12]);
    let screen = text(&render(&mut s, 80, 24));
    assert!(
        screen.contains("unhealthy container"),
        "scrolled to the end: {screen}"
    );
    assert!(
        screen.lines().any(|l| l.contains("‹")),
        "the left cut is marked"
    );
    keys(&mut s, &[KeyCode::Char('w')]);
    let screen = text(&render(&mut s, 80, 24));
    assert!(screen.contains("[follow wrap]"), "{screen}");
    assert!(
        screen.contains("start xxx") && screen.contains("unhealthy container"),
        "{screen}"
    );
}

/// An application's own colours show as colours; the sequences are not shown as text.
#[test]
fn coloured_log_lines_keep_their_colours_not_their_escapes() {
    let mut s = live();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Char('l')]);
    let generation = sw(&s).logs.as_ref().unwrap().generation;
    let raw = "2025-11-20T10:00:00Z \u{1b}[32mstarted\u{1b}[0m on :8080";
    let line = crate::backend::swarm::logs::parse_line(raw, false);
    let feed = LogFeed::Lines {
        lines: vec![line],
        lost: 0,
    };
    update(
        &mut s,
        Msg::to_pane("swarm", SwarmMsg::Log { generation, feed }),
    );
    let b = render(&mut s, 80, 24);
    let screen = text(&b);
    assert!(
        screen.contains("started on :8080") && !screen.contains('␛'),
        "{screen}"
    );
    let y = row_of(&b, "started on");
    let x = col_of(&b, y, "started");
    assert_eq!(
        b[(x, y)].fg,
        ratatui::style::Color::Indexed(2),
        "green, as the app asked"
    );
    let x = col_of(&b, y, ":8080");
    assert_ne!(
        b[(x, y)].fg,
        ratatui::style::Color::Indexed(2),
        "reset after"
    );
}

/// Lines shed by a flood are counted where the user sees them.
#[test]
fn lines_lost_to_a_flood_are_counted_on_screen() {
    let mut s = live();
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter, KeyCode::Char('l')]);
    let generation = sw(&s).logs.as_ref().unwrap().generation;
    let line = crate::backend::swarm::logs::parse_line("2025-11-20T10:00:00Z x", false);
    for lost in [1200, 34] {
        let feed = LogFeed::Lines {
            lines: vec![line.clone()],
            lost,
        };
        update(
            &mut s,
            Msg::to_pane("swarm", SwarmMsg::Log { generation, feed }),
        );
    }
    let screen = text(&render(&mut s, 80, 24));
    assert!(screen.contains("1234 lost (too fast)"), "{screen}");
}

/// Seed 002's plan on n5, with a VLAN port down and a macvlan network astray.
#[test]
fn vlans_with_the_example_inventory() {
    snap_all("vlans__plan", || {
        let mut s = live();
        crate::app::vlans::tests::seed_002(&mut s);
        keys(&mut s, &[KeyCode::Char('2')]);
        s
    });
}

/// Seed 002's lab: the example inventory, a Swarm node, three clusters' nodes.
#[test]
fn nodes_merged_with_the_example_inventory() {
    snap_all("nodes__hosts", || {
        let mut s = live();
        crate::app::nodes::tests::seed_002(&mut s);
        keys(&mut s, &[KeyCode::Char('1')]);
        s
    });
}

/// Seed 002's N5 opened: its Swarm task, its pod with its cluster, its link.
#[test]
fn a_host_opened_on_what_runs_there() {
    snap_all("nodes__host_n5", || {
        let mut s = live();
        crate::app::nodes::tests::seed_002(&mut s);
        keys(&mut s, &[KeyCode::Char('1'), KeyCode::Enter]);
        s
    });
}

/// Seed 002's storage map: Caddy's folder and AdGuard's PV on tank, which is
/// DEGRADED.
#[test]
fn the_storage_map_with_the_example_inventory() {
    snap_all("nodes__storagemap", || {
        let mut s = live();
        crate::app::nodes::tests::seed_002(&mut s);
        keys(&mut s, &[KeyCode::Char('1'), KeyCode::Char(':')]);
        for c in "storagemap".chars() {
            keys(&mut s, &[KeyCode::Char(c)]);
        }
        keys(&mut s, &[KeyCode::Enter]);
        s
    });
}

#[test]
fn a_tiny_terminal_says_so() {
    let mut s = live();
    let b = render(&mut s, 20, 6);
    assert!(text(&b).contains("terminal too"), "{}", text(&b));
    // Down to a single cell: something readable is drawn (not a blank or a panic),
    // and it is the start of the explanation.
    for (w, h) in [(1, 1), (12, 1), (39, 7)] {
        let b = render(&mut s, w, h);
        let t = text(&b);
        let first = t.lines().next().unwrap_or("").trim();
        let says = "terminal too small";
        assert!(
            !first.is_empty() && (says.starts_with(first) || first.starts_with(says)),
            "{w}x{h}: {t:?}"
        );
    }
}

#[test]
fn selection_and_status_colours_come_from_the_theme() {
    let theme = Theme::default();
    let mut s = live();
    keys(&mut s, &[KeyCode::Down]);
    let b = render(&mut s, 80, 24);
    let y = row_of(&b, "media");
    let sel = theme.style(Slot::Selection);
    assert_eq!(
        b[(2, y)].bg,
        sel.bg.unwrap(),
        "selected row has the selection background"
    );
    let other = row_of(&b, "infra");
    assert_ne!(b[(2, other)].bg, sel.bg.unwrap(), "other rows do not");
    // media is 2/3: under-replicated in the error colour; infra 1/1 in the ok colour
    // (neither selected: the selection's own colours win on the selected row).
    keys(&mut s, &[KeyCode::End]);
    let b = render(&mut s, 80, 24);
    let y = row_of(&b, "media");
    let x = col_of(&b, y, "2/3");
    assert_eq!(b[(x, y)].fg, theme.style(Slot::StatusErr).fg.unwrap());
    let y = row_of(&b, "infra");
    let x = col_of(&b, y, "1/1");
    assert_eq!(b[(x, y)].fg, theme.style(Slot::StatusOk).fg.unwrap());
}

#[test]
fn read_only_badge_and_unavailable_hints_are_styled() {
    let theme = Theme::default();
    let mut s = state_with(AccessMode::ReadOnly, Some(lab()), SourceStatus::Live);
    keys(&mut s, &[KeyCode::Down, KeyCode::Enter]);
    let b = render(&mut s, 120, 40);
    let x = col_of(&b, 0, " RO ");
    assert_eq!(b[(x + 1, 0)].style().bg, theme.style(Slot::BadgeRo).bg);
    let last = b.area.height - 1;
    let x = col_of(&b, last, "Scale");
    assert_eq!(
        b[(x, last)].fg,
        theme.style(Slot::HintUnavailable).fg.unwrap()
    );
    let x = col_of(&b, last, "Logs");
    assert_eq!(b[(x, last)].fg, theme.style(Slot::HintDesc).fg.unwrap());
}

#[test]
fn stale_data_is_marked_in_the_stale_style() {
    let theme = Theme::default();
    let mut s = live();
    feed(&mut s, None, stale());
    let b = render(&mut s, 80, 24);
    assert_eq!(
        b[(0, 1)].fg,
        theme.style(Slot::Stale).fg.unwrap(),
        "the pane border turns stale"
    );
    assert!(text(&b).contains("STALE"));
    assert!(text(&b).contains("media"), "the last data stays on screen");
}

#[test]
fn every_hint_fits_at_80_columns_in_every_view() {
    use crate::app::swarm::view::SwarmView;
    for v in SwarmView::top_level(true) {
        let mut s = live();
        let Some(word) = v.command() else { continue };
        let mut line = vec![KeyCode::Char(':')];
        line.extend(word.chars().map(KeyCode::Char));
        line.push(KeyCode::Enter);
        keys(&mut s, &line);
        assert_eq!(&sw(&s).level().view, v);
        for extra in [&[][..], &[KeyCode::Enter][..]] {
            keys(&mut s, extra);
            let b = render(&mut s, 80, 24);
            let last = text(&b).lines().last().unwrap_or("").to_string();
            assert!(last.starts_with("? Help"), "{v:?}: help first: {last:?}");
            // The row is the first hints, each whole (key and description), in order:
            // a hint is left out whole or drawn whole, never cut.
            let hints = crate::ui::hints::hints(&s);
            let drawn = last.trim_end_matches(" writes off: read-only").trim_end();
            let whole = (0..=hints.len()).any(|n| {
                let row: String = hints[..n]
                    .iter()
                    .map(|h| format!("{} {} ", h.key, h.desc))
                    .collect();
                row.trim_end() == drawn
            });
            assert!(whole, "{v:?}: a hint is cut in {last:?}");
            assert!(last.chars().count() <= 80);
        }
    }
}

#[test]
fn broken_user_files_are_reported_on_screen_and_in_help() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("keymaps")).unwrap();
    std::fs::write(
        dir.path().join("keymaps/default.toml"),
        "[swarm]\nkeys = [{ on = [\"s\"], run = \"scael\" }]\n",
    )
    .unwrap();
    let panes = crate::app::registry::panes(&crate::config::settings::Settings::default());
    let vocab = crate::app::registry::vocab(&panes);
    let (keymap, warnings) = crate::config::keymap::load(dir.path(), "default", &vocab);
    assert_eq!(warnings.len(), 1);
    let mut s = bare_state(AccessMode::ReadWrite);
    s.shell = crate::app::shell::Shell::new(AccessMode::ReadWrite, keymap, warnings);
    s.shell.clock = || NOW;
    feed(&mut s, Some(lab()), SourceStatus::Live);
    let screen = text(&render(&mut s, 120, 40));
    assert!(screen.contains("1 config warning(s)"), "{screen}");
    keys(&mut s, &[KeyCode::Char('?')]);
    let screen = text(&render(&mut s, 120, 40));
    assert!(screen.contains("did you mean \"scale\""), "{screen}");
    // The defaults stayed: `s` still scales.
    assert_eq!(
        s.shell
            .keymap
            .keys_for(
                &crate::config::keymap::Section::named("swarm"),
                crate::app::swarm::verbs::SwarmVerb::Scale.act()
            )
            .len(),
        1
    );
}

#[test]
fn a_plain_docker_host_shows_compose_projects() {
    snap_all("swarm__compose_projects", || {
        use crate::backend::swarm::model::Container;
        let mut plain = lab();
        plain.engine.swarm_manager = false;
        plain.engine.swarm_state = SafeText::new("inactive");
        plain.services.clear();
        plain.tasks.clear();
        let c = |name: &str, project: Option<&str>, state: &str, status: &str| {
            let split = crate::backend::swarm::since::split(status, NOW).unwrap();
            Container {
                id: format!("id-{name}"),
                name: SafeText::new(name),
                project: project.map(SafeText::new),
                compose_service: project
                    .map(|_| SafeText::new(name.split('-').nth(1).unwrap_or(name))),
                image: SafeText::new("local/busybox:1"),
                state: SafeText::new(state),
                status: SafeText::new(&split.before),
                status_after: SafeText::new(&split.after),
                status_since: Some(split.since),
                created: Some(Timestamp(NOW.0 - 7200)),
                host_paths: Vec::new(),
            }
        };
        plain.containers = vec![
            c("core-traefik-1", Some("core"), "running", "Up 2 hours"),
            c(
                "core-pihole-1",
                Some("core"),
                "exited",
                "Exited (1) 5 minutes ago",
            ),
            c("k3s-agent", None, "running", "Up 2 hours"),
        ];
        state_with(AccessMode::ReadWrite, Some(plain), SourceStatus::Live)
    });
}
