//! Publishing: channel rules, the plan against the mirror, confirming into the outbox and
//! settling after the channel accepted a send.

// Tests stop at the first surprise; helper functions here are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use kanaal_core::catalog::{
    add_location, insert_product, NewProduct, NewVariant, ProductStatus, Source, StockLevel,
    VariantPrices,
};
use kanaal_core::ids::{ChannelId, ListingId, ProductId};
use kanaal_core::money::Money;
use kanaal_core::publish::rules::round_ending;
use kanaal_core::publish::{
    after_success, confirm, plan, Action, ChannelRules, Ending, Limits, Plan, PriceRule, StockRule,
};
use kanaal_core::store::Store;
use kanaal_core::vat::VatRate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros_free::dec;

mod rust_decimal_macros_free {
    /// `dec!("12.95")` without the macros feature's import path differences.
    macro_rules! dec {
        ($s:expr) => {
            <rust_decimal::Decimal as std::str::FromStr>::from_str($s).unwrap()
        };
    }
    pub(crate) use dec;
}

/// A valid EAN-13 for product `n`.
fn ean(n: usize) -> String {
    let body = format!("87{n:010}");
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

struct Shop {
    _dir: tempfile::TempDir,
    store: Store,
    channel: ChannelId,
    products: Vec<ProductId>,
    listings: Vec<ListingId>,
}

/// `n` products with 2 variants each (with EAN on variant 0 only), 10 in stock each, all listed
/// on one bol.com channel.
fn shop(n: usize) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (channel, products, listings) = store
        .write(|tx| {
            let loc = add_location(tx, "W", "Winkel")?;
            let channel = kanaal_core::channels::add(tx, "bol", "bol.com", None, now())?;
            let mut products = Vec::new();
            let mut listings = Vec::new();
            for p in 0..n {
                let variants = (0..2)
                    .map(|v| NewVariant {
                        sku: format!("P{p}-V{v}"),
                        gtin: (v == 0).then(|| ean(p)),
                        options: vec![format!("{}g", 250 * (v + 1))],
                        prices: VariantPrices {
                            price: Money::eur(Decimal::new(1000 + 100 * v as i64, 2)),
                            compare_at: None,
                            cost: Some(Money::eur(Decimal::new(400, 2))),
                            vat: VatRate::Reduced,
                        },
                        weight_grams: None,
                        stock: vec![StockLevel {
                            location: loc,
                            quantity: 10,
                        }],
                    })
                    .collect();
                let id = insert_product(
                    tx,
                    &NewProduct {
                        handle: format!("p{p}"),
                        title_nl: format!("Koffie {p}"),
                        title_en: format!("Coffee {p}"),
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
                )?;
                tx.execute(
                    "INSERT INTO listings (channel_id, product_id) VALUES (?1, ?2)",
                    rusqlite::params![channel.0, id.0],
                )?;
                products.push(id);
                listings.push(ListingId(tx.last_insert_rowid()));
            }
            Ok((channel, products, listings))
        })
        .unwrap();
    Shop {
        _dir: dir,
        store,
        channel,
        products,
        listings,
    }
}

impl Shop {
    fn plan(&self, limits: &Limits) -> Plan {
        self.store
            .read(|tx| plan(tx, self.channel, limits))
            .unwrap()
    }
    fn sql(&self, sql: &str, p: impl rusqlite::Params) {
        self.store
            .write(|tx| {
                tx.execute(sql, p)?;
                Ok(())
            })
            .unwrap();
    }
    /// Confirms the plan and reports success for every queued row, like a worker would.
    fn publish(&self, limits: &Limits) {
        let p = self.plan(limits);
        self.store
            .write(|tx| confirm(tx, &p, "batch", now()))
            .unwrap();
        self.succeed_all();
    }
    fn queued(&self) -> Vec<i64> {
        self.store
            .read(|tx| {
                let mut s =
                    tx.prepare("SELECT id FROM outbox WHERE state = 'queued' ORDER BY id")?;
                let ids = s
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(ids)
            })
            .unwrap()
    }
    fn succeed_all(&self) {
        for id in self.queued() {
            self.store
                .write(|tx| after_success(tx, id, Some(&format!("remote-{id}")), now()))
                .unwrap();
        }
    }
    fn edit_title(&self, product: ProductId, title: &str) {
        self.sql(
            "UPDATE products SET title_nl = ?1, change_counter = change_counter + 1 WHERE id = ?2",
            rusqlite::params![title, product.0],
        );
    }
}

#[test]
fn price_rule_marks_up_then_rounds_up_to_the_ending() {
    let rule = PriceRule {
        markup_percent: dec!("10"),
        markup_fixed: dec!("0.50"),
        ending: Ending::X95,
        min_margin_percent: None,
    };
    // 10.00 * 1.10 + 0.50 = 11.50 -> 11.95
    assert_eq!(
        rule.apply(dec!("10.00"), None, VatRate::Reduced),
        dec!("11.95")
    );
    assert_eq!(round_ending(dec!("12.96"), Ending::X95), dec!("13.95"));
    assert_eq!(round_ending(dec!("12.95"), Ending::X95), dec!("12.95"));
    assert_eq!(round_ending(dec!("12.01"), Ending::X99), dec!("12.99"));
    assert_eq!(round_ending(dec!("12.01"), Ending::X00), dec!("13.00"));
    assert_eq!(round_ending(dec!("12.005"), Ending::Cent), dec!("12.00"));
}

#[test]
fn price_is_raised_to_the_minimum_margin_over_cost() {
    let rule = PriceRule {
        min_margin_percent: Some(dec!("50")),
        ending: Ending::X99,
        ..PriceRule::default()
    };
    // cost 8.00 * 1.5 = 12.00 excl. VAT, * 1.09 = 13.08 incl. -> 13.99
    assert_eq!(
        rule.apply(dec!("10.00"), Some(dec!("8.00")), VatRate::Reduced),
        dec!("13.99")
    );
    // Without a known cost the margin cannot be checked and the price stays.
    assert_eq!(
        rule.apply(dec!("10.00"), None, VatRate::Reduced),
        dec!("10.99")
    );
}

#[test]
fn stock_rule_keeps_the_buffer_back_shares_and_caps() {
    let rule = StockRule {
        buffer: 2,
        max: Some(3),
        share: Some(dec!("0.5")),
    };
    assert_eq!(rule.apply(10), 3);
    assert_eq!(
        StockRule {
            max: None,
            ..rule.clone()
        }
        .apply(10),
        4
    );
    // Half of 7 is 3.5: never offer the half unit.
    assert_eq!(
        StockRule {
            max: None,
            ..rule.clone()
        }
        .apply(9),
        3
    );
    assert_eq!(rule.apply(1), 0);
    assert_eq!(rule.apply(-4), 0);
}

#[test]
fn a_new_listing_is_created_with_channel_price_stock_and_language() {
    let s = shop(1);
    s.store
        .write(|tx| {
            kanaal_core::publish::rules::save(
                tx,
                s.channel,
                &ChannelRules {
                    price: PriceRule {
                        markup_percent: dec!("15"),
                        ending: Ending::X95,
                        ..PriceRule::default()
                    },
                    stock: StockRule {
                        buffer: 1,
                        max: None,
                        share: None,
                    },
                },
            )
        })
        .unwrap();
    let p = s.plan(&Limits::default());
    let l = &p.listings[0];
    assert_eq!(l.action, Action::Create);
    let r = l.rendered.as_ref().unwrap();
    assert_eq!(r.title, "Koffie 0");
    assert_eq!(r.options, vec!["Gewicht"]);
    // 10.00 * 1.15 = 11.50 -> 11.95; 11.00 * 1.15 = 12.65 -> 12.95
    assert_eq!(r.variants[0].price, dec!("11.95"));
    assert_eq!(r.variants[1].price, dec!("12.95"));
    assert_eq!(r.variants[0].stock, 9);
    assert!(l
        .changes
        .iter()
        .any(|c| c.field == "title" && c.old.is_none()));

    // An English channel gets the English words; an override wins over the catalog.
    s.sql(
        "UPDATE channels SET settings = '{\"language\":\"en\"}' WHERE id = ?1",
        [s.channel.0],
    );
    s.sql(
        "UPDATE listings SET overrides = '{\"description\":\"Only here\",\"price\":\"9.5\"}'",
        [],
    );
    let r = s.plan(&Limits::default()).listings[0]
        .rendered
        .clone()
        .unwrap();
    assert_eq!(
        (r.title.as_str(), r.description.as_str()),
        ("Coffee 0", "Only here")
    );
    assert_eq!(r.options, vec!["Weight"]);
    assert_eq!(r.variants[1].price, dec!("9.50"));
}

#[test]
fn limits_block_only_the_listing_that_breaks_them() {
    let s = shop(2);
    s.edit_title(s.products[1], "Een veel te lange titel voor dit kanaal");
    let limits = Limits {
        max_title_chars: Some(20),
        require_gtin: true,
        ..Limits::default()
    };
    let p = s.plan(&limits);
    // Both lack an EAN on variant 1; only product 1 also has a long title.
    assert!(p.listings.iter().all(|l| l
        .problems
        .iter()
        .any(|x| x.field == "variants[P0-V1].gtin" || x.field == "variants[P1-V1].gtin")));
    assert!(p.listings[1].problems.iter().any(|x| x.field == "title"));
    assert!(!p.listings[0].problems.iter().any(|x| x.field == "title"));
    let done = s.store.write(|tx| confirm(tx, &p, "b", now())).unwrap();
    assert_eq!((done.queued, done.blocked), (0, 2));

    s.sql(
        "UPDATE variants SET gtin = '8700000000999' WHERE sku = 'P0-V1'",
        [],
    );
    s.sql(
        "UPDATE variants SET gtin = '8700000000998' WHERE sku = 'P1-V1'",
        [],
    );
    let p = s.plan(&limits);
    assert!(!p.listings[0].blocked());
    assert!(p.listings[1].blocked());
    let done = s.store.write(|tx| confirm(tx, &p, "b", now())).unwrap();
    assert_eq!((done.queued, done.blocked), (1, 1));
}

#[test]
fn after_a_confirmed_send_the_listing_is_in_sync() {
    let s = shop(2);
    s.publish(&Limits::default());
    let p = s.plan(&Limits::default());
    assert!(
        p.listings.iter().all(|l| l.action == Action::Nothing),
        "{p:#?}"
    );
    let (state, remote, counter): (String, String, i64) = s
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT l.state, l.remote_id, l.change_counter + p.change_counter
                   + (SELECT SUM(change_counter) FROM variants v WHERE v.product_id = p.id)
                 FROM listings l JOIN products p ON p.id = l.product_id WHERE l.id = ?1",
                [s.listings[0].0],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (state.as_str(), remote.starts_with("remote-"), counter),
        ("live", true, 0)
    );

    // A price change on one variant is an update of exactly that field.
    s.sql("UPDATE variants SET price = '12.00', change_counter = change_counter + 1 WHERE sku = 'P1-V0'", []);
    let p = s.plan(&Limits::default());
    assert_eq!(p.listings[0].action, Action::Nothing);
    assert_eq!(p.listings[1].action, Action::Update);
    let fields: Vec<_> = p.listings[1]
        .changes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(fields, vec!["variants[P1-V0].price"]);
    assert_eq!(
        p.listings[1].changes[0].old,
        Some(serde_json::json!("10.00"))
    );
    assert_eq!(
        p.listings[1].changes[0].new,
        Some(serde_json::json!("12.00"))
    );
}

