//! The product editor's own title, description, price and delivery promise per channel
//! (`publish::listing_edit`): what the plan then sends, removing an override by emptying the
//! field, undo and redo of a save, and what is refused (with nothing written).

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::edit::{redo, undo};
use kanaal_core::catalog::{
    add_location, insert_product, NewProduct, NewVariant, ProductStatus, Source, StockLevel,
    VariantPrices,
};
use kanaal_core::ids::{ChannelId, ListingId, ProductId};
use kanaal_core::money::Money;
use kanaal_core::problem::InputProblem;
use kanaal_core::publish::listing_edit::{
    product_channels, set_listing_overrides, ChannelChecks, ListingStanding, OverridesInput,
    PriceInput, ProductChannel,
};
use kanaal_core::publish::{plan, ChannelRules, Ending, Limits, PriceRule, RenderedListing};
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use kanaal_core::Error;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 30, 19, 0, 0)
        .unwrap()
}

struct Shop {
    _dir: tempfile::TempDir,
    store: Store,
    bol: ChannelId,
    shopify: ChannelId,
    /// Listed on both channels: per variant on bol.com, as a whole on Shopify.
    coffee: ProductId,
    /// On no channel.
    tea: ProductId,
}

fn product(tx: &rusqlite::Transaction<'_>, handle: &str, loc: i64) -> ProductId {
    let variants = (0..2)
        .map(|v| NewVariant {
            sku: format!("{handle}-{v}"),
            gtin: None,
            options: vec![format!("{}g", 250 * (v + 1))],
            prices: VariantPrices {
                price: Money::eur(Decimal::new(1000 + 500 * i64::from(v), 2)),
                compare_at: None,
                cost: Some(Money::eur(dec("4.00"))),
                vat: VatRate::Reduced,
            },
            weight_grams: None,
            stock: vec![StockLevel {
                location: kanaal_core::ids::LocationId(loc),
                quantity: 10,
            }],
        })
        .collect();
    insert_product(
        tx,
        &NewProduct {
            handle: handle.into(),
            title_nl: format!("Koffie {handle}"),
            title_en: format!("Coffee {handle}"),
            description_nl: "Lekker".into(),
            description_en: "Tasty".into(),
            brand: "Brander".into(),
            category: None,
            status: ProductStatus::Active,
            tags: vec![],
            options: vec![("Gewicht".into(), "Weight".into())],
            variants,
            images: vec![],
        },
        now(),
        Source::Cli,
    )
    .unwrap()
}

/// bol.com with a 10 % markup and .95 ending and a minimum margin of 20 %; Shopify as is.
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (bol, shopify, coffee, tea) = store
        .write(|tx| {
            let loc = add_location(tx, "W", "Winkel")?;
            let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, now())?;
            let shopify = kanaal_core::channels::add(tx, "shopify", "Webwinkel", None, now())?;
            kanaal_core::publish::rules::save(
                tx,
                bol,
                &ChannelRules {
                    price: PriceRule {
                        markup_percent: dec("10"),
                        ending: Ending::X95,
                        min_margin_percent: Some(dec("20")),
                        ..PriceRule::default()
                    },
                    ..ChannelRules::default()
                },
            )?;
            let coffee = product(tx, "bonen", loc.0);
            let tea = product(tx, "thee", loc.0);
            let variants: Vec<i64> = tx
                .prepare("SELECT id FROM variants WHERE product_id = ?1 ORDER BY position")?
                .query_map([coffee.0], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for v in variants {
                tx.execute(
                    "INSERT INTO listings (channel_id, product_id, variant_id) VALUES (?1, ?2, ?3)",
                    rusqlite::params![bol.0, coffee.0, v],
                )?;
            }
            tx.execute(
                "INSERT INTO listings (channel_id, product_id) VALUES (?1, ?2)",
                rusqlite::params![shopify.0, coffee.0],
            )?;
            Ok((bol, shopify, coffee, tea))
        })
        .unwrap();
    Shop {
        _dir: dir,
        store,
        bol,
        shopify,
        coffee,
        tea,
    }
}

fn bol_checks() -> ChannelChecks {
    ChannelChecks {
        max_title_chars: Some(20),
        delivery_codes: vec!["24uurs-16".into(), "1-2d".into()],
    }
}

