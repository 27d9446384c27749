//! GTIN / EAN check digits (GS1 mod-10). Marketplaces such as bol.com refuse an offer whose EAN
//! has a wrong check digit, so the catalog checks it when the merchant types it.

use crate::problem::InputProblem;

/// The check digit for the digits of a GTIN without its last digit.
pub fn check_digit(body: &str) -> Option<u8> {
    let mut sum = 0u32;
    // Weights 3,1,3,1... from the right-most digit of the body.
    for (i, c) in body.chars().rev().enumerate() {
        let d = c.to_digit(10)?;
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

/// Appends the check digit to a body of 7, 11, 12 or 13 digits (GTIN-8/12/13/14).
pub fn complete(body: &str) -> Option<String> {
    if !matches!(body.len(), 7 | 11 | 12 | 13) {
        return None;
    }
    check_digit(body).map(|d| format!("{body}{d}"))
}

/// Why a GTIN was refused, in words a merchant can act on; `None` when it is valid.
pub fn problem(gtin: &str) -> Option<InputProblem> {
    if !matches!(gtin.len(), 8 | 12 | 13 | 14) || !gtin.chars().all(|c| c.is_ascii_digit()) {
        return Some(InputProblem::GtinLength {
            value: gtin.to_string(),
        });
    }
    let (body, last) = gtin.split_at(gtin.len() - 1);
    let expected = check_digit(body)?;
    if last != expected.to_string() {
        return Some(InputProblem::GtinCheckDigit {
            value: gtin.to_string(),
            expected,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_eans_are_valid() {
        // Published GS1 examples and real product barcodes.
        for ean in ["4006381333931", "8712100325953", "73513537", "036000291452"] {
            assert_eq!(problem(ean), None, "{ean} is a valid GTIN");
        }
    }

    #[test]
    fn a_typo_is_caught_and_the_right_digit_named() {
        let msg = problem("4006381333932").unwrap().to_string();
        assert!(
            msg.contains("should be 1"),
            "names the right check digit: {msg}"
        );
        assert!(problem("12345").is_some(), "too short");
        assert!(problem("40063813339a1").is_some(), "letters");
    }

    proptest! {
        #[test]
        fn completed_bodies_are_always_valid(body in "[0-9]{12}") {
            let gtin = complete(&body).unwrap();
            prop_assert_eq!(problem(&gtin), None);
        }

        #[test]
        fn changing_one_digit_is_always_detected(body in "[0-9]{12}", pos in 0usize..13, delta in 1u32..10) {
            let gtin = complete(&body).unwrap();
            let mut digits: Vec<u32> = gtin.chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let typo: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(problem(&typo).is_some(), "single-digit error in {} undetected", typo);
        }
    }
}