#[test]
fn an_edit_made_during_upload_is_sent_next_time() {
    let s = shop(1);
    let p = s.plan(&Limits::default());
    s.store.write(|tx| confirm(tx, &p, "b1", now())).unwrap();
    // The worker is sending; meanwhile the merchant edits the title.
    s.edit_title(s.products[0], "Koffie nieuw");
    s.succeed_all();
    let counter: i64 = s
        .store
        .read(|tx| kanaal_core::publish::render::current_counter(tx, s.listings[0]))
        .unwrap();
    assert_eq!(
        counter, 1,
        "the edit made during the upload is still counted"
    );
    let p = s.plan(&Limits::default());
    assert_eq!(p.listings[0].action, Action::Update);
    let c = &p.listings[0].changes;
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].old.clone(), c[0].new.clone()),
        (
            Some(serde_json::json!("Koffie 0")),
            Some(serde_json::json!("Koffie nieuw"))
        )
    );
    s.store.write(|tx| confirm(tx, &p, "b2", now())).unwrap();
    s.succeed_all();
    assert_eq!(
        s.plan(&Limits::default()).listings[0].action,
        Action::Nothing
    );
}

#[test]
fn success_reported_twice_subtracts_once() {
    let s = shop(1);
    let p = s.plan(&Limits::default());
    s.store.write(|tx| confirm(tx, &p, "b1", now())).unwrap();
    let id = s.queued()[0];
    s.edit_title(s.products[0], "Koffie nieuw");
    for _ in 0..2 {
        s.store
            .write(|tx| after_success(tx, id, None, now()))
            .unwrap();
    }
    let counter: i64 = s
        .store
        .read(|tx| kanaal_core::publish::render::current_counter(tx, s.listings[0]))
        .unwrap();
    assert_eq!(counter, 1);
}

