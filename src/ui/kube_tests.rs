//! Screens of the Kubernetes pane: three clusters at once (homelab with a crash-looping
//! pod, a node not ready and a failing HelmRelease; cloud, whose credentials may not
//! list pods; sandbox, unreachable), drill-downs, storage followed to where the data
//! lives, and text from a hostile API server drawn harmless.

use super::tests::{col_of, keys, render, row_of, snap_all, text};
use crate::app::kube::KubePane;
use crate::app::kube::tests::{feed, three};
use crate::app::state::State;
use crate::app::update::tests::{command, press};
use crate::backend::kube::sample::hostile;
use crate::core::access::AccessMode;
use crate::core::status::SourceStatus;
use crate::ui::theme::{Slot, Theme};
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;

fn kube(s: &State) -> &KubePane {
    s.find::<KubePane>().unwrap()
}

/// The three clusters, showing `word` (a `:` command).
fn showing(word: &str) -> State {
    let mut s = three(AccessMode::ReadOnly);
    command(&mut s, word);
    s
}

/// Move the selection to the row with a cell reading `needle`.
fn select(s: &mut State, needle: &str) {
    keys(s, &[KeyCode::Home]);
    for _ in 0..kube(s).level().table.rows_len() {
        let row = kube(s).level().table.selected_row().unwrap();
        if row.cells.iter().any(|c| c.text.as_str() == needle) {
            return;
        }
        keys(s, &[KeyCode::Down]);
    }
    panic!("{needle} is not in the view");
}

/// The foreground colour at the start of `needle` on the line holding `line`.
fn fg_at(b: &Buffer, line: &str, needle: &str) -> ratatui::style::Color {
    let y = row_of(b, line);
    let x = col_of(b, y, needle);
    b[(x, y)].fg
}

#[test]
fn workloads_of_every_cluster() {
    snap_all("kube__workloads_multi_cluster", || {
        three(AccessMode::ReadOnly)
    });
}

#[test]
fn pods_with_a_crash_loop_and_a_forbidden_cluster() {
    snap_all("kube__pods_crashloop_forbidden", || showing("pods"));
}

#[test]
fn nodes_one_not_ready_one_cordoned() {
    snap_all("kube__nodes", || showing("kube-nodes"));
}

#[test]
fn flux_with_the_failing_release_first() {
    snap_all("kube__flux_not_ready_first", || showing("flux"));
}

#[test]
fn storage_followed_to_zfs_and_nfs() {
    snap_all("kube__storage", || showing("storage"));
}

#[test]
fn the_clusters_view_with_one_stale() {
    snap_all("kube__clusters_one_stale", || showing("clusters"));
}

#[test]
fn a_drill_down_into_the_stale_cluster() {
    snap_all("kube__stale_cluster_workloads", || {
        let mut s = showing("clusters");
        select(&mut s, "sandbox");
        keys(&mut s, &[KeyCode::Enter]);
        s
    });
}

/// cloud's workload opened: its pods may not be listed, which the screen says instead
/// of an empty list.
#[test]
fn a_drill_down_into_a_forbidden_kind() {
    snap_all("kube__forbidden_pods_of_cloud", || {
        let mut s = three(AccessMode::ReadOnly);
        select(&mut s, "blog");
        keys(&mut s, &[KeyCode::Enter]);
        s
    });
}

#[test]
fn containers_of_the_crashing_pod() {
    snap_all("kube__containers_crashloop", || {
        let mut s = three(AccessMode::ReadOnly);
        select(&mut s, "immich-server");
        keys(&mut s, &[KeyCode::Enter]);
        select(&mut s, "immich-server-6d8f-fghij");
        keys(&mut s, &[KeyCode::Enter]);
        s
    });
}

#[test]
fn pod_states_are_toned_and_said_in_words() {
    let theme = Theme::default();
    let mut s = showing("pods");
    // The first row (postgres-0) is selected: the rows checked are drawn in their own
    // colours.
    let b = render(&mut s, 120, 40);
    let t = text(&b);
    assert!(t.contains("CrashLoopBackOff"), "{t}");
    assert_eq!(
        fg_at(&b, "immich-server-6d8f-fghij", "CrashLoopBackOff"),
        theme.style(Slot::StatusErr).fg.unwrap()
    );
    assert_eq!(
        fg_at(&b, "jellyfin-7c9d-x2k4p", "Running"),
        theme.style(Slot::StatusOk).fg.unwrap()
    );
    // The notice: in words and in the warning style.
    let notice = "cloud: pods forbidden";
    assert_eq!(
        fg_at(&b, notice, notice),
        theme.style(Slot::StatusWarn).fg.unwrap()
    );
}

