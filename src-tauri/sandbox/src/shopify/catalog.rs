//! Products and inventory: `productSet` (full replace, at most 3 options, variants whose
//! `optionValues` match the options), `productUpdate`, `inventorySetQuantities` (compare-and-set
//! with `changeFromQuantity`, `@idempotent(key:)`), and the read side (`products`, `product`,
//! `locations`, `shop`). Inputs are checked against the documented input types first (an unknown
//! or mistyped field refuses the whole request, as GraphQL coercion does), then against
//! Shopify's business rules (reported as `userErrors` with the field path).

use super::graphql::{Field, GraphqlError, CONNECTION, KEY};
use super::state::{Product, Remembered, ShopState, Variant};
use super::wire::*;
use super::Exec;
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};

/// Most options a product may have.
pub const MAX_OPTIONS: usize = 3;
/// Most variants a product may have (2048 in versions from 2024-10 on).
pub const MAX_VARIANTS: usize = 2048;

const PRODUCT_SET_INPUT: &[&str] = &[
    "id",
    "handle",
    "title",
    "descriptionHtml",
    "vendor",
    "productType",
    "category",
    "tags",
    "status",
    "seo",
    "productOptions",
    "variants",
    "collections",
    "metafields",
    "files",
    "giftCard",
    "giftCardTemplateSuffix",
    "templateSuffix",
    "claimOwnership",
    "combinedListingRole",
    "requiresSellingPlan",
    "redirectNewHandle",
];
const OPTION_SET_INPUT: &[&str] = &["id", "name", "position", "values", "linkedMetafield"];
const OPTION_VALUE_SET_INPUT: &[&str] = &["id", "name", "linkedMetafieldValue"];
const VARIANT_SET_INPUT: &[&str] = &[
    "id",
    "optionValues",
    "sku",
    "barcode",
    "price",
    "compareAtPrice",
    "taxable",
    "taxCode",
    "inventoryPolicy",
    "inventoryItem",
    "inventoryQuantities",
    "position",
    "metafields",
    "file",
    "requiresComponents",
    "showUnitPrice",
    "unitPriceMeasurement",
];
const VARIANT_OPTION_VALUE_INPUT: &[&str] = &[
    "optionId",
    "optionName",
    "id",
    "name",
    "linkedMetafieldValue",
];
const INVENTORY_ITEM_INPUT: &[&str] = &[
    "sku",
    "cost",
    "tracked",
    "requiresShipping",
    "measurement",
    "countryCodeOfOrigin",
    "harmonizedSystemCode",
    "provinceCodeOfOrigin",
    "countryHarmonizedSystemCodes",
];
const QUANTITY_INPUT: &[&str] = &["locationId", "name", "quantity"];
const INVENTORY_SET_INPUT: &[&str] = &["name", "reason", "referenceDocumentUri", "quantities"];
const INVENTORY_QUANTITY_INPUT: &[&str] = &[
    "inventoryItemId",
    "locationId",
    "quantity",
    "changeFromQuantity",
];
/// Reasons Shopify accepts for an inventory change.
const REASONS: &[&str] = &[
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
];

pub fn shop(x: &mut Exec<'_>) -> Json {
    json!({
        "id": gid("Shop", 1),
        "name": x.world.shop_name,
        "myshopifyDomain": "branderij-de-gracht.myshopify.com",
        "currencyCode": "EUR",
        "ianaTimezone": "Europe/Amsterdam",
        "plan": {"displayName": "Basic", "partnerDevelopment": false, "shopifyPlus": false},
    })
}

pub fn locations(x: &mut Exec<'_>) -> Json {
    let w = &x.world;
    json!({CONNECTION: [{
        KEY: format!("{:020}", w.location_id),
        "id": gid("Location", w.location_id),
        "name": w.location_name,
        "isActive": true,
    }]})
}