#[test]
fn confirming_the_same_plan_twice_queues_it_once_and_a_stale_plan_is_refused() {
    let s = shop(2);
    let p = s.plan(&Limits::default());
    let first = s.store.write(|tx| confirm(tx, &p, "b1", now())).unwrap();
    let second = s.store.write(|tx| confirm(tx, &p, "b2", now())).unwrap();
    assert_eq!(
        (first.queued, second.queued, second.already_queued),
        (2, 0, 2)
    );
    let (rows, keys): (i64, i64) = s
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*), count(DISTINCT idempotency_key) FROM outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((rows, keys), (2, 2));

    let s = shop(2);
    let p = s.plan(&Limits::default());
    s.edit_title(s.products[1], "Later");
    let err = s
        .store
        .write(|tx| confirm(tx, &p, "b1", now()))
        .unwrap_err();
    assert!(err.to_string().contains("preview again"), "{err}");
    assert!(s.queued().is_empty(), "a refused confirm writes nothing");
}

#[test]
fn a_listing_taken_off_the_channel_is_unpublished_once() {
    let s = shop(2);
    s.publish(&Limits::default());
    s.sql(
        "UPDATE listings SET state = 'unpublished' WHERE id = ?1",
        [s.listings[0].0],
    );
    s.sql(
        "UPDATE products SET status = 'archived' WHERE id = ?1",
        [s.products[1].0],
    );
    let p = s.plan(&Limits::default());
    assert!(p.listings.iter().all(|l| l.action == Action::Unpublish));
    s.store.write(|tx| confirm(tx, &p, "b", now())).unwrap();
    s.succeed_all();
    let p = s.plan(&Limits::default());
    assert!(p.listings.iter().all(|l| l.action == Action::Nothing));
    // Without a mirror a never-published, unwanted listing needs nothing.
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn plans_are_deterministic_and_edits_touch_only_their_listings(
        edited in proptest::collection::btree_set(0usize..6, 0..4),
        stock_edit in proptest::option::of(0usize..6),
    ) {
        let s = shop(6);
        s.publish(&Limits::default());
        let base = s.plan(&Limits::default());
        prop_assert_eq!(&base, &s.plan(&Limits::default()));
        prop_assert!(base.listings.iter().all(|l| l.action == Action::Nothing));
        for i in &edited {
            s.edit_title(s.products[*i], &format!("Nieuw {i}"));
        }
        if let Some(i) = stock_edit {
            s.sql("UPDATE stock SET quantity = 3 WHERE variant_id IN (SELECT id FROM variants WHERE product_id = ?1)", [s.products[i].0]);
        }
        let p = s.plan(&Limits::default());
        prop_assert_eq!(&p, &s.plan(&Limits::default()));
        for (i, l) in p.listings.iter().enumerate() {
            let touched = edited.contains(&i) || stock_edit == Some(i);
            prop_assert_eq!(l.action == Action::Update, touched, "listing {}", i);
            prop_assert_eq!(
                l.changes.iter().any(|c| c.field == "title"),
                edited.contains(&i)
            );
        }
    }
}

