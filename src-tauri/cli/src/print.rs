//! Plain-text rendering of core read models for the terminal.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use kanaal_core::catalog::csv::{ImportReport, Severity};
use kanaal_core::catalog::ProductPage;
use kanaal_core::money::Money;
use kanaal_core::overview::ShopOverview;

/// Money the Dutch way: `€ 1.234,50`.
pub fn money(m: &Money) -> String {
    let text = format!("{:.2}", m.amount.round_dp(2));
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let symbol = if m.currency.as_str() == "EUR" {
        "€".to_string()
    } else {
        m.currency.to_string()
    };
    format!("{sign}{symbol} {grouped},{frac}")
}

fn right(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

pub fn products(page: &ProductPage) {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header([
        "Product", "Category", "Status", "Variants", "Price", "Stock",
    ]);
    for r in &page.rows {
        let price = match (&r.price_min, &r.price_max) {
            (Some(a), Some(b)) if a != b => format!("{} – {}", money(a), money(b)),
            (Some(a), _) => money(a),
            _ => String::new(),
        };
        t.add_row(vec![
            Cell::new(&r.title_nl),
            Cell::new(r.category_nl.clone().unwrap_or_default()),
            Cell::new(r.status.code()),
            right(r.variant_count.to_string()),
            right(price),
            right(r.stock_total.to_string()),
        ]);
    }
    println!("{t}");
    println!("{} of {} products", page.rows.len(), page.total);
}

pub fn import_report(r: &ImportReport) {
    if !r.problems.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(["Row", "Column", "Value", "Problem"]);
        for p in &r.problems {
            let kind = match p.severity {
                Severity::Error => "",
                Severity::Notice => "(note) ",
            };
            t.add_row(vec![
                right(p.row.to_string()),
                Cell::new(&p.column),
                Cell::new(&p.value),
                Cell::new(format!("{kind}{}", p.message)),
            ]);
        }
        println!("{t}");
    }
    let verb = match (r.dry_run, r.committed) {
        (true, _) => "Would import",
        (false, true) => "Imported",
        (false, false) => "Not imported",
    };
    println!(
        "{verb}: {} new, {} updated, {} unchanged products; {} rows left out.",
        r.created, r.updated, r.unchanged, r.skipped_rows
    );
    if r.picture_addresses > 0 && r.dry_run {
        println!(
            "{} picture addresses: downloaded after a real import.",
            r.picture_addresses
        );
    }
}

pub fn overview(o: &ShopOverview) {
    println!();
    println!("{}", o.shop_name);
    println!(
        "  {} products ({} active), {} variants, {} units in stock worth {} at cost",
        o.products,
        o.active_products,
        o.variants,
        o.stock_units,
        money(&o.stock_value_at_cost)
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(["Location", "Units", "Value at cost"]);
    for l in &o.locations {
        t.add_row(vec![
            Cell::new(&l.name),
            right(l.units.to_string()),
            right(money(&l.value_at_cost)),
        ]);
    }
    println!("{t}");
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header([
        "Category",
        "Products",
        "Variants",
        "Gross margin",
        "Stock at cost",
    ]);
    for c in &o.categories {
        t.add_row(vec![
            Cell::new(&c.name_nl),
            right(c.products.to_string()),
            right(c.variants.to_string()),
            right(
                c.margin_pct
                    .as_ref()
                    .map(|m| format!("{}%", m.replace('.', ",")))
                    .unwrap_or_default(),
            ),
            right(money(&c.stock_value_at_cost)),
        ]);
    }
    println!("{t}");
    println!(
        "  Channels: {} connected, {} listings, {} orders.",
        o.channels, o.listings, o.orders
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str) -> Money {
        Money::eur(Money::parse_amount(s).unwrap())
    }

    #[test]
    fn money_prints_the_dutch_way() {
        assert_eq!(money(&eur("12.5")), "€ 12,50");
        assert_eq!(money(&eur("1234.5")), "€ 1.234,50");
        assert_eq!(money(&eur("-3")), "-€ 3,00");
        assert_eq!(money(&eur("1234567.891")), "€ 1.234.567,89");
    }
}
