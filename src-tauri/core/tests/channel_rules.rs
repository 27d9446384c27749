//! A channel's price and stock rules as the merchant sets them (`publish::rules`): the form read
//! and shown again, what is refused (typed, with nothing written), every listing of the channel
//! waiting for the next publish after a change, the history line, and the form's example price
//! being what the plan then renders.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::{
    add_location, insert_product, NewProduct, NewVariant, ProductStatus, Source, StockLevel,
    VariantPrices,
};
use kanaal_core::ids::{ChannelId, ProductId};
use kanaal_core::money::Money;
use kanaal_core::problem::InputProblem;
use kanaal_core::publish::rules::{self, RuleField, RulesForm};
use kanaal_core::publish::{plan, ChannelRules, Ending, Limits};
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
        .with_ymd_and_hms(2026, 11, 30, 20, 0, 0)
        .unwrap()
}

struct Shop {
    _dir: tempfile::TempDir,
    store: Store,
    bol: ChannelId,
    shopify: ChannelId,
    coffee: ProductId,
}

/// A coffee of € 12,40 (cost € 6,00, 9 % VAT, 10 in stock) listed on bol.com and the webshop,
/// both published and unchanged since (nothing pending).
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (bol, shopify, coffee) = store
        .write(|tx| {
            let loc = add_location(tx, "W", "Winkel")?;
            let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, now())?;
            let shopify = kanaal_core::channels::add(tx, "shopify", "Webwinkel", None, now())?;
            let coffee = insert_product(
                tx,
                &NewProduct {
                    handle: "bonen".into(),
                    title_nl: "Koffiebonen".into(),
                    title_en: "Coffee beans".into(),
                    description_nl: "Lekker".into(),
                    description_en: "Tasty".into(),
                    brand: "Brander".into(),
                    category: None,
                    status: ProductStatus::Active,
                    tags: vec![],
                    options: vec![],
                    variants: vec![NewVariant {
                        sku: "BONEN-1".into(),
                        gtin: None,
                        options: vec![],
                        prices: VariantPrices {
                            price: Money::eur(dec("12.40")),
                            compare_at: None,
                            cost: Some(Money::eur(dec("6.00"))),
                            vat: VatRate::Reduced,
                        },
                        weight_grams: None,
                        stock: vec![StockLevel {
                            location: loc,
                            quantity: 10,
                        }],
                    }],
                    images: vec![],
                },
                now(),
                Source::Cli,
            )?;
            for ch in [bol, shopify] {
                tx.execute(
                    "INSERT INTO listings (channel_id, product_id) VALUES (?1, ?2)",
                    rusqlite::params![ch.0, coffee.0],
                )?;
            }
            // As after a publish that sent everything: no counter left, a publish time set.
            tx.execute_batch(
                "UPDATE products SET change_counter = 0; UPDATE variants SET change_counter = 0;
                 UPDATE listings SET change_counter = 0, last_published_at = '2026-11-30T19:00:00Z';",
            )?;
            Ok((bol, shopify, coffee))
        })
        .unwrap();
    Shop {
        _dir: dir,
        store,
        bol,
        shopify,
        coffee,
    }
}

