//! Between Kanaal's model and Shopify's wire shapes: the `ProductSetInput` for a draft (the full
//! option and variant set, every time), and orders, live products and balance transactions
//! read back into model types. Money arrives as decimal strings, times as ISO-8601.

use super::{known_variants, INVENTORY_ITEM, LOCATION};
use crate::channel::{Page, PageCursor};
use crate::failure::{Failure, Outage};
use crate::model::{
    ChannelOrder, Customer, ListingDraft, LiveListing, OrderCursor, OrderLine, OrderPage,
    OrderStatus, Payout, PublishedListing, PublishedVariant,
};
use chrono::{DateTime, NaiveDate, Utc};
use kanaal_core::money::{Currency, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Shopify's option and value for a product without options.
const DEFAULT_OPTION: (&str, &str) = ("Title", "Default Title");

pub fn product_set_input(
    draft: &ListingDraft,
    known: Option<&PublishedListing>,
    location: &str,
) -> Json {
    let ids = known_variants(known);
    let no_options = draft.options.is_empty();
    let options: Vec<String> = if no_options {
        vec![DEFAULT_OPTION.0.to_string()]
    } else {
        draft.options.clone()
    };
    let values_of = |i: usize| -> Vec<String> {
        if no_options {
            vec![DEFAULT_OPTION.1.to_string()]
        } else {
            draft
                .variants
                .get(i)
                .map(|v| v.option_values.clone())
                .unwrap_or_default()
        }
    };
    let mut product_options = Vec::new();
    for (o, name) in options.iter().enumerate() {
        let mut values: Vec<String> = Vec::new();
        for i in 0..draft.variants.len() {
            if let Some(v) = values_of(i).get(o) {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
        product_options.push(json!({
            "name": name,
            "position": o + 1,
            "values": values.iter().map(|v| json!({"name": v})).collect::<Vec<_>>(),
        }));
    }
    let variants: Vec<Json> = draft
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut variant = json!({
                "optionValues": options.iter().zip(values_of(i)).map(|(o, val)| json!({"optionName": o, "name": val})).collect::<Vec<_>>(),
                "sku": v.sku,
                "price": v.price.amount.to_string(),
                "compareAtPrice": v.compare_at_price.as_ref().map(|p| p.amount.to_string()),
                "inventoryPolicy": "DENY",
                "inventoryItem": {"tracked": true, "sku": v.sku},
                "inventoryQuantities": [{"locationId": location, "name": "available", "quantity": v.stock}],
            });
            if let Some(gtin) = &v.gtin {
                variant["barcode"] = json!(gtin);
            }
            if let Some(id) = ids.get(&v.sku) {
                variant["id"] = json!(id);
            }
            variant
        })
        .collect();
    let mut input = json!({
        "handle": draft.handle,
        "title": draft.title,
        "descriptionHtml": draft.description,
        "vendor": draft.brand,
        "status": draft.attributes.get("status").map(String::as_str).unwrap_or("ACTIVE"),
        "productOptions": product_options,
        "variants": variants,
    });
    if let Some(t) = draft.attributes.get("product_type") {
        input["productType"] = json!(t);
    }
    input
}

fn bad_answer(channel: &str, what: &str) -> Failure {
    Failure::PlatformDown {
        channel: channel.to_string(),
        detail: Outage::IncompleteAnswer {
            missing: what.to_string(),
        },
    }
}

pub fn published(
    channel: &str,
    product: &Json,
    location: &str,
) -> Result<PublishedListing, Failure> {
    let remote_id = product["id"]
        .as_str()
        .ok_or_else(|| bad_answer(channel, "the product id"))?;
    let variants = product["variants"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| PublishedVariant {
            sku: v["sku"].as_str().unwrap_or_default().to_string(),
            remote_id: v["id"].as_str().unwrap_or_default().to_string(),
            extra: BTreeMap::from([
                (
                    INVENTORY_ITEM.to_string(),
                    v["inventoryItem"]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                ),
                (LOCATION.to_string(), location.to_string()),
            ]),
        })
        .collect();
    Ok(PublishedListing {
        remote_id: remote_id.to_string(),
        variants,
    })
}

fn money(channel: &str, v: &Json) -> Result<Money, Failure> {
    let amount = v["amount"]
        .as_str()
        .and_then(|a| Decimal::from_str(a).ok())
        .ok_or_else(|| bad_answer(channel, "an amount"))?;
    let currency = v["currencyCode"]
        .as_str()
        .and_then(|c| Currency::from_str(c).ok())
        .unwrap_or(Currency::EUR);
    Ok(Money::new(amount, currency))
}

fn time(channel: &str, v: &Json) -> Result<DateTime<Utc>, Failure> {
    v.as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| bad_answer(channel, "a time"))
}

