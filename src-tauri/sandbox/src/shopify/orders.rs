//! Orders and money: the `orders` connection (search by `updated_at`/`created_at`, sort by
//! `UPDATED_AT`), `order(id:)`, `fulfillmentCreate` with tracking through fulfillment orders,
//! `orderCancel`, `refundCreate` for unfulfilled units (restock type `CANCEL` or `NO_RESTOCK`:
//! the units leave the order, so the line's `currentQuantity` and the fulfillment order's
//! `remainingQuantity` go down while the order stays open; refunding fulfilled units with
//! `RETURN` is not emulated and answered with a user error), the refunds made, as
//! `Order.refunds(first:)` (a list in the order made) and `refund(id:)`, each with its
//! `refundLineItems` connection (`quantity`, `restockType`, `restocked`, `lineItem`), and
//! `shopifyPaymentsAccount` with balance transactions and payouts.
//!
//! Orders become visible when their creation time has passed: the world holds orders for the
//! coming weeks, so they arrive as the sandbox's time moves on. Customer fields are filled when
//! the app has protected customer data access (merchant-owned apps do), else null.

use super::graphql::{Field, GraphqlError, CONNECTION, KEY};
use super::state::{Fulfillment, Order, Refund, RefundLine, ShopState};
use super::wire::*;
use super::Exec;
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};

fn order_json(w: &ShopState, o: &Order, pcd: bool) -> Json {
    let c = &o.customer;
    let personal = |v: Json| if pcd { v } else { Json::Null };
    let address = json!({
        "name": personal(json!(format!("{} {}", c.first_name, c.last_name))),
        "firstName": personal(json!(c.first_name)),
        "lastName": personal(json!(c.last_name)),
        "company": null,
        "address1": personal(json!(format!("{} {}", c.street, c.house_number))),
        "address2": null,
        "city": c.city,
        "province": null,
        "provinceCode": null,
        "zip": personal(json!(c.zip)),
        "country": "Netherlands",
        "countryCodeV2": "NL",
        "phone": personal(json!(c.phone)),
    });
    let fo_status = if o.cancelled_at.is_some() {
        "CANCELLED"
    } else if o.lines.iter().all(|l| l.open() == 0) {
        "CLOSED"
    } else if o.lines.iter().any(|l| l.fulfilled > 0) {
        "IN_PROGRESS"
    } else {
        "OPEN"
    };
    let line_items = json!({CONNECTION: o.lines.iter().enumerate().map(|(i, l)| {
            let variant = w.products.values().find_map(|p| p.variants.iter().find(|v| v.sku.as_deref() == Some(l.sku.as_str())).map(|v| (p.id, v.id)));
            json!({
                KEY: format!("{i:06}"),
                "id": gid("LineItem", l.id),
                "sku": l.sku,
                "name": format!("{} - {}", l.title, l.variant_title),
                "title": l.title,
                "variantTitle": l.variant_title,
                "quantity": l.quantity,
                "currentQuantity": if o.cancelled_at.is_some() { 0 } else { l.quantity - l.removed },
                "unfulfilledQuantity": l.open(),
                "variant": variant.map(|(_, v)| json!({"id": gid("ProductVariant", v)})),
                "product": variant.map(|(p, _)| json!({"id": gid("Product", p)})),
                "originalUnitPriceSet": money_bag(l.unit_price),
                "discountedUnitPriceSet": money_bag(l.unit_price),
            })
        }).collect::<Vec<_>>()});
    let fulfillment_orders = json!({CONNECTION: [{
        KEY: format!("{:020}", o.fulfillment_order_id),
        "id": gid("FulfillmentOrder", o.fulfillment_order_id),
        "status": fo_status,
        "assignedLocation": {"location": {"id": gid("Location", w.location_id)}, "name": w.location_name},
        "lineItems": {CONNECTION: o.lines.iter().enumerate().map(|(i, l)| json!({
            KEY: format!("{i:06}"),
            "id": gid("FulfillmentOrderLineItem", l.fo_line_id),
            "totalQuantity": l.quantity,
            "remainingQuantity": if o.cancelled_at.is_some() { 0 } else { l.open() },
            "lineItem": {"id": gid("LineItem", l.id), "sku": l.sku},
        })).collect::<Vec<_>>()},
    }]});
    json!({
        KEY: time_key(o.updated_at, o.id),
        "id": gid("Order", o.id),
        "legacyResourceId": o.id.to_string(),
        "name": format!("#{}", o.number),
        "createdAt": time(o.created_at),
        "updatedAt": time(o.updated_at),
        "processedAt": time(o.created_at),
        "cancelledAt": o.cancelled_at.map(time),
        "cancelReason": o.cancel_reason,
        "closed": o.cancelled_at.is_some() || o.fulfillment_status() == "FULFILLED",
        "email": personal(json!(c.email)),
        "phone": personal(json!(c.phone)),
        "currencyCode": "EUR",
        "presentmentCurrencyCode": "EUR",
        "displayFinancialStatus": o.financial_status(),
        "displayFulfillmentStatus": o.fulfillment_status(),
        "totalPriceSet": money_bag(o.total()),
        "subtotalPriceSet": money_bag(o.subtotal()),
        "totalTaxSet": money_bag(o.tax()),
        "totalShippingPriceSet": money_bag(o.shipping),
        "customer": {
            "id": gid("Customer", c.id),
            "firstName": personal(json!(c.first_name)),
            "lastName": personal(json!(c.last_name)),
            "displayName": personal(json!(format!("{} {}", c.first_name, c.last_name))),
            "email": personal(json!(c.email)),
            "phone": personal(json!(c.phone)),
        },
        "shippingAddress": address,
        "billingAddress": address,
        "lineItems": line_items,
        "fulfillmentOrders": fulfillment_orders,
        "fulfillments": o.fulfillments.iter().map(fulfillment_json).collect::<Vec<_>>(),
        "refunds": o.refunds.iter().map(|r| refund_json(o, r)).collect::<Vec<_>>(),
    })
}

