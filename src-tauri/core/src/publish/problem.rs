//! What blocks a listing from being published: a typed [`ProblemKind`] with the data to word it,
//! attached to the field it is about. The window words each kind in the merchant's language
//! (ui/src/lib/planProblems.ts); the command line prints the English sentence of the one
//! `Display` here. This module only describes problems; deciding that a listing has one is the
//! planner's, the drift hold's and the rollback's job.
//!
//! Problems are built only for listings that have one (no text is formatted for the 100,000
//! listings that are fine), and they are never stored: the outbox payload and the mirror hold
//! rendered listings and changes, not problems, so there is no old shape to read back.

use serde::{Deserialize, Serialize};

/// A problem with a planned listing: the field it is about and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field, by the names used in a [`super::plan::FieldChange`] (`listing` for the whole).
    pub field: String,
    /// What is wrong, with the data to say it.
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(field: impl Into<String>, kind: ProblemKind) -> Self {
        Problem {
            field: field.into(),
            kind,
        }
    }

    /// The English sentence: what is wrong and what to do (the command line's text).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

/// What is wrong with a planned listing. Prices are decimal text (two decimals) to format in the
/// merchant's language; counts are whole numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PlanProblem"))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The listing's own price for this channel is below the channel's minimum margin over cost.
    BelowMinimumMargin {
        sku: String,
        price: String,
        floor: String,
    },
    /// The title is empty.
    TitleEmpty,
    /// The title is longer than the channel allows.
    TitleTooLong { chars: u32, max: u32 },
    /// The product has more options than the channel allows.
    TooManyOptions { count: u32, max: u32 },
    /// The listing has no variant to sell.
    NoVariants,
    /// The product has more variants than the channel allows.
    TooManyVariants { count: u32, max: u32 },
    /// The channel needs a category and the product's is not mapped to one of the channel's.
    CategoryNotMapped,
    /// The channel lists products by EAN and the variant has none.
    MissingGtin { sku: String },
    /// The variant's price is below the channel's minimum price.
    PriceBelowMinimum {
        sku: String,
        price: String,
        min: String,
    },
    /// The variant's price is above the channel's maximum price.
    PriceAboveMaximum {
        sku: String,
        price: String,
        max: String,
    },
    /// Kanaal's copy of what the channel last confirmed cannot be read (`detail`: the technical
    /// reason, in English).
    MirrorUnreadable { detail: String },
    /// Changed on the channel and in Kanaal: the merchant chooses first.
    HeldConflict,
    /// Changed on the channel: the merchant adopts or keeps theirs first.
    HeldRemoteChange,
    /// Rollback: the listing was deleted from Kanaal after the publish.
    RollbackListingDeleted,
    /// Rollback: what the channel showed before was not kept (sent by an older version).
    RollbackNoEarlierValues,
    /// Rollback: the listing was published again (or rolled back) after this publish.
    RollbackPublishedAgain,
    /// Rollback: the listing changed on the channel after this publish.
    RollbackChangedOnChannel,
    /// Rollback: the values from before the publish cannot be read back.
    RollbackUnreadable,
}

