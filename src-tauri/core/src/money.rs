//! Money: an exact decimal amount with an ISO 4217 currency. Never a float.
//!
//! Amounts are stored in SQLite as TEXT (`"12.50"`) next to a currency column, so no precision is
//! lost on the way to disk and back. Rounding is always explicit: [`Money::round_half_even`] is
//! the default (banker's rounding, what accountants expect when summing many lines); a platform
//! that rounds differently says so where its fees are computed.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Errors in reading or combining money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("'{0}' is not a currency code: use three capital letters, such as EUR")]
    BadCurrency(String),
    #[error("'{0}' is not an amount: write it like 12.50 or 12,50")]
    BadAmount(String),
    #[error("cannot combine {0} with {1}: convert to one currency first")]
    CurrencyMismatch(Currency, Currency),
}

/// An ISO 4217 currency code such as `EUR`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored (checked in `from_str`).
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, MoneyError> {
        let b = s.trim().as_bytes();
        match b {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(Currency([*a, *b, *c]))
            }
            _ => Err(MoneyError::BadCurrency(s.to_string())),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, MoneyError> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exact amount of one currency. Crosses to the UI as `{ amount: "12.50", currency: "EUR" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub amount: Decimal,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    pub fn eur(amount: Decimal) -> Self {
        Self::new(amount, Currency::EUR)
    }

    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    /// Reads an amount as a merchant types it: `12.50`, `12,50`, `1.234,50` (Dutch) or
    /// `1,234.50` (English). A lone separator followed by exactly three digits (`1.234`) is read
    /// as a thousands separator only when the other separator also appears; otherwise it is a
    /// decimal point, because prices with three decimals are rarer than typos in thousands.
    pub fn parse_amount(text: &str) -> Result<Decimal, MoneyError> {
        let bad = || MoneyError::BadAmount(text.to_string());
        let s: String = text
            .trim()
            .trim_start_matches('€')
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.is_empty() {
            return Err(bad());
        }
        let normalised = match (s.rfind(','), s.rfind('.')) {
            (Some(c), Some(d)) if c > d => s.replace('.', "").replace(',', "."),
            (Some(_), Some(_)) => s.replace(',', ""),
            (Some(_), None) => {
                if s.matches(',').count() > 1 {
                    return Err(bad());
                }
                s.replace(',', ".")
            }
            _ => s,
        };
        Decimal::from_str(&normalised).map_err(|_| bad())
    }

    /// Stored form of the amount: a plain decimal string with a dot, e.g. `12.50`.
    pub fn amount_text(&self) -> String {
        self.amount.to_string()
    }

    pub fn round_half_even(self, decimals: u32) -> Self {
        Self::new(
            self.amount
                .round_dp_with_strategy(decimals, RoundingStrategy::MidpointNearestEven),
            self.currency,
        )
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::new(self.amount + other.amount, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money::new(self.amount - other.amount, self.currency))
    }

    /// Multiplies by a plain factor (a quantity, a percentage as fraction), unrounded.
    pub fn times(self, factor: Decimal) -> Money {
        Money::new(self.amount * factor, self.currency)
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn amounts_typed_the_dutch_or_english_way_read_the_same() {
        for text in ["12.50", "12,50", "€ 12,50", " 12.5 "] {
            assert_eq!(
                Money::parse_amount(text),
                Ok(dec!(12.50)),
                "'{text}' is 12.50"
            );
        }
        assert_eq!(
            Money::parse_amount("1.234,56"),
            Ok(dec!(1234.56)),
            "Dutch thousands"
        );
        assert_eq!(
            Money::parse_amount("1,234.56"),
            Ok(dec!(1234.56)),
            "English thousands"
        );
    }

    #[test]
    fn rubbish_amounts_are_refused_with_the_text_in_the_message() {
        let err = Money::parse_amount("twaalf").unwrap_err();
        assert!(
            err.to_string().contains("twaalf"),
            "message names the bad value: {err}"
        );
        assert!(
            Money::parse_amount("").is_err(),
            "an empty amount is not zero"
        );
        assert!(
            Money::parse_amount("1,2,3").is_err(),
            "two decimal commas are a mistake"
        );
    }

    #[test]
    fn half_even_rounding_goes_to_the_even_cent() {
        assert_eq!(
            Money::eur(dec!(0.125)).round_half_even(2).amount,
            dec!(0.12)
        );
        assert_eq!(
            Money::eur(dec!(0.135)).round_half_even(2).amount,
            dec!(0.14)
        );
    }

    #[test]
    fn different_currencies_do_not_add_up() {
        let usd: Currency = "USD".parse().unwrap();
        let r = Money::eur(dec!(1)).checked_add(Money::new(dec!(1), usd));
        assert!(
            matches!(r, Err(MoneyError::CurrencyMismatch(_, _))),
            "EUR + USD must fail"
        );
    }

    #[test]
    fn currency_codes_are_three_capitals() {
        assert!("eur".parse::<Currency>().is_err(), "lower case is refused");
        assert!(
            "EURO".parse::<Currency>().is_err(),
            "four letters is refused"
        );
        assert_eq!("EUR".parse::<Currency>().unwrap(), Currency::EUR);
    }

    #[test]
    fn money_round_trips_through_json_as_a_string_amount() {
        let m = Money::eur(dec!(12.50));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json, r#"{"amount":"12.50","currency":"EUR"}"#,
            "no float in JSON"
        );
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }
}
