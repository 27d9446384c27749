//! The merchant's catalog: products, their options and variants, stock per location, images.
//!
//! It is the single source of truth every channel is fed from. Reads live in [`query`], writes in
//! [`write`]; every write records who made it (the [`Source`]) in the audit log, and bumps the
//! row's `change_counter` so the publish engine knows what to send.

pub mod bulk;
pub mod csv;
pub mod detail;
pub mod edit;
pub mod gtin;
pub mod query;
mod rows;
pub mod write;

use crate::ids::{CategoryId, LocationId};
use crate::money::Money;
use crate::vat::VatRate;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

pub use query::{
    categories, list_products, list_products_with, locations, matching_ids, CategoryNode,
    ChannelFilter, Location, ProductPage, ProductQuery, ProductRow, SortKey, StockFilter,
    TitleOrders,
};
pub use write::{add_category, add_location, insert_product, NewImage, NewProduct, NewVariant};

/// Whether a product is for sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Being prepared; never published.
    Draft,
    /// For sale on the channels it is listed on.
    Active,
    /// No longer sold; kept for history and orders.
    Archived,
}

impl ProductStatus {
    pub fn code(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Archived => "archived",
        }
    }
}

impl FromStr for ProductStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "draft" => Ok(ProductStatus::Draft),
            "active" => Ok(ProductStatus::Active),
            "archived" => Ok(ProductStatus::Archived),
            other => Err(format!(
                "'{other}' is not a product status: use draft, active or archived"
            )),
        }
    }
}

/// Who made a change; kept with every audit row so history can say "imported" or "by you".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Ui,
    Import,
    Cli,
    Sync,
    Demo,
    /// Adopted from what the merchant changed on a channel (drift, [`crate::drift`]).
    Channel,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Ui => "ui",
            Source::Import => "import",
            Source::Cli => "cli",
            Source::Sync => "sync",
            Source::Demo => "demo",
            Source::Channel => "channel",
        }
    }
}

/// Stock of one variant at one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub location: LocationId,
    pub quantity: i64,
}

/// A category in the merchant's own tree, as created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub parent: Option<CategoryId>,
    pub name_nl: String,
    pub name_en: String,
}

/// The price fields of a variant, all in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantPrices {
    /// Consumer price including VAT.
    pub price: Money,
    pub compare_at: Option<Money>,
    /// What the merchant pays for it, excluding VAT.
    pub cost: Option<Money>,
    pub vat: VatRate,
}
