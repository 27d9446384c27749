//! Typed row ids, so a product id can never be passed where a variant id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        // A newtype struct is written as its number in JSON, as the UI expects.
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
        pub struct $name(pub i64);

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A product in the merchant's catalog.
    ProductId,
    /// One sellable variant (size, grind, ...) of a product; has its own SKU.
    VariantId,
    /// A stock location (shop, warehouse).
    LocationId,
    /// A category in the merchant's own tree.
    CategoryId,
    /// A sales channel the merchant has set up.
    ChannelId,
    /// A product (or variant) on one channel.
    ListingId,
    /// An order pulled from a channel.
    OrderId,
);
