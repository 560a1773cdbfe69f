//! This host's links read over netlink, on real links: the test makes two network
//! namespaces of its own (a veth pair between them, a bridge, a macvlan, addresses),
//! reads them from inside, and checks what the VLANs source and its checks see.
//! Traffic stays between the test's own namespaces.

use labdeck::backend::net::{Link, LinkKind, OperState, read_links};
use labdeck::lab::facts::{Facts, LinkState};
use std::os::fd::AsFd;
use std::process::Command;

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("ip runs");
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Namespaces made for the test, removed however it ends.
struct Namespaces(Vec<String>);

impl Drop for Namespaces {
    fn drop(&mut self) {
        for ns in &self.0 {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

/// The links as read by a thread that has moved into `ns`, after it ran `first`.
fn read_in(ns: &str, first: impl FnOnce() + Send + 'static) -> Vec<Link> {
    in_ns(ns, move || {
        first();
        Box::pin(async { read_links().await.expect("read the links") })
    })
}

/// The future `make` makes, run to its end by a thread that has moved into `ns`.
fn in_ns<T: Send + 'static>(
    ns: &str,
    make: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T>>> + Send + 'static,
) -> T {
    let path = format!("/run/netns/{ns}");
    std::thread::spawn(move || {
        let file = std::fs::File::open(&path).expect("the namespace's file");
        rustix::thread::move_into_link_name_space(
            file.as_fd(),
            Some(rustix::thread::LinkNameSpaceType::Network),
        )
        .expect("setns");
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(make())
    })
    .join()
    .unwrap()
}

fn can_make_namespaces() -> bool {
    let probe = format!("ldprobe{}", std::process::id());
    let ok = Command::new("ip")
        .args(["netns", "add", &probe])
        .status()
        .is_ok_and(|s| s.success());
    let _ = Command::new("ip").args(["netns", "del", &probe]).status();
    ok
}

#[test]
fn links_bridges_macvlans_addresses_and_counters_read_as_the_kernel_has_them() {
    if !can_make_namespaces() {
        let in_ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
        assert!(
            !in_ci,
            "CI=true, and network namespaces cannot be made (root and iproute2 needed)"
        );
        eprintln!("skipped: cannot make network namespaces here (root and iproute2 needed)");
        return;
    }
    let (a, b) = (
        format!("ldnet{}a", std::process::id()),
        format!("ldnet{}b", std::process::id()),
    );
    let _ns = Namespaces(vec![a.clone(), b.clone()]);
    ip(&["netns", "add", &a]);
    ip(&["netns", "add", &b]);
    let in_a = |args: &[&str]| {
        let mut full = vec!["-n", a.as_str()];
        full.extend_from_slice(args);
        ip(&full);
    };
    // A veth pair between the namespaces, addressed and up on both sides.
    in_a(&[
        "link", "add", "up0", "type", "veth", "peer", "name", "up1", "netns", &b,
    ]);
    in_a(&["addr", "add", "10.77.0.1/24", "dev", "up0"]);
    in_a(&["link", "set", "up0", "up"]);
    ip(&["-n", &b, "addr", "add", "10.77.0.2/24", "dev", "up1"]);
    ip(&["-n", &b, "link", "set", "up1", "up"]);
    // A macvlan on it, with its own address.
    in_a(&[
        "link", "add", "iot0", "link", "up0", "type", "macvlan", "mode", "bridge",
    ]);
    in_a(&["addr", "add", "10.77.1.5/24", "dev", "iot0"]);
    in_a(&["link", "set", "iot0", "mtu", "1400", "up"]);
    // A bridge with a port whose peer is down: the port is set up but down.
    in_a(&["link", "add", "br9", "type", "bridge"]);
    in_a(&["addr", "add", "fd00:77::1/64", "dev", "br9", "nodad"]);
    in_a(&["link", "set", "br9", "up"]);
    in_a(&["link", "add", "dn0", "type", "veth", "peer", "name", "dn1"]);
    in_a(&["link", "set", "dn0", "master", "br9"]);
    in_a(&["link", "set", "dn0", "up"]);
    // Traffic over the pair, inside the test's namespaces only: connections to a port
    // nobody listens on in the other namespace, each refused (a SYN out, a RST back).
    let links = read_in(&a, || {
        for _ in 0..3 {
            let to = "10.77.0.2:9".parse().unwrap();
            let r = std::net::TcpStream::connect_timeout(&to, std::time::Duration::from_secs(2));
            assert_eq!(
                r.map_err(|e| e.kind()).err(),
                Some(std::io::ErrorKind::ConnectionRefused),
                "refused from across the pair"
            );
        }
    });
    let find = |n: &str| {
        links
            .iter()
            .find(|l| l.name == n)
            .unwrap_or_else(|| panic!("{n} not read: {links:#?}"))
    };
    let lo = find("lo");
    assert_eq!(lo.kind, LinkKind::Loopback);
    let up0 = find("up0");
    assert_eq!(up0.kind, LinkKind::Veth);
    assert_eq!(up0.oper, OperState::Up);
    assert!(up0.admin_up && up0.carries());
    assert!(
        up0.addresses
            .iter()
            .any(|a| a.to_string() == "10.77.0.1/24"),
        "{up0:?}"
    );
    // Three SYNs of at least 54 bytes out, three RSTs in.
    assert!(
        up0.tx_bytes >= 3 * 54 && up0.rx_bytes >= 3 * 54,
        "the connections' bytes: {up0:?}"
    );
    let iot0 = find("iot0");
    assert_eq!(iot0.kind, LinkKind::MacVlan("bridge".into()));
    assert_eq!(iot0.parent.as_deref(), Some("up0"));
    assert_eq!(iot0.mtu, 1400);
    assert!(
        iot0.addresses
            .iter()
            .any(|a| a.to_string() == "10.77.1.5/24")
    );
    let br9 = find("br9");
    assert_eq!(br9.kind, LinkKind::Bridge);
    assert!(
        br9.addresses
            .iter()
            .any(|a| a.to_string() == "fd00:77::1/64")
    );
    let dn0 = find("dn0");
    assert_eq!(dn0.controller.as_deref(), Some("br9"));
    assert!(
        dn0.admin_up && !dn0.carries(),
        "set up, its peer down: {dn0:?}"
    );
    let dn1 = find("dn1");
    assert!(!dn1.admin_up, "never set up");

    // The checks: the port set up but down is said; the link never set up is not.
    let facts = Facts {
        links: LinkState::of_links("nas", &links),
        ..Facts::default()
    };
    let warnings: Vec<String> = labdeck::lab::vlan_checks::check(&facts)
        .into_iter()
        .map(|w| w.text)
        .collect();
    assert_eq!(warnings, ["link dn0 on nas is down"]);

    // Followed: a link set down is announced by the kernel and read again at once,
    // with no polling; the rates come only once asked for.
    let ns = a.clone();
    let (after, rates) = in_ns(&a, move || {
        Box::pin(async move {
            let cancel = tokio_util::sync::CancellationToken::new();
            let w = labdeck::backend::net::watch::LinkWatcher::spawn(cancel.clone());
            let mut feed = w.feed.clone();
            let up = |f: &labdeck::backend::net::watch::LinksFeed| {
                f.links
                    .iter()
                    .find(|l| l.name == "iot0")
                    .map(|l| l.admin_up)
            };
            feed.wait_for(|f| up(f) == Some(true)).await.unwrap();
            ip(&["-n", &ns, "link", "set", "iot0", "down"]);
            let within = std::time::Duration::from_secs(2);
            let after = tokio::time::timeout(within, feed.wait_for(|f| up(f) == Some(false)))
                .await
                .map(|f| f.unwrap().status.clone());
            assert!(feed.borrow().rates.is_empty(), "no rates until asked");
            w.show_rates(true);
            let rates = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                feed.wait_for(|f| f.rates.iter().any(|(n, _, _)| n == "up0")),
            )
            .await
            .is_ok();
            cancel.cancel();
            (after, rates)
        })
    });
    assert!(
        after.is_ok_and(|s| s.is_live()),
        "the change was announced and read within 2 s"
    );
    assert!(rates, "rates are published once shown");
}
