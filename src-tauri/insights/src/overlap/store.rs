//! Customer overlap over kanaal-core's store: resolve persons among the stored customers, report
//! on them, and erase a customer (AVG/GDPR).
//!
//! What this module writes: `customers.person_id`, `customers.match_keys` (64-bit prefixes of
//! keyed hashes, never a raw identifier), the `persons` table, and — only when erasing — blanks
//! over personal data. It never copies a name, e-mail, phone or address anywhere; raw personal
//! data stays in the row the order sync put it in, until the merchant erases it.

use super::em::FromPriors;
use super::prepare::{self, CustomerRecord, Prepared};
use super::report::{self, Membership, OverlapReport, PersonOrder};
use super::{match_prepared, MatchConfig, MatchKey};
use chrono::{DateTime, Utc};
use kanaal_core::{Error, Result};
use rusqlite::{params, Transaction};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A stored customer row, ready for matching.
#[derive(Debug, Clone)]
pub struct StoredCustomer {
    pub id: i64,
    pub person_id: Option<i64>,
    pub record: CustomerRecord,
}

/// What [`resolve_persons`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resolved {
    pub customers: usize,
    pub persons: usize,
    /// Customers whose person changed in this run (first run: all of them).
    pub changed: usize,
    /// Which parameters came from the documented priors (a small shop).
    pub from_priors: FromPriors,
}

/// What [`erase_customer`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// Customer rows blanked: every channel's record of the same person.
    pub customers: usize,
    /// Orders whose raw payload had its personal fields removed (amounts kept).
    pub orders: usize,
    /// Reviews whose author name was removed.
    pub reviews: usize,
}