/// A `Refund` of order `o`, with its `refundLineItems` connection.
fn refund_json(o: &Order, r: &Refund) -> Json {
    let total: Decimal = r
        .lines
        .iter()
        .filter_map(|rl| {
            o.lines
                .iter()
                .find(|l| l.id == rl.line_id)
                .map(|l| l.unit_price * Decimal::from(rl.quantity))
        })
        .sum();
    json!({
        "id": gid("Refund", r.id),
        "legacyResourceId": r.id.to_string(),
        "createdAt": time(r.created_at),
        "updatedAt": time(r.created_at),
        "note": null,
        "order": {"id": gid("Order", o.id)},
        "totalRefundedSet": money_bag(total),
        "refundLineItems": {CONNECTION: r.lines.iter().enumerate().map(|(i, rl)| {
            let line = o.lines.iter().find(|l| l.id == rl.line_id);
            let price = line.map(|l| l.unit_price).unwrap_or_default();
            json!({
                KEY: format!("{i:06}"),
                "id": gid("RefundLineItem", rl.id),
                "quantity": rl.quantity,
                "restockType": rl.restock_type,
                // CANCEL and RETURN put the units back at a location; NO_RESTOCK does not.
                "restocked": rl.restock_type != "NO_RESTOCK",
                "lineItem": line.map(|l| json!({
                    "id": gid("LineItem", l.id),
                    "sku": l.sku,
                    "title": l.title,
                    "quantity": l.quantity,
                })),
                "priceSet": money_bag(price),
                "subtotalSet": money_bag(price * Decimal::from(rl.quantity)),
                "totalTaxSet": money_bag(Decimal::ZERO),
            })
        }).collect::<Vec<_>>()},
    })
}

fn fulfillment_json(f: &Fulfillment) -> Json {
    json!({
        "id": gid("Fulfillment", f.id),
        "status": "SUCCESS",
        "createdAt": time(f.created_at),
        "trackingInfo": [{"company": f.company, "number": f.number, "url": f.url}],
        "fulfillmentLineItems": {CONNECTION: f.lines.iter().enumerate().map(|(i, (line, qty))| json!({
            KEY: format!("{i:06}"), "lineItem": {"id": gid("LineItem", *line)}, "quantity": qty,
        })).collect::<Vec<_>>()},
    })
}

