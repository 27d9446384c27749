#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Customer overlap over a real store: persons resolved from the `customers` table and written
//! back as keyed hashes, the overlap report from stored persons and orders, and erasure.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kanaal_core::store::Store;
use kanaal_insights::overlap::store::{
    erase_customer, overlap_report, resolve_persons, unresolved_customers,
};
use kanaal_insights::overlap::{self, report, synth, CustomerRecord, MatchConfig, MatchKey};
use rusqlite::params;
use std::collections::HashMap;

fn key() -> MatchKey {
    MatchKey::from_bytes(&[42u8; 32]).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// A store with one channel per name in `channels` (kind = name; the webshop is Shopify).
fn store_with_channels(channels: &[&str]) -> (tempfile::TempDir, Store, HashMap<String, i64>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut ids = HashMap::new();
    store
        .write(|tx| {
            for c in channels {
                let (kind, name) = if *c == "webshop" { ("shopify", "Webshop") } else { (*c, *c) };
                tx.execute(
                    "INSERT INTO channels (kind, name, created_at) VALUES (?1, ?2, '2026-01-01T00:00:00Z')",
                    params![kind, name],
                )?;
                ids.insert(c.to_string(), tx.last_insert_rowid());
            }
            Ok(())
        })
        .unwrap();
    (dir, store, ids)
}

fn insert_customer(tx: &rusqlite::Transaction<'_>, channel: i64, r: &CustomerRecord) -> i64 {
    tx.execute(
        "INSERT INTO customers (channel_id, remote_id, name, email, phone, postcode, house_number, city, country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![channel, r.id, r.name, r.email, r.phone, r.postcode, r.house_number, r.city, r.country],
    )
    .unwrap();
    tx.last_insert_rowid()
}

fn insert_order(
    tx: &rusqlite::Transaction<'_>,
    channel: i64,
    remote: &str,
    customer: i64,
    at: DateTime<Utc>,
    total: &str,
    raw: &str,
) -> i64 {
    tx.execute(
        "INSERT INTO orders (channel_id, remote_id, status, placed_at, updated_at, total, customer_id, raw)
         VALUES (?1, ?2, 'shipped', ?3, ?3, ?4, ?5, ?6)",
        params![channel, remote, at.to_rfc3339(), total, customer, raw],
    )
    .unwrap();
    tx.last_insert_rowid()
}

fn rec(
    channel: &str,
    id: &str,
    name: &str,
    email: &str,
    phone: &str,
    hn: &str,
    pc: &str,
) -> CustomerRecord {
    CustomerRecord {
        channel: channel.into(),
        id: id.into(),
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
        house_number: hn.into(),
        postcode: pc.into(),
        city: "Den Haag".into(),
        country: "NL".into(),
        ..CustomerRecord::default()
    }
}

/// Jan on three channels, Fatima on two, Jan's housemate Anna on Etsy; each has an order,
/// Jan's first on bol.com and later ones in the webshop.
fn small_shop() -> (tempfile::TempDir, Store, Vec<i64>) {
    let (dir, store, ch) = store_with_channels(&["webshop", "bol", "etsy"]);
    let records = [
        rec(
            "webshop",
            "w1",
            "Jan de Vries",
            "jan.devries@ziggo.nl",
            "0612345678",
            "7",
            "2511CV",
        ),
        rec(
            "bol",
            "b1",
            "J. de Vries",
            "x1y2z3@verkopen.bol.com",
            "",
            "7",
            "2511 CV",
        ),
        rec("etsy", "e1", "Jan de Vries", "", "", "7", "2511cv"),
        rec(
            "webshop",
            "w2",
            "Fatima El Amrani",
            "fatima.elamrani@gmail.com",
            "0698765432",
            "3",
            "1012AB",
        ),
        rec(
            "bol",
            "b2",
            "Fatima el Amrani",
            "q9w8e7@verkopen.bol.com",
            "",
            "3",
            "1012 AB",
        ),
        rec("etsy", "e2", "Anna de Vries", "", "", "7", "2511 CV"),
    ];
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
    let ids = store
        .write(|tx| {
            let ids: Vec<i64> = records.iter().map(|r| insert_customer(tx, ch[&r.channel], r)).collect();
            let bol_raw = r#"{"orderId":"B-1","shipmentDetails":{"firstName":"Jan","surname":"de Vries","streetName":"Kerkstraat","houseNumber":"7","zipCode":"2511CV","city":"Den Haag","email":"x1y2z3@verkopen.bol.com"},"orderItems":[{"title":"Linen apron","unitPrice":29.99}]}"#;
            insert_order(tx, ch["bol"], "B-1", ids[1], t0, "29.99", bol_raw);
            let shop_raw = r##"{"name":"#1001","email":"jan.devries@ziggo.nl","total_price":"45.00","customer":{"first_name":"Jan","last_name":"de Vries"},"shipping_address":{"address1":"Kerkstraat 7","zip":"2511 CV","city":"Den Haag","country_code":"NL"},"line_items":[{"name":"Coffee beans","price":"22.50"}]}"##;
            let w1 = insert_order(tx, ch["webshop"], "1001", ids[0], t0 + Duration::days(30), "45.00", shop_raw);
            insert_order(tx, ch["webshop"], "1002", ids[0], t0 + Duration::days(60), "22.50", "not json: Jan de Vries, Kerkstraat 7");
            insert_order(tx, ch["webshop"], "1003", ids[3], t0, "12.00", r#"{"email":"fatima.elamrani@gmail.com"}"#);
            insert_order(tx, ch["etsy"], "E-1", ids[5], t0, "18.00", r#"{"buyer_name":"Anna de Vries"}"#);
            tx.execute(
                "INSERT INTO reviews (channel_id, remote_id, order_id, rating, body, author, created_at) VALUES
                   (?1, 'r1', ?2, 5, 'Heerlijke koffie', 'Jan de Vries', '2026-04-02T10:00:00Z'),
                   (?3, 'r2', NULL, 4, 'Mooie schort', 'j. de vries', '2026-03-05T10:00:00Z'),
                   (?3, 'r3', NULL, 5, 'Prima', 'Fatima', '2026-03-06T10:00:00Z')",
                params![ch["webshop"], w1, ch["bol"]],
            )?;
            Ok(ids)
        })
        .unwrap();
    (dir, store, ids)
}

fn persons(store: &Store) -> Vec<Option<i64>> {
    store
        .read(|tx| {
            let mut st = tx.prepare("SELECT person_id FROM customers ORDER BY id")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap()
}

#[test]
fn persons_resolved_from_the_store_are_written_back_as_keyed_hashes_only() {
    let (_dir, store, _) = small_shop();
    assert_eq!(store.read(unresolved_customers).unwrap(), 6);
    let r = store
        .write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now()))
        .unwrap();
    assert_eq!(
        (r.customers, r.persons),
        (6, 3),
        "Jan, Fatima and Anna: {r:?}"
    );
    assert!(r.from_priors.u, "six customers: the priors stand in for EM");
    let p = persons(&store);
    assert!(p.iter().all(Option::is_some), "every customer has a person");
    assert_eq!(p[0], p[1]);
    assert_eq!(p[0], p[2]);
    assert_eq!(p[3], p[4]);
    assert_ne!(p[5], p[0], "housemates stay two people in the store too");
    let keys: Vec<String> = store
        .read(|tx| {
            let mut st = tx.prepare("SELECT match_keys FROM customers ORDER BY id")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    let first: serde_json::Value = serde_json::from_str(&keys[0]).unwrap();
    assert!(
        first.get("email").is_some() && first.get("phone").is_some(),
        "{first}"
    );
    for k in &keys {
        let lower = k.to_lowercase();
        for raw in [
            "@",
            "vries",
            "jan",
            "2511",
            "0612345678",
            "+31",
            "fatima",
            "haag",
        ] {
            assert!(
                !lower.contains(raw),
                "match keys hold no raw identifier ({raw}): {k}"
            );
        }
    }
    let bol: serde_json::Value = serde_json::from_str(&keys[1]).unwrap();
    assert!(
        bol.get("relay_email").is_some() && bol.get("email").is_none(),
        "a relay alias is marked as one: {bol}"
    );

    let again = store
        .write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now()))
        .unwrap();
    assert_eq!(again.changed, 0, "a second run keeps every person id");
    assert_eq!(persons(&store), p);
    let stored: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(stored, 3, "one persons row per person, none left over");
}

#[test]
fn erasing_a_customer_removes_the_person_everywhere_and_keeps_the_books() {
    let (_dir, store, ids) = small_shop();
    store
        .write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now()))
        .unwrap();
    let totals_before: Vec<String> = store
        .read(|tx| {
            let mut st = tx.prepare("SELECT total FROM orders ORDER BY id")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    let e = store.write(|tx| erase_customer(tx, ids[1], now())).unwrap();
    assert_eq!(e.customers, 3, "Jan's rows on all three channels: {e:?}");
    assert_eq!(e.orders, 3, "Jan's bol.com order and two webshop orders");
    assert_eq!(
        e.reviews, 2,
        "the review on his order and the one under his name on bol.com"
    );

    let dump: String = store
        .read(|tx| {
            let mut s = String::new();
            for sql in [
                "SELECT coalesce(remote_id,'')||coalesce(name,'')||coalesce(email,'')||coalesce(phone,'')||coalesce(postcode,'')||coalesce(house_number,'')||coalesce(city,'')||match_keys FROM customers WHERE id IN (?1, ?2, ?3)",
                "SELECT raw FROM orders WHERE customer_id IN (?1, ?2, ?3)",
                "SELECT coalesce(author,'') FROM reviews WHERE remote_id IN ('r1','r2') AND ?1 + ?2 + ?3 > 0",
            ] {
                let mut st = tx.prepare(sql)?;
                let rows = st.query_map(params![ids[0], ids[1], ids[2]], |r| r.get::<_, String>(0))?;
                for r in rows {
                    s.push_str(&r?);
                    s.push('\n');
                }
            }
            Ok(s)
        })
        .unwrap()
        .to_lowercase();
    for pii in [
        "jan",
        "vries",
        "ziggo",
        "0612345678",
        "kerkstraat",
        "2511",
        "haag",
        "x1y2z3",
        "w1",
        "b1",
    ] {
        assert!(!dump.contains(pii), "'{pii}' is erased:\n{dump}");
    }
    assert!(
        dump.contains("linen apron") && dump.contains("coffee beans"),
        "what was bought stays:\n{dump}"
    );
    let totals_after: Vec<String> = store
        .read(|tx| {
            let mut st = tx.prepare("SELECT total FROM orders ORDER BY id")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    assert_eq!(
        totals_after, totals_before,
        "order amounts stay for the books"
    );

    let (fatima, anna, fatima_review): (String, String, String) = store
        .read(|tx| {
            Ok((
                tx.query_row("SELECT name FROM customers WHERE id = ?1", [ids[3]], |r| {
                    r.get(0)
                })?,
                tx.query_row(
                    "SELECT raw FROM orders WHERE customer_id = ?1",
                    [ids[5]],
                    |r| r.get(0),
                )?,
                tx.query_row(
                    "SELECT author FROM reviews WHERE remote_id = 'r3'",
                    [],
                    |r| r.get(0),
                )?,
            ))
        })
        .unwrap();
    assert_eq!(fatima, "Fatima El Amrani", "other customers are untouched");
    assert!(
        anna.contains("Anna de Vries"),
        "the housemate is not erased with Jan"
    );
    assert_eq!(fatima_review, "Fatima");
    let audit: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM audit_log WHERE source = 'erasure' AND old_value IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(
        audit, 3,
        "the erasure is recorded, without the erased values"
    );
    let persons_left: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM persons", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(persons_left, 2);
    let err = store
        .write(|tx| erase_customer(tx, 9999, now()))
        .unwrap_err();
    assert!(err.to_string().contains("9999"), "{err}");
}

#[test]
fn the_overlap_report_of_the_small_shop_counts_people_not_records() {
    let (_dir, store, _) = small_shop();
    store
        .write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now()))
        .unwrap();
    let r = store.read(overlap_report).unwrap();
    assert_eq!(r.persons, 3);
    assert_eq!(r.channels, ["Webshop", "bol", "etsy"]);
    let (web, bol, etsy) = (0, 1, 2);
    assert_eq!(r.matrix[web][web], 2, "Jan and Fatima in the webshop");
    assert_eq!(r.matrix[bol][web], 2, "both also on bol.com");
    assert_eq!(r.matrix[etsy][etsy], 2, "Jan and Anna on Etsy");
    assert_eq!(r.matrix[etsy][web], 1);
    let etsy_reach = r.reach.iter().find(|x| x.channel == "etsy").unwrap();
    assert_eq!(
        etsy_reach.only_here, 1,
        "Anna is the one person only Etsy brought"
    );
    assert_eq!(
        r.movement,
        vec![report::Movement {
            from: "bol".into(),
            to: "Webshop".into(),
            persons: 1
        }],
        "Jan's first order was on bol.com, his later ones in the webshop"
    );
    let web_repeat = r.repeat.iter().find(|x| x.channel == "Webshop").unwrap();
    assert_eq!(
        (web_repeat.persons_with_orders, web_repeat.repeat_persons),
        (2, 1)
    );
}

/// The synthetic shop's records as customers, each with one to three orders: the report from
/// the store is the report of the same matching done in memory, and reach and matrix agree.
#[test]
fn the_overlap_report_over_the_synthetic_shop_matches_the_in_memory_matching() {
    let s = synth::generate(21, 400);
    let names: Vec<String> = {
        let mut v: Vec<String> = s.records.iter().map(|r| r.channel.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let (_dir, store, ch) = store_with_channels(&refs);
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    store
        .write(|tx| {
            for (i, r) in s.records.iter().enumerate() {
                let c = insert_customer(tx, ch[&r.channel], r);
                for k in 0..(1 + i % 3) {
                    let at = t0 + Duration::hours((i * 7 + k * 500) as i64);
                    insert_order(
                        tx,
                        ch[&r.channel],
                        &format!("{}-{k}", r.id),
                        c,
                        at,
                        "10.00",
                        "{}",
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    store
        .write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now()))
        .unwrap();
    let from_store = store.read(overlap_report).unwrap();

    // The same matching in memory (channel kind as the matcher sees it, name in the report).
    let mut records = s.records.clone();
    for r in &mut records {
        if r.channel == "webshop" {
            r.channel = "shopify".into();
        }
    }
    let m = overlap::match_records(&records, &key(), &MatchConfig::default());
    let label = |c: &str| {
        if c == "webshop" {
            "Webshop".to_string()
        } else {
            c.to_string()
        }
    };
    let memberships: Vec<report::Membership> = s
        .records
        .iter()
        .zip(&m.person)
        .map(|(r, &p)| report::Membership {
            channel: label(&r.channel),
            person: p,
        })
        .collect();
    let mut orders = Vec::new();
    for (i, (r, &p)) in s.records.iter().zip(&m.person).enumerate() {
        for k in 0..(1 + i % 3) {
            orders.push(report::PersonOrder {
                channel: label(&r.channel),
                person: p,
                placed_at: t0 + Duration::hours((i * 7 + k * 500) as i64),
            });
        }
    }
    let in_memory = report::build(&memberships, &orders);
    assert_eq!(
        from_store, in_memory,
        "the store's report is the matching's report"
    );
    assert!(
        from_store.persons < s.records.len() as u64,
        "some customers use several channels"
    );
    assert!(
        !from_store.movement.is_empty(),
        "some people moved between channels"
    );
    for (i, reach) in from_store.reach.iter().enumerate() {
        assert_eq!(reach.persons, from_store.matrix[i][i]);
        assert!(reach.only_here <= reach.persons);
    }
}

/// The groups of customer row numbers that share a person.
fn partition<T: Copy + Eq + std::hash::Hash>(
    person: &[T],
) -> std::collections::BTreeSet<Vec<usize>> {
    let mut by: HashMap<T, Vec<usize>> = HashMap::new();
    for (i, p) in person.iter().enumerate() {
        by.entry(*p).or_default().push(i);
    }
    by.into_values().collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, ..Default::default() })]

    /// For any shop: the persons written to the store are the matcher's persons, and resolving
    /// again (nothing changed) keeps every person id.
    #[test]
    fn stored_persons_are_the_matchers_and_stable(seed in 0u64..10_000) {
        let s = synth::generate(seed, 80);
        let mut names: Vec<String> = s.records.iter().map(|r| r.channel.clone()).collect();
        names.sort();
        names.dedup();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (_dir, store, ch) = store_with_channels(&refs);
        store.write(|tx| {
            for r in &s.records {
                insert_customer(tx, ch[&r.channel], r);
            }
            Ok(())
        }).unwrap();
        store.write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now())).unwrap();
        let stored: Vec<i64> = persons(&store).into_iter().map(Option::unwrap).collect();
        let mut records = s.records.clone();
        for r in &mut records {
            if r.channel == "webshop" {
                r.channel = "shopify".into();
            }
        }
        let m = overlap::match_records(&records, &key(), &MatchConfig::default());
        proptest::prop_assert_eq!(partition(&stored), partition(&m.person));
        let again = store.write(|tx| resolve_persons(tx, &key(), &MatchConfig::default(), now())).unwrap();
        proptest::prop_assert_eq!(again.changed, 0);
        let after: Vec<i64> = persons(&store).into_iter().map(Option::unwrap).collect();
        proptest::prop_assert_eq!(after, stored);
    }
}