impl Shop {
    fn change(&self, rules: &ChannelRules) -> kanaal_core::Result<bool> {
        self.store
            .write(|tx| rules::change(tx, self.bol, rules, Source::Ui, now()))
    }
    fn loaded(&self, channel: ChannelId) -> ChannelRules {
        self.store.read(|tx| rules::load(tx, channel)).unwrap()
    }
    fn pending(&self, channel: ChannelId) -> i64 {
        self.store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT pending FROM listings WHERE channel_id = ?1",
                    [channel.0],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    }
    fn history(&self) -> Vec<(String, i64, String, String, Option<String>, String)> {
        self.store
            .read(|tx| {
                let mut s = tx.prepare(
                    "SELECT source, entity_id, entity, field, old_value, new_value FROM audit_log
                     WHERE entity = 'channel' ORDER BY id",
                )?;
                let rows = s
                    .query_map([], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(rows)
            })
            .unwrap()
    }
    /// The price the plan sends for the coffee on `channel`.
    fn planned_price(&self, channel: ChannelId) -> Decimal {
        let p = self
            .store
            .read(|tx| plan(tx, channel, &Limits::default()))
            .unwrap();
        let l = p
            .listings
            .into_iter()
            .find(|l| l.product == self.coffee)
            .expect("the coffee is in the plan");
        l.rendered.expect("rendered").variants[0].price
    }
}

fn form(f: impl FnOnce(&mut RulesForm)) -> RulesForm {
    let mut form = RulesForm::default();
    f(&mut form);
    form
}

#[test]
fn rules_typed_the_dutch_way_are_stored_and_shown_again() {
    let s = shop();
    let typed = form(|f| {
        f.markup_percent = "12,5".into();
        f.markup_fixed = "0,50".into();
        f.ending = Ending::X95;
        f.min_margin_percent = "20".into();
        f.buffer = "2".into();
        f.max = "50".into();
        f.share_percent = "80".into();
    });
    let rules = typed.read().unwrap();
    assert_eq!(rules.price.markup_percent, dec("12.5"));
    assert_eq!(rules.price.markup_fixed, dec("0.50"));
    assert_eq!(rules.stock.share, Some(dec("0.8")), "stored as a fraction");
    assert!(s.change(&rules).unwrap());
    let back = s.loaded(s.bol);
    assert_eq!(back, rules);
    let shown = RulesForm::of(&back);
    assert_eq!(
        shown,
        form(|f| {
            f.markup_percent = "12.5".into();
            f.markup_fixed = "0.50".into();
            f.ending = Ending::X95;
            f.min_margin_percent = "20".into();
            f.buffer = "2".into();
            f.max = "50".into();
            f.share_percent = "80".into();
        })
    );
    assert_eq!(
        shown.read().unwrap(),
        rules,
        "the form reads back the same rules"
    );
    assert_eq!(
        s.loaded(s.shopify),
        ChannelRules::default(),
        "only bol.com's rules"
    );
    // Emptying the form takes the rules away again.
    assert!(s.change(&RulesForm::default().read().unwrap()).unwrap());
    assert_eq!(s.loaded(s.bol), ChannelRules::default());
}

#[test]
fn each_refusal_is_typed_and_writes_nothing() {
    let cases: Vec<(RulesForm, InputProblem)> = vec![
        (
            form(|f| f.buffer = "-2".into()),
            InputProblem::RuleBelowZero {
                field: RuleField::Buffer,
            },
        ),
        (
            form(|f| f.max = "-1".into()),
            InputProblem::RuleBelowZero {
                field: RuleField::Max,
            },
        ),
        (
            form(|f| f.min_margin_percent = "-5".into()),
            InputProblem::RuleBelowZero {
                field: RuleField::MinMargin,
            },
        ),
        (
            form(|f| f.share_percent = "120".into()),
            InputProblem::RuleShareOutOfRange {
                value: "120".into(),
            },
        ),
        (
            form(|f| f.share_percent = "0".into()),
            InputProblem::RuleShareOutOfRange { value: "0".into() },
        ),
        (
            form(|f| f.markup_percent = "-100".into()),
            InputProblem::RuleMarkupTooLow,
        ),
        (
            form(|f| f.markup_fixed = "0,505".into()),
            InputProblem::RuleFixedMarkupCents {
                value: "0.505".into(),
            },
        ),
        (
            form(|f| f.markup_percent = "vijftien".into()),
            InputProblem::RuleNotANumber {
                field: RuleField::MarkupPercent,
                value: "vijftien".into(),
            },
        ),
        (
            form(|f| f.buffer = "2,5".into()),
            InputProblem::RuleNotAWholeNumber {
                field: RuleField::Buffer,
                value: "2,5".into(),
            },
        ),
    ];
    for (typed, expected) in cases {
        assert_eq!(typed.read(), Err(expected.clone()), "{typed:?}");
    }

    // The store refuses the same rules when they come another way (the CLI, a test).
    let s = shop();
    let mut bad = ChannelRules::default();
    bad.stock.buffer = -2;
    let err = s.change(&bad).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Input(InputProblem::RuleBelowZero {
                field: RuleField::Buffer
            })
        ),
        "{err:?}"
    );
    let mut bad = ChannelRules::default();
    bad.price.markup_fixed = dec("0.505");
    assert!(matches!(
        s.change(&bad).unwrap_err(),
        Error::Input(InputProblem::RuleFixedMarkupCents { .. })
    ));
    let rows: i64 = s
        .store
        .read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM channel_rules", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 0, "nothing written");
    assert_eq!(s.pending(s.bol), 0, "nothing to publish");
    assert!(s.history().is_empty());
}