#[test]
fn a_not_ready_node_is_an_error_and_a_cordoned_one_a_warning() {
    let theme = Theme::default();
    let mut s = showing("kube-nodes");
    let b = render(&mut s, 80, 24);
    assert_eq!(
        fg_at(&b, "│homelab  w2 ", "NotReady"),
        theme.style(Slot::StatusErr).fg.unwrap()
    );
    assert_eq!(
        fg_at(&b, "│homelab  w3 ", "Ready,Cordoned"),
        theme.style(Slot::StatusWarn).fg.unwrap()
    );
    assert_eq!(
        fg_at(&b, "│homelab  w1 ", "Ready"),
        theme.style(Slot::StatusOk).fg.unwrap()
    );
    // homelab's line says how many are ready, in the error style while some are not.
    assert_eq!(
        fg_at(&b, "│homelab  3/4", "3/4 nodes ready"),
        theme.style(Slot::StatusErr).fg.unwrap()
    );
}

#[test]
fn the_stale_cluster_is_named_in_the_error_tone() {
    let theme = Theme::default();
    let mut s = showing("clusters");
    let b = render(&mut s, 80, 24);
    let y = row_of(&b, "│sandbox ");
    let x = col_of(&b, y, "sandbox");
    assert_eq!(b[(x, y)].fg, theme.style(Slot::StatusErr).fg.unwrap());
    // Not by colour alone: its note says it is unreachable, and the bottom line that
    // it is stale; what is not known is not shown as zero.
    let t = text(&b);
    let line = t.lines().nth(usize::from(y)).unwrap();
    assert!(line.contains("unreachable: https://10.0"), "{line}");
    assert!(!line.contains("0/0"), "{line}");
    assert!(t.contains("STALE sandbox"), "{t}");
    // A live cluster's name is not in the error tone.
    let y = row_of(&b, "│cloud");
    let x = col_of(&b, y, "cloud");
    assert_ne!(b[(x, y)].fg, theme.style(Slot::StatusErr).fg.unwrap());
}

#[test]
fn the_tab_bar_is_loud_about_homelab_whichever_pane_is_shown() {
    let theme = Theme::default();
    let mut s = three(AccessMode::ReadOnly);
    // The tab is marked, not only red. At 120 columns every tab keeps its name and
    // the long alert is cut; at 80, the tabs not shown shrink to their numbers.
    for (pane, width, tab) in [
        ("5", 120, " 5 Kubernetes! "),
        ("4", 120, " 5 Kubernetes! "),
        ("4", 80, " 5! "),
    ] {
        press(&mut s, pane);
        let b = render(&mut s, width, 40);
        let first = text(&b).lines().next().unwrap().to_string();
        assert!(first.contains(tab), "{first}");
        assert_eq!(first.contains(" 1 Nodes "), width == 120, "{first}");
        let x = col_of(&b, 0, tab);
        assert_eq!(b[(x + 1, 0)].fg, theme.style(Slot::StatusErr).fg.unwrap());
        let x = col_of(&b, 0, "homelab: 1 node not ready");
        assert_eq!(
            b[(x, 0)].fg,
            theme.style(Slot::StatusErr).fg.unwrap(),
            "{first}"
        );
    }
    // Once homelab is well, the alert goes.
    let mut well = crate::backend::kube::sample::cloud();
    well.kinds.remove(&crate::backend::kube::kinds::Kind::Pods);
    feed(&mut s, "homelab", well, SourceStatus::Live);
    let b = render(&mut s, 120, 40);
    let first = text(&b).lines().next().unwrap().to_string();
    assert!(!first.contains("5!"), "{first}");
    assert!(!first.contains("homelab:"), "{first}");
}

/// homelab fed by a hostile API server.
fn hostile_state() -> State {
    let mut s = three(AccessMode::ReadOnly);
    feed(&mut s, "homelab", hostile(), SourceStatus::Live);
    s
}

/// Nothing a terminal would obey is on screen: no control characters, no bidi
/// overrides, no C1; each removed sequence shows as `␛`, and what it carried is gone.
fn assert_clean(screen: &str) {
    for c in screen.chars().filter(|&c| c != '\n') {
        assert!(
            !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c),
            "{:?} on screen:\n{screen}",
            c
        );
    }
    for gone in ["aGFjaw", "pwned", "example.invalid", "[2J", "[6n", "544e"] {
        assert!(!screen.contains(gone), "{gone} on screen:\n{screen}");
    }
}

