//! Shopify's wire formats shared by the resolvers: GIDs, money as decimal strings, ISO-8601
//! times, userErrors, input-shape checks, and the search syntax of `query:` arguments
//! (`updated_at:>'2026-06-01T00:00:00Z' status:open`).

use super::graphql::GraphqlError;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use std::str::FromStr;

pub fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// The numeric id of a GID of the expected kind.
pub fn parse_gid(kind: &str, value: &Json) -> Option<u64> {
    value
        .as_str()?
        .strip_prefix("gid://shopify/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?
        .parse()
        .ok()
}

pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A sortable key for cursors: fixed-width time plus id.
pub fn time_key(t: DateTime<Utc>, id: u64) -> String {
    format!(
        "{}|{id:020}",
        t.to_rfc3339_opts(SecondsFormat::Millis, true)
    )
}

pub fn amount(d: Decimal) -> String {
    let mut d = d.round_dp(2);
    d.rescale(2);
    d.to_string()
}

pub fn money(d: Decimal) -> Json {
    json!({"amount": amount(d), "currencyCode": "EUR"})
}

pub fn money_bag(d: Decimal) -> Json {
    json!({"shopMoney": money(d), "presentmentMoney": money(d)})
}

pub fn user_error(field: &[&str], message: impl Into<String>, code: &str) -> Json {
    json!({"field": field, "message": message.into(), "code": code})
}

/// A variable that does not fit its input type: Shopify refuses the whole request.
pub fn invalid_input(type_name: &str, path: &str, problem: &str) -> GraphqlError {
    GraphqlError::new(
        format!("Variable $input of type {type_name}! was provided invalid value for {path} ({problem})"),
        "INVALID_VARIABLE",
    )
}

/// Checks that `value` is an object whose keys are all in `allowed` and that `required` are
/// present; `path` names it in the error.
pub fn check_shape(
    type_name: &str,
    path: &str,
    value: &Json,
    allowed: &[&str],
    required: &[&str],
) -> Result<(), GraphqlError> {
    let Some(map) = value.as_object() else {
        return Err(invalid_input(
            type_name,
            path,
            "Expected value to be an object",
        ));
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            return Err(invalid_input(
                type_name,
                &at,
                "Field is not defined on the input type",
            ));
        }
    }
    for key in required {
        if !map.contains_key(*key) {
            let at = if path.is_empty() {
                (*key).to_string()
            } else {
                format!("{path}.{key}")
            };
            return Err(invalid_input(
                type_name,
                &at,
                "Expected value to not be null",
            ));
        }
    }
    Ok(())
}

/// A `Money`/`Decimal` input: a decimal string (numbers are accepted too, as Shopify does).
pub fn parse_money(type_name: &str, path: &str, value: &Json) -> Result<Decimal, GraphqlError> {
    let parsed = match value {
        Json::String(s) => Decimal::from_str(s.trim()).ok(),
        Json::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    };
    parsed.ok_or_else(|| invalid_input(type_name, path, "invalid decimal value"))
}

pub fn enum_value<'a>(
    type_name: &str,
    path: &str,
    value: &'a Json,
    allowed: &[&str],
) -> Result<&'a str, GraphqlError> {
    match value.as_str() {
        Some(s) if allowed.contains(&s) => Ok(s),
        _ => Err(invalid_input(
            type_name,
            path,
            &format!("Expected one of {}", allowed.join(", ")),
        )),
    }
}

/// One term of a search query: `field:>value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub field: String,
    pub op: &'static str,
    pub value: String,
}

/// Splits a search query into terms (implicit AND), honouring quotes.
pub fn search_terms(query: &str) -> Vec<Term> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in query.chars() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (c2, Some(q)) if c2 == q => quote = None,
            (' ', None) => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
        .into_iter()
        .filter_map(|p| {
            let (field, rest) = p.split_once(':')?;
            let (op, value) = [">=", "<=", ">", "<"]
                .iter()
                .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v)))
                .unwrap_or(("=", rest));
            Some(Term {
                field: field.to_lowercase(),
                op,
                value: value.to_string(),
            })
        })
        .collect()
}

/// A date or date-time in a search term.
pub fn term_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

/// Whether `t` satisfies a time term; unknown values match nothing.
pub fn time_matches(term: &Term, t: DateTime<Utc>) -> bool {
    let Some(v) = term_time(&term.value) else {
        return false;
    };
    match term.op {
        ">" => t > v,
        ">=" => t >= v,
        "<" => t < v,
        "<=" => t <= v,
        _ => t == v,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_read_shopify_syntax() {
        let t = search_terms("updated_at:>'2026-06-01T00:00:00Z' status:open");
        assert_eq!(t[0].field, "updated_at");
        assert_eq!(t[0].op, ">");
        assert_eq!(t[0].value, "2026-06-01T00:00:00Z");
        assert_eq!(
            t[1],
            Term {
                field: "status".into(),
                op: "=",
                value: "open".into()
            }
        );
    }

    #[test]
    fn money_is_a_two_decimal_string_and_gids_round_trip() {
        assert_eq!(amount(Decimal::new(125, 1)), "12.50");
        assert_eq!(parse_gid("Product", &json!(gid("Product", 42))), Some(42));
        assert_eq!(
            parse_gid("Product", &json!("gid://shopify/Order/42")),
            None,
            "kind is checked"
        );
    }
}
