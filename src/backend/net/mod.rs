//! This host's network links, read from the kernel over netlink (rtnetlink): what each
//! link is (a VLAN with its id and parent, a bridge, a macvlan or ipvlan with its parent
//! and mode, a veth, a physical port), its state, MTU, addresses and byte counters.

mod convert;
pub mod read;
pub mod watch;

pub use read::read_links;

use ipnet::IpNet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A port with no link kind: a NIC (or a kind netlink does not name).
    Physical,
    Loopback,
    /// An 802.1Q VLAN link (`eno1.64`) and its id.
    Vlan(u16),
    Bridge,
    /// With its mode (`bridge`, `private`, `vepa`, `passthru`, `source`).
    MacVlan(String),
    /// With its mode (`l2`, `l3`, `l3s`).
    IpVlan(String),
    Veth,
    /// Any other kind, by the kernel's name (`vxlan`, `wireguard`, `bond`).
    Other(String),
}

impl LinkKind {
    /// The kernel's word for it, as `ip -d link` shows.
    pub fn word(&self) -> String {
        match self {
            LinkKind::Physical => "physical".into(),
            LinkKind::Loopback => "loopback".into(),
            LinkKind::Vlan(id) => format!("vlan {id}"),
            LinkKind::Bridge => "bridge".into(),
            LinkKind::MacVlan(mode) => format!("macvlan {mode}"),
            LinkKind::IpVlan(mode) => format!("ipvlan {mode}"),
            LinkKind::Veth => "veth".into(),
            LinkKind::Other(k) => k.clone(),
        }
    }
}

/// The kernel's `operstate` (RFC 2863).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperState {
    Up,
    Down,
    /// Down because the link under it is.
    LowerLayerDown,
    /// Not reported: loopback, some virtual links. Counts as carrying traffic when the
    /// link is set up.
    Unknown,
    /// Dormant, testing, not present.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: String,
    pub kind: LinkKind,
    /// The link it sits on (a VLAN's or macvlan's parent), by name.
    pub parent: Option<String>,
    /// The bridge (or bond) it is a port of, by name.
    pub controller: Option<String>,
    /// Set up (`IFF_UP`).
    pub admin_up: bool,
    pub oper: OperState,
    pub mtu: u32,
    pub addresses: Vec<IpNet>,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
}

impl Link {
    /// Carrying traffic, or set up without carrier detection.
    pub fn carries(&self) -> bool {
        match self.oper {
            OperState::Up => true,
            OperState::Unknown => self.admin_up,
            _ => false,
        }
    }
}

/// The VLAN a link is: its own id, or its parent's for a link on a VLAN link (a
/// macvlan on `eno1.64`), or a bridge's port's (`bridge64` over `eno1.64`).
pub fn vlan_of(links: &[Link], link: &Link) -> Option<u16> {
    let by_name = |n: &str| links.iter().find(|l| l.name == n);
    let mut at = link;
    // Links nest a few deep at most; the bound stops a loop in odd data.
    for _ in 0..8 {
        if let LinkKind::Vlan(id) = at.kind {
            return Some(id);
        }
        if at.kind == LinkKind::Bridge {
            return links
                .iter()
                .filter(|p| p.controller.as_deref() == Some(&at.name))
                .find_map(|p| match p.kind {
                    LinkKind::Vlan(id) => Some(id),
                    _ => None,
                });
        }
        at = by_name(at.parent.as_deref()?)?;
    }
    None
}

/// A VLAN id from a parent's name by the usual `<port>.<id>` convention (`eno1.64`),
/// for links on another host whose kernel labdeck does not read (a Docker network's
/// parent on a Swarm node).
pub fn vlan_from_name(name: &str) -> Option<u16> {
    let (_, id) = name.rsplit_once('.')?;
    id.parse().ok().filter(|id| (1..=4094).contains(id))
}

/// This machine's hostname (the kernel's), or `this host` when it cannot be read.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "this host".into())
}