fn variant_json(w: &ShopState, p: &Product, v: &Variant, position: usize) -> Json {
    let qty = w
        .inventory
        .get(&(v.inventory_item_id, w.location_id))
        .copied()
        .unwrap_or(0);
    let title = if v.option_values.is_empty() {
        "Default Title".to_string()
    } else {
        v.option_values
            .iter()
            .map(|(_, val)| val.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    json!({
        KEY: format!("{position:06}"),
        "id": gid("ProductVariant", v.id),
        "title": title,
        "sku": v.sku,
        "barcode": v.barcode,
        "price": amount(v.price),
        "compareAtPrice": v.compare_at_price.map(amount),
        "position": position + 1,
        "inventoryPolicy": v.inventory_policy,
        "inventoryQuantity": qty,
        "selectedOptions": v.option_values.iter().map(|(n, val)| json!({"name": n, "value": val})).collect::<Vec<_>>(),
        "inventoryItem": {
            "id": gid("InventoryItem", v.inventory_item_id),
            "sku": v.sku,
            "tracked": true,
            "inventoryLevel": {
                "id": format!("gid://shopify/InventoryLevel/{}?inventory_item_id={}", w.location_id, v.inventory_item_id),
                "location": {"id": gid("Location", w.location_id)},
                "quantities": [{"name": "available", "quantity": qty}, {"name": "on_hand", "quantity": qty}],
            },
        },
        "product": {"id": gid("Product", p.id), "handle": p.handle, "title": p.title},
        "createdAt": time(p.created_at),
        "updatedAt": time(p.updated_at),
    })
}

pub fn product_json(w: &ShopState, p: &Product) -> Json {
    let total: i64 = p
        .variants
        .iter()
        .map(|v| {
            w.inventory
                .get(&(v.inventory_item_id, w.location_id))
                .copied()
                .unwrap_or(0)
        })
        .sum();
    json!({
        KEY: time_key(p.updated_at, p.id),
        "id": gid("Product", p.id),
        "legacyResourceId": p.id.to_string(),
        "handle": p.handle,
        "title": p.title,
        "descriptionHtml": p.description_html,
        "vendor": p.vendor,
        "productType": p.product_type,
        "status": p.status,
        "tags": p.tags,
        "totalInventory": total,
        "hasOnlyDefaultVariant": p.options.is_empty(),
        "createdAt": time(p.created_at),
        "updatedAt": time(p.updated_at),
        "options": p.options.iter().enumerate().map(|(i, (name, values))| json!({
            "id": gid("ProductOption", p.id * 10 + i as u64),
            "name": name,
            "position": i + 1,
            "values": values,
            "optionValues": values.iter().map(|v| json!({"name": v})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "variants": {CONNECTION: p.variants.iter().enumerate().map(|(i, v)| variant_json(w, p, v, i)).collect::<Vec<_>>()},
    })
}

pub fn products(x: &mut Exec<'_>, f: &Field) -> Json {
    let terms = search_terms(f.args.get("query").and_then(Json::as_str).unwrap_or(""));
    let w = &x.world;
    let mut items: Vec<&Product> = w
        .products
        .values()
        .filter(|p| {
            terms.iter().all(|t| match t.field.as_str() {
                "handle" => p.handle == t.value,
                "sku" => p
                    .variants
                    .iter()
                    .any(|v| v.sku.as_deref() == Some(t.value.as_str())),
                "status" => p.status.eq_ignore_ascii_case(&t.value),
                "updated_at" => time_matches(t, p.updated_at),
                "created_at" => time_matches(t, p.created_at),
                _ => true,
            })
        })
        .collect();
    items.sort_by_key(|p| (p.updated_at, p.id));
    json!({CONNECTION: items.into_iter().map(|p| product_json(w, p)).collect::<Vec<_>>()})
}

pub fn product(x: &mut Exec<'_>, f: &Field) -> Json {
    let w = &x.world;
    parse_gid("Product", f.args.get("id").unwrap_or(&Json::Null))
        .and_then(|id| w.products.get(&id))
        .map(|p| product_json(w, p))
        .unwrap_or(Json::Null)
}

/// A checked `ProductSetInput`, before it is applied.
struct Wanted {
    options: Vec<(String, Vec<String>)>,
    variants: Vec<WantedVariant>,
}

struct WantedVariant {
    id: Option<u64>,
    option_values: Vec<(String, String)>,
    sku: Option<String>,
    barcode: Option<String>,
    price: Decimal,
    compare_at_price: Option<Decimal>,
    inventory_policy: String,
    quantity: Option<(u64, i64)>,
}

const PSI: &str = "ProductSetInput";

fn check_product_set_input(
    input: &Json,
    errors: &mut Vec<Json>,
    w: &ShopState,
) -> Result<Wanted, GraphqlError> {
    check_shape(PSI, "", input, PRODUCT_SET_INPUT, &[])?;
    if let Some(status) = input.get("status") {
        enum_value(
            PSI,
            "status",
            status,
            &["ACTIVE", "ARCHIVED", "DRAFT", "UNLISTED"],
        )?;
    }
    let options_in = input
        .get("productOptions")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let mut options: Vec<(String, Vec<String>)> = Vec::new();
    for (i, o) in options_in.iter().enumerate() {
        let path = format!("productOptions.{i}");
        check_shape(PSI, &path, o, OPTION_SET_INPUT, &[])?;
        let name = o
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        let mut values = Vec::new();
        for (j, v) in o
            .get("values")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            check_shape(
                PSI,
                &format!("{path}.values.{j}"),
                v,
                OPTION_VALUE_SET_INPUT,
                &[],
            )?;
            let value = v
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            if values.contains(&value) {
                errors.push(user_error(
                    &[
                        "input",
                        "productOptions",
                        &i.to_string(),
                        "values",
                        &j.to_string(),
                    ],
                    format!("Duplicated option value '{value}'."),
                    "DUPLICATED_OPTION_VALUE",
                ));
            }
            values.push(value);
        }
        if name.is_empty() {
            errors.push(user_error(
                &["input", "productOptions", &i.to_string(), "name"],
                "Option name can't be blank.",
                "INVALID_INPUT",
            ));
        } else if options.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            errors.push(user_error(
                &["input", "productOptions", &i.to_string(), "name"],
                format!("Duplicated option name '{name}'."),
                "DUPLICATED_OPTION_NAME",
            ));
        }
        if values.is_empty() {
            errors.push(user_error(
                &["input", "productOptions", &i.to_string(), "values"],
                format!("Option '{name}' needs at least one value."),
                "OPTION_VALUES_MISSING",
            ));
        }
        options.push((name, values));
    }
    if options.len() > MAX_OPTIONS {
        errors.push(user_error(
            &["input", "productOptions"],
            format!("Options count is over the allowed limit of {MAX_OPTIONS}."),
            "OPTIONS_OVER_LIMIT",
        ));
    }
    let variants_in = input.get("variants").and_then(Json::as_array).cloned();
    if variants_in.is_none() && !options_in.is_empty() {
        errors.push(user_error(
            &["input", "variants"],
            "Variants input is missing.",
            "VARIANTS_INPUT_MISSING",
        ));
    }
    if variants_in.is_some() && options_in.is_empty() {
        errors.push(user_error(
            &["input", "productOptions"],
            "Product options input is missing.",
            "PRODUCT_OPTIONS_INPUT_MISSING",
        ));
    }
    let variants_in = variants_in.unwrap_or_default();
    if variants_in.len() > MAX_VARIANTS {
        errors.push(user_error(
            &["input", "variants"],
            format!("A product can have at most {MAX_VARIANTS} variants."),
            "VARIANTS_OVER_LIMIT",
        ));
    }
    let mut variants = Vec::new();
    for (i, v) in variants_in.iter().enumerate() {
        let path = format!("variants.{i}");
        let at = |rest: &[&str]| {
            let mut p = vec!["input".to_string(), "variants".to_string(), i.to_string()];
            p.extend(rest.iter().map(|s| s.to_string()));
            p
        };
        check_shape(PSI, &path, v, VARIANT_SET_INPUT, &["optionValues"])?;
        let price = match v.get("price") {
            Some(p) if !p.is_null() => parse_money(PSI, &format!("{path}.price"), p)?,
            _ => Decimal::ZERO,
        };
        let compare_at_price = match v.get("compareAtPrice") {
            Some(p) if !p.is_null() => {
                Some(parse_money(PSI, &format!("{path}.compareAtPrice"), p)?)
            }
            _ => None,
        };
        let inventory_policy = match v.get("inventoryPolicy") {
            Some(p) => enum_value(
                PSI,
                &format!("{path}.inventoryPolicy"),
                p,
                &["DENY", "CONTINUE"],
            )?
            .to_string(),
            None => "DENY".into(),
        };
        if let Some(item) = v.get("inventoryItem") {
            check_shape(
                PSI,
                &format!("{path}.inventoryItem"),
                item,
                INVENTORY_ITEM_INPUT,
                &[],
            )?;
        }
        if price < Decimal::ZERO {
            let f = at(&["price"]);
            errors.push(json!({"field": f, "message": "Price must be greater than or equal to 0", "code": "INVALID_VARIANT"}));
        }
        let mut option_values = Vec::new();
        for (j, ov) in v
            .get("optionValues")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            check_shape(
                PSI,
                &format!("{path}.optionValues.{j}"),
                ov,
                VARIANT_OPTION_VALUE_INPUT,
                &[],
            )?;
            let oname = ov
                .get("optionName")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let value = ov
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string();
            let j_s = j.to_string();
            match options.iter().find(|(n, _)| *n == oname) {
                None => errors.push(json!({
                    "field": at(&["optionValues", &j_s, "optionName"]),
                    "message": format!("Option '{oname}' does not exist."),
                    "code": "OPTION_DOES_NOT_EXIST",
                })),
                Some((_, values)) if !values.contains(&value) => errors.push(json!({
                    "field": at(&["optionValues", &j_s, "name"]),
                    "message": format!("Option value '{value}' does not exist on option '{oname}'."),
                    "code": "OPTION_VALUE_DOES_NOT_EXIST",
                })),
                _ => {}
            }
            option_values.push((oname, value));
        }
        if option_values.len() != options.len() && !options.is_empty() {
            errors.push(json!({
                "field": at(&["optionValues"]),
                "message": format!("The variant has {} option values; the product has {} options.", option_values.len(), options.len()),
                "code": "INVALID_VARIANT",
            }));
        }
        // Put the values in the options' order so that combinations compare equal.
        option_values.sort_by_key(|(n, _)| {
            options
                .iter()
                .position(|(o, _)| o == n)
                .unwrap_or(usize::MAX)
        });
        let mut quantity = None;
        for (j, q) in v
            .get("inventoryQuantities")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            check_shape(
                PSI,
                &format!("{path}.inventoryQuantities.{j}"),
                q,
                QUANTITY_INPUT,
                QUANTITY_INPUT,
            )?;
            let location = parse_gid("Location", &q["locationId"]);
            let j_s = j.to_string();
            if location != Some(w.location_id) {
                errors.push(json!({"field": at(&["inventoryQuantities", &j_s, "locationId"]), "message": "Location does not exist.", "code": "INVALID_INPUT"}));
            }
            let qty = q["quantity"].as_i64().ok_or_else(|| {
                invalid_input(
                    PSI,
                    &format!("{path}.inventoryQuantities.{j}.quantity"),
                    "Expected an Int",
                )
            })?;
            quantity = Some((location.unwrap_or(0), qty));
        }
        if variants
            .iter()
            .any(|o: &WantedVariant| o.option_values == option_values)
        {
            errors.push(json!({"field": at(&["optionValues"]), "message": "The variant already exists with these option values.", "code": "DUPLICATED_VALUE"}));
        }
        let id = match v.get("id") {
            Some(id) if !id.is_null() => {
                Some(parse_gid("ProductVariant", id).ok_or_else(|| {
                    invalid_input(PSI, &format!("{path}.id"), "Invalid global id")
                })?)
            }
            _ => None,
        };
        variants.push(WantedVariant {
            id,
            option_values,
            sku: v.get("sku").and_then(Json::as_str).map(str::to_string),
            barcode: v.get("barcode").and_then(Json::as_str).map(str::to_string),
            price,
            compare_at_price,
            inventory_policy,
            quantity,
        });
    }
    Ok(Wanted { options, variants })
}

pub fn product_set(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let input = f.args.get("input").cloned().unwrap_or(Json::Null);
    if input.is_null() {
        return Err(invalid_input(PSI, "input", "Expected value to not be null"));
    }
    let mut errors = Vec::new();
    let wanted = check_product_set_input(&input, &mut errors, x.world)?;
    // Which product: `identifier` (id or handle), else `input.id`, else a new one.
    let identifier = f.args.get("identifier").filter(|v| !v.is_null());
    let mut target = None;
    let mut handle = input
        .get("handle")
        .and_then(Json::as_str)
        .map(str::to_string);
    if let Some(ident) = identifier {
        check_shape(
            "ProductSetIdentifiers",
            "identifier",
            ident,
            &["id", "handle", "customId"],
            &[],
        )?;
        if input.get("id").is_some() {
            errors.push(user_error(
                &["input", "id"],
                "The id field is not allowed if identifier is provided.",
                "ID_NOT_ALLOWED",
            ));
        }
        if let Some(id) = ident.get("id").filter(|v| !v.is_null()) {
            match parse_gid("Product", id).filter(|id| x.world.products.contains_key(id)) {
                Some(id) => target = Some(id),
                None => errors.push(user_error(
                    &["identifier", "id"],
                    "Product does not exist",
                    "PRODUCT_DOES_NOT_EXIST",
                )),
            }
        } else if let Some(h) = ident.get("handle").and_then(Json::as_str) {
            target = x.world.product_by_handle(h);
            if handle.as_deref().is_some_and(|own| own != h) && target.is_none() {
                errors.push(user_error(
                    &["input", "handle"],
                    "The identifier value does not match the value in the input.",
                    "INPUT_MISMATCH",
                ));
            }
            handle.get_or_insert_with(|| h.to_string());
        }
    } else if let Some(id) = input.get("id").filter(|v| !v.is_null()) {
        match parse_gid("Product", id).filter(|id| x.world.products.contains_key(id)) {
            Some(id) => target = Some(id),
            None => errors.push(user_error(
                &["input", "id"],
                "Product does not exist",
                "PRODUCT_DOES_NOT_EXIST",
            )),
        }
    }
    let title = input
        .get("title")
        .and_then(Json::as_str)
        .map(str::to_string);
    if target.is_none() && title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        errors.push(user_error(
            &["input", "title"],
            "Title can't be blank",
            "MISSING_FIELD_REQUIRED",
        ));
    }
    if let Some(h) = &handle {
        if let Some(other) = x.world.product_by_handle(h) {
            if Some(other) != target {
                errors.push(user_error(
                    &["input", "handle"],
                    format!("Handle '{h}' already in use. Please provide a new handle."),
                    "HANDLE_NOT_UNIQUE",
                ));
            }
        }
    }
    if let Some(id) = target {
        if let Some(p) = x.world.products.get(&id) {
            for (i, v) in wanted.variants.iter().enumerate() {
                if let Some(vid) = v.id {
                    if !p.variants.iter().any(|e| e.id == vid) {
                        errors.push(user_error(
                            &["input", "variants", &i.to_string(), "id"],
                            "Product variant does not exist",
                            "PRODUCT_VARIANT_DOES_NOT_EXIST",
                        ));
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Ok(json!({"product": null, "productSetOperation": null, "userErrors": errors}));
    }
    let now = x.now;
    let w = &mut *x.world;
    let existing = target.and_then(|id| w.products.get(&id).cloned());
    let id = match &existing {
        Some(p) => p.id,
        None => {
            w.products_created += 1;
            w.next_id()
        }
    };
    let handle = handle
        .or_else(|| existing.as_ref().map(|p| p.handle.clone()))
        .unwrap_or_else(|| slug(title.as_deref().unwrap_or("product"), id));
    let str_field = |key: &str, old: Option<&String>| {
        input
            .get(key)
            .and_then(Json::as_str)
            .map(str::to_string)
            .or_else(|| old.cloned())
            .unwrap_or_default()
    };
    // Lists are replaced: variants not sent are deleted; a sent variant keeps its id when it
    // names it or has the same option values as an existing one.
    let old_variants = existing
        .as_ref()
        .map(|p| p.variants.clone())
        .unwrap_or_default();
    let mut variants = Vec::new();
    let mut quantities = Vec::new();
    if wanted.variants.is_empty() && wanted.options.is_empty() && input.get("variants").is_none() {
        // No variant lists sent: keep what is there (or one default variant on create).
        if old_variants.is_empty() {
            let (vid, item) = (w.next_id(), w.next_id());
            variants.push(Variant {
                id: vid,
                inventory_item_id: item,
                sku: None,
                barcode: None,
                price: Decimal::ZERO,
                compare_at_price: None,
                option_values: Vec::new(),
                inventory_policy: "DENY".into(),
            });
        } else {
            variants = old_variants.clone();
        }
    } else {
        for wv in &wanted.variants {
            let kept = old_variants.iter().find(|o| {
                Some(o.id) == wv.id || (wv.id.is_none() && o.option_values == wv.option_values)
            });
            let (vid, item) = match kept {
                Some(o) => (o.id, o.inventory_item_id),
                None => (w.next_id(), w.next_id()),
            };
            if let Some((loc, q)) = wv.quantity {
                quantities.push((item, loc, q));
            }
            variants.push(Variant {
                id: vid,
                inventory_item_id: item,
                sku: wv.sku.clone(),
                barcode: wv.barcode.clone(),
                price: wv.price,
                compare_at_price: wv.compare_at_price,
                option_values: wv.option_values.clone(),
                inventory_policy: wv.inventory_policy.clone(),
            });
        }
    }
    for gone in old_variants
        .iter()
        .filter(|o| !variants.iter().any(|v| v.id == o.id))
    {
        w.inventory
            .retain(|(item, _), _| *item != gone.inventory_item_id);
    }
    for v in &variants {
        w.inventory
            .entry((v.inventory_item_id, w.location_id))
            .or_insert(0);
    }
    for (item, loc, q) in quantities {
        w.inventory.insert((item, loc), q);
    }
    let product = Product {
        id,
        handle,
        title: str_field("title", existing.as_ref().map(|p| &p.title)),
        description_html: str_field(
            "descriptionHtml",
            existing.as_ref().map(|p| &p.description_html),
        ),
        vendor: str_field("vendor", existing.as_ref().map(|p| &p.vendor)),
        product_type: str_field("productType", existing.as_ref().map(|p| &p.product_type)),
        status: input
            .get("status")
            .and_then(Json::as_str)
            .map(str::to_string)
            .or_else(|| existing.as_ref().map(|p| p.status.clone()))
            .unwrap_or_else(|| "ACTIVE".into()),
        tags: match input.get("tags").and_then(Json::as_array) {
            Some(t) => t
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect(),
            None => existing
                .as_ref()
                .map(|p| p.tags.clone())
                .unwrap_or_default(),
        },
        options: if input.get("productOptions").is_some() {
            wanted.options
        } else {
            existing
                .as_ref()
                .map(|p| p.options.clone())
                .unwrap_or_default()
        },
        variants,
        created_at: existing.as_ref().map(|p| p.created_at).unwrap_or(now),
        updated_at: now,
    };
    let out = product_json(w, &product);
    w.products.insert(id, product);
    Ok(json!({"product": out, "productSetOperation": null, "userErrors": []}))
}

fn slug(title: &str, id: u64) -> String {
    let s: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        format!("product-{id}")
    } else {
        s
    }
}

/// `productUpdate(product: ProductUpdateInput!)`: the fields that are not lists.
pub fn product_update(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let input = f
        .args
        .get("product")
        .or_else(|| f.args.get("input"))
        .cloned()
        .unwrap_or(Json::Null);
    check_shape(
        "ProductUpdateInput",
        "",
        &input,
        &[
            "id",
            "title",
            "handle",
            "descriptionHtml",
            "vendor",
            "productType",
            "status",
            "tags",
            "seo",
            "category",
            "templateSuffix",
            "redirectNewHandle",
        ],
        &["id"],
    )?;
    if let Some(status) = input.get("status") {
        enum_value(
            "ProductUpdateInput",
            "status",
            status,
            &["ACTIVE", "ARCHIVED", "DRAFT", "UNLISTED"],
        )?;
    }
    let now = x.now;
    let w = &mut *x.world;
    let Some(id) = parse_gid("Product", &input["id"]).filter(|id| w.products.contains_key(id))
    else {
        return Ok(
            json!({"product": null, "userErrors": [user_error(&["id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]}),
        );
    };
    let Some(p) = w.products.get_mut(&id) else {
        return Ok(json!({"product": null, "userErrors": []}));
    };
    if let Some(s) = input.get("status").and_then(Json::as_str) {
        p.status = s.to_string();
    }
    if let Some(s) = input.get("title").and_then(Json::as_str) {
        p.title = s.to_string();
    }
    if let Some(s) = input.get("descriptionHtml").and_then(Json::as_str) {
        p.description_html = s.to_string();
    }
    p.updated_at = now;
    let p = p.clone();
    Ok(json!({"product": product_json(w, &p), "userErrors": []}))
}

const ISQ: &str = "InventorySetQuantitiesInput";

pub fn inventory_set_quantities(x: &mut Exec<'_>, f: &Field) -> Result<Json, GraphqlError> {
    let key = f
        .directives
        .iter()
        .find(|(n, _)| n == "idempotent")
        .and_then(|(_, args)| args.get("key").and_then(Json::as_str).map(str::to_string));
    if key.is_none() && x.version >= "2026-04" {
        return Err(GraphqlError(json!({
            "message": "The @idempotent directive is required for this mutation.",
            "locations": f.location(),
            "path": [f.response_key()],
            "extensions": {"code": "BAD_REQUEST"},
        })));
    }
    let input = f.args.get("input").cloned().unwrap_or(Json::Null);
    check_shape(
        ISQ,
        "",
        &input,
        INVENTORY_SET_INPUT,
        &["name", "reason", "quantities"],
    )?;
    let quantities = input["quantities"].as_array().cloned().unwrap_or_default();
    for (i, q) in quantities.iter().enumerate() {
        // From 2026-04 `changeFromQuantity` must be sent for every quantity (null opts out).
        check_shape(
            ISQ,
            &format!("quantities.{i}"),
            q,
            INVENTORY_QUANTITY_INPUT,
            INVENTORY_QUANTITY_INPUT,
        )?;
        if !q["quantity"].is_i64() {
            return Err(invalid_input(
                ISQ,
                &format!("quantities.{i}.quantity"),
                "Expected an Int",
            ));
        }
        if !(q["changeFromQuantity"].is_null() || q["changeFromQuantity"].is_i64()) {
            return Err(invalid_input(
                ISQ,
                &format!("quantities.{i}.changeFromQuantity"),
                "Expected an Int or null",
            ));
        }
    }
    let fingerprint = serde_json::to_string(&input).unwrap_or_default();
    if let Some(k) = &key {
        if let Some(seen) = x.world.idempotency.get(k) {
            if seen.fingerprint == fingerprint {
                return Ok(seen.response.clone());
            }
            return Ok(
                json!({"inventoryAdjustmentGroup": null, "userErrors": [user_error(&["input"], "The same idempotency key cannot be used with different operation parameters.", "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")]}),
            );
        }
    }
    let response = apply_quantities(x, &input, &quantities);
    if let Some(k) = key {
        x.world.idempotency.insert(
            k,
            Remembered {
                fingerprint,
                response: response.clone(),
            },
        );
    }
    Ok(response)
}

fn apply_quantities(x: &mut Exec<'_>, input: &Json, quantities: &[Json]) -> Json {
    let w = &mut *x.world;
    let mut errors = Vec::new();
    let name = input["name"].as_str().unwrap_or("");
    if name != "available" && name != "on_hand" {
        errors.push(user_error(
            &["input", "name"],
            "The quantity name must be either 'available' or 'on_hand'.",
            "INVALID_NAME",
        ));
    }
    let reason = input["reason"].as_str().unwrap_or("");
    if !REASONS.contains(&reason) {
        errors.push(user_error(
            &["input", "reason"],
            "The specified reason is invalid.",
            "INVALID_REASON",
        ));
    }
    let mut changes = Vec::new();
    for (i, q) in quantities.iter().enumerate() {
        let i_s = i.to_string();
        let item = parse_gid("InventoryItem", &q["inventoryItemId"])
            .filter(|id| w.variant_by_inventory_item(*id).is_some());
        let location = parse_gid("Location", &q["locationId"]).filter(|id| *id == w.location_id);
        let quantity = q["quantity"].as_i64().unwrap_or(0);
        let (Some(item), Some(location)) = (item, location) else {
            if item.is_none() {
                errors.push(user_error(
                    &["input", "quantities", &i_s, "inventoryItemId"],
                    "The specified inventory item could not be found.",
                    "INVALID_INVENTORY_ITEM",
                ));
            } else {
                errors.push(user_error(
                    &["input", "quantities", &i_s, "locationId"],
                    "The specified location could not be found.",
                    "INVALID_LOCATION",
                ));
            }
            continue;
        };
        if quantity < 0 {
            errors.push(user_error(
                &["input", "quantities", &i_s, "quantity"],
                "The quantity can't be negative.",
                "INVALID_QUANTITY_NEGATIVE",
            ));
            continue;
        }
        if quantity > 1_000_000_000 {
            errors.push(user_error(
                &["input", "quantities", &i_s, "quantity"],
                "The total quantity can't be higher than 1,000,000,000.",
                "INVALID_QUANTITY_TOO_HIGH",
            ));
            continue;
        }
        let current = w.inventory.get(&(item, location)).copied().unwrap_or(0);
        if let Some(expected) = q["changeFromQuantity"].as_i64() {
            if expected != current {
                errors.push(user_error(
                    &["input", "quantities", &i_s, "changeFromQuantity"],
                    "The changeFromQuantity value does not match persisted value.",
                    "CHANGE_FROM_QUANTITY_STALE",
                ));
                continue;
            }
        }
        changes.push((item, location, quantity, quantity - current));
    }
    if !errors.is_empty() {
        return json!({"inventoryAdjustmentGroup": null, "userErrors": errors});
    }
    for (item, location, quantity, _) in &changes {
        w.inventory.insert((*item, *location), *quantity);
    }
    let group = w.next_id();
    json!({
        "inventoryAdjustmentGroup": {
            "id": gid("InventoryAdjustmentGroup", group),
            "createdAt": time(x.now),
            "reason": reason,
            "referenceDocumentUri": input.get("referenceDocumentUri"),
            "changes": changes.iter().map(|(item, location, after, delta)| json!({
                "name": name,
                "delta": delta,
                "quantityAfterChange": after,
                "item": {"id": gid("InventoryItem", *item)},
                "location": {"id": gid("Location", *location)},
            })).collect::<Vec<_>>(),
        },
        "userErrors": [],
    })
}