/// One thing that happens to a shop between two plans.
#[derive(Debug, Clone)]
enum Step {
    /// The merchant edits a product's title.
    Title(usize),
    /// An order or a count moves stock without touching the catalog's counters.
    Stock(usize, i64),
    /// The channel's price and stock rules change.
    Rules(u8),
    /// A title and price set for this channel only.
    Override(usize),
    /// The merchant takes a listing off the channel.
    TakeOff(usize),
    /// The product's category is mapped to another category of the channel.
    Mapping(u8),
    /// A publish whose sends all succeed, or only the first `n` of them.
    Publish(Option<usize>),
    /// Another writer changes a mirror (a read-back or an adopted drift).
    MirrorWritten(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..4).prop_map(Step::Title),
        (0usize..4, 0i64..30).prop_map(|(i, q)| Step::Stock(i, q)),
        (0u8..4).prop_map(Step::Rules),
        (0usize..4).prop_map(Step::Override),
        (0usize..4).prop_map(Step::TakeOff),
        (0u8..3).prop_map(Step::Mapping),
        proptest::option::of(0usize..3).prop_map(Step::Publish),
        (0usize..4).prop_map(Step::MirrorWritten),
    ]
}

impl Shop {
    fn apply(&self, step: &Step, limits: &Limits) {
        match step {
            Step::Title(i) => self.edit_title(self.products[*i], &format!("Nieuw {i}")),
            Step::Stock(i, q) => self.sql(
                "UPDATE stock SET quantity = ?2 WHERE variant_id = (SELECT MIN(id) FROM variants WHERE product_id = ?1)",
                rusqlite::params![self.products[*i].0, q],
            ),
            Step::Rules(k) => {
                let rules = ChannelRules {
                    price: PriceRule {
                        markup_percent: Decimal::from(5 * i64::from(*k)),
                        ending: if k % 2 == 0 { Ending::Cent } else { Ending::X95 },
                        ..PriceRule::default()
                    },
                    stock: StockRule {
                        buffer: i64::from(*k),
                        max: (*k == 3).then_some(5),
                        share: None,
                    },
                };
                self.store
                    .write(|tx| kanaal_core::publish::rules::save(tx, self.channel, &rules))
                    .unwrap();
            }
            Step::Override(i) => self.sql(
                "UPDATE listings SET overrides = '{\"title\":\"Alleen hier\",\"price\":\"19.99\"}',
                        change_counter = change_counter + 1 WHERE id = ?1",
                [self.listings[*i].0],
            ),
            Step::TakeOff(i) => self.sql(
                "UPDATE listings SET state = 'unpublished', change_counter = change_counter + 1 WHERE id = ?1",
                [self.listings[*i].0],
            ),
            Step::Mapping(k) => self.sql(
                "INSERT INTO channel_category_mappings (channel_id, category_id, remote_category_id)
                 VALUES (?1, 1, ?2)
                 ON CONFLICT (channel_id, category_id) DO UPDATE SET remote_category_id = excluded.remote_category_id",
                rusqlite::params![self.channel.0, format!("cat-{k}")],
            ),
            Step::Publish(only) => {
                let p = self.plan(limits);
                self.store
                    .write(|tx| confirm(tx, &p, "batch", now()))
                    .unwrap();
                for (n, id) in self.queued().into_iter().enumerate() {
                    if only.is_none_or(|only| n < only) {
                        self.store
                            .write(|tx| after_success(tx, id, Some(&format!("remote-{id}")), now()))
                            .unwrap();
                    }
                }
            }
            Step::MirrorWritten(i) => self.sql(
                "UPDATE listing_mirror SET payload = json_set(payload, '$.title', 'Van het kanaal')
                 WHERE listing_id = ?1",
                [self.listings[*i].0],
            ),
        }
    }