#[test]
fn hostile_names_and_messages_are_drawn_clean() {
    let mut s = hostile_state();
    command(&mut s, "pods");
    let screen = text(&render(&mut s, 120, 40));
    assert_clean(&screen);
    assert!(screen.contains("web-␛x␛⟪U+202E⟫fdp.exe"), "{screen}");
    // Its events: the message without its hyperlink, the carriage return visible.
    select(&mut s, "web-␛x␛⟪U+202E⟫fdp.exe");
    press(&mut s, "E");
    let screen = text(&render(&mut s, 120, 40));
    assert_clean(&screen);
    assert!(screen.contains("see ␛click␛ ok␍EVIL␛"), "{screen}");
    // The breadcrumb names the pod cleaned too.
    assert!(
        screen.lines().nth(1).unwrap().contains("fdp.exe"),
        "{screen}"
    );
    command(&mut s, "flux");
    let screen = text(&render(&mut s, 120, 40));
    assert_clean(&screen);
    assert!(screen.contains("upgrade ␛failed␛ ␛␛␛ done"), "{screen}");
}

/// The bytes a terminal would receive, kept for the test to read.
#[derive(Clone, Default)]
struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What goes to the terminal itself: labdeck's own cursor moves and colours, nothing
/// else (no OSC, DCS, APC, PM or SOS; no CSI but `H`, `m` and cursor show/hide; no C1).
#[test]
fn hostile_text_never_reaches_the_terminal_as_a_sequence() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    for word in ["pods", "flux", "events"] {
        let mut s = hostile_state();
        command(&mut s, word);
        let (w, h) = (120, 40);
        crate::app::update::update(&mut s, crate::app::msg::Msg::Resize(w, h));
        let theme = Theme::default();
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        };
        let sink = Sink::default();
        let mut t = Terminal::with_options(CrosstermBackend::new(sink.clone()), options).unwrap();
        t.draw(|f| super::draw(f, &s, &theme)).unwrap();
        let out = String::from_utf8(sink.0.borrow().clone()).expect("UTF-8 out");
        assert!(out.contains("fdp.exe") || word != "pods", "{word}: drawn");
        let mut chars = out.chars().peekable();
        while let Some(c) = chars.next() {
            assert!(
                !('\u{80}'..='\u{9f}').contains(&c),
                "{word}: C1 {c:?} written"
            );
            if c != '\u{1b}' {
                assert!(
                    !c.is_control() || c == '\n' || c == '\r',
                    "{word}: {c:?} written"
                );
                continue;
            }
            assert_eq!(chars.next(), Some('['), "{word}: ESC not a CSI");
            let mut params = String::new();
            let fin = loop {
                let Some(p) = chars.next() else {
                    panic!("{word}: a CSI cut short")
                };
                if ('\u{40}'..='\u{7e}').contains(&p) {
                    break p;
                }
                params.push(p);
            };
            let allowed = matches!(fin, 'H' | 'm') || (params == "?25" && matches!(fin, 'l' | 'h'));
            assert!(allowed, "{word}: CSI {params}{fin} written");
        }
        for gone in ["aGFjaw", "pwned", "example.invalid", "544e"] {
            assert!(!out.contains(gone), "{word}: {gone} written");
        }
    }
}

/// Read-only: each cluster's line says who keeps it unchanged, once its server has
/// answered the access reviews; before that it says nothing of it.
#[test]
fn read_only_says_per_cluster_whether_the_server_enforces_it() {
    use crate::backend::kube::access::{Answer, Perm, Perms};
    use crate::backend::kube::sample::{cloud, homelab};
    use crate::core::text::SafeText;
    let perms = |allowed: bool| {
        let mut p = Perms::default();
        for perm in Perm::ALL {
            let reason = SafeText::new("RBAC");
            p.answers
                .insert((perm, String::new()), Answer { allowed, reason });
        }
        p
    };
    let mut s = three(AccessMode::ReadOnly);
    let screen = text(&render(&mut s, 120, 40));
    assert!(
        !screen.contains("RO: "),
        "nothing before the answers:\n{screen}"
    );
    let mut h = homelab();
    h.perms = Some(perms(false));
    feed(&mut s, "homelab", h, SourceStatus::Live);
    let mut c = cloud();
    c.perms = Some(perms(true));
    feed(&mut s, "cloud", c, SourceStatus::Live);
    let screen = text(&render(&mut s, 120, 40));
    let line = |name: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!("│{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{screen}"))
            .to_string()
    };
    assert!(
        line("homelab").contains("RO: enforced by the server"),
        "{screen}"
    );
    assert!(line("cloud").contains("RO: labdeck only"), "{screen}");
}

#[test]
fn the_forwards_view_says_how_to_start_one_when_there_is_none() {
    let mut s = showing("forwards");
    let screen = text(&render(&mut s, 80, 24));
    assert!(
        screen.contains("no port-forwards: F on a pod, a container or a service starts one"),
        "{screen}"
    );
}