/// Where an order read stands: the `updated_at` lower bound, the page cursor within it, and
/// the latest update seen so far (the next lower bound).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrderPosition {
    pub since: Option<String>,
    pub after: Option<String>,
    pub seen: Option<String>,
}

impl OrderPosition {
    pub fn decode(s: &str) -> Self {
        serde_json::from_str(s).unwrap_or_default()
    }
    fn encode(&self) -> OrderCursor {
        OrderCursor(serde_json::to_string(self).unwrap_or_default())
    }
}

fn split_address(address1: &str) -> (Option<String>, Option<String>) {
    match address1.trim().rsplit_once(' ') {
        Some((street, number)) if number.starts_with(|c: char| c.is_ascii_digit()) => {
            (Some(street.to_string()), Some(number.to_string()))
        }
        _ if address1.trim().is_empty() => (None, None),
        _ => (Some(address1.trim().to_string()), None),
    }
}

/// Whether an order that is not cancelled has nothing left to send because it was refunded:
/// every line's `currentQuantity` is 0 (each unit was taken off by a refund or an edit), or
/// Shopify calls it `REFUNDED` and no line has an unfulfilled unit left. A partial refund keeps
/// the order open (or shipped) with fewer units.
fn fully_refunded(o: &Json) -> bool {
    let lines = o["lineItems"]["nodes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if lines.is_empty() {
        return false;
    }
    let quantity = |l: &Json, field: &str| l[field].as_u64();
    let all_taken_off = lines
        .iter()
        .all(|l| quantity(l, "currentQuantity") == Some(0));
    let nothing_to_send = lines.iter().all(|l| {
        quantity(l, "unfulfilledQuantity")
            .or_else(|| quantity(l, "currentQuantity"))
            .is_some_and(|q| q == 0)
    });
    all_taken_off || (o["displayFinancialStatus"].as_str() == Some("REFUNDED") && nothing_to_send)
}

/// Units refunded with restock type `CANCEL`, by order line item id.
pub type CancelledUnits = BTreeMap<String, u32>;

/// Whether nothing of order `o` was shipped yet (`displayFulfillmentStatus` UNFULFILLED, or
/// not told).
fn nothing_shipped(o: &Json) -> bool {
    o["displayFulfillmentStatus"]
        .as_str()
        .is_none_or(|s| s == "UNFULFILLED")
}