impl Shop {
    fn channels(&self, product: ProductId) -> Vec<ProductChannel> {
        self.store.read(|tx| product_channels(tx, product)).unwrap()
    }
    fn on(&self, product: ProductId, channel: ChannelId) -> ProductChannel {
        self.channels(product)
            .into_iter()
            .find(|c| c.channel == channel)
            .unwrap()
    }
    fn set(
        &self,
        channel: ChannelId,
        input: &OverridesInput,
        checks: &ChannelChecks,
    ) -> kanaal_core::Result<Option<kanaal_core::catalog::edit::Batch>> {
        self.store
            .write(|tx| set_listing_overrides(tx, self.coffee, channel, input, checks, now()))
    }
    /// The stored overrides JSON of every listing of the coffee on `channel`, in listing order.
    fn stored(&self, channel: ChannelId) -> Vec<String> {
        self.store
            .read(|tx| {
                let mut s = tx.prepare(
                    "SELECT overrides FROM listings WHERE channel_id = ?1 AND product_id = ?2
                     ORDER BY id",
                )?;
                let v = s
                    .query_map([channel.0, self.coffee.0], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(v)
            })
            .unwrap()
    }
    /// What the plan would send for each of the coffee's listings on `channel`.
    fn planned(&self, channel: ChannelId) -> Vec<(ListingId, RenderedListing)> {
        let p = self
            .store
            .read(|tx| plan(tx, channel, &Limits::default()))
            .unwrap();
        p.listings
            .into_iter()
            .filter(|l| l.product == self.coffee)
            .map(|l| (l.listing, l.rendered.unwrap()))
            .collect()
    }
    fn batches(&self) -> i64 {
        self.store
            .read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM edit_batches", [], |r| r.get(0))?))
            .unwrap()
    }
}

fn refused(r: kanaal_core::Result<Option<kanaal_core::catalog::edit::Batch>>) -> InputProblem {
    match r {
        Err(Error::Input(p)) => p,
        other => panic!("expected a typed refusal, got {other:?}"),
    }
}

#[test]
fn the_tab_shows_each_channel_with_the_price_it_gets_without_an_own_one() {
    let s = shop();
    let bol = s.on(s.coffee, s.bol);
    assert!(bol.listed && bol.per_variant);
    assert_eq!(bol.standing, ListingStanding::NotYetPublished);
    assert!(bol.changes_waiting);
    assert_eq!(bol.catalog_title, "Koffie bonen");
    assert_eq!(bol.prices.len(), 2);
    // 10.00 + 10 % = 11.00 -> 11.95; 15.00 + 10 % = 16.50 -> 16.95; lowest: 4.00 * 1.2 * 1.09.
    let first = &bol.prices[0].variants[0];
    assert_eq!(
        (first.sku.as_str(), first.channel_price, first.lowest),
        ("bonen-0", dec("11.95"), Some(dec("5.24")))
    );
    assert_eq!(bol.prices[1].variants[0].channel_price, dec("16.95"));
    assert_eq!(bol.prices[0].price, None);

    let shopify = s.on(s.coffee, s.shopify);
    assert!(!shopify.per_variant);
    assert_eq!(shopify.prices.len(), 1, "one listing for the whole product");
    let prices: Vec<Decimal> = shopify.prices[0]
        .variants
        .iter()
        .map(|v| v.channel_price)
        .collect();
    assert_eq!(prices, vec![dec("10.00"), dec("15.00")]);

    let tea = s.on(s.tea, s.bol);
    assert!(!tea.listed);
    assert_eq!(tea.standing, ListingStanding::NotOnChannel);
    assert!(tea.prices.is_empty());

    // Taken off: "not on this channel" while the channel never had it, "taken off" once it did.
    let off = |published: Option<&str>| {
        s.store
            .write(|tx| {
                tx.execute(
                    "UPDATE listings SET state = 'unpublished', last_published_at = ?1
                     WHERE channel_id = ?2",
                    rusqlite::params![published, s.shopify.0],
                )?;
                Ok(())
            })
            .unwrap();
        s.on(s.coffee, s.shopify)
    };
    let never = off(None);
    assert!(!never.listed);
    assert_eq!(never.standing, ListingStanding::NotOnChannel);
    assert_eq!(never.prices.len(), 1, "its own values can still be set");
    let was = off(Some("2026-11-29T10:00:00.000Z"));
    assert_eq!(was.standing, ListingStanding::TakenOff);
    assert_eq!(
        was.last_published_at.as_deref(),
        Some("2026-11-29T10:00:00.000Z")
    );
}

#[test]
fn a_save_is_what_the_plan_sends_and_an_empty_field_removes_it() {
    let s = shop();
    let bol = s.on(s.coffee, s.bol);
    let (first, second) = (bol.prices[0].listing, bol.prices[1].listing);
    let batch = s
        .set(
            s.bol,
            &OverridesInput {
                title: "  Bonen voor bol  ".into(),
                description: String::new(),
                delivery_code: "24uurs-16".into(),
                prices: vec![
                    PriceInput {
                        listing: first,
                        price: "12,5".into(),
                    },
                    PriceInput {
                        listing: second,
                        price: String::new(),
                    },
                ],
            },
            &bol_checks(),
        )
        .unwrap()
        .expect("something changed");
    assert_eq!(batch.changes, 2, "both listings in one undo step");
    assert_eq!(
        batch.label, "Koffie bonen: eigen waarden op bol.com",
        "the undo button names the product and the channel"
    );
    let planned = s.planned(s.bol);
    let get = |id: ListingId| &planned.iter().find(|(l, _)| *l == id).unwrap().1;
    assert_eq!(get(first).title, "Bonen voor bol");
    assert_eq!(
        get(second).title,
        "Bonen voor bol",
        "the title is the product's"
    );
    assert_eq!(get(first).description, "Lekker");
    assert_eq!(get(first).delivery_code.as_deref(), Some("24uurs-16"));
    assert_eq!(get(first).variants[0].price, dec("12.50"), "used as it is");
    assert_eq!(get(second).variants[0].price, dec("16.95"), "by the rule");
    let shown = s.on(s.coffee, s.bol);
    assert_eq!(shown.title.as_deref(), Some("Bonen voor bol"));
    assert_eq!(shown.prices[0].price, Some(dec("12.50")));
    // The Shopify listing is untouched.
    assert_eq!(s.stored(s.shopify), vec!["{}".to_string()]);

    // Emptying the title and the price gives the catalog's and the rule's back; the code stays.
    s.set(
        s.bol,
        &OverridesInput {
            delivery_code: "24uurs-16".into(),
            prices: vec![PriceInput {
                listing: first,
                price: " ".into(),
            }],
            ..OverridesInput::default()
        },
        &bol_checks(),
    )
    .unwrap()
    .expect("changed");
    let planned = s.planned(s.bol);
    assert_eq!(planned[0].1.title, "Koffie bonen");
    assert_eq!(planned[0].1.variants[0].price, dec("11.95"));
    assert_eq!(
        s.stored(s.bol),
        vec![r#"{"delivery_code":"24uurs-16"}"#.to_string(); 2]
    );

    // Saving the same again is no step on the undo stack.
    let before = s.batches();
    let again = s
        .set(
            s.bol,
            &OverridesInput {
                delivery_code: "24uurs-16".into(),
                ..OverridesInput::default()
            },
            &bol_checks(),
        )
        .unwrap();
    assert!(again.is_none());
    assert_eq!(s.batches(), before);
}

#[test]
fn on_a_channel_that_lists_the_product_whole_an_own_price_is_every_variants() {
    let s = shop();
    let listing = s.on(s.coffee, s.shopify).prices[0].listing;
    s.set(
        s.shopify,
        &OverridesInput {
            prices: vec![PriceInput {
                listing,
                price: "€ 13,00".into(),
            }],
            ..OverridesInput::default()
        },
        &ChannelChecks::default(),
    )
    .unwrap();
    let planned = s.planned(s.shopify);
    let prices: Vec<Decimal> = planned[0].1.variants.iter().map(|v| v.price).collect();
    assert_eq!(prices, vec![dec("13.00"), dec("13.00")]);
}

#[test]
fn undo_gives_back_the_exact_overrides_before_and_redo_the_save() {
    let s = shop();
    // Overrides written before (as adopting a change on bol.com does), with a key order and a
    // price text of their own: undo must give back exactly this text.
    let before = r#"{"price":"9.9","title":"Van bol"}"#;
    s.store
        .write(|tx| {
            tx.execute(
                "UPDATE listings SET overrides = ?1 WHERE channel_id = ?2",
                rusqlite::params![before, s.bol.0],
            )?;
            Ok(())
        })
        .unwrap();
    let first = s.on(s.coffee, s.bol).prices[0].listing;
    s.set(
        s.bol,
        &OverridesInput {
            title: "Nieuw".into(),
            prices: vec![PriceInput {
                listing: first,
                price: "14.95".into(),
            }],
            ..OverridesInput::default()
        },
        &bol_checks(),
    )
    .unwrap()
    .expect("changed");
    let after = s.stored(s.bol);
    assert_eq!(
        after,
        vec![
            r#"{"title":"Nieuw","price":"14.95"}"#.to_string(),
            r#"{"title":"Nieuw","price":"9.9"}"#.to_string()
        ]
    );

    let undone = s.store.write(|tx| undo(tx, now())).unwrap().unwrap();
    assert_eq!(undone.changes, 2);
    assert_eq!(s.stored(s.bol), vec![before.to_string(); 2]);
    assert_eq!(s.planned(s.bol)[0].1.title, "Van bol");

    s.store.write(|tx| redo(tx, now())).unwrap().unwrap();
    assert_eq!(s.stored(s.bol), after);
    assert_eq!(s.planned(s.bol)[0].1.variants[0].price, dec("14.95"));
}

#[test]
fn wrong_values_are_refused_by_kind_and_nothing_is_written() {
    let s = shop();
    let first = s.on(s.coffee, s.bol).prices[0].listing;
    let price = |text: &str| OverridesInput {
        title: "Ook deze titel niet".into(),
        prices: vec![PriceInput {
            listing: first,
            price: text.into(),
        }],
        ..OverridesInput::default()
    };
    let before = s.batches();
    let sku: Option<Box<str>> = Some("bonen-0".into());
    let channel = "bol.com".to_string();
    assert_eq!(
        refused(s.set(s.bol, &price("twaalf"), &bol_checks())),
        InputProblem::OwnPriceNotAnAmount {
            channel: channel.clone(),
            sku: sku.clone(),
            value: "twaalf".into()
        }
    );
    assert_eq!(
        refused(s.set(s.bol, &price("0"), &bol_checks())),
        InputProblem::OwnPriceNotPositive {
            channel: channel.clone(),
            sku: sku.clone()
        }
    );
    assert_eq!(
        refused(s.set(s.bol, &price("12,505"), &bol_checks())),
        InputProblem::OwnPriceCents {
            channel: channel.clone(),
            sku: sku.clone(),
            value: "12,505".into()
        }
    );
    assert_eq!(
        refused(s.set(s.bol, &price("5,00"), &bol_checks())),
        InputProblem::OwnPriceBelowMargin {
            channel: channel.clone(),
            sku: sku.clone(),
            lowest: "5.24".into()
        }
    );
    assert_eq!(
        refused(s.set(
            s.bol,
            &OverridesInput {
                delivery_code: "morgen".into(),
                ..OverridesInput::default()
            },
            &bol_checks()
        )),
        InputProblem::DeliveryCodeNotAllowed {
            channel: channel.clone(),
            value: "morgen".into()
        }
    );
    assert_eq!(
        refused(s.set(
            s.bol,
            &OverridesInput {
                title: "Een titel van meer dan twintig tekens".into(),
                ..OverridesInput::default()
            },
            &bol_checks()
        )),
        InputProblem::OwnTitleTooLong {
            channel,
            chars: 37,
            max: 20
        }
    );
    // A channel without delivery promises takes no code.
    assert!(matches!(
        refused(s.set(
            s.shopify,
            &OverridesInput {
                delivery_code: "1-2d".into(),
                ..OverridesInput::default()
            },
            &ChannelChecks::default()
        )),
        InputProblem::DeliveryCodeNotAllowed { .. }
    ));
    assert_eq!(s.batches(), before, "no undo step for a refused save");
    assert_eq!(s.stored(s.bol), vec!["{}".to_string(); 2]);
    assert_eq!(s.stored(s.shopify), vec!["{}".to_string()]);
}

#[test]
fn a_product_not_on_the_channel_gets_no_own_values() {
    let s = shop();
    let r = s.store.write(|tx| {
        set_listing_overrides(
            tx,
            s.tea,
            s.bol,
            &OverridesInput {
                title: "Thee op bol".into(),
                ..OverridesInput::default()
            },
            &bol_checks(),
            now(),
        )
    });
    assert_eq!(
        refused(r),
        InputProblem::NotOnChannel {
            channel: "bol.com".into()
        }
    );
    // Nor a price for a listing of another product (a stale window).
    let other = s.on(s.coffee, s.shopify).prices[0].listing;
    assert!(matches!(
        refused(s.set(
            s.bol,
            &OverridesInput {
                prices: vec![PriceInput {
                    listing: other,
                    price: "12".into()
                }],
                ..OverridesInput::default()
            },
            &bol_checks()
        )),
        InputProblem::NotOnChannel { .. }
    ));
    assert_eq!(s.batches(), 0);
}
