#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The order inbox read side: filters, detail with masked customer fields, fees and deadlines,
//! and queueing "mark shipped"; plus following and stopping a publish batch.

use chrono::{DateTime, TimeZone, Utc};
use kanaal_core::failure::StoredFailure;
use kanaal_core::ids::{ChannelId, OrderId};
use kanaal_core::orders::{self, shipping, Deadline, OrderQuery};
use kanaal_core::publish::batch;
use kanaal_core::store::Store;
use rusqlite::params;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

struct Shop {
    _dir: tempfile::TempDir,
    store: Store,
    bol: ChannelId,
    web: ChannelId,
}

/// Two channels, one known variant (SKU KOF-1), and four orders:
/// - bol 1001: open, ship by in 5 hours, masked customer, line with known SKU, fees reported
/// - bol 1002: open, ship by yesterday (overdue), line with an unknown SKU
/// - web 2001: shipped, full customer
/// - web 2002: open, no deadline
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (bol, web) = store
        .write(|tx| {
            let bol = kanaal_core::channels::add(tx, "bol", "bol.com", None, now())?;
            let web = kanaal_core::channels::add(tx, "shopify", "Webshop", None, now())?;
            tx.execute(
                "INSERT INTO products (id, handle, title_nl, title_en, status, created_at, updated_at)
                 VALUES (1, 'koffie', 'Koffiebonen', 'Coffee beans', 'active', 'x', 'x')",
                [],
            )?;
            tx.execute(
                "INSERT INTO variants (id, product_id, position, sku, price, created_at, updated_at)
                 VALUES (1, 1, 0, 'KOF-1', '12.50', 'x', 'x')",
                [],
            )?;
            tx.execute(
                "INSERT INTO customers (id, channel_id, remote_id, name, email, phone, postcode, house_number, city, country, masked_fields)
                 VALUES (1, ?1, 'c1', 'J. de Vries', '2xk9@verkopen.bol.com', NULL, '1012AB', '5', 'Amsterdam', 'NL', '[\"email\",\"phone\"]'),
                        (2, ?2, 'c2', 'Anna Jansen', 'anna@example.nl', '+31612345678', '3511AA', '12', 'Utrecht', 'NL', '[]')",
                params![bol.0, web.0],
            )?;
            let order = |id: i64, ch: ChannelId, remote: &str, status: &str, placed: &str, total: &str, fees: Option<&str>, customer: i64, ship_by: Option<&str>| {
                tx.execute(
                    "INSERT INTO orders (id, channel_id, remote_id, status, placed_at, updated_at, total, shipping, fees_reported, customer_id, ship_by, raw)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, '3.95', ?7, ?8, ?9, '{}')",
                    params![id, ch.0, remote, status, placed, total, fees, customer, ship_by],
                )
            };
            order(1, bol, "1001", "open", "2026-03-10T08:00:00Z", "28.95", Some("4.10"), 1, Some("2026-03-10T17:00:00Z"))?;
            order(2, bol, "1002", "open", "2026-03-08T08:00:00Z", "15.00", None, 1, Some("2026-03-09T23:59:00Z"))?;
            order(3, web, "2001", "shipped", "2026-03-07T08:00:00Z", "12.50", None, 2, None)?;
            order(4, web, "2002", "open", "2026-03-09T08:00:00Z", "12.50", None, 2, None)?;
            let line = |order: i64, no: i64, sku: &str, variant: Option<i64>, title: &str, qty: i64, price: &str, fee: Option<&str>| {
                tx.execute(
                    "INSERT INTO order_lines (order_id, line_no, sku, variant_id, title, quantity, unit_price, fee_reported)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![order, no, sku, variant, title, qty, price, fee],
                )
            };
            line(1, 1, "KOF-1", Some(1), "Koffiebonen 1 kg", 2, "12.50", Some("3.10"))?;
            line(2, 1, "ONBEKEND-7", None, "Theepot", 1, "15.00", None)?;
            line(3, 1, "KOF-1", Some(1), "Koffiebonen 1 kg", 1, "12.50", None)?;
            line(4, 1, "KOF-1", Some(1), "Koffiebonen 1 kg", 1, "12.50", None)?;
            Ok((bol, web))
        })
        .unwrap();
    Shop {
        _dir: dir,
        store,
        bol,
        web,
    }
}

fn ids(shop: &Shop, q: &OrderQuery) -> Vec<String> {
    shop.store
        .read(|tx| orders::list(tx, q, now()))
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.remote_id)
        .collect()
}

#[test]
fn the_inbox_lists_every_channel_newest_first() {
    let shop = shop();
    assert_eq!(
        ids(&shop, &OrderQuery::default()),
        ["1001", "2002", "1002", "2001"],
        "orders of both channels, newest first"
    );
}

