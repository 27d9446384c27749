//! Keyed hashes of normalised identifiers (HMAC-SHA256), and the key's home in the OS keyring.
//!
//! What is hashed, and why: e-mail, phone (E.164), postcode + house number, postcode, postcode
//! area, surname core, given name and city are each turned into HMAC-SHA256(key, field tag ‖
//! value) before any comparison. Exact agreement is all the matcher needs from them, and a keyed
//! hash gives exactly that while the match keys stored beside a customer (`customers.match_keys`)
//! cannot be reversed by someone who copies the data file without the key (an unkeyed hash of a
//! phone number can be brute-forced in minutes; the key lives in the OS keyring, not in the
//! file). Relay e-mails are hashed together with their channel, so they can only ever agree
//! within one channel.
//!
//! What is not hashed: the fuzzy name comparison (Jaro–Winkler) needs the letters of the given
//! name and surname, so those two normalised strings are held in memory for the duration of one
//! matching run and dropped with it; they are never written anywhere by this module.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The keyring service and account under which the app keeps the matching key.
pub const KEYRING_SERVICE: &str = "kanaal";
pub const KEYRING_ACCOUNT: &str = "customer-matching-key";

/// A secret key for the keyed hashes. 32 random bytes; two shops (or two installs) with
/// different keys produce unrelated match keys.
#[derive(Clone)]
pub struct MatchKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for MatchKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatchKey(..)")
    }
}

/// Which field a hash is of; part of the hashed input so equal strings in different fields
/// never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Field {
    Email = 1,
    RelayEmail = 2,
    Phone = 3,
    Address = 4,
    Postcode = 5,
    PostcodeArea = 6,
    Surname = 7,
    Given = 8,
    City = 9,
}

impl MatchKey {
    /// A key from its bytes (at least 16; the app uses 32).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() < 16 {
            return Err(KeyError::TooShort);
        }
        let mac = HmacSha256::new_from_slice(bytes).map_err(|_| KeyError::TooShort)?;
        Ok(MatchKey { mac })
    }

    /// The key for matching files on the command line (`kanaal customers match`). That command
    /// stores nothing and prints only person numbers, so the hashes never leave memory; a fixed
    /// key keeps its output the same from run to run, which scripts rely on. Anything that
    /// stores match keys uses the shop's own key from the keyring instead.
    pub fn for_files() -> Self {
        MatchKey {
            mac: <HmacSha256 as hmac::digest::KeyInit>::new(&[0x6b; 64].into()),
        }
    }

    /// The bytes of a fresh random key, from a cryptographic RNG (the app passes the OS's).
    pub fn random_bytes(rng: &mut impl rand::CryptoRng) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        bytes
    }

    /// The full keyed hash of `value` in `field` (and `scope`, the channel for relay addresses).
    pub fn digest(&self, field: Field, scope: &str, value: &str) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(&[field as u8]);
        mac.update(scope.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The first 64 bits of the keyed hash: what the matcher compares in memory (a collision
    /// among a million values has a chance of about 3e-8).
    pub fn hash64(&self, field: Field, scope: &str, value: &str) -> u64 {
        let d = self.digest(field, scope, value);
        u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("The customer-matching key is too short (it needs at least 16 bytes). Remove the entry \"{KEYRING_ACCOUNT}\" of \"{KEYRING_SERVICE}\" from the system keyring and Kanaal will make a new one.")]
    TooShort,
    #[error("The system keyring could not be used ({0}). Customer matching keeps its key there; unlock the keyring (on Linux: GNOME Keyring or KWallet must be running) and try again.")]
    Keyring(#[from] keyring::Error),
}

/// Loads the matching key from the OS keyring, creating and storing a new random one the first
/// time. The key never goes into the data folder: a copy of `kanaal.db` alone cannot be used to
/// test guesses against the stored match keys.
pub fn load_or_create_key(
    service: &str,
    account: &str,
    rng: &mut impl rand::CryptoRng,
) -> Result<MatchKey, KeyError> {
    let entry = keyring::Entry::new(service, account)?;
    match entry.get_secret() {
        Ok(bytes) => MatchKey::from_bytes(&bytes),
        Err(keyring::Error::NoEntry) => {
            let bytes = MatchKey::random_bytes(rng);
            entry.set_secret(&bytes)?;
            MatchKey::from_bytes(&bytes)
        }
        Err(e) => Err(KeyError::Keyring(e)),
    }
}

/// The shop's matching key from the OS keyring ([`KEYRING_SERVICE`], [`KEYRING_ACCOUNT`]),
/// created from the operating system's random source the first time. A secret key is the one
/// place where randomness is not injected: it must be unpredictable, not reproducible.
pub fn load_shop_key() -> Result<MatchKey, KeyError> {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::from_os_rng();
    load_or_create_key(KEYRING_SERVICE, KEYRING_ACCOUNT, &mut rng)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_key_field_and_scope() {
        let a = MatchKey::from_bytes(&[1; 32]).unwrap();
        let b = MatchKey::from_bytes(&[2; 32]).unwrap();
        let v = "+31612345678";
        assert_eq!(a.hash64(Field::Phone, "", v), a.hash64(Field::Phone, "", v));
        assert_ne!(a.hash64(Field::Phone, "", v), b.hash64(Field::Phone, "", v));
        assert_ne!(a.hash64(Field::Phone, "", v), a.hash64(Field::Email, "", v));
        assert_ne!(
            a.hash64(Field::RelayEmail, "bol", "x@verkopen.bol.com"),
            a.hash64(Field::RelayEmail, "amazon", "x@verkopen.bol.com"),
            "a relay address hashed on two channels never agrees"
        );
        assert!(MatchKey::from_bytes(&[0; 8]).is_err());
    }
}
