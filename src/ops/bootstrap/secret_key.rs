//! The key that names a bootstrap's secrets. A secret's Swarm name says which version
//! of its content it holds, and names are public (`docker secret ls`): an unsalted
//! hash of the content would let anyone who can list secrets confirm a guessed short
//! password offline. Names carry an HMAC-SHA256 of the content under a random key
//! kept beside labdeck's data instead: the same content on the same installation keeps
//! its name (re-applying changes nothing), and the name tells nothing without the key.

use hmac::{Hmac, Mac};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key's file in the data dir; readable by its owner only.
pub const FILE: &str = "bootstrap-secret.key";

/// 32 random bytes, the size of the hash they key.
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes)
    }

    /// `<data_dir>/bootstrap-secret.key`, made (random, mode 0600) on first use.
    pub fn load_or_create(data_dir: &Path) -> Result<SecretKey, String> {
        let path = data_dir.join(FILE);
        let fail = |what: &str, e: std::io::Error| format!("{}: {what}: {e}", path.display());
        match std::fs::read_to_string(&path) {
            Ok(text) => return SecretKey::parse(&text).ok_or_else(|| not_a_key(&path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail("cannot read", e)),
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a key: {e}"))?;
        std::fs::create_dir_all(data_dir).map_err(|e| fail("cannot make its folder", e))?;
        // Written whole under a name of its own, then linked into place: a second
        // labdeck starting at the same moment reads one whole key, never half of one,
        // and the first key linked wins.
        let tmp = data_dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        let written = write_private(&tmp, hex(&bytes).as_bytes());
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(SecretKey(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                SecretKey::load_or_create(data_dir)
            }
            Err(e) => Err(fail("cannot write", e)),
        }
    }

    /// `base_` and the first 8 hex digits of the content's HMAC under this key.
    pub fn name(&self, base: &str, data: &[u8]) -> String {
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(data);
        let tag = mac.finalize().into_bytes();
        format!("{base}_{}", hex(&tag[..4]))
    }

    fn parse(text: &str) -> Option<SecretKey> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(SecretKey(bytes))
    }
}

fn not_a_key(path: &Path) -> String {
    format!(
        "{}: not a key (64 hex digits); remove it to make a new one (the secrets then get new names)",
        path.display()
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new file only its owner can read, synced to disk.
fn write_private(path: &PathBuf, data: &[u8]) -> std::io::Result<()> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(path)?;
    f.write_all(data)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn a_name_is_keyed_stable_and_not_the_bare_content_hash() {
        let key = SecretKey::from_bytes([7; 32]);
        let a = key.name("op_credentials", b"hunter2");
        assert!(a.starts_with("op_credentials_") && a.len() == "op_credentials_".len() + 8);
        let bare: String = sha2::Sha256::digest(b"hunter2")[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(a, format!("op_credentials_{bare}"), "the unsalted hash");
        assert_eq!(
            a,
            key.name("op_credentials", b"hunter2"),
            "stable: idempotent"
        );
        assert_ne!(
            a,
            key.name("op_credentials", b"hunter3"),
            "new content, new name"
        );
        let other = SecretKey::from_bytes([8; 32]);
        assert_ne!(a, other.name("op_credentials", b"hunter2"), "another key");
    }

    #[test]
    fn the_key_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested");
        let first = SecretKey::load_or_create(&data).unwrap();
        let again = SecretKey::load_or_create(&data).unwrap();
        assert_eq!(first.name("s", b"x"), again.name("s", b"x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(data.join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(&data).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        // Another installation (another data dir) has another key.
        let elsewhere = tempfile::tempdir().unwrap();
        let other = SecretKey::load_or_create(elsewhere.path()).unwrap();
        assert_ne!(first.name("s", b"x"), other.name("s", b"x"));
        std::fs::write(data.join(FILE), "not hex").unwrap();
        let e = SecretKey::load_or_create(&data).unwrap_err();
        assert!(e.contains("not a key"), "{e}");
    }
}