#[test]
fn a_new_rule_makes_the_channels_listings_wait_for_the_next_publish() {
    let s = shop();
    assert_eq!((s.pending(s.bol), s.pending(s.shopify)), (0, 0));
    let rules = form(|f| {
        f.markup_percent = "15".into();
        f.ending = Ending::X95;
    })
    .read()
    .unwrap();
    assert!(s.change(&rules).unwrap());
    assert_eq!(s.pending(s.bol), 1, "bol.com's prices change");
    assert_eq!(s.pending(s.shopify), 0, "the webshop's do not");
    assert_eq!(
        s.history(),
        vec![(
            "ui".to_string(),
            s.bol.0,
            "channel".to_string(),
            "rules".to_string(),
            Some(serde_json::to_string(&RulesForm::default()).unwrap()),
            serde_json::to_string(&RulesForm::of(&rules)).unwrap(),
        )]
    );

    // Saving the same rules again changes nothing: no history line, nothing new to send.
    s.store
        .write(|tx| {
            tx.execute("UPDATE listings SET change_counter = 0", [])?;
            Ok(())
        })
        .unwrap();
    assert_eq!(s.pending(s.bol), 0);
    assert!(!s.change(&rules).unwrap());
    assert_eq!(s.pending(s.bol), 0);
    assert_eq!(s.history().len(), 1);

    // A stock rule alone changes what bol.com may offer, so it waits too.
    let mut stock = rules.clone();
    stock.stock.buffer = 2;
    assert!(s.change(&stock).unwrap());
    assert_eq!(s.pending(s.bol), 1);
}

#[test]
fn the_forms_example_is_what_the_plan_sends() {
    let s = shop();
    assert_eq!(
        s.planned_price(s.bol),
        dec("12.40"),
        "no rule: the catalog price"
    );
    let rules = form(|f| {
        f.markup_percent = "15".into();
        f.ending = Ending::X95;
    })
    .read()
    .unwrap();
    s.change(&rules).unwrap();
    let example = rules
        .price
        .apply(dec("12.40"), Some(dec("6.00")), VatRate::Reduced);
    // 12.40 × 1.15 = 14.26, up to the next .95.
    assert_eq!(example, dec("14.95"));
    assert_eq!(s.planned_price(s.bol), example);
    assert_eq!(s.planned_price(s.shopify), dec("12.40"));

    // A minimum margin above the markup: the example knows the cost and the VAT like the plan.
    let rules = form(|f| {
        f.markup_percent = "0".into();
        f.ending = Ending::X99;
        f.min_margin_percent = "150".into();
    })
    .read()
    .unwrap();
    s.change(&rules).unwrap();
    // 6.00 × 2.5 = 15.00 excl. VAT, × 1.09 = 16.35, up to 16.99.
    let example = rules
        .price
        .apply(dec("12.40"), Some(dec("6.00")), VatRate::Reduced);
    assert_eq!(example, dec("16.99"));
    assert_eq!(s.planned_price(s.bol), example);
    assert_eq!(
        rules.price.apply(dec("12.40"), None, VatRate::Reduced),
        dec("12.99"),
        "without a cost no margin applies"
    );
}
