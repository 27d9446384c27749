//! Reading and writing single cells: amounts with a decimal comma or point, weights, whole
//! numbers, yes/no in English or Dutch Excel (`WAAR`), barcodes that Excel mangled, and the
//! list syntax of each platform. Each reader returns the [`ProblemKind`] a bad cell gets.

use super::problems::ProblemKind;
use crate::catalog::gtin;
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};

/// An optional amount: empty is `None`; `12,50`, `12.50` and `€ 1.234,50` are read.
pub(crate) fn amount(cell: &str) -> Result<Option<Decimal>, ProblemKind> {
    if cell.is_empty() {
        return Ok(None);
    }
    let value = Money::parse_amount(cell).map_err(|_| ProblemKind::BadAmount)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ProblemKind::NegativeAmount);
    }
    Ok(Some(value))
}

/// A weight in `unit_grams` grams per unit (1 for grams, 1000 for kilograms), rounded to whole
/// grams half-even; empty is `None`.
pub(crate) fn grams(cell: &str, unit_grams: Decimal) -> Result<Option<i64>, ProblemKind> {
    if cell.is_empty() {
        return Ok(None);
    }
    let value = Money::parse_amount(cell).map_err(|_| ProblemKind::BadWeight)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ProblemKind::BadWeight);
    }
    let g = (value * unit_grams).round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
    i64::try_from(g)
        .map(Some)
        .map_err(|_| ProblemKind::BadWeight)
}

/// A whole number such as a stock quantity (Excel may write `12,0`); empty is `None`.
pub(crate) fn whole(cell: &str) -> Result<Option<i64>, ProblemKind> {
    if cell.is_empty() {
        return Ok(None);
    }
    if let Ok(n) = cell.parse::<i64>() {
        return Ok(Some(n));
    }
    let value = Money::parse_amount(cell).map_err(|_| ProblemKind::BadQuantity)?;
    if !value.fract().is_zero() {
        return Err(ProblemKind::BadQuantity);
    }
    i64::try_from(value)
        .map(Some)
        .map_err(|_| ProblemKind::BadQuantity)
}

/// Yes or no as platforms and spreadsheets write it: TRUE/FALSE, 1/0, yes/no, and Dutch Excel's
/// WAAR/ONWAAR; empty is `None`.
pub(crate) fn yes_no(cell: &str) -> Result<Option<bool>, ProblemKind> {
    match cell.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" | "yes" | "y" | "waar" | "ja" => Ok(Some(true)),
        "false" | "0" | "no" | "n" | "onwaar" | "nee" => Ok(Some(false)),
        _ => Err(ProblemKind::BadYesNo),
    }
}

/// A barcode: digits only, with a correct check digit. A GTIN-12 or -13 whose leading zero a
/// spreadsheet dropped is given it back when that makes the check digit right.
pub(crate) fn barcode(cell: &str) -> Result<Option<String>, ProblemKind> {
    let digits: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.contains(['E', 'e']) && digits.contains('+') {
        return Err(ProblemKind::GtinAsScientificNumber);
    }
    let Some(detail) = gtin::problem(&digits) else {
        return Ok(Some(digits));
    };
    let padded = format!("0{digits}");
    if matches!(digits.len(), 7 | 11 | 12) && gtin::problem(&padded).is_none() {
        return Ok(Some(padded));
    }
    Err(ProblemKind::BadGtin {
        detail: detail.message(),
    })
}

