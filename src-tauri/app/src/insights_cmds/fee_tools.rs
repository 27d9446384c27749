//! The fee tools of the Insights page: the fee schedules per channel (read, checked as the
//! merchant types, saved as a new version), the KOR switch, break-even prices and what-if
//! scenarios. The rules and the checks are kanaal-insights'; this module reads the store for
//! the page's filter and shapes the answers. Plain functions over a `Store`, so tests call
//! them directly.

use super::reports::{eur, group_of, period, Channels};
use super::types::*;
use chrono::NaiveDate;
use kanaal_core::channel_kind::ChannelGroup;
use kanaal_core::store::Store;
use kanaal_insights::fees::edit::{self, FieldError, ScheduleDraft};
use kanaal_insights::fees::store::{self as fee_store, SaveError};
use kanaal_insights::fees::{self, FeeSchedule};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Every channel kind of the shop with its schedule versions, newest first. Amounts are
/// written with a decimal comma when `decimal_comma` (Dutch).
pub fn fee_schedules(
    store: &Store,
    decimal_comma: bool,
    today: NaiveDate,
) -> kanaal_core::Result<Vec<ChannelFeeSchedules>> {
    let channels = Channels::load(store, &InsightsFilter::default())?;
    let (schedules, stored) = store.read(|tx| {
        let mut st = tx.prepare("SELECT DISTINCT channel_kind FROM fee_schedules")?;
        let stored = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<BTreeSet<String>, _>>()?;
        Ok((fee_store::load_schedules(tx)?, stored))
    })?;
    Ok(channels
        .list
        .iter()
        .map(|c| {
            let mut mine: Vec<&FeeSchedule> = schedules
                .iter()
                .filter(|s| s.channel_kind == c.kind)
                .collect();
            mine.sort_by_key(|s| std::cmp::Reverse(s.version));
            let versions = mine
                .iter()
                .enumerate()
                .map(|(i, s)| FeeScheduleVersion {
                    version: s.version,
                    effective_from: s.effective_from.to_string(),
                    // The next (newer) version's first day; the list is newest first.
                    effective_until: i
                        .checked_sub(1)
                        .and_then(|n| mine.get(n))
                        .map(|n| n.effective_from.to_string())
                        .or(s.effective_to.map(|d| d.to_string())),
                    source: s.source.clone(),
                    shipped_default: !stored.contains(&c.kind),
                    rules: edit::draft_of(s, s.effective_from, decimal_comma),
                })
                .collect();
            // A new version cannot start before the current one (it would hide it).
            let new_version_from = mine
                .first()
                .map_or(today, |cur| cur.effective_from.max(today));
            ChannelFeeSchedules {
                channel: c.kind.clone(),
                versions,
                new_version_from: new_version_from.to_string(),
            }
        })
        .collect())
}

/// What is wrong with a draft, field by field (empty when it can be saved).
pub fn check_fee_schedule(
    store: &Store,
    draft: &ScheduleDraft,
) -> kanaal_core::Result<Vec<FieldError>> {
    let schedules = store.read(fee_store::load_schedules)?;
    let cur = fee_store::current(&schedules, &draft.channel_kind);
    Ok(
        match edit::check(draft, cur, cur.map_or(0, |s| s.version)) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        },
    )
}

/// Saves a draft as the channel's next version; the fields that are wrong when it cannot be.
pub fn save_fee_schedule(
    store: &Store,
    draft: &ScheduleDraft,
) -> kanaal_core::Result<Vec<FieldError>> {
    let mut fields = Vec::new();
    let r = store.write(|tx| match fee_store::save_new_version(tx, draft) {
        Ok(_) => Ok(()),
        Err(SaveError::Fields(f)) => {
            fields = f;
            Ok(())
        }
        Err(SaveError::Store(e)) => Err(e),
    });
    r?;
    Ok(fields)
}

/// The first webshop channel kind of the shop, the side break-even prices compare with.
fn webshop_kind(channels: &Channels) -> Option<String> {
    channels
        .list
        .iter()
        .find(|c| group_of(&c.kind) == ChannelGroup::Webshop)
        .map(|c| c.kind.clone())
}

/// Per product sold on a channel in the period, the price there that earns what the webshop
/// earns at the catalog price.
pub fn break_even(store: &Store, filter: &InsightsFilter) -> kanaal_core::Result<BreakEvenView> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let channels = Channels::load(store, filter)?;
    let Some(webshop) = webshop_kind(&channels) else {
        return Ok(BreakEvenView {
            webshop: None,
            items: Vec::new(),
        });
    };
    let (sales, schedules, settings, catalog) = store.read(|tx| {
        Ok((
            fee_store::load_sales(tx, from, to)?,
            fee_store::load_schedules(tx)?,
            fee_store::fee_settings(tx)?,
            fee_store::load_catalog_prices(tx)?,
        ))
    })?;
    let sales: Vec<_> = sales
        .into_iter()
        .filter(|s| channels.wanted(&s.channel_kind))
        .collect();
    let items = fees::break_even_table(&sales, &schedules, settings, &webshop, &catalog)
        .into_iter()
        .map(|r| BreakEvenItem {
            channel: r.channel,
            product: r.product,
            webshop_price: eur(r.webshop_price),
            channel_price: eur(r.channel_price),
            break_even: r.break_even.map(eur),
            units: r.units,
        })
        .collect();
    Ok(BreakEvenView {
        webshop: Some(webshop),
        items,
    })
}

