//! A span of addresses as pools are written: `192.168.8.51-192.168.8.79` (as MetalLB
//! writes it), `192.168.8.51-79` (the last octet, as people write it), a CIDR block
//! `192.168.8.64/27`, or one address. ipnet has no range type that reads these forms.

use ipnet::IpNet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

/// From `start` to `end`, both included, both of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    pub start: IpAddr,
    pub end: IpAddr,
}

impl AddressRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        same_family(self.start, ip) && self.start <= ip && ip <= self.end
    }

    pub fn overlaps(&self, other: &AddressRange) -> bool {
        same_family(self.start, other.start) && self.start <= other.end && other.start <= self.end
    }

    /// Wholly inside `net`.
    pub fn within(&self, net: &IpNet) -> bool {
        net.contains(&self.start) && net.contains(&self.end)
    }
}

fn same_family(a: IpAddr, b: IpAddr) -> bool {
    a.is_ipv4() == b.is_ipv4()
}

impl FromStr for AddressRange {
    type Err = String;

    fn from_str(s: &str) -> Result<AddressRange, String> {
        let s = s.trim();
        let bad = |why: &str| format!("{s:?} is not an address range: {why}");
        if s.contains('/') {
            let net: IpNet = s.parse().map_err(|_| bad("not a CIDR block"))?;
            return Ok(AddressRange {
                start: net.network(),
                end: net.broadcast(),
            });
        }
        let Some((a, b)) = s.split_once('-') else {
            let ip: IpAddr = s.parse().map_err(|_| bad("not an address"))?;
            return Ok(AddressRange { start: ip, end: ip });
        };
        let start: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| bad("its start is not an address"))?;
        let end: IpAddr = match (start, b.trim().parse::<u8>()) {
            // `192.168.8.51-79`: the end's last octet.
            (IpAddr::V4(v4), Ok(last)) => {
                let [a, b, c, _] = v4.octets();
                IpAddr::V4(Ipv4Addr::new(a, b, c, last))
            }
            _ => b
                .trim()
                .parse()
                .map_err(|_| bad("its end is not an address"))?,
        };
        if !same_family(start, end) {
            return Err(bad("its ends are of two families"));
        }
        if end < start {
            return Err(bad("it ends before it starts"));
        }
        Ok(AddressRange { start, end })
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.start == self.end {
            true => write!(f, "{}", self.start),
            false => write!(f, "{}-{}", self.start, self.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> AddressRange {
        s.parse().unwrap()
    }

    #[test]
    fn every_written_form_reads_as_its_span() {
        assert_eq!(r("192.168.8.51-79"), r("192.168.8.51-192.168.8.79"));
        assert_eq!(
            r("192.168.8.64/27").to_string(),
            "192.168.8.64-192.168.8.95"
        );
        assert_eq!(r("192.168.4.53").to_string(), "192.168.4.53");
        assert_eq!(
            r("fd00::1-fd00::9").end,
            "fd00::9".parse::<IpAddr>().unwrap()
        );
        for bad in [
            "192.168.8.79-51",
            "x-y",
            "192.168.8.1-fd00::1",
            "10.0.0.0/33",
            "",
        ] {
            assert!(bad.parse::<AddressRange>().is_err(), "{bad:?} read");
        }
    }

    #[test]
    fn ranges_contain_overlap_and_fit_their_subnet() {
        let pool = r("192.168.8.51-79");
        assert!(pool.contains("192.168.8.51".parse().unwrap()));
        assert!(pool.contains("192.168.8.79".parse().unwrap()));
        assert!(!pool.contains("192.168.8.80".parse().unwrap()));
        assert!(!pool.contains("::1".parse().unwrap()));
        assert!(pool.overlaps(&r("192.168.8.79-90")));
        assert!(!pool.overlaps(&r("192.168.8.80-90")));
        assert!(pool.within(&"192.168.8.0/24".parse().unwrap()));
        assert!(!pool.within(&"192.168.8.0/26".parse().unwrap()));
    }
}
