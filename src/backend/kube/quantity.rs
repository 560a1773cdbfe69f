//! Kubernetes quantities (`3800m`, `16318412Ki`, `1.5Gi`, `2e3`) as numbers, for the
//! views that put a node's CPU and memory beside other hosts'. Written here rather
//! than taken from a crate: the crates that parse them pin a k8s-openapi of their own
//! and bring a decimal library for arithmetic labdeck never does.

/// The quantity in thousandths (CPU in millicores), rounded down; `None` when it is
/// not a quantity.
pub fn millis(q: &str) -> Option<u64> {
    scaled(q, 1000.0)
}

/// The quantity as a whole number (memory in bytes), rounded down; `None` when it is
/// not a quantity.
pub fn whole(q: &str) -> Option<u64> {
    scaled(q, 1.0)
}

fn scaled(q: &str, by: f64) -> Option<u64> {
    let q = q.trim();
    let end = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(end);
    let n: f64 = number.parse().ok()?;
    let v = n * multiplier(suffix)? * by;
    (v.is_finite() && v >= 0.0).then_some(v.floor() as u64)
}

/// What a suffix multiplies by: binary (`Ki` .. `Ei`), decimal (`n` .. `E`), or a
/// decimal exponent (`e3`, `E-2`).
fn multiplier(suffix: &str) -> Option<f64> {
    let binary = |p: i32| Some(1024f64.powi(p));
    let decimal = |p: i32| Some(10f64.powi(p));
    match suffix {
        "" => decimal(0),
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?;
            decimal(exp.parse::<i32>().ok().filter(|e| e.abs() <= 30)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_as_nodes_report_them() {
        assert_eq!(millis("4"), Some(4000));
        assert_eq!(millis("3800m"), Some(3800));
        assert_eq!(millis("0.5"), Some(500));
        assert_eq!(millis("250000u"), Some(250));
        assert_eq!(whole("16318412Ki"), Some(16_710_053_888));
        assert_eq!(whole("1.5Gi"), Some(1_610_612_736));
        assert_eq!(whole("8G"), Some(8_000_000_000));
        assert_eq!(whole("2e3"), Some(2000));
        assert_eq!(whole("129E-2"), Some(1));
        assert_eq!(whole("1E"), Some(1_000_000_000_000_000_000));
        assert_eq!(whole("110"), Some(110));
    }

    #[test]
    fn what_is_not_a_quantity_is_none_and_never_a_panic() {
        for bad in [
            "", "Gi", "12Xi", "1.2.3", "-1", "1e999", "ten", "5 Gi", "1e",
        ] {
            assert_eq!(whole(bad), None, "{bad:?}");
        }
    }
}