#[test]
fn filters_narrow_by_channel_status_shipping_unknown_sku_and_search() {
    let shop = shop();
    let q = |f: fn(&mut OrderQuery)| {
        let mut q = OrderQuery::default();
        f(&mut q);
        q
    };
    let web = shop.web;
    assert_eq!(
        ids(
            &shop,
            &OrderQuery {
                channel: Some(web),
                ..OrderQuery::default()
            }
        ),
        ["2002", "2001"],
        "the channel filter keeps only that channel's orders"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.status = Some("Shipped".into()))),
        ["2001"],
        "the status filter ignores case"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.needs_shipping = true)),
        ["1001", "2002", "1002"],
        "open orders need shipping, shipped ones do not"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.unknown_sku = true)),
        ["1002"],
        "only the order with a SKU the catalog does not know"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.search = "theepot".into())),
        ["1002"],
        "search finds a line title"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.search = "JANSEN".into())),
        ["2002", "2001"],
        "search finds the customer's name in any case"
    );
    assert_eq!(
        ids(&shop, &q(|q| q.search = "%".into())),
        Vec::<String>::new(),
        "a % typed by the user is a character, not a wildcard"
    );
}

#[test]
fn the_page_counts_orders_to_ship_and_urgent_deadlines() {
    let shop = shop();
    let page = shop
        .store
        .read(|tx| {
            orders::list(
                tx,
                &OrderQuery {
                    limit: 1,
                    ..OrderQuery::default()
                },
                now(),
            )
        })
        .unwrap();
    assert_eq!(page.rows.len(), 1, "limit is one row");
    assert_eq!(page.total, 4, "total counts every matching order");
    assert_eq!(page.to_ship, 3, "three open orders");
    assert_eq!(page.urgent, 2, "one due within 24 hours, one overdue");
    let all = shop
        .store
        .read(|tx| orders::list(tx, &OrderQuery::default(), now()))
        .unwrap();
    let by = |id: &str| {
        all.rows
            .iter()
            .find(|r| r.remote_id == id)
            .unwrap()
            .deadline
    };
    assert_eq!(
        by("1001"),
        Deadline::DueSoon,
        "ship by in 5 hours is due soon"
    );
    assert_eq!(
        by("1002"),
        Deadline::Overdue,
        "ship by yesterday is overdue"
    );
    assert_eq!(by("2002"), Deadline::None, "no deadline from the channel");
    assert_eq!(
        by("2001"),
        Deadline::None,
        "a shipped order has no deadline left"
    );
}

#[test]
fn detail_shows_lines_fees_totals_and_which_customer_fields_the_channel_hides() {
    let shop = shop();
    let d = shop
        .store
        .read(|tx| orders::detail(tx, OrderId(1), now()))
        .unwrap();
    assert_eq!(d.row.channel, shop.bol);
    assert_eq!(d.lines.len(), 1);
    assert_eq!(
        d.lines[0].line_total.amount.to_string(),
        "25.00",
        "2 x 12.50"
    );
    assert!(!d.lines[0].unknown_sku, "KOF-1 is in the catalog");
    assert_eq!(d.lines_total.amount.to_string(), "25.00");
    assert_eq!(d.shipping.unwrap().amount.to_string(), "3.95");
    assert_eq!(d.total.amount.to_string(), "28.95");
    assert_eq!(
        d.fees_reported.unwrap().amount.to_string(),
        "4.10",
        "order fee as the channel reported it"
    );
    assert_eq!(
        d.line_fees.unwrap().amount.to_string(),
        "3.10",
        "sum of line fees"
    );
    let c = d.customer.unwrap();
    assert_eq!(
        c.hidden,
        ["email", "phone"],
        "bol hides the real e-mail and the phone"
    );
    assert_eq!(c.phone, None);
    assert_eq!(
        c.postcode.as_deref(),
        Some("1012AB"),
        "the address is shared"
    );

    let unknown = shop
        .store
        .read(|tx| orders::detail(tx, OrderId(2), now()))
        .unwrap();
    assert!(
        unknown.lines[0].unknown_sku,
        "the unknown SKU is flagged, not dropped"
    );
    assert_eq!(unknown.lines[0].sku.as_deref(), Some("ONBEKEND-7"));
    assert_eq!(
        unknown.fees_reported, None,
        "no fee reported means none, not zero"
    );

    let missing = shop.store.read(|tx| orders::detail(tx, OrderId(99), now()));
    assert!(
        matches!(missing, Err(kanaal_core::Error::NotFound(_))),
        "an unknown order is not found"
    );
}