pub fn orders(x: &mut Exec<'_>, f: &Field) -> Json {
    let terms = search_terms(f.args.get("query").and_then(Json::as_str).unwrap_or(""));
    let sort = f.args.get("sortKey").and_then(Json::as_str).unwrap_or("ID");
    let now = x.now;
    let w = &x.world;
    let mut items: Vec<Json> = w
        .orders
        .iter()
        .filter(|o| o.created_at <= now)
        .filter(|o| {
            terms.iter().all(|t| match t.field.as_str() {
                "updated_at" => time_matches(t, o.updated_at),
                "created_at" => time_matches(t, o.created_at),
                "status" => match t.value.as_str() {
                    "open" => o.cancelled_at.is_none() && o.fulfillment_status() != "FULFILLED",
                    "closed" => o.fulfillment_status() == "FULFILLED",
                    "cancelled" => o.cancelled_at.is_some(),
                    _ => true,
                },
                "fulfillment_status" => match t.value.as_str() {
                    "unshipped" | "unfulfilled" => o.fulfillment_status() == "UNFULFILLED",
                    "shipped" | "fulfilled" => o.fulfillment_status() == "FULFILLED",
                    _ => true,
                },
                _ => true,
            })
        })
        .map(|o| {
            let mut j = order_json(w, o, x.pcd);
            j[KEY] = json!(match sort {
                "UPDATED_AT" => time_key(o.updated_at, o.id),
                "CREATED_AT" | "PROCESSED_AT" => time_key(o.created_at, o.id),
                _ => format!("{:020}", o.id),
            });
            j
        })
        .collect();
    items.sort_by(|a, b| a[KEY].as_str().cmp(&b[KEY].as_str()));
    json!({CONNECTION: items})
}

pub fn order(x: &mut Exec<'_>, f: &Field) -> Json {
    let now = x.now;
    parse_gid("Order", f.args.get("id").unwrap_or(&Json::Null))
        .and_then(|id| {
            x.world
                .orders
                .iter()
                .find(|o| o.id == id && o.created_at <= now)
        })
        .map(|o| order_json(x.world, o, x.pcd))
        .unwrap_or(Json::Null)
}

pub fn refund(x: &mut Exec<'_>, f: &Field) -> Json {
    let now = x.now;
    let Some(id) = parse_gid("Refund", f.args.get("id").unwrap_or(&Json::Null)) else {
        return Json::Null;
    };
    x.world
        .orders
        .iter()
        .filter(|o| o.created_at <= now)
        .find_map(|o| {
            o.refunds
                .iter()
                .find(|r| r.id == id)
                .map(|r| refund_json(o, r))
        })
        .unwrap_or(Json::Null)
}

const FI: &str = "FulfillmentInput";

