//! bol.com Retailer API v10 wire shapes and conversions. Private to the bol module: nothing here
//! leaves it. Money goes out as JSON numbers with two decimals (bol's format) and comes in as
//! numbers read exactly into decimals; times come with an offset and are turned into UTC.

use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use std::str::FromStr;

pub(super) const MEDIA_JSON: &str = "application/vnd.retailer.v10+json";
pub(super) const MEDIA_CSV: &str = "application/vnd.retailer.v10+csv";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Condition {
    pub name: &'static str,
    pub category: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BundlePrice {
    pub quantity: u32,
    pub unit_price: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Pricing {
    pub bundle_prices: Vec<BundlePrice>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Stock {
    pub amount: u32,
    pub managed_by_retailer: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Fulfilment {
    pub method: &'static str,
    pub delivery_code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateOffer {
    pub ean: String,
    pub condition: Condition,
    pub reference: String,
    pub on_hold_by_retailer: bool,
    pub unknown_product_title: String,
    pub pricing: Pricing,
    pub stock: Stock,
    pub fulfilment: Fulfilment,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateOffer {
    pub reference: String,
    pub on_hold_by_retailer: bool,
    pub unknown_product_title: String,
    pub fulfilment: Fulfilment,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdatePrice {
    pub pricing: Pricing,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OrderItemRef {
    pub order_item_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Transport {
    pub transporter_code: String,
    pub track_and_trace: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ShipmentRequest {
    pub order_items: Vec<OrderItemRef>,
    pub shipment_reference: String,
    pub transport: Transport,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CancelItem {
    pub order_item_id: String,
    pub reason_code: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CancellationRequest {
    pub order_items: Vec<CancelItem>,
}

/// A price as bol wants it: a number with two decimals.
pub(super) fn price(d: Decimal) -> f64 {
    d.round_dp(2).to_f64().unwrap_or(0.0)
}

/// Reads a JSON number exactly (via its text, never through a float sum).
pub(super) fn decimal(v: Option<&Value>) -> Option<Decimal> {
    let v = v?;
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn count(v: &Value, key: &str) -> u32 {
    v.get(key)
        .and_then(Value::as_u64)
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

pub(super) fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// One row of the offer export CSV, by bol's column names.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ExportRow {
    pub offer_id: String,
    pub ean: String,
    #[serde(default)]
    pub bundle_prices_price: Option<String>,
    #[serde(default)]
    pub stock_amount: Option<u32>,
    #[serde(default)]
    pub on_hold_by_retailer: Option<bool>,
    #[serde(default)]
    pub reference_code: Option<String>,
    #[serde(default)]
    pub unknown_product_title: Option<String>,
    #[serde(default)]
    pub fulfilment_delivery_code: Option<String>,
}

/// Lines per page of an invoice specification.
pub(super) const SPECIFICATION_PAGE: usize = 25_000;

/// One line of an invoice specification, in Kanaal's terms.
#[derive(Debug, Clone)]
pub(super) struct InvoiceLine {
    pub kind: String,
    /// Sales bol passes on to the retailer (`TURNOVER`, `CORRECTION_TURNOVER`), not a fee.
    pub turnover: bool,
    /// VAT included; positive: the retailer pays bol.
    pub amount: Decimal,
    pub order_id: Option<String>,
    pub order_item_id: Option<String>,
}

/// Reads a specification line: the UBL invoice line bol gives as JSON (the OpenAPI document
/// has no schema for it: `string/byte`), read leniently: line type from `item.name`, amount
/// from `lineExtensionAmount` plus `taxTotal.taxAmount`, the order from the item's
/// additional properties.
pub(super) fn invoice_line(v: &Value) -> Option<InvoiceLine> {
    let item = v.get("item")?;
    let kind = text(item, "name")?;
    let amount = |x: Option<&Value>| {
        let x = x?;
        decimal(x.get("amount")).or_else(|| decimal(Some(x)))
    };
    let without_vat = amount(v.get("lineExtensionAmount"))?;
    let vat = amount(v.pointer("/taxTotal/taxAmount")).unwrap_or_default();
    let property = |name: &str| {
        item.get("additionalItemProperty")
            .and_then(Value::as_array)?
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .and_then(|p| match p.get("value") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
    };
    Some(InvoiceLine {
        turnover: kind.ends_with("TURNOVER"),
        kind,
        amount: without_vat + vat,
        order_id: property("orderId"),
        order_item_id: property("orderItemId"),
    })
}
