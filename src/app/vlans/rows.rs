//! The VLANs pane's rows: a VLAN each, and what is on one VLAN.

use super::pane::{VlansPane, VlansView};
use crate::app::table::{Cell, Column, Row, Tone};
use crate::core::text::SafeText;
use crate::lab::vlans::VlanRow;

pub fn columns(view: &VlansView) -> Vec<Column> {
    use Column as C;
    match view {
        VlansView::Vlans => vec![
            // The links (a down one marked) and the warnings win at 80 columns; the
            // rates go first, then the counts.
            C::fixed("VLAN", 4, 0),
            C::flex("NAME", 10, 0),
            C::fixed("SUBNET", 18, 0),
            C::fixed("GATEWAY", 15, 3),
            C::flex("LINKS", 14, 0),
            C::fixed("HOSTS", 5, 5),
            C::fixed("VIPS", 4, 4),
            C::fixed("NETS", 4, 2),
            C::fixed("RX/TX", 19, 1),
            C::flex("WARNINGS", 24, 0),
        ],
        VlansView::Vlan(_) => vec![
            C::fixed("KIND", 7, 0),
            C::flex("NAME", 20, 0),
            C::flex("DETAIL", 40, 0),
        ],
    }
}

pub fn rows(p: &VlansPane, view: &VlansView) -> Vec<Row> {
    match view {
        VlansView::Vlans => p.vlans.iter().map(|v| vlan_row(p, v)).collect(),
        VlansView::Vlan(id) => p
            .vlans
            .iter()
            .find(|v| v.id == *id)
            .map(|v| on_vlan(p, v))
            .unwrap_or_default(),
    }
}

fn text(s: &str) -> SafeText {
    SafeText::new(s)
}

/// `1.2 MiB/s ↓ 30 KiB/s ↑` of the VLAN's links, while rates are read.
fn rates(p: &VlansPane, links: &[String]) -> String {
    let (rx, tx) = p
        .links
        .rates
        .iter()
        .filter(|(n, _, _)| links.contains(n))
        .fold((0, 0), |(a, b), (_, r, t)| (a + r, b + t));
    if p.links.rates.is_empty() || links.is_empty() {
        return "-".into();
    }
    format!(
        "{}/s↓ {}/s↑",
        crate::core::stats::bytes(rx),
        crate::core::stats::bytes(tx)
    )
}

fn vlan_row(p: &VlansPane, v: &VlanRow) -> Row {
    let down: Vec<&String> = v
        .links
        .iter()
        .filter(|n| {
            p.links
                .links
                .iter()
                .any(|l| &l.name == *n && l.admin_up && !l.carries())
        })
        .collect();
    let links = v
        .links
        .iter()
        .map(|n| {
            if down.contains(&n) {
                format!("{n}↓")
            } else {
                n.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let name = match (v.planned, v.name.is_empty()) {
        (false, _) => "(found)".to_string(),
        (true, true) => "-".to_string(),
        (true, false) => v.name.clone(),
    };
    let warn = match v.warnings.len() {
        0 => Cell::own("", Tone::Dim),
        1 => Cell::toned(text(&v.warnings[0]), Tone::Warn),
        n => Cell::toned(text(&format!("{} (+{})", v.warnings[0], n - 1)), Tone::Warn),
    };
    Row {
        key: v.id.to_string(),
        cells: vec![
            Cell::own(v.id.to_string(), Tone::Normal).ordered(u64::from(v.id)),
            Cell::toned(
                text(&name),
                if v.planned { Tone::Normal } else { Tone::Dim },
            ),
            Cell::own(v.subnet.map_or("-".into(), |s| s.to_string()), Tone::Normal),
            Cell::own(v.gateway.map_or("-".into(), |g| g.to_string()), Tone::Dim),
            Cell::toned(
                text(&links),
                if down.is_empty() {
                    Tone::Normal
                } else {
                    Tone::Err
                },
            ),
            Cell::own(v.hosts.len().to_string(), Tone::Normal),
            Cell::own(v.vips.len().to_string(), Tone::Normal),
            Cell::own(v.networks.len().to_string(), Tone::Normal),
            Cell::own(rates(p, &v.links), Tone::Dim),
            warn,
        ],
    }
}

fn item(kind: &str, i: usize, name: &str, detail: &str, tone: Tone) -> Row {
    Row {
        key: format!("{kind}/{i}/{name}"),
        cells: vec![
            Cell::own(kind, Tone::Dim),
            Cell::toned(text(name), tone),
            Cell::toned(text(detail), Tone::Dim),
        ],
    }
}

fn on_vlan(p: &VlansPane, v: &VlanRow) -> Vec<Row> {
    let mut out = Vec::new();
    for (i, w) in v.warnings.iter().enumerate() {
        out.push(item("warning", i, w, "", Tone::Warn));
    }
    for (i, name) in v.links.iter().enumerate() {
        let Some(l) = p.links.links.iter().find(|l| &l.name == name) else {
            continue;
        };
        let state = match (l.admin_up, l.carries()) {
            (true, true) => "up",
            (true, false) => "DOWN",
            (false, _) => "off",
        };
        let addrs: Vec<String> = l.addresses.iter().map(ToString::to_string).collect();
        let rate = p
            .links
            .rates
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, r, t)| {
                format!(
                    " · {}/s↓ {}/s↑",
                    crate::core::stats::bytes(*r),
                    crate::core::stats::bytes(*t)
                )
            })
            .unwrap_or_default();
        let on = l
            .parent
            .as_deref()
            .or(l.controller.as_deref())
            .map(|x| format!(" on {x}"))
            .unwrap_or_default();
        let detail = format!(
            "{}{on} · {state} · mtu {} · {}{rate}",
            l.kind.word(),
            l.mtu,
            addrs.join(" ")
        );
        let tone = if state == "DOWN" {
            Tone::Err
        } else {
            Tone::Normal
        };
        out.push(item("link", i, name, &detail, tone));
    }
    let groups = [
        ("network", &v.networks),
        ("host", &v.hosts),
        ("vip", &v.vips),
        ("pool", &v.pools),
    ];
    for (kind, list) in groups {
        for (i, x) in list.iter().enumerate() {
            out.push(item(kind, i, x, "", Tone::Normal));
        }
    }
    if !v.purpose.is_empty() {
        out.push(item("purpose", 0, &v.purpose, "", Tone::Dim));
    }
    out
}