pub fn fulfillment_create(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let input = f.args.get("fulfillment").cloned().unwrap_or(Json::Null);
    check_shape(
        FI,
        "",
        &input,
        &[
            "notifyCustomer",
            "trackingInfo",
            "lineItemsByFulfillmentOrder",
            "originAddress",
        ],
        &["lineItemsByFulfillmentOrder"],
    )?;
    let tracking = input.get("trackingInfo").cloned().unwrap_or(Json::Null);
    if !tracking.is_null() {
        check_shape(
            FI,
            "trackingInfo",
            &tracking,
            &["company", "number", "numbers", "url", "urls"],
            &[],
        )?;
    }
    let groups = input["lineItemsByFulfillmentOrder"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut errors = Vec::new();
    let mut wanted: Vec<(usize, Vec<(u64, u32)>)> = Vec::new();
    let now = x.now;
    for (g, group) in groups.iter().enumerate() {
        let path = format!("lineItemsByFulfillmentOrder.{g}");
        check_shape(
            FI,
            &path,
            group,
            &["fulfillmentOrderId", "fulfillmentOrderLineItems"],
            &["fulfillmentOrderId"],
        )?;
        let g_s = g.to_string();
        let field = [
            "fulfillment",
            "lineItemsByFulfillmentOrder",
            g_s.as_str(),
            "fulfillmentOrderId",
        ];
        let fo = parse_gid("FulfillmentOrder", &group["fulfillmentOrderId"]);
        let Some(idx) = fo.and_then(|fo| {
            x.world
                .orders
                .iter()
                .position(|o| o.fulfillment_order_id == fo && o.created_at <= now)
        }) else {
            errors.push(json!({"field": field, "message": "Fulfillment order does not exist."}));
            continue;
        };
        let o = &x.world.orders[idx];
        if o.cancelled_at.is_some() {
            errors.push(json!({"field": field, "message": "Fulfillment order is not in a fulfillable state: it was cancelled."}));
            continue;
        }
        let mut lines = Vec::new();
        let items = group
            .get("fulfillmentOrderLineItems")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        if items.is_empty() {
            lines = o
                .lines
                .iter()
                .filter(|l| l.open() > 0)
                .map(|l| (l.id, l.open()))
                .collect();
        }
        for (i, item) in items.iter().enumerate() {
            check_shape(
                FI,
                &format!("{path}.fulfillmentOrderLineItems.{i}"),
                item,
                &["id", "quantity"],
                &["id", "quantity"],
            )?;
            let line = parse_gid("FulfillmentOrderLineItem", &item["id"])
                .and_then(|id| o.lines.iter().find(|l| l.fo_line_id == id));
            let qty = item["quantity"].as_u64().unwrap_or(0) as u32;
            match line {
                None => errors.push(json!({"field": ["fulfillment", "lineItemsByFulfillmentOrder", g_s, "fulfillmentOrderLineItems", i.to_string(), "id"], "message": "Fulfillment order line item does not exist."})),
                Some(l) if qty == 0 || qty > l.open() => errors.push(json!({
                    "field": ["fulfillment", "lineItemsByFulfillmentOrder", g_s, "fulfillmentOrderLineItems", i.to_string(), "quantity"],
                    "message": format!("Invalid fulfillment order line item quantity requested: {qty}, remaining {}.", l.open()),
                })),
                Some(l) => lines.push((l.id, qty)),
            }
        }
        if lines.is_empty() && errors.is_empty() {
            errors.push(json!({"field": field, "message": "Fulfillment order has no remaining items to fulfill."}));
        }
        wanted.push((idx, lines));
    }
    if !errors.is_empty() {
        return Ok(json!({"fulfillment": null, "userErrors": errors}));
    }
    let str_of = |k: &str| tracking.get(k).and_then(Json::as_str).map(str::to_string);
    let mut made = Json::Null;
    for (idx, lines) in wanted {
        let id = x.world.next_id();
        let o = &mut x.world.orders[idx];
        for (line, qty) in &lines {
            if let Some(l) = o.lines.iter_mut().find(|l| l.id == *line) {
                l.fulfilled += qty;
            }
        }
        let ful = Fulfillment {
            id,
            created_at: now,
            company: str_of("company"),
            number: str_of("number"),
            url: str_of("url"),
            lines,
        };
        made = fulfillment_json(&ful);
        o.fulfillments.push(ful);
        o.updated_at = now;
    }
    Ok(json!({"fulfillment": made, "userErrors": []}))
}

pub fn order_cancel(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let reason = enum_value(
        "OrderCancelReason",
        "reason",
        f.args.get("reason").unwrap_or(&Json::Null),
        &[
            "CUSTOMER",
            "DECLINED",
            "FRAUD",
            "INVENTORY",
            "OTHER",
            "STAFF",
        ],
    )?
    .to_string();
    let now = x.now;
    let id = parse_gid("Order", f.args.get("orderId").unwrap_or(&Json::Null));
    let Some(o) = id.and_then(|id| {
        x.world
            .orders
            .iter_mut()
            .find(|o| o.id == id && o.created_at <= now)
    }) else {
        return Ok(
            json!({"job": null, "orderCancelUserErrors": [user_error(&["orderId"], "Order does not exist", "NOT_FOUND")], "userErrors": [{"field": ["orderId"], "message": "Order does not exist"}]}),
        );
    };
    if o.cancelled_at.is_some() {
        let e = user_error(&["orderId"], "Order has already been cancelled", "INVALID");
        return Ok(json!({"job": null, "orderCancelUserErrors": [e.clone()], "userErrors": [e]}));
    }
    if o.lines.iter().any(|l| l.fulfilled > 0) {
        let e = user_error(
            &["orderId"],
            "Cannot cancel an order that has fulfilled items",
            "INVALID",
        );
        return Ok(json!({"job": null, "orderCancelUserErrors": [e.clone()], "userErrors": [e]}));
    }
    o.cancelled_at = Some(now);
    o.cancel_reason = Some(reason);
    o.updated_at = now;
    let job = x.world.next_id();
    Ok(
        json!({"job": {"id": gid("Job", job), "done": true}, "orderCancelUserErrors": [], "userErrors": []}),
    )
}

/// Takes `items` ((line item id, quantity, restock type `CANCEL` or `NO_RESTOCK`)) off order
/// `order` before they were fulfilled, as such a refund does, and keeps the refund on the
/// order. Checks every item first, so a refused refund changes nothing. Returns the refund's
/// id, or the user errors Shopify would give.
pub(crate) fn refund_unfulfilled(
    w: &mut super::state::ShopState,
    order: u64,
    items: &[(u64, u32, &'static str)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, Vec<Json>> {
    let Some(index) = w
        .orders
        .iter()
        .position(|o| o.id == order && o.created_at <= now)
    else {
        return Err(vec![user_error(
            &["orderId"],
            "Order does not exist",
            "NOT_FOUND",
        )]);
    };
    let o = &mut w.orders[index];
    if o.cancelled_at.is_some() {
        return Err(vec![user_error(
            &["orderId"],
            "Order has already been cancelled",
            "INVALID",
        )]);
    }
    let mut errors = Vec::new();
    for (i, (line, quantity, _)) in items.iter().enumerate() {
        let index = i.to_string();
        let field = ["refundLineItems", index.as_str(), "quantity"];
        // Units of the same line asked for earlier in this refund are no longer open.
        let earlier: u32 = items[..i]
            .iter()
            .filter(|(l, _, _)| l == line)
            .map(|(_, q, _)| *q)
            .sum();
        match o.lines.iter().find(|l| l.id == *line) {
            None => errors.push(user_error(
                &["refundLineItems", index.as_str(), "lineItemId"],
                "Line item does not exist",
                "INVALID",
            )),
            Some(l) if *quantity == 0 || earlier + *quantity > l.open() => errors.push(user_error(
                &field,
                format!(
                    "Quantity cannot refund more items than were purchased and not yet fulfilled ({} open)",
                    l.open()
                ),
                "INVALID",
            )),
            Some(_) => {}
        }
    }
    if items.is_empty() {
        errors.push(user_error(
            &["refundLineItems"],
            "Refund must contain line items",
            "INVALID",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Two units of one line in one refund are one refund line item, as in Shopify's admin.
    let mut merged: Vec<(u64, u32, &'static str)> = Vec::new();
    for (line, quantity, restock) in items {
        match merged
            .iter_mut()
            .find(|(l, _, r)| l == line && r == restock)
        {
            Some(m) => m.1 += quantity,
            None => merged.push((*line, *quantity, restock)),
        }
    }
    for (line, quantity, _) in &merged {
        if let Some(l) = o.lines.iter_mut().find(|l| l.id == *line) {
            l.removed += quantity;
        }
    }
    let id = w.next_id();
    let mut lines = Vec::new();
    for (line_id, quantity, restock_type) in merged {
        lines.push(RefundLine {
            id: w.next_id(),
            line_id,
            quantity,
            restock_type,
        });
    }
    let o = &mut w.orders[index];
    o.refunds.push(Refund {
        id,
        created_at: now,
        lines,
    });
    o.updated_at = now;
    Ok(id)
}

pub fn refund_create(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let input = f.args.get("input").cloned().unwrap_or(Json::Null);
    let order = parse_gid("Order", &input["orderId"]);
    let mut items = Vec::new();
    let no_restock = json!("NO_RESTOCK");
    for (i, item) in input["refundLineItems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let restock = enum_value(
            "RefundLineItemRestockType",
            &format!("input.refundLineItems.{i}.restockType"),
            item.get("restockType").unwrap_or(&no_restock),
            &["CANCEL", "NO_RESTOCK", "RETURN", "LEGACY_RESTOCK"],
        )?;
        if restock == "RETURN" || restock == "LEGACY_RESTOCK" {
            let e = user_error(
                &["refundLineItems", &i.to_string(), "restockType"],
                "The sandbox refunds unfulfilled items only (restock type CANCEL or NO_RESTOCK)",
                "INVALID",
            );
            return Ok(json!({"refund": null, "userErrors": [e]}));
        }
        let restock: &'static str = if restock == "CANCEL" {
            "CANCEL"
        } else {
            "NO_RESTOCK"
        };
        let line = parse_gid("LineItem", &item["lineItemId"]).unwrap_or(0);
        let quantity = item["quantity"].as_u64().unwrap_or(0);
        items.push((line, u32::try_from(quantity).unwrap_or(u32::MAX), restock));
    }
    let now = x.now;
    let Some(order) = order else {
        let e = user_error(&["orderId"], "Order does not exist", "NOT_FOUND");
        return Ok(json!({"refund": null, "userErrors": [e]}));
    };
    match refund_unfulfilled(x.world, order, &items, now) {
        Ok(id) => {
            let refund = x
                .world
                .orders
                .iter()
                .find(|o| o.id == order)
                .and_then(|o| {
                    o.refunds
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| refund_json(o, r))
                })
                .unwrap_or(Json::Null);
            Ok(json!({"refund": refund, "userErrors": []}))
        }
        Err(errors) => Ok(json!({"refund": null, "userErrors": errors})),
    }
}

pub fn payments_account(x: &mut Exec<'_>, f: &Field) -> Json {
    let w = &x.world;
    let now = x.now;
    let child_terms = |name: &str| {
        f.children
            .iter()
            .find(|c| c.name == name)
            .map(|c| search_terms(c.args.get("query").and_then(Json::as_str).unwrap_or("")))
            .unwrap_or_default()
    };
    let tx_terms = child_terms("balanceTransactions");
    let payout_terms = child_terms("payouts");
    let mut txs: Vec<Json> = w
        .balance
        .iter()
        .filter(|t| t.date <= now)
        .filter(|t| {
            tx_terms.iter().all(|term| match term.field.as_str() {
                "processed_at" | "transaction_date" => time_matches(term, t.date),
                "payout_id" => t.payout_id.map(|p| p.to_string()) == Some(term.value.clone()) || t.payout_id.map(|p| gid("ShopifyPaymentsPayout", p)) == Some(term.value.clone()),
                _ => true,
            })
        })
        .map(|t| {
            json!({
                KEY: time_key(t.date, t.id),
                "id": gid("ShopifyPaymentsBalanceTransaction", t.id),
                "type": t.kind,
                "sourceType": t.kind,
                "test": false,
                "amount": money(t.amount),
                "fee": money(t.fee),
                "net": money(t.amount - t.fee),
                "transactionDate": time(t.date),
                "associatedOrder": t.order_id.map(|o| json!({"id": gid("Order", o)})),
                "associatedPayout": t.payout_id.map(|p| json!({"id": gid("ShopifyPaymentsPayout", p), "status": "PAID"})),
            })
        })
        .collect();
    txs.sort_by(|a, b| a[KEY].as_str().cmp(&b[KEY].as_str()));
    let payouts: Vec<Json> = w
        .payouts
        .iter()
        .filter(|p| p.issued_at <= now)
        .filter(|p| {
            payout_terms
                .iter()
                .all(|t| t.field != "issued_at" || time_matches(t, p.issued_at))
        })
        .map(|p| {
            json!({
                KEY: time_key(p.issued_at, p.id),
                "id": gid("ShopifyPaymentsPayout", p.id),
                "legacyResourceId": p.id.to_string(),
                "issuedAt": time(p.issued_at),
                "status": "PAID",
                "transactionType": "DEPOSIT",
                "net": money(p.net()),
                "summary": {
                    "chargesGross": money(p.charges_gross),
                    "chargesFee": money(p.charges_fee),
                    "refundsFeeGross": money(p.refunds_gross),
                    "refundsFee": money(p.refunds_fee),
                    "adjustmentsGross": money(Decimal::ZERO),
                    "adjustmentsFee": money(Decimal::ZERO),
                    "reservedFundsGross": money(Decimal::ZERO),
                    "reservedFundsFee": money(Decimal::ZERO),
                    "retriedPayoutsGross": money(Decimal::ZERO),
                    "retriedPayoutsFee": money(Decimal::ZERO),
                },
            })
        })
        .collect();
    json!({
        "id": gid("ShopifyPaymentsAccount", 1),
        "activated": true,
        "defaultCurrency": "EUR",
        "balanceTransactions": {CONNECTION: txs},
        "payouts": {CONNECTION: payouts},
    })
}
