#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The matching key lives in the OS keyring (a real Secret Service in CI:
//! `scripts/with-keyring.sh cargo nextest run -p kanaal-insights`).

use kanaal_insights::overlap::keys::{self, Field};
use rand::SeedableRng;

#[test]
fn the_matching_key_is_created_once_and_then_read_back_from_the_keyring() {
    let account = "customer-matching-key-test";
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
    let first = keys::load_or_create_key("kanaal-test", account, &mut rng).unwrap();
    let again = keys::load_or_create_key("kanaal-test", account, &mut rng).unwrap();
    let v = "+31612345678";
    assert_eq!(
        first.hash64(Field::Phone, "", v),
        again.hash64(Field::Phone, "", v),
        "the second call reads the stored key instead of making a new one"
    );
    let stored = keyring::Entry::new("kanaal-test", account)
        .unwrap()
        .get_secret()
        .unwrap();
    assert_eq!(stored.len(), 32, "a 32-byte random key is stored");
    keyring::Entry::new("kanaal-test", account)
        .unwrap()
        .delete_credential()
        .unwrap();
}