/// Every stored customer, ordered by id. The channel is the channel's kind (`bol`, `shopify`),
/// which is what the masking rules recognise.
pub fn load_customers(tx: &Transaction<'_>) -> Result<Vec<StoredCustomer>> {
    let mut st = tx.prepare(
        "SELECT cu.id, cu.person_id, ch.kind, cu.remote_id, cu.name, cu.email, cu.phone,
                cu.house_number, cu.postcode, cu.city, cu.country
           FROM customers cu JOIN channels ch ON ch.id = cu.channel_id
          ORDER BY cu.id",
    )?;
    let rows = st.query_map([], |r| {
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        Ok(StoredCustomer {
            id: r.get(0)?,
            person_id: r.get(1)?,
            record: CustomerRecord {
                channel: text(2)?,
                id: text(3)?,
                name: text(4)?,
                email: text(5)?,
                phone: text(6)?,
                street: String::new(),
                house_number: text(7)?,
                postcode: text(8)?,
                city: text(9)?,
                country: text(10)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The keyed hashes of one prepared record, as stored in `customers.match_keys`: field name to
/// 16 hex digits (the 64-bit prefix the matcher compares). A relay alias is stored as
/// `relay_email`, since it only identifies someone within its channel.
pub fn match_keys_json(p: &Prepared) -> String {
    let mut m: BTreeMap<&str, String> = BTreeMap::new();
    let mut put = |name: &'static str, v: Option<u64>| {
        if let Some(v) = v {
            m.insert(name, format!("{v:016x}"));
        }
    };
    if p.relay_scope.is_some() {
        put("relay_email", p.email);
    } else {
        put("email", p.email);
    }
    put("phone", p.phone);
    put("address", p.address);
    put("postcode", p.postcode);
    put("postcode_area", p.area);
    put("surname", p.surname_key);
    put("given", p.given_key);
    put("city", p.city);
    serde_json::to_string(&m).unwrap_or_else(|_| "{}".into())
}

/// Resolves persons among all stored customers and writes `person_id` and `match_keys` back.
///
/// Person ids stay stable across runs where they can: a resolved group keeps the lowest person
/// id any of its customers already had (if no other group claimed it first); new groups get new
/// rows in `persons`; persons no customer points to any more are deleted.
pub fn resolve_persons(
    tx: &Transaction<'_>,
    key: &MatchKey,
    config: &MatchConfig,
    now: DateTime<Utc>,
) -> Result<Resolved> {
    let customers = load_customers(tx)?;
    let mut prepared: Vec<Prepared> = customers
        .iter()
        .map(|c| prepare::prepare(&c.record, key))
        .collect();
    let keys: Vec<String> = prepared.iter().map(match_keys_json).collect();
    prepare::drop_shared_values(&mut prepared);
    let matching = match_prepared(&prepared, config, 0);

    // Group members by resolved person number, groups in order of their first customer.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<u32, usize> = HashMap::new();
    for (i, &p) in matching.person.iter().enumerate() {
        let g = *group_of.entry(p).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut claimed: HashSet<i64> = HashSet::new();
    let mut person_of = vec![0i64; customers.len()];
    let created = now.to_rfc3339();
    for members in &groups {
        let mut old: Vec<i64> = members
            .iter()
            .filter_map(|&i| customers[i].person_id)
            .collect();
        old.sort_unstable();
        let id = match old.into_iter().find(|id| !claimed.contains(id)) {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO persons (created_at) VALUES (?1)",
                    params![created],
                )?;
                tx.last_insert_rowid()
            }
        };
        claimed.insert(id);
        for &i in members {
            person_of[i] = id;
        }
    }
    let mut changed = 0;
    {
        let mut st =
            tx.prepare("UPDATE customers SET person_id = ?1, match_keys = ?2 WHERE id = ?3")?;
        for (i, c) in customers.iter().enumerate() {
            if c.person_id != Some(person_of[i]) {
                changed += 1;
            }
            st.execute(params![person_of[i], keys[i], c.id])?;
        }
    }
    tx.execute(
        "DELETE FROM persons WHERE id NOT IN
           (SELECT person_id FROM customers WHERE person_id IS NOT NULL)",
        [],
    )?;
    Ok(Resolved {
        customers: customers.len(),
        persons: groups.len(),
        changed,
        from_priors: matching.model.from_priors,
    })
}

/// The overlap report over the store's resolved persons and orders. Channels are named by
/// their `channels.name`. A customer not yet resolved (`person_id` empty) counts as a person of
/// their own; [`unresolved_customers`] tells whether to resolve first.
pub fn overlap_report(tx: &Transaction<'_>) -> Result<OverlapReport> {
    // Person numbers for the report: stored persons first, then one per unresolved customer.
    let mut number: HashMap<(bool, i64), u32> = HashMap::new();
    let mut person = |resolved: bool, id: i64| -> u32 {
        let next = number.len() as u32 + 1;
        *number.entry((resolved, id)).or_insert(next)
    };
    let mut memberships = Vec::new();
    let mut customer_person: HashMap<i64, u32> = HashMap::new();
    {
        let mut st = tx.prepare(
            "SELECT cu.id, cu.person_id, ch.name FROM customers cu
               JOIN channels ch ON ch.id = cu.channel_id ORDER BY cu.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, pid, channel) = row?;
            let p = match pid {
                Some(pid) => person(true, pid),
                None => person(false, id),
            };
            customer_person.insert(id, p);
            memberships.push(Membership { channel, person: p });
        }
    }
    // Orders that say where a person bought. A cancelled order never became a purchase and is
    // left out. An order refunded in full is kept: the buyer did choose this channel and bought
    // there (reach and moves between channels are about where people shop, not about what they
    // kept), while the money side of a refund is left out of the fee figures instead.
    let mut orders = Vec::new();
    let mut st = tx.prepare(
        "SELECT o.customer_id, ch.name, o.placed_at FROM orders o
           JOIN channels ch ON ch.id = o.channel_id
          WHERE o.customer_id IS NOT NULL AND lower(o.status) NOT IN ('cancelled', 'canceled')
          ORDER BY o.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (cid, channel, placed) = row?;
        let Some(&p) = customer_person.get(&cid) else {
            continue;
        };
        let placed_at = DateTime::parse_from_rfc3339(&placed)
            .map_err(|_| Error::Corrupt(format!("order date '{placed}'")))?
            .with_timezone(&Utc);
        orders.push(PersonOrder {
            channel,
            person: p,
            placed_at,
        });
    }
    Ok(report::build(&memberships, &orders))
}

/// How many stored customers have no person yet (matching has not run since they arrived).
pub fn unresolved_customers(tx: &Transaction<'_>) -> Result<u64> {
    Ok(tx.query_row(
        "SELECT count(*) FROM customers WHERE person_id IS NULL",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64)
}

/// Object keys (lower-case, without `_` and `-`) that hold personal data in the channels' order
/// payloads (Shopify, WooCommerce, bol.com, Amazon, Etsy, delivery platforms). Removed wherever
/// they appear.
const PII_KEYS: &[&str] = &[
    "email",
    "emailaddress",
    "buyeremail",
    "contactemail",
    "phone",
    "phonenumber",
    "deliveryphonenumber",
    "contactnumber",
    "mobile",
    "firstname",
    "lastname",
    "surname",
    "fullname",
    "buyername",
    "salutation",
    "street",
    "streetname",
    "address",
    "address1",
    "address2",
    "address3",
    "addressline1",
    "addressline2",
    "addressline3",
    "housenumber",
    "housenumberextension",
    "zip",
    "zipcode",
    "postcode",
    "postalcode",
    "latitude",
    "longitude",
    "vatnumber",
    "kvknumber",
    "birthdate",
    "note",
    "customernote",
    "deliveryinstructions",
    "ipaddress",
    "browserip",
];

/// Keys removed only inside an object that also holds one of [`PII_KEYS`] (a person or an
/// address): elsewhere `name` is a product title and `city` may be a pickup point's.
const PII_KEYS_IN_PERSON: &[&str] = &[
    "name",
    "company",
    "companyname",
    "city",
    "province",
    "state",
];

fn key_form(k: &str) -> String {
    k.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Removes personal fields from a payload in place (values set to null); returns whether
/// anything was removed.
fn scrub(v: &mut serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(map) => {
            let person = map
                .iter()
                .any(|(k, v)| !v.is_null() && PII_KEYS.contains(&key_form(k).as_str()));
            let mut changed = false;
            for (k, v) in map.iter_mut() {
                let k = key_form(k);
                let personal = PII_KEYS.contains(&k.as_str())
                    || (person && PII_KEYS_IN_PERSON.contains(&k.as_str()));
                if personal {
                    if !v.is_null() {
                        *v = serde_json::Value::Null;
                        changed = true;
                    }
                } else {
                    changed |= scrub(v);
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, v| scrub(v) | c),
        _ => false,
    }
}

/// Erases a customer everywhere in the store (AVG/GDPR "right to erasure"), in the caller's
/// transaction: the customer row and every other channel's row of the same person lose their
/// name, e-mail, phone, address and match keys; those customers' orders keep their amounts,
/// dates, lines and status (the books need them) but their raw payload loses every personal
/// field (a payload that is not JSON is replaced as a whole); reviews on those orders, or on the
/// same channel under the customer's name, lose their author. The person row is deleted and
/// one audit row per customer records that an erasure happened (without the erased values).
pub fn erase_customer(
    tx: &Transaction<'_>,
    customer_id: i64,
    now: DateTime<Utc>,
) -> Result<Erasure> {
    let person: Option<Option<i64>> = tx
        .query_row(
            "SELECT person_id FROM customers WHERE id = ?1",
            params![customer_id],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let Some(person) = person else {
        return Err(Error::NotFound(format!("Customer {customer_id}")));
    };
    let ids: Vec<(i64, i64, Option<String>)> = {
        let mut st = tx.prepare(
            "SELECT id, channel_id, name FROM customers
              WHERE id = ?1 OR (?2 IS NOT NULL AND person_id = ?2) ORDER BY id",
        )?;
        let rows = st.query_map(params![customer_id, person], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut out = Erasure::default();
    for (id, channel_id, name) in &ids {
        // Reviews first, while the name is still there to recognise the author by.
        out.reviews += tx.execute(
            "UPDATE reviews SET author = NULL
              WHERE author IS NOT NULL
                AND (order_id IN (SELECT id FROM orders WHERE customer_id = ?1)
                     OR (channel_id = ?2 AND ?3 IS NOT NULL
                         AND lower(trim(author)) = lower(trim(?3))))",
            params![id, channel_id, name],
        )?;
        let orders: Vec<(i64, String)> = {
            let mut st = tx.prepare("SELECT id, raw FROM orders WHERE customer_id = ?1")?;
            let rows = st.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (order_id, raw) in orders {
            let scrubbed = match serde_json::from_str::<serde_json::Value>(&raw) {
                Ok(mut v) => scrub(&mut v).then(|| v.to_string()),
                Err(_) => Some(r#"{"erased":true}"#.to_string()),
            };
            if let Some(s) = scrubbed {
                tx.execute(
                    "UPDATE orders SET raw = ?1 WHERE id = ?2",
                    params![s, order_id],
                )?;
                out.orders += 1;
            }
        }
        tx.execute(
            "UPDATE customers SET remote_id = 'erased-' || id, name = NULL, email = NULL,
                    phone = NULL, postcode = NULL, house_number = NULL, city = NULL,
                    country = NULL, match_keys = '{}', person_id = NULL
              WHERE id = ?1",
            params![id],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, source, entity, entity_id, field, old_value, new_value)
             VALUES (?1, 'erasure', 'customer', ?2, 'personal data', NULL, NULL)",
            params![now.to_rfc3339(), id],
        )?;
        out.customers += 1;
    }
    if let Some(p) = person {
        tx.execute("DELETE FROM persons WHERE id = ?1", params![p])?;
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_keeps_amounts_and_product_names_and_drops_the_person() {
        let mut v: serde_json::Value = serde_json::json!({
            "id": 1001,
            "total_price": "29.99",
            "email": "jan@ziggo.nl",
            "customer": {"first_name": "Jan", "last_name": "de Vries", "id": 7},
            "shipping_address": {"name": "Jan de Vries", "address1": "Kerkstraat 7", "city": "Den Haag", "zip": "2511 CV", "country_code": "NL"},
            "line_items": [{"name": "Linen apron", "price": "29.99", "quantity": 1}],
            "shipmentDetails": {"firstName": "Jan", "houseNumber": "7", "zipCode": "2511CV"}
        });
        assert!(scrub(&mut v));
        let s = v.to_string();
        for pii in [
            "jan@ziggo.nl",
            "Jan",
            "Vries",
            "Kerkstraat",
            "Den Haag",
            "2511",
        ] {
            assert!(!s.contains(pii), "{pii} is gone from {s}");
        }
        assert_eq!(v["total_price"], "29.99", "amounts stay for the books");
        assert_eq!(
            v["line_items"][0]["name"], "Linen apron",
            "a product's name is not personal"
        );
        assert_eq!(
            v["shipping_address"]["country_code"], "NL",
            "the country stays (VAT)"
        );
        assert!(
            !scrub(&mut v),
            "a scrubbed payload has nothing left to scrub"
        );
    }
}
