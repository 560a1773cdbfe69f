//! One read of every link and address, over a netlink socket of this process's
//! network namespace.

use super::Link;
use super::convert;
use futures::TryStreamExt;
use std::time::Duration;

/// A kernel answers a dump in microseconds; this bounds a stuck socket.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Every link with its addresses, in index order.
pub async fn read_links() -> Result<Vec<Link>, String> {
    tokio::time::timeout(TIMEOUT, read())
        .await
        .map_err(|_| format!("netlink did not answer within {}s", TIMEOUT.as_secs()))?
}

async fn read() -> Result<Vec<Link>, String> {
    let (connection, handle, _) =
        rtnetlink::new_connection().map_err(|e| format!("netlink: {e}"))?;
    let running = tokio::spawn(connection);
    let result = async {
        let raws: Vec<convert::Raw> = handle
            .link()
            .get()
            .execute()
            .map_ok(|m| convert::link(&m))
            .try_collect()
            .await
            .map_err(|e| format!("netlink links: {e}"))?;
        let addresses: Vec<_> = handle
            .address()
            .get()
            .execute()
            .try_collect::<Vec<_>>()
            .await
            .map_err(|e| format!("netlink addresses: {e}"))?
            .iter()
            .filter_map(convert::address)
            .collect();
        Ok(convert::join(raws, addresses))
    }
    .await;
    running.abort();
    result
}

#[cfg(test)]
mod tests {
    //! VLAN and ipvlan links cannot be made on this kernel: their messages are built
    //! here as a kernel sends them, emitted to bytes and read back as the socket's
    //! would be.
    use super::super::{LinkKind, OperState, convert, vlan_of};
    use netlink_packet_core::{Emitable, Parseable};
    use netlink_packet_route::link::{
        InfoData, InfoIpVlan, InfoKind, InfoMacVlan, InfoVlan, IpVlanMode, LinkAttribute,
        LinkFlags, LinkInfo, LinkMessage, MacVlanMode, State,
    };

    fn wire(index: u32, name: &str, up: bool, attrs: Vec<LinkAttribute>) -> LinkMessage {
        let mut m = LinkMessage::default();
        m.header.index = index;
        if up {
            m.header.flags = LinkFlags::Up;
        }
        m.attributes.push(LinkAttribute::IfName(name.into()));
        m.attributes.extend(attrs);
        let mut bytes = vec![0u8; m.buffer_len()];
        m.emit(&mut bytes);
        LinkMessage::parse(&bytes[..]).expect("reads back")
    }

    #[test]
    fn a_vlan_link_and_a_macvlan_on_it_read_with_their_ids_parents_and_modes() {
        let eno1 = wire(2, "eno1", true, vec![LinkAttribute::OperState(State::Up)]);
        let vlan = wire(
            5,
            "eno1.64",
            true,
            vec![
                LinkAttribute::Link(2),
                LinkAttribute::Mtu(1500),
                LinkAttribute::OperState(State::LowerLayerDown),
                LinkAttribute::LinkInfo(vec![
                    LinkInfo::Kind(InfoKind::Vlan),
                    LinkInfo::Data(InfoData::Vlan(vec![InfoVlan::Id(64)])),
                ]),
            ],
        );
        let mac = wire(
            6,
            "iot0",
            false,
            vec![
                LinkAttribute::Link(5),
                LinkAttribute::LinkInfo(vec![
                    LinkInfo::Kind(InfoKind::MacVlan),
                    LinkInfo::Data(InfoData::MacVlan(vec![InfoMacVlan::Mode(
                        MacVlanMode::Bridge,
                    )])),
                ]),
            ],
        );
        let bridge = wire(
            7,
            "bridge64",
            true,
            vec![LinkAttribute::LinkInfo(vec![LinkInfo::Kind(
                InfoKind::Bridge,
            )])],
        );
        let port = wire(
            8,
            "eno2.64",
            true,
            vec![
                LinkAttribute::Controller(7),
                LinkAttribute::LinkInfo(vec![
                    LinkInfo::Kind(InfoKind::Vlan),
                    LinkInfo::Data(InfoData::Vlan(vec![InfoVlan::Id(64)])),
                ]),
            ],
        );
        let raws = [eno1, vlan, mac, bridge, port]
            .iter()
            .map(convert::link)
            .collect();
        let links = convert::join(raws, vec![(5, "192.168.64.5/20".parse().unwrap())]);
        let v = &links[1];
        assert_eq!(v.kind, LinkKind::Vlan(64));
        assert_eq!(v.parent.as_deref(), Some("eno1"));
        assert_eq!(v.oper, OperState::LowerLayerDown);
        assert!(v.admin_up && !v.carries(), "set up, but its port is down");
        assert_eq!(v.addresses[0].to_string(), "192.168.64.5/20");
        assert_eq!(v.mtu, 1500);
        let m = &links[2];
        assert_eq!(m.kind, LinkKind::MacVlan("bridge".into()));
        assert_eq!(m.kind.word(), "macvlan bridge");
        assert!(!m.admin_up);
        assert_eq!(vlan_of(&links, m), Some(64), "a macvlan on eno1.64");
        assert_eq!(
            vlan_of(&links, &links[3]),
            Some(64),
            "a bridge over a VLAN port"
        );
        assert_eq!(vlan_of(&links, &links[0]), None);
    }

    #[test]
    fn an_ipvlan_reads_with_its_parent_and_mode_and_sits_on_its_parent_s_vlan() {
        let vlan = wire(
            5,
            "eno1.16",
            true,
            vec![LinkAttribute::LinkInfo(vec![
                LinkInfo::Kind(InfoKind::Vlan),
                LinkInfo::Data(InfoData::Vlan(vec![InfoVlan::Id(16)])),
            ])],
        );
        let ipvlan = |index: u32, name: &str, mode: IpVlanMode| {
            wire(
                index,
                name,
                true,
                vec![
                    LinkAttribute::Link(5),
                    LinkAttribute::LinkInfo(vec![
                        LinkInfo::Kind(InfoKind::IpVlan),
                        LinkInfo::Data(InfoData::IpVlan(vec![InfoIpVlan::Mode(mode)])),
                    ]),
                ],
            )
        };
        let raws = [
            vlan,
            ipvlan(9, "svc0", IpVlanMode::L2),
            ipvlan(10, "svc1", IpVlanMode::L3S),
        ]
        .iter()
        .map(convert::link)
        .collect();
        let links = convert::join(raws, Vec::new());
        assert_eq!(links[1].kind, LinkKind::IpVlan("l2".into()));
        assert_eq!(links[1].kind.word(), "ipvlan l2");
        assert_eq!(links[1].parent.as_deref(), Some("eno1.16"));
        assert_eq!(links[2].kind, LinkKind::IpVlan("l3s".into()));
        assert_eq!(vlan_of(&links, &links[2]), Some(16));
    }

    #[test]
    fn vlan_ids_follow_the_port_dot_id_convention_by_name() {
        use super::super::vlan_from_name;
        assert_eq!(vlan_from_name("eno1.64"), Some(64));
        assert_eq!(vlan_from_name("bond0.4"), Some(4));
        assert_eq!(vlan_from_name("eno1"), None);
        assert_eq!(vlan_from_name("eno1.0"), None);
        assert_eq!(vlan_from_name("eno1.5000"), None);
    }
}