/// A comma-separated list (Shopify tags): items trimmed, empty items dropped.
pub(crate) fn comma_list(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// WooCommerce's list syntax: items separated by commas, a comma inside an item written `\,`.
pub(crate) fn woo_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Writes a list the way WooCommerce's exporter does: `a, b\, c`.
pub(crate) fn woo_join<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref().replace(',', "\\,"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// WooCommerce writes line breaks in descriptions as the two characters `\n` (and a literal
/// `\n` as `\\n`); this turns them back into text.
pub(crate) fn woo_unescape_description(cell: &str) -> String {
    cell.split("\\\\n")
        .map(|part| part.replace("\\n", "\n"))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// The inverse of [`woo_unescape_description`], as WooCommerce's exporter does it, except that
/// a line break right after a backslash stays a real line break (inside the quoted cell): its
/// `\n` form would read back as a literal `\n`.
pub(crate) fn woo_escape_description(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\\n", "\\\\n").chars() {
        if c == '\n' && !out.ends_with('\\') {
            out.push_str("\\n");
        } else {
            out.push(c);
        }
    }
    out
}

/// A category path written `Koffie > Bonen`; empty gives no category.
pub(crate) fn category_path(cell: &str) -> Vec<String> {
    cell.split('>')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn join_category_path(path: &[String]) -> String {
    path.join(" > ")
}

/// A web name from a title: lower case ASCII letters and digits joined by single dashes, with
/// accents dropped (`Café Crème` becomes `cafe-creme`).
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ß' => return vec!['s', 's'],
        'ĳ' => return vec!['i', 'j'],
        other => other,
    };
    vec![plain]
}

/// An amount as both platforms import it: a plain decimal with a dot and at least two
/// decimals (`12.50`, `15.00`, `0.125`).
pub(crate) fn amount_text(d: Decimal) -> String {
    let mut d = d;
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Grams as kilograms for WooCommerce's `Weight (kg)`: `250` becomes `0.25`.
pub(crate) fn kilograms_text(grams: i64) -> String {
    (Decimal::from(grams) / Decimal::from(1000))
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn amounts_read_with_comma_or_point_and_refuse_words() {
        assert_eq!(
            amount("12,50"),
            Ok(Some(dec!(12.50))),
            "Dutch decimal comma"
        );
        assert_eq!(amount("12.50"), Ok(Some(dec!(12.50))), "decimal point");
        assert_eq!(amount(""), Ok(None), "empty is no amount");
        assert_eq!(
            amount("twaalf"),
            Err(ProblemKind::BadAmount),
            "words refused"
        );
        assert_eq!(
            amount("-1"),
            Err(ProblemKind::NegativeAmount),
            "negative refused"
        );
    }

    #[test]
    fn weights_in_kilograms_become_whole_grams() {
        assert_eq!(grams("0,25", dec!(1000)), Ok(Some(250)), "0,25 kg");
        assert_eq!(
            grams(".5", dec!(1000)),
            Ok(Some(500)),
            "WooCommerce writes .5"
        );
        assert_eq!(grams("1.5", dec!(453.59237)), Ok(Some(680)), "pounds");
        assert_eq!(kilograms_text(250), "0.25", "and back");
        assert_eq!(kilograms_text(2000), "2", "no trailing zeros");
        assert_eq!(amount_text(dec!(15)), "15.00", "prices get cents");
        assert_eq!(amount_text(dec!(0.125)), "0.125", "but keep what they have");
    }

    #[test]
    fn barcodes_that_excel_damaged_are_recognised() {
        assert_eq!(
            barcode("8,71E+12"),
            Err(ProblemKind::GtinAsScientificNumber),
            "scientific notation is named"
        );
        assert_eq!(
            barcode("36000291452"),
            Ok(Some("036000291452".to_string())),
            "a dropped leading zero is restored when the check digit then fits"
        );
        assert!(
            matches!(barcode("4006381333932"), Err(ProblemKind::BadGtin { .. })),
            "a wrong check digit is refused"
        );
    }

    #[test]
    fn woo_lists_keep_escaped_commas() {
        assert_eq!(
            woo_list("Blue, Green\\, dark, Red"),
            ["Blue", "Green, dark", "Red"],
            "an escaped comma stays inside its item"
        );
        assert_eq!(
            woo_join(&["Blue", "Green, dark"]),
            "Blue, Green\\, dark",
            "and is escaped again on the way out"
        );
    }

    #[test]
    fn woo_descriptions_round_trip_line_breaks_and_literal_backslash_n() {
        for text in [
            "one\ntwo",
            "a literal \\n stays",
            "both\n\\n",
            "\\\\n",
            "end\\\nx",
        ] {
            let escaped = woo_escape_description(text);
            assert_eq!(woo_unescape_description(&escaped), text, "round trip");
        }
    }

    #[test]
    fn slugs_are_ascii_with_dashes() {
        assert_eq!(
            slug("Café Crème — 250 g"),
            "cafe-creme-250-g",
            "accents dropped, words joined by one dash"
        );
        assert_eq!(
            slug("  V-Neck T-Shirt "),
            "v-neck-t-shirt",
            "no dash at either end"
        );
    }

    #[test]
    fn yes_no_understands_dutch_excel() {
        assert_eq!(yes_no("WAAR"), Ok(Some(true)), "Dutch Excel's TRUE");
        assert_eq!(yes_no("ONWAAR"), Ok(Some(false)), "Dutch Excel's FALSE");
        assert_eq!(
            yes_no("misschien"),
            Err(ProblemKind::BadYesNo),
            "anything else is a problem, not a guess"
        );
    }
}