fn month_key(d: NaiveDate) -> (i32, u32) {
    use chrono::Datelike;
    (d.year(), d.month())
}

/// The percentage of a what-if, checked: `range` is what makes sense for the scenario.
fn percent(text: &str, low: Decimal, high: Decimal) -> kanaal_core::Result<Decimal> {
    let v = edit::parse_amount(text).ok_or_else(|| {
        kanaal_core::Error::invalid(
            "percentage",
            format!(
                "'{}' is not a percentage: type a number such as 20",
                text.trim()
            ),
        )
    })?;
    if v < low || v > high {
        return Err(kanaal_core::Error::invalid(
            "percentage",
            format!("the percentage must be from {low} to {high}"),
        ));
    }
    Ok(v)
}

/// Runs a what-if over the period's orders (all channels, so that moved volume is counted on
/// both sides), and gives the net contribution per month before and after.
pub fn what_if(
    store: &Store,
    filter: &InsightsFilter,
    scenario: &WhatIf,
) -> kanaal_core::Result<WhatIfResult> {
    let (from, to) =
        period(filter).map_err(|e| kanaal_core::Error::invalid("period", e.message))?;
    let (sales, schedules, settings, catalog) = store.read(|tx| {
        Ok((
            fee_store::load_sales(tx, from, to)?,
            fee_store::load_schedules(tx)?,
            fee_store::fee_settings(tx)?,
            fee_store::load_catalog_prices(tx)?,
        ))
    })?;
    let s = match scenario {
        WhatIf::Move {
            from: a,
            to: b,
            percent: p,
        } => {
            if a == b {
                return Err(kanaal_core::Error::invalid(
                    "what-if",
                    "moving orders to the same channel changes nothing: pick another channel",
                ));
            }
            let p = percent(p, Decimal::ZERO, Decimal::ONE_HUNDRED)?;
            // Orders moved to a webshop sell at the webshop (catalog) price; to a marketplace
            // at the price they had.
            let prices: BTreeMap<String, Decimal> = if group_of(b) == ChannelGroup::Webshop {
                catalog
                    .iter()
                    .map(|(k, c)| (k.clone(), c.price_incl_vat))
                    .collect()
            } else {
                BTreeMap::new()
            };
            fees::move_volume(
                &sales,
                &schedules,
                settings,
                a,
                b,
                p / Decimal::ONE_HUNDRED,
                &prices,
            )
            .map_err(|e| kanaal_core::Error::invalid("what-if", e.to_string()))?
        }
        WhatIf::Raise {
            channel,
            percent: p,
        } => {
            let p = percent(p, Decimal::from(-90), Decimal::from(200))?;
            fees::raise_prices(&sales, &schedules, settings, channel, p)
        }
    };
    let months = sales
        .iter()
        .map(|s| month_key(s.placed_on))
        .collect::<BTreeSet<_>>()
        .len()
        .max(1) as u64;
    let per_month = |d: Decimal| eur(d / Decimal::from(months));
    let (before, after) = (per_month(s.net_before), per_month(s.net_after));
    Ok(WhatIfResult {
        months,
        // Shown side by side, so the change is the difference of the two shown figures.
        change: eur(after.amount - before.amount),
        before,
        after,
        change_in_period: eur(s.change),
        channels: s
            .per_channel
            .iter()
            .map(|(c, (b, a))| WhatIfChannel {
                channel: c.clone(),
                before: per_month(*b),
                after: per_month(*a),
            })
            .collect(),
    })
}

/// Whether the merchant uses the KOR.
pub fn kor(store: &Store) -> kanaal_core::Result<bool> {
    store.read(kanaal_core::settings::kor)
}

pub fn set_kor(store: &Store, on: bool) -> kanaal_core::Result<()> {
    store.write(|tx| kanaal_core::settings::set_kor(tx, on))
}

/// The fee model's figures for one order (store id), for the order's dialog; an order that does
/// not exist is refused in plain words.
pub fn order_fees(store: &Store, order: i64) -> kanaal_core::Result<OrderFeesView> {
    use kanaal_insights::fees::store::OrderFees;
    let found = store.read(|tx| {
        let settings = fee_store::fee_settings(tx)?;
        fee_store::order_fees_of(tx, order, settings)
    })?;
    Ok(match found {
        None => {
            return Err(kanaal_core::Error::invalid(
                "order",
                format!(
                    "order {order} is not in this shop (any more); close the order and refresh \
                     the list"
                ),
            ))
        }
        Some(OrderFees::Cancelled) => OrderFeesView::Cancelled,
        Some(OrderFees::Refunded) => OrderFeesView::Refunded,
        Some(OrderFees::NoSchedule(reason)) => OrderFeesView::NoSchedule { reason },
        Some(OrderFees::Modelled(r)) => OrderFeesView::Modelled {
            channel: r.channel_kind,
            month: r.month,
            modelled: eur(r.modelled),
            charged: r.actual.map(eur),
            difference: r.difference.map(eur),
            unexpected: r.unexpected,
        },
    })
}

/// Today's date by the app's clock, in the computer's time zone (the day the merchant sees).
pub fn today(clock: &dyn kanaal_core::clock::Clock) -> NaiveDate {
    clock.now().with_timezone(&chrono::Local).date_naive()
}
