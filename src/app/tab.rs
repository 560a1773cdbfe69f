//! The five panes, one number key each.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Nodes,
    Vlans,
    Zfs,
    Swarm,
    Kube,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Nodes, Tab::Vlans, Tab::Zfs, Tab::Swarm, Tab::Kube];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Nodes => "Nodes",
            Tab::Vlans => "VLANs",
            Tab::Zfs => "ZFS",
            Tab::Swarm => "Swarm",
            Tab::Kube => "Kubernetes",
        }
    }

    /// The `:` command that opens it.
    pub fn command(self) -> &'static str {
        match self {
            Tab::Nodes => "nodes",
            Tab::Vlans => "vlans",
            Tab::Zfs => "zfs",
            Tab::Swarm => "swarm",
            Tab::Kube => "kube",
        }
    }

    /// For panes whose source comes with a later release: what they will read.
    pub fn pending_source(self) -> Option<&'static str> {
        match self {
            Tab::Nodes => Some("host inventory merged with Swarm and Kubernetes nodes"),
            Tab::Vlans => {
                Some("netlink (VLAN links, bridges, addresses) and the inventory's VLAN plan")
            }
            Tab::Zfs => Some("zpool/zfs commands (OpenZFS 2.x JSON, or zfs-fuse)"),
            Tab::Kube => Some("the Kubernetes API of each kubeconfig context"),
            Tab::Swarm => None,
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|&t| t == self).unwrap_or(0)
    }

    pub fn shifted(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(self.index() as isize + by).rem_euclid(n) as usize]
    }
}
