//! Dutch VAT (btw) rates. Prices in the catalog include VAT, as consumer prices in the
//! Netherlands must; the rate says how much of the price is VAT.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The VAT rates a Dutch merchant uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatRate {
    /// 21 %: most goods (equipment, gift boxes).
    Standard,
    /// 9 %: food and drink for consumption off premises (coffee beans, tea, pastries).
    Reduced,
    /// 0 %: exports, some services.
    Zero,
}

impl VatRate {
    /// The rate as a fraction (0.21).
    pub fn fraction(self) -> Decimal {
        match self {
            VatRate::Standard => Decimal::new(21, 2),
            VatRate::Reduced => Decimal::new(9, 2),
            VatRate::Zero => Decimal::ZERO,
        }
    }

    /// The stored code: `standard`, `reduced`, `zero`.
    pub fn code(self) -> &'static str {
        match self {
            VatRate::Standard => "standard",
            VatRate::Reduced => "reduced",
            VatRate::Zero => "zero",
        }
    }

    /// The part of a VAT-inclusive price that is the price without VAT, unrounded.
    pub fn excl(self, incl: Decimal) -> Decimal {
        incl / (Decimal::ONE + self.fraction())
    }
}

impl FromStr for VatRate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "standard" | "21" => Ok(VatRate::Standard),
            "reduced" | "9" => Ok(VatRate::Reduced),
            "zero" | "0" => Ok(VatRate::Zero),
            other => Err(format!(
                "'{other}' is not a Dutch VAT rate: use 21, 9 or 0 (standard, reduced, zero)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_price_of_12_10_at_21_percent_is_10_without_vat() {
        assert_eq!(VatRate::Standard.excl(dec!(12.10)), dec!(10));
        assert_eq!(VatRate::Reduced.excl(dec!(10.90)), dec!(10));
        assert_eq!(VatRate::Zero.excl(dec!(7.5)), dec!(7.5));
    }

    #[test]
    fn codes_round_trip() {
        for r in [VatRate::Standard, VatRate::Reduced, VatRate::Zero] {
            assert_eq!(r.code().parse::<VatRate>(), Ok(r), "stored code reads back");
        }
        assert!("19".parse::<VatRate>().unwrap_err().contains("21, 9 or 0"));
    }
}