#[test]
fn mark_shipped_is_validated_and_queued_once() {
    let shop = shop();
    let ship = |order: i64, carrier: &str, tracking: &str| {
        shop.store
            .write(|tx| shipping::queue_shipment(tx, OrderId(order), carrier, tracking, now()))
    };
    assert!(
        ship(1, "pigeon", "3SABCD1234567").is_err(),
        "unknown carrier refused"
    );
    assert!(
        ship(1, "postnl", "").is_err(),
        "empty tracking code refused"
    );
    assert!(
        ship(1, "postnl", "3S AB").is_err(),
        "too short a tracking code refused"
    );
    assert!(
        ship(1, "postnl", "3S#AB1234").is_err(),
        "odd characters refused"
    );
    assert!(
        ship(3, "postnl", "3SABCD1234567").is_err(),
        "a shipped order cannot be shipped again"
    );
    ship(1, "PostNL", "3S-ABCD 1234567").unwrap();
    assert!(
        ship(1, "dhl", "JVGL0123456789").is_err(),
        "a second shipment while the first is waiting is refused"
    );

    let d = shop
        .store
        .read(|tx| orders::detail(tx, OrderId(1), now()))
        .unwrap();
    assert_eq!(d.shipments.len(), 1);
    assert_eq!(d.shipments[0].carrier, "postnl");
    assert_eq!(
        d.shipments[0].tracking, "3SABCD1234567",
        "spaces and dashes dropped, upper case"
    );
    assert_eq!(d.shipments[0].state, "queued");
    assert!(
        d.row.shipment_pending && !d.row.needs_shipping,
        "a queued shipment takes the order off the to-ship list"
    );
    assert_eq!(
        ids(
            &shop,
            &OrderQuery {
                needs_shipping: true,
                ..OrderQuery::default()
            }
        ),
        ["2002", "1002"],
        "the order waiting for its shipment to be sent no longer needs shipping"
    );
    let payload: String = shop
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT payload FROM outbox WHERE operation = 'ship'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let p: shipping::ShipPayload = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        p.order_remote_id, "1001",
        "the worker gets the channel's order number"
    );
}

#[test]
fn a_publish_batch_reports_per_channel_and_cancel_stops_only_queued_rows() {
    let shop = shop();
    shop.store
        .write(|tx| {
            assert_eq!(batch::list_all_active(tx, shop.bol, true)?, 1, "one variant listed on bol");
            assert_eq!(batch::list_all_active(tx, shop.bol, true)?, 0, "never twice");
            batch::list_all_active(tx, shop.web, false)?;
            for (i, (ch, state, err)) in [
                (shop.bol, "queued", None),
                (shop.web, "done", None),
                (shop.web, "failed", Some(r#"{"kind":"rejected","message":"Title too long (max 255)","fields":{"title":"too long"}}"#)),
                (shop.web, "sending", None),
            ]
            .into_iter()
            .enumerate()
            {
                tx.execute(
                    "INSERT INTO outbox (channel_id, listing_id, batch_id, operation, payload, idempotency_key, state, last_error, created_at, updated_at)
                     VALUES (?1, (SELECT id FROM listings WHERE channel_id = ?1), 'b1', 'create', '{}', ?2, ?3, ?4, 'x', 'x')",
                    params![ch.0, format!("k{i}"), state, err],
                )?;
            }
            tx.execute("UPDATE listings SET state = 'pending'", [])?;
            Ok(())
        })
        .unwrap();
    let p = shop.store.read(|tx| batch::progress(tx, "b1")).unwrap();
    assert_eq!(p.channels.len(), 2);
    let web = p.channels.iter().find(|c| c.channel == shop.web).unwrap();
    assert_eq!((web.done, web.failed, web.sending), (1, 1, 1));
    assert!(!p.finished);
    assert_eq!(
        p.rows.iter().find(|r| r.state == "failed").unwrap().error,
        Some(StoredFailure::Other {
            text: "Title too long (max 255)".into()
        }),
        "a row stored before failures were typed keeps the platform's own reason"
    );
    assert_eq!(p.rows[0].title_nl, "Koffiebonen");

    let n = shop
        .store
        .write(|tx| batch::cancel(tx, "b1", None, now()))
        .unwrap();
    assert_eq!(
        n, 1,
        "only the queued row is cancelled; the one being sent finishes"
    );
    let p = shop.store.read(|tx| batch::progress(tx, "b1")).unwrap();
    let bol = p.channels.iter().find(|c| c.channel == shop.bol).unwrap();
    assert_eq!((bol.queued, bol.cancelled), (0, 1));
    assert_eq!(
        p.rows
            .iter()
            .find(|r| r.state == "cancelled")
            .unwrap()
            .error,
        Some(StoredFailure::Cancelled),
        "a stopped row says so in the window's language, not in stored English"
    );
    let state: String = shop
        .store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT state FROM listings WHERE channel_id = ?1",
                [shop.bol.0],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(state, "new", "a never-published listing goes back to new");
}
