//! The kinds of sales channel Kanaal knows, as the merchant sees them. The connectors themselves
//! live in the `kanaal-channels` crate; this list is what the UI offers and what the store's
//! `channels.kind` column holds.

use serde::{Deserialize, Serialize};

/// What sort of place a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChannelGroup {
    /// The merchant's own shop (direct to consumer).
    Webshop,
    Marketplace,
    /// Meal and grocery delivery apps.
    Delivery,
    Reservations,
}

/// How Kanaal reaches a channel: through its API, or through the files the merchant downloads
/// from the platform's portal (many delivery platforms give API access only to POS partners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChannelAccess {
    Api,
    Files,
}

/// One kind of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelKind {
    pub code: &'static str,
    pub name: &'static str,
    pub group: ChannelGroup,
    pub access: ChannelAccess,
}

/// Every channel kind, in the order the UI lists them.
pub const ALL: &[ChannelKind] = &[
    kind(
        "shopify",
        "Shopify",
        ChannelGroup::Webshop,
        ChannelAccess::Api,
    ),
    kind(
        "woocommerce",
        "WooCommerce",
        ChannelGroup::Webshop,
        ChannelAccess::Api,
    ),
    kind(
        "bol",
        "bol.com",
        ChannelGroup::Marketplace,
        ChannelAccess::Api,
    ),
    kind(
        "amazon",
        "Amazon",
        ChannelGroup::Marketplace,
        ChannelAccess::Api,
    ),
    kind(
        "etsy",
        "Etsy",
        ChannelGroup::Marketplace,
        ChannelAccess::Api,
    ),
    kind(
        "marktplaats",
        "Marktplaats",
        ChannelGroup::Marketplace,
        ChannelAccess::Files,
    ),
    kind(
        "facebook",
        "Facebook Marketplace",
        ChannelGroup::Marketplace,
        ChannelAccess::Files,
    ),
    kind(
        "thuisbezorgd",
        "Thuisbezorgd.nl",
        ChannelGroup::Delivery,
        ChannelAccess::Files,
    ),
    kind(
        "ubereats",
        "Uber Eats",
        ChannelGroup::Delivery,
        ChannelAccess::Files,
    ),
    kind(
        "instacart",
        "Instacart",
        ChannelGroup::Delivery,
        ChannelAccess::Files,
    ),
    kind(
        "opentable",
        "OpenTable",
        ChannelGroup::Reservations,
        ChannelAccess::Files,
    ),
];

const fn kind(
    code: &'static str,
    name: &'static str,
    group: ChannelGroup,
    access: ChannelAccess,
) -> ChannelKind {
    ChannelKind {
        code,
        name,
        group,
        access,
    }
}

/// Looks a kind up by its stored code.
pub fn by_code(code: &str) -> Option<&'static ChannelKind> {
    ALL.iter().find(|k| k.code == code)
}
