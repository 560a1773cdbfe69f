//! Netlink messages to [`Link`]s: the attributes labdeck shows, read without panicking
//! on whatever else a kernel sends.

use super::{Link, LinkKind, OperState};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{
    InfoData, InfoIpVlan, InfoKind, InfoMacVlan, InfoVlan, IpVlanMode, LinkAttribute, LinkFlags,
    LinkInfo, LinkLayerType, LinkMessage, MacVlanMode, State,
};
use std::collections::HashMap;

/// A link message as read, its parent and controller still by index.
pub struct Raw {
    pub link: Link,
    pub parent: Option<u32>,
    pub controller: Option<u32>,
}

pub fn link(msg: &LinkMessage) -> Raw {
    let mut name = String::new();
    let (mut mtu, mut rx, mut tx) = (0, 0, 0);
    let mut oper = OperState::Unknown;
    let (mut parent, mut controller) = (None, None);
    let mut kind: Option<LinkKind> = None;
    let mut vlan_id = None;
    let mut mode = None;
    for a in &msg.attributes {
        match a {
            LinkAttribute::IfName(n) => name = n.clone(),
            LinkAttribute::Mtu(m) => mtu = *m,
            LinkAttribute::Link(i) => parent = Some(*i),
            LinkAttribute::Controller(i) => controller = Some(*i),
            LinkAttribute::OperState(s) => oper = oper_state(s),
            LinkAttribute::Stats64(s) => (rx, tx) = (s.rx_bytes, s.tx_bytes),
            LinkAttribute::LinkInfo(infos) => {
                for info in infos {
                    match info {
                        LinkInfo::Kind(k) => kind = Some(info_kind(k)),
                        LinkInfo::Data(InfoData::Vlan(v)) => {
                            vlan_id = v.iter().find_map(|x| match x {
                                InfoVlan::Id(id) => Some(*id),
                                _ => None,
                            })
                        }
                        LinkInfo::Data(InfoData::MacVlan(v)) => {
                            mode = v.iter().find_map(|x| match x {
                                InfoMacVlan::Mode(m) => Some(macvlan_mode(m)),
                                _ => None,
                            })
                        }
                        LinkInfo::Data(InfoData::IpVlan(v)) => {
                            mode = v.iter().find_map(|x| match x {
                                InfoIpVlan::Mode(m) => Some(ipvlan_mode(m)),
                                _ => None,
                            })
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let kind = match kind {
        Some(LinkKind::Vlan(_)) => LinkKind::Vlan(vlan_id.unwrap_or(0)),
        Some(LinkKind::MacVlan(_)) => LinkKind::MacVlan(mode.unwrap_or_default()),
        Some(LinkKind::IpVlan(_)) => LinkKind::IpVlan(mode.unwrap_or_default()),
        Some(k) => k,
        None if msg.header.link_layer_type == LinkLayerType::Loopback => LinkKind::Loopback,
        None => LinkKind::Physical,
    };
    Raw {
        link: Link {
            index: msg.header.index,
            name,
            kind,
            parent: None,
            controller: None,
            admin_up: msg.header.flags.contains(LinkFlags::Up),
            oper,
            mtu,
            addresses: Vec::new(),
            rx_bytes: rx,
            tx_bytes: tx,
        },
        // A veth's peer in another namespace is named by an index that means nothing
        // here; it is resolved by name later, or left out.
        parent: parent.filter(|p| *p != msg.header.index),
        controller,
    }
}

fn info_kind(k: &InfoKind) -> LinkKind {
    match k {
        InfoKind::Vlan => LinkKind::Vlan(0),
        InfoKind::Bridge => LinkKind::Bridge,
        InfoKind::MacVlan => LinkKind::MacVlan(String::new()),
        InfoKind::IpVlan => LinkKind::IpVlan(String::new()),
        InfoKind::Veth => LinkKind::Veth,
        other => LinkKind::Other(format!("{other}")),
    }
}

fn oper_state(s: &State) -> OperState {
    match s {
        State::Up => OperState::Up,
        State::Down => OperState::Down,
        State::LowerLayerDown => OperState::LowerLayerDown,
        State::Unknown => OperState::Unknown,
        _ => OperState::Other,
    }
}

fn macvlan_mode(m: &MacVlanMode) -> String {
    match m {
        MacVlanMode::Private => "private".into(),
        MacVlanMode::Vepa => "vepa".into(),
        MacVlanMode::Bridge => "bridge".into(),
        MacVlanMode::Passthrough => "passthru".into(),
        MacVlanMode::Source => "source".into(),
        MacVlanMode::Other(n) => format!("mode {n}"),
        _ => "other".into(),
    }
}

fn ipvlan_mode(m: &IpVlanMode) -> String {
    match m {
        IpVlanMode::L2 => "l2".into(),
        IpVlanMode::L3 => "l3".into(),
        IpVlanMode::L3S => "l3s".into(),
        IpVlanMode::Other(n) => format!("mode {n}"),
        _ => "other".into(),
    }
}

/// An address message: its link's index and the address with its prefix.
pub fn address(msg: &AddressMessage) -> Option<(u32, ipnet::IpNet)> {
    // IFA_LOCAL is the interface's own address on point-to-point links; IFA_ADDRESS
    // otherwise (then both are the same).
    let local = msg.attributes.iter().find_map(|a| match a {
        AddressAttribute::Local(ip) => Some(*ip),
        _ => None,
    });
    let ip = local.or_else(|| {
        msg.attributes.iter().find_map(|a| match a {
            AddressAttribute::Address(ip) => Some(*ip),
            _ => None,
        })
    })?;
    let net = ipnet::IpNet::new(ip, msg.header.prefix_len).ok()?;
    Some((msg.header.index, net))
}

/// The raw links joined: parents and controllers by name, addresses on their links.
pub fn join(raws: Vec<Raw>, addresses: Vec<(u32, ipnet::IpNet)>) -> Vec<Link> {
    let names: HashMap<u32, String> = raws
        .iter()
        .map(|r| (r.link.index, r.link.name.clone()))
        .collect();
    let mut links: Vec<Link> = raws
        .into_iter()
        .map(|r| {
            let mut l = r.link;
            l.parent = r.parent.and_then(|i| names.get(&i).cloned());
            l.controller = r.controller.and_then(|i| names.get(&i).cloned());
            l
        })
        .collect();
    for (index, net) in addresses {
        if let Some(l) = links.iter_mut().find(|l| l.index == index) {
            l.addresses.push(net);
        }
    }
    links.sort_by_key(|l| l.index);
    links
}