    /// The plan by the straightforward path: every mirror parsed and diffed field by field.
    fn full_plan(&self, limits: &Limits) -> Plan {
        let mut p = self
            .store
            .read(|tx| {
                Ok(kanaal_core::publish::plan::plan_input(
                    &kanaal_core::publish::render::load(tx, self.channel)?,
                    limits,
                ))
            })
            .unwrap();
        self.store
            .read(|tx| kanaal_core::drift::hold(tx, &mut p))
            .unwrap();
        p
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever happened since (edits, stock moves, rule and mapping changes, overrides,
    /// listings taken off, partial publishes, mirrors rewritten by others), the plan with its
    /// shortcuts (mirror digests, the typed text comparison) is exactly the plan of the full
    /// comparison, under any limits.
    #[test]
    fn the_planner_with_its_shortcuts_equals_the_full_diff(
        steps in proptest::collection::vec(step(), 1..10),
        max_stock in proptest::option::of(0u32..12),
    ) {
        let s = shop(4);
        s.sql("INSERT INTO categories (id, name_nl, name_en) VALUES (1, 'Koffie', 'Coffee')", []);
        s.sql("UPDATE products SET category_id = 1, change_counter = change_counter + 1", []);
        let limits = Limits { max_stock, ..Limits::default() };
        s.apply(&Step::Publish(None), &limits);
        let digests: i64 = s.store.read(|tx| Ok(tx.query_row(
            "SELECT COUNT(*) FROM listing_mirror WHERE compared_digest IS NOT NULL", [], |r| r.get(0))?)).unwrap();
        prop_assert_eq!(digests, 4, "a confirmed send leaves its mirror with a digest");
        prop_assert!(s.plan(&limits).listings.iter().all(|l| l.action == Action::Nothing));
        for step in &steps {
            s.apply(step, &limits);
            for l in [&limits, &Limits::default()] {
                let full = s.full_plan(l);
                prop_assert_eq!(&s.plan(l), &full, "after {:?}", step);
                // Read on two connections at once: the same plan.
                let split = kanaal_core::publish::plan_in(&s.store, s.channel, l).unwrap();
                prop_assert_eq!(&split, &full, "split, after {:?}", step);
            }
        }
    }
}