/// Whether order `o` needs its refunds read to know which taken-off units are back on the
/// shelf: something of it was shipped and a line has units taken off (`quantity` above
/// `currentQuantity`). A cancelled order is returned whole by the order import.
pub fn needs_refunds(o: &Json) -> bool {
    o["cancelledAt"].is_null()
        && !nothing_shipped(o)
        && o["lineItems"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(
                |l| match (l["quantity"].as_u64(), l["currentQuantity"].as_u64()) {
                    (Some(q), Some(current)) => q > current,
                    _ => false,
                },
            )
}

/// Adds the units of a `refundLineItems` page that were refunded with restock type `CANCEL`.
pub fn add_cancelled(units: &mut CancelledUnits, refund_line_items: &Json) {
    for n in refund_line_items["nodes"].as_array().into_iter().flatten() {
        if n["restockType"].as_str() != Some("CANCEL") {
            continue;
        }
        let (Some(line), Some(quantity)) = (n["lineItem"]["id"].as_str(), n["quantity"].as_u64())
        else {
            continue;
        };
        let q = u32::try_from(quantity).unwrap_or(u32::MAX);
        let e = units.entry(line.to_string()).or_insert(0);
        *e = e.saturating_add(q);
    }
}

/// Order `o` as Kanaal's model; `cancelled` is what [`add_cancelled`] read from its refunds,
/// where [`needs_refunds`] asked for them.
fn order(
    channel: &str,
    o: &Json,
    cancelled: Option<&CancelledUnits>,
) -> Result<ChannelOrder, Failure> {
    let text = |v: &Json| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let status = if !o["cancelledAt"].is_null() {
        OrderStatus::Cancelled
    } else if fully_refunded(o) {
        OrderStatus::Refunded
    } else {
        match o["displayFulfillmentStatus"].as_str() {
            Some("FULFILLED") => OrderStatus::Shipped,
            Some("PARTIALLY_FULFILLED") => OrderStatus::PartlyShipped,
            _ => OrderStatus::Open,
        }
    };
    let ship = &o["shippingAddress"];
    let c = &o["customer"];
    let name = text(&ship["name"]).or_else(|| {
        let parts: Vec<String> = [text(&c["firstName"]), text(&c["lastName"])]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let (street, house_number) = split_address(ship["address1"].as_str().unwrap_or(""));
    let customer = Customer {
        name,
        email: text(&o["email"]).or_else(|| text(&c["email"])),
        email_is_relay: false,
        phone: text(&o["phone"])
            .or_else(|| text(&c["phone"]))
            .or_else(|| text(&ship["phone"])),
        street,
        house_number,
        postcode: text(&ship["zip"]),
        city: text(&ship["city"]),
        country: text(&ship["countryCodeV2"]),
    };
    // Which units taken off a line (`quantity - currentQuantity`) are back on the merchant's
    // shelf (`quantity_cancelled`; the import moves stock by its change, once):
    // - Nothing of the order shipped yet: all of them. No unit left the shelf, so whatever
    //   was taken off (refunded, or removed by an order edit) is still there; no refunds read.
    // - Something shipped: only the units refunded with restock type `CANCEL`, read from the
    //   order's refunds. Shopify uses CANCEL for unfulfilled units the merchant took off the
    //   order ("that item was out, we refunded it"): they never left, so they are on the
    //   shelf. The order's own fields cannot tell those from a refunded shipped unit, which
    //   may be with the customer or not back yet: counting it would put stock on the shelf
    //   that is not there, and sell it again. So RETURN (a shipped unit sent back: its stock
    //   is the merchant's call once it is actually back), NO_RESTOCK (the merchant chose not
    //   to restock) and LEGACY_RESTOCK (old refunds, return or cancel unknown) count 0.
    // The merchant's own "Cancel" in Kanaal returns its units itself.
    let nothing_shipped = nothing_shipped(o);
    let lines = o["lineItems"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| {
            let quantity = l["quantity"].as_u64().unwrap_or(0) as u32;
            let current = l["currentQuantity"]
                .as_u64()
                .map(|q| q as u32)
                .unwrap_or(quantity);
            let unfulfilled = l["unfulfilledQuantity"]
                .as_u64()
                .map(|q| q as u32)
                .unwrap_or(current);
            Ok(OrderLine {
                remote_id: text(&l["id"]).ok_or_else(|| bad_answer(channel, "a line id"))?,
                sku: text(&l["sku"]),
                gtin: None,
                title: match text(&l["variantTitle"]).filter(|t| t != "Default Title") {
                    Some(v) => format!("{} - {v}", l["title"].as_str().unwrap_or_default()),
                    None => l["title"].as_str().unwrap_or_default().to_string(),
                },
                quantity,
                quantity_shipped: current.saturating_sub(unfulfilled),
                quantity_cancelled: if nothing_shipped {
                    quantity.saturating_sub(current)
                } else {
                    // A CANCEL refund lowers `currentQuantity`, so it cannot be more than
                    // what was taken off; the cap keeps a stray answer from inventing stock.
                    text(&l["id"])
                        .and_then(|id| cancelled.and_then(|c| c.get(&id)).copied())
                        .unwrap_or(0)
                        .min(quantity.saturating_sub(current))
                },
                unit_price: money(channel, &l["originalUnitPriceSet"]["shopMoney"])?,
                fee: None,
                cancellation_requested: false,
                // Shopify enforces no ship-by deadline.
                ship_by: None,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    Ok(ChannelOrder {
        remote_id: text(&o["id"]).ok_or_else(|| bad_answer(channel, "an order id"))?,
        placed_at: time(channel, &o["createdAt"])?,
        updated_at: time(channel, &o["updatedAt"])?,
        status,
        customer,
        lines,
        total: money(channel, &o["totalPriceSet"]["shopMoney"])?,
        fees: None,
        // Shopify enforces no ship-by deadline.
        ship_by: None,
        raw: o.clone(),
    })
}

/// A page of orders; `cancelled` holds, by order id, the CANCEL units read for the orders
/// [`needs_refunds`] picked.
pub fn order_page(
    channel: &str,
    conn: &Json,
    position: &OrderPosition,
    cancelled: &BTreeMap<String, CancelledUnits>,
) -> Result<OrderPage, Failure> {
    let orders = conn["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|o| {
            order(
                channel,
                o,
                o["id"].as_str().and_then(|id| cancelled.get(id)),
            )
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let mut seen = position.seen.clone().or_else(|| position.since.clone());
    for o in &orders {
        let t = o
            .updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if seen.as_ref().is_none_or(|s| t > *s) {
            seen = Some(t);
        }
    }
    let more = conn["pageInfo"]["hasNextPage"] == json!(true);
    let next = more.then(|| {
        OrderPosition {
            since: position.since.clone(),
            after: conn["pageInfo"]["endCursor"].as_str().map(str::to_string),
            seen: seen.clone(),
        }
        .encode()
    });
    // Next time, start at the latest update seen (inclusive: an order updated in that same
    // second is read again rather than missed; the engine deduplicates).
    let resume_from = OrderPosition {
        since: seen,
        after: None,
        seen: None,
    }
    .encode();
    Ok(OrderPage {
        orders,
        next,
        resume_from,
    })
}

/// `lineItemsByFulfillmentOrder` for shipping `lines` ((order line id, quantity); empty: all).
pub fn fulfillment_groups(
    channel: &str,
    order: &Json,
    lines: &[(String, u32)],
) -> Result<Vec<Json>, Failure> {
    let mut groups = Vec::new();
    let mut left: Vec<(String, u32)> = lines.to_vec();
    for fo in order["fulfillmentOrders"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        if !matches!(fo["status"].as_str(), Some("OPEN" | "IN_PROGRESS")) {
            continue;
        }
        if lines.is_empty() {
            groups.push(json!({"fulfillmentOrderId": fo["id"]}));
            continue;
        }
        let mut items = Vec::new();
        for li in fo["lineItems"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let line_id = li["lineItem"]["id"].as_str().unwrap_or_default();
            let remaining = li["remainingQuantity"].as_u64().unwrap_or(0) as u32;
            if let Some(want) = left.iter_mut().find(|(id, q)| id == line_id && *q > 0) {
                let take = want.1.min(remaining);
                if take > 0 {
                    items.push(json!({"id": li["id"], "quantity": take}));
                    want.1 -= take;
                }
            }
        }
        if !items.is_empty() {
            groups
                .push(json!({"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": items}));
        }
    }
    if let Some((id, q)) = left.iter().find(|(_, q)| *q > 0) {
        return Err(Failure::Rejected {
            channel: channel.to_string(),
            field: "lines".into(),
            reason: format!("{q} of order line {id} cannot be shipped: it is not open for fulfilment in Shopify"),
        });
    }
    if groups.is_empty() {
        return Err(Failure::Rejected {
            channel: channel.to_string(),
            field: "order".into(),
            reason: "nothing on this order is left to ship".into(),
        });
    }
    Ok(groups)
}

pub fn live_page(channel: &str, conn: &Json) -> Result<Page<LiveListing>, Failure> {
    let mut items = Vec::new();
    for p in conn["nodes"].as_array().cloned().unwrap_or_default() {
        let remote_id = p["id"]
            .as_str()
            .ok_or_else(|| bad_answer(channel, "a product id"))?
            .to_string();
        for v in p["variants"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let price = v["price"]
                .as_str()
                .and_then(|a| Decimal::from_str(a).ok())
                .map(Money::eur);
            items.push(LiveListing {
                remote_id: remote_id.clone(),
                sku: v["sku"].as_str().map(str::to_string),
                gtin: v["barcode"].as_str().map(str::to_string),
                title: p["title"].as_str().map(str::to_string),
                description: p["descriptionHtml"].as_str().map(str::to_string),
                brand: p["vendor"].as_str().map(str::to_string),
                price,
                compare_at_price: v["compareAtPrice"]
                    .as_str()
                    .and_then(|a| Decimal::from_str(a).ok())
                    .map(Money::eur),
                stock: v["inventoryQuantity"].as_i64().map(|q| q.max(0) as u32),
                for_sale: p["status"] == json!("ACTIVE"),
                delivery_code: None,
                raw: json!({"product": {"id": p["id"], "handle": p["handle"], "title": p["title"], "descriptionHtml": p["descriptionHtml"], "vendor": p["vendor"], "status": p["status"], "updatedAt": p["updatedAt"]}, "variant": v}),
            });
        }
    }
    let next = (conn["pageInfo"]["hasNextPage"] == json!(true))
        .then(|| {
            conn["pageInfo"]["endCursor"]
                .as_str()
                .map(|c| PageCursor(c.to_string()))
        })
        .flatten();
    Ok(Page { items, next })
}

/// Balance transactions grouped by the payout that paid them out (those not paid out yet are
/// left out): gross is what was charged (refunds subtracted), fees what Shopify kept.
/// A balance transaction's fee (a MoneyV2).
pub fn fee(channel: &str, v: &Json) -> Result<Money, Failure> {
    money(channel, v)
}

pub fn payouts(channel: &str, nodes: &[Json]) -> Result<Vec<Payout>, Failure> {
    let mut by_payout: BTreeMap<String, (NaiveDate, NaiveDate, Money, Money, Money)> =
        BTreeMap::new();
    for t in nodes {
        let Some(payout) = t["associatedPayout"]["id"].as_str() else {
            continue;
        };
        let date = time(channel, &t["transactionDate"])?.date_naive();
        let amount = money(channel, &t["amount"])?;
        let fee = money(channel, &t["fee"])?;
        let net = money(channel, &t["net"])?;
        let e = by_payout.entry(payout.to_string()).or_insert((
            date,
            date,
            Money::zero(amount.currency),
            Money::zero(amount.currency),
            Money::zero(amount.currency),
        ));
        e.0 = e.0.min(date);
        e.1 = e.1.max(date);
        let add = |a: Money, b: Money| {
            a.checked_add(b)
                .map_err(|_| bad_answer(channel, "amounts in one currency"))
        };
        e.2 = add(e.2, amount)?;
        e.3 = add(e.3, fee)?;
        e.4 = add(e.4, net)?;
    }
    Ok(by_payout
        .into_iter()
        .map(
            |(remote_id, (period_start, period_end, gross, fees, net))| Payout {
                remote_id,
                period_start,
                period_end,
                gross,
                fees,
                net,
            },
        )
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::VariantDraft;

    fn draft(options: &[&str], variants: &[(&str, &[&str])]) -> ListingDraft {
        ListingDraft {
            handle: "espresso".into(),
            title: "Espresso".into(),
            description: "<p>Donker</p>".into(),
            brand: "Branderij".into(),
            options: options.iter().map(|s| s.to_string()).collect(),
            variants: variants
                .iter()
                .map(|(sku, values)| VariantDraft {
                    sku: sku.to_string(),
                    gtin: None,
                    option_values: values.iter().map(|s| s.to_string()).collect(),
                    price: Money::eur(Decimal::new(895, 2)),
                    compare_at_price: None,
                    stock: 4,
                    weight_grams: None,
                })
                .collect(),
            attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn every_product_set_carries_the_full_option_and_variant_set() {
        let d = draft(
            &["Gewicht", "Maling"],
            &[("A", &["250 g", "Bonen"]), ("B", &["1 kg", "Bonen"])],
        );
        let input = product_set_input(&d, None, "gid://shopify/Location/1");
        assert_eq!(
            input["productOptions"][0]["values"],
            json!([{"name": "250 g"}, {"name": "1 kg"}])
        );
        assert_eq!(
            input["productOptions"][1]["values"],
            json!([{"name": "Bonen"}]),
            "values deduplicated"
        );
        assert_eq!(
            input["variants"].as_array().unwrap().len(),
            2,
            "all variants, always"
        );
        assert_eq!(
            input["variants"][1]["optionValues"][0],
            json!({"optionName": "Gewicht", "name": "1 kg"})
        );
        assert_eq!(
            input["variants"][0]["price"],
            json!("8.95"),
            "money as a decimal string"
        );
    }

    #[test]
    fn a_product_without_options_gets_shopifys_default_title_option() {
        let input = product_set_input(&draft(&[], &[("A", &[])]), None, "L");
        assert_eq!(input["productOptions"][0]["name"], json!("Title"));
        assert_eq!(
            input["variants"][0]["optionValues"][0]["name"],
            json!("Default Title")
        );
    }

    #[test]
    fn dutch_addresses_split_into_street_and_house_number() {
        assert_eq!(
            split_address("Prinsengracht 12A"),
            (Some("Prinsengracht".into()), Some("12A".into()))
        );
        assert_eq!(
            split_address("Witte de Withstraat 3"),
            (Some("Witte de Withstraat".into()), Some("3".into()))
        );
    }

    fn shopify_order(financial: &str, lines: &[(u64, u64, u64)]) -> Json {
        shopify_order_shipped(financial, "UNFULFILLED", lines)
    }

    fn shopify_order_shipped(financial: &str, shipped: &str, lines: &[(u64, u64, u64)]) -> Json {
        serde_json::json!({
            "id": "gid://shopify/Order/1", "createdAt": "2026-11-01T10:00:00Z",
            "updatedAt": "2026-11-02T10:00:00Z", "cancelledAt": null,
            "displayFinancialStatus": financial, "displayFulfillmentStatus": shipped,
            "totalPriceSet": {"shopMoney": {"amount": "10.00", "currencyCode": "EUR"}},
            "lineItems": {"nodes": lines.iter().enumerate().map(|(i, (q, current, unfulfilled))| serde_json::json!({
                "id": format!("gid://shopify/LineItem/{i}"), "sku": format!("S{i}"), "title": "T",
                "quantity": q, "currentQuantity": current, "unfulfilledQuantity": unfulfilled,
                "originalUnitPriceSet": {"shopMoney": {"amount": "5.00", "currencyCode": "EUR"}},
            })).collect::<Vec<_>>()},
        })
    }

    #[test]
    fn units_taken_off_count_as_cancelled_only_while_nothing_of_the_order_was_shipped() {
        let cancelled = |shipped: &str| {
            order(
                "Shopify",
                &shopify_order_shipped("PARTIALLY_REFUNDED", shipped, &[(3, 1, 1), (2, 2, 0)]),
                None,
            )
            .unwrap()
            .lines
            .iter()
            .map(|l| l.quantity_cancelled)
            .collect::<Vec<_>>()
        };
        // Unshipped: the two units refunded never left the shelf.
        assert_eq!(cancelled("UNFULFILLED"), vec![2, 0]);
        // Shipped in part, and no CANCEL refund read for it: the refunded units may be with
        // the customer, so none come back.
        assert_eq!(cancelled("PARTIALLY_FULFILLED"), vec![0, 0]);
        assert_eq!(cancelled("FULFILLED"), vec![0, 0]);
    }

    fn refund_lines(items: &[(u64, &str, u64)]) -> Json {
        serde_json::json!({
            "pageInfo": {"hasNextPage": false, "endCursor": null},
            "nodes": items.iter().map(|(q, restock, line)| serde_json::json!({
                "quantity": q, "restockType": restock,
                "lineItem": {"id": format!("gid://shopify/LineItem/{line}")},
            })).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn a_partly_shipped_order_counts_only_units_refunded_with_cancel_as_back_on_the_shelf() {
        // Line 0 shipped in full. Line 1 never shipped: 1 unit refunded with CANCEL (it was
        // out, the merchant took it off) and 1 with NO_RESTOCK. Line 2 shipped, 1 unit sent
        // back and refunded with RETURN, 1 an old refund with LEGACY_RESTOCK.
        let o = shopify_order_shipped(
            "PARTIALLY_REFUNDED",
            "PARTIALLY_FULFILLED",
            &[(2, 2, 0), (3, 1, 1), (3, 1, 0)],
        );
        assert!(needs_refunds(&o));
        let mut units = CancelledUnits::new();
        // Two refunds; the order of refunds and of their lines does not matter.
        add_cancelled(
            &mut units,
            &refund_lines(&[(1, "RETURN", 2), (1, "CANCEL", 1)]),
        );
        add_cancelled(
            &mut units,
            &refund_lines(&[(1, "NO_RESTOCK", 1), (1, "LEGACY_RESTOCK", 2)]),
        );
        let page = order_page(
            "Shopify",
            &serde_json::json!({"nodes": [o], "pageInfo": {"hasNextPage": false}}),
            &OrderPosition::default(),
            &BTreeMap::from([("gid://shopify/Order/1".to_string(), units)]),
        )
        .unwrap();
        let cancelled: Vec<u32> = page.orders[0]
            .lines
            .iter()
            .map(|l| l.quantity_cancelled)
            .collect();
        assert_eq!(cancelled, vec![0, 1, 0]);
        assert_eq!(page.orders[0].status, OrderStatus::PartlyShipped);
    }

    #[test]
    fn cancel_units_never_exceed_what_was_taken_off_the_line() {
        let o = shopify_order_shipped("PARTIALLY_REFUNDED", "FULFILLED", &[(3, 2, 0)]);
        let mut units = CancelledUnits::new();
        add_cancelled(&mut units, &refund_lines(&[(5, "CANCEL", 0)]));
        let line = &order("Shopify", &o, Some(&units)).unwrap().lines[0];
        assert_eq!(line.quantity_cancelled, 1, "only one unit was taken off");
    }

    #[test]
    fn refunds_are_read_only_for_shipped_orders_with_units_taken_off() {
        let shipped = |status: &str, lines: &[(u64, u64, u64)]| {
            needs_refunds(&shopify_order_shipped("PAID", status, lines))
        };
        assert!(shipped("PARTIALLY_FULFILLED", &[(2, 1, 0), (1, 1, 1)]));
        assert!(shipped("FULFILLED", &[(2, 1, 0)]));
        // Nothing shipped: every unit taken off is back, no second query.
        assert!(!shipped("UNFULFILLED", &[(2, 1, 1)]));
        // Shipped, but nothing taken off.
        assert!(!shipped("PARTIALLY_FULFILLED", &[(2, 2, 1)]));
        // Cancelled: the import returns the whole order.
        let mut cancelled = shopify_order_shipped("REFUNDED", "PARTIALLY_FULFILLED", &[(2, 0, 0)]);
        cancelled["cancelledAt"] = serde_json::json!("2026-11-02T10:00:00Z");
        assert!(!needs_refunds(&cancelled));
    }

    #[test]
    fn with_nothing_shipped_every_unit_taken_off_is_back_whatever_the_restock_type() {
        let o = shopify_order_shipped("PARTIALLY_REFUNDED", "UNFULFILLED", &[(3, 1, 1)]);
        // Refunds are not read for such an order; were they, they would not change the rule.
        let mut units = CancelledUnits::new();
        add_cancelled(&mut units, &refund_lines(&[(2, "NO_RESTOCK", 0)]));
        for known in [None, Some(&units)] {
            let line = &order("Shopify", &o, known).unwrap().lines[0];
            assert_eq!(line.quantity_cancelled, 2);
        }
    }

    #[test]
    fn an_order_with_every_unit_refunded_is_refunded_and_a_partial_refund_stays_open() {
        let status = |f: &str, l: &[(u64, u64, u64)]| {
            order("Shopify", &shopify_order(f, l), None).unwrap().status
        };
        assert_eq!(
            status("REFUNDED", &[(2, 0, 0), (1, 0, 0)]),
            OrderStatus::Refunded
        );
        // Shopify's financial status may lag or be missing: the lines alone say it.
        assert_eq!(
            status("PAID", &[(2, 0, 0), (1, 0, 0)]),
            OrderStatus::Refunded
        );
        assert_eq!(
            status("PARTIALLY_REFUNDED", &[(2, 0, 0), (1, 1, 1)]),
            OrderStatus::Open
        );
        // Refunded in money but a unit still waits to be sent: not taken out of the work.
        assert_eq!(status("REFUNDED", &[(2, 2, 1)]), OrderStatus::Open);
        assert_eq!(status("PAID", &[(2, 2, 2)]), OrderStatus::Open);
    }
}