/// A count for a problem's data (counts beyond four billion do not occur in a listing).
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ProblemKind::*;
        match self {
            BelowMinimumMargin { price, floor, .. } => write!(
                f,
                "the price set for this channel ({price}) is below the minimum margin over cost ({floor}); raise the price or lower the channel's minimum margin"
            ),
            TitleEmpty => f.write_str("the title is empty; give the product a title"),
            TitleTooLong { chars, max } => write!(
                f,
                "the title has {chars} characters and this channel allows {max}; shorten it or set a shorter title for this channel"
            ),
            TooManyOptions { count, max } => write!(
                f,
                "the product has {count} options and this channel allows {max}; remove an option or list the variants separately"
            ),
            NoVariants => f.write_str(
                "the listing has no variants to sell; add a variant or remove the listing",
            ),
            TooManyVariants { count, max } => write!(
                f,
                "the product has {count} variants and this channel allows {max}; split the product"
            ),
            CategoryNotMapped => f.write_str(
                "the product's category is not mapped to a category of this channel; map it under channel settings",
            ),
            MissingGtin { sku } => write!(
                f,
                "variant {sku} has no EAN, and this channel lists products by EAN; add the EAN"
            ),
            PriceBelowMinimum { price, min, .. } => {
                write!(f, "the price {price} is below this channel's minimum of {min}")
            }
            PriceAboveMaximum { price, max, .. } => {
                write!(f, "the price {price} is above this channel's maximum of {max}")
            }
            MirrorUnreadable { detail } => write!(
                f,
                "Kanaal's copy of what the channel last confirmed cannot be read ({detail}); check the channel and publish again"
            ),
            HeldConflict => f.write_str(
                "changed on the channel and in Kanaal; choose 'Keep mine' or 'Adopt' under 'Changed on the channel' before this listing is published again",
            ),
            HeldRemoteChange => f.write_str(
                "changed on the channel; choose 'Adopt' or 'Keep mine' under 'Changed on the channel' before this listing is published again, so the channel's change is not overwritten",
            ),
            RollbackListingDeleted => f.write_str(
                "this listing was deleted from Kanaal after the publish; remove it on the channel itself if it should go",
            ),
            RollbackNoEarlierValues => f.write_str(
                "Kanaal did not keep what the channel showed before this publish (it was sent by an older version); set the values you want in the catalog and publish instead",
            ),
            RollbackPublishedAgain => f.write_str(
                "this listing was published again after this publish (or rolled back already); rolling back would undo the later change too, so change the catalog and publish instead",
            ),
            RollbackChangedOnChannel => f.write_str(
                "this listing changed on the channel after this publish, so its earlier values are not simply the ones to go back to; change the catalog and publish instead",
            ),
            RollbackUnreadable => f.write_str(
                "the values the channel had before this publish cannot be read back; publish instead",
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::publish::plan::{validate, Limits};
    use crate::publish::{RenderedListing, RenderedVariant};
    use rust_decimal::dec;

    fn variant(sku: &str, gtin: Option<&str>, price: rust_decimal::Decimal) -> RenderedVariant {
        RenderedVariant {
            sku: sku.into(),
            gtin: gtin.map(str::to_string),
            option_values: vec!["S".into(), "rood".into(), "katoen".into()],
            price,
            stock: 3,
        }
    }

    #[test]
    fn validation_names_each_limit_with_the_numbers_the_merchant_needs() {
        let listing = RenderedListing {
            handle: "schort".into(),
            title: "Linnen schort ".repeat(12),
            description: String::new(),
            brand: String::new(),
            category: None,
            options: vec!["Maat".into(), "Kleur".into(), "Stof".into()],
            variants: vec![
                variant("S-1", None, dec!(0.50)),
                variant("S-2", Some("8712345678906"), dec!(12000.00)),
            ],
            delivery_code: None,
        };
        let limits = Limits {
            max_title_chars: Some(150),
            max_options: Some(2),
            max_variants: Some(1),
            require_gtin: true,
            require_category: true,
            min_price: Some(dec!(1)),
            max_price: Some(dec!(9999.99)),
            ..Limits::default()
        };
        let problems = validate(&listing, &limits);
        let kinds: Vec<(&str, &ProblemKind)> = problems
            .iter()
            .map(|p| (p.field.as_str(), &p.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "title",
                    &ProblemKind::TitleTooLong {
                        chars: 168,
                        max: 150
                    }
                ),
                ("options", &ProblemKind::TooManyOptions { count: 3, max: 2 }),
                (
                    "variants",
                    &ProblemKind::TooManyVariants { count: 2, max: 1 }
                ),
                ("category", &ProblemKind::CategoryNotMapped),
                (
                    "variants[S-1].gtin",
                    &ProblemKind::MissingGtin { sku: "S-1".into() }
                ),
                (
                    "variants[S-1].price",
                    &ProblemKind::PriceBelowMinimum {
                        sku: "S-1".into(),
                        price: "0.50".into(),
                        min: "1".into()
                    }
                ),
                (
                    "variants[S-2].price",
                    &ProblemKind::PriceAboveMaximum {
                        sku: "S-2".into(),
                        price: "12000.00".into(),
                        max: "9999.99".into()
                    }
                ),
            ]
        );
        let empty = RenderedListing {
            title: String::new(),
            variants: Vec::new(),
            ..listing
        };
        let kinds: Vec<ProblemKind> = validate(&empty, &Limits::default())
            .into_iter()
            .map(|p| p.kind)
            .collect();
        assert_eq!(kinds, [ProblemKind::TitleEmpty, ProblemKind::NoVariants]);
    }

    #[test]
    fn a_price_of_its_own_below_the_minimum_margin_names_the_price_and_the_floor() {
        use crate::ids::{ListingId, ProductId, VariantId};
        use crate::publish::render::{render, ListingInput, VariantInput};
        use crate::publish::{ChannelRules, Overrides, PriceRule};
        use crate::vat::VatRate;
        let input = ListingInput {
            id: ListingId(1),
            product: ProductId(1),
            variant: None,
            remote_id: None,
            wanted: true,
            overrides: Overrides {
                price: Some(dec!(10)),
                ..Overrides::default()
            },
            handle: "koffie".into(),
            title: "Espresso".into(),
            description: String::new(),
            brand: String::new(),
            category: None,
            options: Vec::new(),
            variants: vec![VariantInput {
                id: VariantId(1),
                sku: "ESP-250".into(),
                gtin: None,
                option_values: Vec::new(),
                price: dec!(12),
                cost: Some(dec!(8)),
                vat: VatRate::Reduced,
                on_hand: 5,
                counter: 0,
            }],
            counter: 0,
            mirror: None,
            mirror_text: None,
            mirrored: false,
            mirror_digest: None,
        };
        let rules = ChannelRules {
            price: PriceRule {
                min_margin_percent: Some(dec!(50)),
                ..PriceRule::default()
            },
            ..ChannelRules::default()
        };
        let (_, problems) = render(&input, &rules);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let ProblemKind::BelowMinimumMargin { sku, price, floor } = &problems[0].kind else {
            panic!("{problems:?}");
        };
        assert_eq!((sku.as_str(), price.as_str()), ("ESP-250", "10.00"));
        assert!(
            floor.parse::<rust_decimal::Decimal>().unwrap() > dec!(10),
            "the floor is what the price must reach: {floor}"
        );
        assert_eq!(problems[0].field, "variants[ESP-250].price");
    }

    #[test]
    fn a_finding_holds_a_listing_with_its_own_kind() {
        use crate::drift::{hold_problem, DriftKind};
        assert_eq!(
            hold_problem("title", DriftKind::Conflict),
            Problem::new("title", ProblemKind::HeldConflict)
        );
        assert_eq!(
            hold_problem("variants[A].price", DriftKind::Remote),
            Problem::new("variants[A].price", ProblemKind::HeldRemoteChange)
        );
    }

    #[test]
    fn a_listing_within_the_limits_has_no_problem() {
        let listing = RenderedListing {
            handle: "schort".into(),
            title: "Linnen schort".into(),
            description: String::new(),
            brand: String::new(),
            category: Some("123".into()),
            options: vec!["Maat".into()],
            variants: vec![variant("S-1", Some("8712345678906"), dec!(29.99))],
            delivery_code: None,
        };
        let limits = Limits {
            max_title_chars: Some(150),
            max_options: Some(3),
            max_variants: Some(100),
            require_gtin: true,
            require_category: true,
            min_price: Some(dec!(1)),
            max_price: Some(dec!(9999.99)),
            ..Limits::default()
        };
        assert!(validate(&listing, &limits).is_empty());
    }

    #[test]
    fn a_problem_crosses_as_its_field_and_a_tagged_kind_with_its_data() {
        let p = Problem::new(
            "variants[A].price",
            ProblemKind::PriceAboveMaximum {
                sku: "A".into(),
                price: "12000.00".into(),
                max: "9999.99".into(),
            },
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["field"], "variants[A].price");
        assert_eq!(json["kind"]["kind"], "price_above_maximum");
        assert_eq!(json["kind"]["max"], "9999.99");
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        assert_eq!(
            p.message(),
            "the price 12000.00 is above this channel's maximum of 9999.99"
        );
    }
}
