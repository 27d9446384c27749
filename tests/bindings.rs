//! The TypeScript bindings in ui/src/lib/bindings.ts must match the Rust types that cross IPC.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
fn bindings_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(kanaal_app::bindings::PATH);
    let fresh = kanaal_app::bindings::generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date with the Rust types: run `UPDATE_BINDINGS=1 cargo test -p kanaal-app bindings` and commit the result",
        path.display()
    );
}
