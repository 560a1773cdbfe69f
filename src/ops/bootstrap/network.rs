//! Does a network the engine has match the one a bootstrap asks for? Docker cannot
//! change a network in place, so any difference blocks the step: the user removes the
//! old one or renames the new one.

use crate::backend::swarm::create::NewNetwork;
use crate::backend::swarm::model::Network;

/// What differs between the network wanted and the one there, one phrase each; empty
/// when it is the same. A subnet left to Docker's choice is not compared.
pub fn differences(want: &NewNetwork, have: &Network) -> Vec<String> {
    let mut out = Vec::new();
    if have.driver.as_str() != want.driver {
        out.push(format!("driver {} (wanted {})", have.driver, want.driver));
    }
    if have.attachable != want.attachable {
        out.push(format!(
            "attachable {} (wanted {})",
            have.attachable, want.attachable
        ));
    }
    if have.encrypted != want.encrypted {
        out.push(format!(
            "encrypted {} (wanted {})",
            have.encrypted, want.encrypted
        ));
    }
    if let Some(subnet) = &want.subnet
        && !(have.subnets.len() == 1 && have.subnets[0].as_str() == subnet)
    {
        let there: Vec<&str> = have.subnets.iter().map(|s| s.as_str()).collect();
        let there = if there.is_empty() {
            "none".to_string()
        } else {
            there.join(", ")
        };
        out.push(format!("subnet {there} (wanted {subnet})"));
    }
    out
}

/// Why the step is blocked, from `differences` (not empty).
pub fn blocked(name: &str, differences: &[String]) -> String {
    format!(
        "network {name} exists with {}: a network cannot be changed in place; remove it by hand (docker network rm {name}) or give the bootstrap's network another name",
        differences.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::lab;

    fn wanted(have: &Network) -> NewNetwork {
        NewNetwork {
            name: have.name.to_string(),
            driver: have.driver.to_string(),
            attachable: have.attachable,
            encrypted: have.encrypted,
            subnet: have.subnets.first().map(|s| s.to_string()),
            labels: vec![],
        }
    }

    #[test]
    fn encryption_and_subnet_count_as_differences() {
        let have = lab().networks[0].clone();
        assert_eq!(differences(&wanted(&have), &have), Vec::<String>::new());
        let any_subnet = NewNetwork {
            subnet: None,
            ..wanted(&have)
        };
        assert!(
            differences(&any_subnet, &have).is_empty(),
            "Docker's choice"
        );

        let encrypted = NewNetwork {
            encrypted: true,
            ..wanted(&have)
        };
        assert_eq!(
            differences(&encrypted, &have),
            vec!["encrypted false (wanted true)"]
        );
        let other_subnet = NewNetwork {
            subnet: Some("10.231.0.0/24".into()),
            ..wanted(&have)
        };
        assert_eq!(
            differences(&other_subnet, &have),
            vec!["subnet 10.0.9.0/24 (wanted 10.231.0.0/24)"]
        );
        let why = blocked("proxy", &differences(&other_subnet, &have));
        assert!(why.contains("cannot be changed in place"), "{why}");
        assert!(why.contains("docker network rm proxy"), "{why}");
    }
}
