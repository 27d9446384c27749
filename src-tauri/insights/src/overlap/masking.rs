//! Which identifiers a platform masks, and how to recognise them, so that a relay address or a
//! proxy phone number never links two channels.
//!
//! Sources (see `shared/channels/API-REFERENCE.md`, section 9 "PII handling" and each platform's
//! "Customer data masking" paragraph):
//! - bol.com: `email` is "a scrambled email address that can be used to contact the customer",
//!   a relay at a bol.com sub-domain (the reference's example: `2hxf3nmz6yq@verkopen.bol.com`).
//! - Amazon SP-API: `buyerEmail` is "an anonymized relay address (`…@marketplace.amazon.com`)";
//!   the European marketplaces use the same scheme on their own domains
//!   (`marketplace.amazon.nl`, `.de`, …).
//! - Just Eat Takeaway (Thuisbezorgd): for courier-delivered orders the e-mail is the placeholder
//!   `customer@email.hidden`, the phone `****` plus a masking code, the last name `****`.
//! - Uber Eats: `eater.phone` "is a Uber proxy number plus `phone_code` (PIN)"; Deliveroo:
//!   `contact_number (masked/proxy)`. A phone on these channels is never the customer's own.
//! - Apple's "Hide My Email" (`…@privaterelay.appleid.com`) is a per-shop relay that web shops
//!   receive from Sign in with Apple; it is stable within one shop, so treated like bol's.
//!
//! A relay address is stable within its channel (the same shopper gets the same alias), so it
//! may link two records *of the same channel*; across channels it is meaningless. The matcher
//! therefore hashes relay addresses together with the channel (see `keys`), which makes equal
//! relay addresses on two channels impossible by construction. Placeholders and proxy phones are
//! dropped altogether.

/// What an e-mail address is, for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    /// The shopper's own address: an identifier across channels.
    Own,
    /// A platform's relay alias: an identifier only within that channel.
    Relay,
    /// A placeholder shared by many shoppers: not an identifier at all.
    Placeholder,
}

/// Classifies a normalised e-mail address (see `normalize::email`).
pub fn email_kind(normalised: &str) -> EmailKind {
    let domain = normalised.rsplit_once('@').map_or("", |(_, d)| d);
    if domain == "email.hidden"
        || domain.ends_with(".hidden")
        || domain.ends_with(".invalid")
        || domain == "example.com"
        || normalised.starts_with("noreply@")
        || normalised.starts_with("no-reply@")
    {
        return EmailKind::Placeholder;
    }
    let is_bol = domain.ends_with(".bol.com");
    let is_amazon = domain.starts_with("marketplace.amazon.");
    let is_apple = domain == "privaterelay.appleid.com";
    if is_bol || is_amazon || is_apple {
        return EmailKind::Relay;
    }
    EmailKind::Own
}

/// Channels whose phone numbers are proxies (Uber Eats, Deliveroo) or masked by default (Just
/// Eat Takeaway / Thuisbezorgd courier orders): a phone from these is never used.
pub fn channel_phone_is_proxy(channel: &str) -> bool {
    let c = channel.to_ascii_lowercase();
    [
        "ubereats",
        "uber_eats",
        "uber",
        "deliveroo",
        "thuisbezorgd",
        "justeat",
        "jet",
    ]
    .iter()
    .any(|p| c == *p || c.starts_with(&format!("{p}-")) || c.starts_with(&format!("{p}_")))
}

/// A person who shops with a relay address, a shared placeholder or a proxy phone: the value is
/// shared with unrelated people. Beyond the patterns above, a value that appears on records with
/// this many different surnames is treated as shared (a proxy pool, a shop's own address typed
/// in as the customer's, a household landline is at most two surnames).
pub const SHARED_VALUE_SURNAMES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_relays_and_placeholders_are_recognised() {
        assert_eq!(email_kind("2hxf3nmz6yq@verkopen.bol.com"), EmailKind::Relay);
        assert_eq!(
            email_kind("buyer-email@marketplace.amazon.com"),
            EmailKind::Relay
        );
        assert_eq!(email_kind("x7y@marketplace.amazon.nl"), EmailKind::Relay);
        assert_eq!(email_kind("abc@privaterelay.appleid.com"), EmailKind::Relay);
        assert_eq!(email_kind("customer@email.hidden"), EmailKind::Placeholder);
        assert_eq!(email_kind("jan@ziggo.nl"), EmailKind::Own);
        assert_eq!(
            email_kind("jan@bol.com"),
            EmailKind::Own,
            "only bol's sub-domains are relays"
        );
    }

    #[test]
    fn delivery_platform_phones_are_proxies() {
        assert!(channel_phone_is_proxy("ubereats"));
        assert!(channel_phone_is_proxy("Thuisbezorgd"));
        assert!(channel_phone_is_proxy("deliveroo"));
        assert!(!channel_phone_is_proxy("shopify"));
        assert!(!channel_phone_is_proxy("bol"));
    }
}
