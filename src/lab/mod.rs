//! The lab as one: what the sources say, joined across them (hosts, addresses, VLANs)
//! and checked against the inventory. Pure: it is handed the sources' facts and knows
//! no source, engine or terminal; the panes and `labdeck status` read its results.

pub mod facts;
pub mod nodes;
pub mod storage;
pub mod vlan_checks;
pub mod vlans;
pub mod vlans_clusters;

#[cfg(test)]
mod nodes_tests;
#[cfg(test)]
mod storage_tests;
#[cfg(test)]
mod vlan_checks_tests;
#[cfg(test)]
mod vlans_tests;
