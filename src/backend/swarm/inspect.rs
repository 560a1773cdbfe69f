//! One object as the engine has it, as JSON (what `docker inspect` prints): for the
//! describe view's spec fields and the raw YAML view. Read on demand, once.
//!
//! Two things are taken out on the way, here, before anything else can see them: the
//! values of environment variables whose names look secret, and config and secret
//! data (which labdeck never shows).

use serde_json::Value;

/// What can be inspected, and where the engine keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Service,
    Task,
    Node,
    Network,
    Secret,
    Config,
    Container,
}

impl Object {
    /// The API path of object `id` (after the version prefix).
    pub fn path(self, id: &str) -> String {
        match self {
            Object::Service => format!("/services/{id}"),
            Object::Task => format!("/tasks/{id}"),
            Object::Node => format!("/nodes/{id}"),
            Object::Network => format!("/networks/{id}"),
            Object::Secret => format!("/secrets/{id}"),
            Object::Config => format!("/configs/{id}"),
            Object::Container => format!("/containers/{id}/json"),
        }
    }
}

/// Shown instead of a value that is not shown.
pub const HIDDEN: &str = "(hidden)";

/// Does an environment variable of this name probably hold a secret?
pub fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    const WORDS: [&str; 9] = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "PRIVATE",
        "CREDENTIAL",
        "APIKEY",
        "API_KEY",
        "AUTH",
    ];
    WORDS.iter().any(|w| n.contains(w)) || n.ends_with("_KEY") || n == "KEY" || n.ends_with("_PASS")
}

/// `NAME=value` with the value hidden when the name looks secret.
pub fn mask_env(entry: &str) -> String {
    match entry.split_once('=') {
        Some((k, _)) if looks_secret(k) => format!("{k}={HIDDEN}"),
        _ => entry.to_string(),
    }
}

/// Hide what must not be shown, everywhere in `v`: every `Env` list's secret-looking
/// values, and every `Data` field (config and secret contents).
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match (k.as_str(), &mut *child) {
                    ("Env", Value::Array(items)) => {
                        for item in items.iter_mut() {
                            if let Value::String(s) = item {
                                *s = mask_env(s);
                            }
                        }
                    }
                    ("Data", Value::String(_)) => *child = Value::from(HIDDEN),
                    _ => redact(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_looking_variables_lose_their_values_and_others_keep_them() {
        for k in [
            "DB_PASSWORD",
            "api_key",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "SMTP_PASS",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in ["TZ", "PUID", "KEYBOARD_LAYOUT", "PATH", "MONKEY"] {
            assert!(!looks_secret(k), "{k}");
        }
        assert_eq!(mask_env("DB_PASSWORD=hunter2"), "DB_PASSWORD=(hidden)");
        assert_eq!(mask_env("TZ=Europe/Paris"), "TZ=Europe/Paris");
        assert_eq!(mask_env("NOEQUALS"), "NOEQUALS");
    }

    #[test]
    fn redaction_reaches_every_env_list_and_every_data_field() {
        let mut v = json!({
            "Spec": {"TaskTemplate": {"ContainerSpec": {
                "Env": ["TZ=UTC", "PLEX_CLAIM_TOKEN=claim-123"],
                "Image": "plex"}},
                "Data": "c2VjcmV0"},
            "Config": {"Env": ["ADMIN_PASSWORD=x"]}
        });
        redact(&mut v);
        let text = v.to_string();
        assert!(
            !text.contains("claim-123") && !text.contains("c2VjcmV0"),
            "{text}"
        );
        assert!(!text.contains("ADMIN_PASSWORD=x"), "{text}");
        assert!(
            text.contains("TZ=UTC") && text.contains("\"Image\":\"plex\""),
            "{text}"
        );
    }
}
