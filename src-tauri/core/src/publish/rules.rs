//! Channel rules: how a catalog price becomes a channel price, and how much of the stock a channel
//! may offer. Stored per channel in `channel_rules` (price rule as JSON, stock rule in columns) and
//! per listing in `listings.overrides`. Pure arithmetic on [`Decimal`] with explicit rounding;
//! this module reads nothing but the rows it is given.
//!
//! It also owns the merchant's side of the rules: the form's text fields ([`RulesForm`]) read
//! into [`ChannelRules`] and back, what is refused (typed [`InputProblem`]s, worded by the
//! window and the CLI), and saving, which makes every listing of the channel wait for the next
//! publish. It must not send anything: new prices go out with the merchant's next publish.

use crate::catalog::Source;
use crate::ids::ChannelId;
use crate::money::Money;
use crate::problem::InputProblem;
use crate::vat::VatRate;
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How the last cents of a channel price are set. Every ending rounds *up*, so a rounded price
/// never falls below the minimum margin that was checked before rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// The bulk editor has its own `Ending`; the window needs both names.
#[cfg_attr(feature = "ts", ts(rename = "PriceEnding"))]
pub enum Ending {
    /// To the cent (half-even), no charm ending.
    #[default]
    #[serde(rename = "cent")]
    Cent,
    /// Up to the next price ending in .95 (12.30 -> 12.95, 12.96 -> 13.95).
    #[serde(rename = ".95")]
    X95,
    /// Up to the next price ending in .99.
    #[serde(rename = ".99")]
    X99,
    /// Up to the next whole euro.
    #[serde(rename = ".00")]
    X00,
}

/// The price rule of a channel, stored as JSON in `channel_rules.price_rule`. Amounts are
/// decimal strings (`{"markup_percent": "12.5", "ending": ".95"}`); missing keys mean "none".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriceRule {
    /// Percentage added to the catalog price (15 = +15 %).
    pub markup_percent: Decimal,
    /// Fixed amount added after the percentage (to cover a per-order fee).
    pub markup_fixed: Decimal,
    pub ending: Ending,
    /// The channel price excluding VAT must be at least cost × (1 + this / 100). Applies only
    /// where the variant's cost is known.
    pub min_margin_percent: Option<Decimal>,
}

/// The stock rule of a channel (`channel_rules.stock_buffer`, `stock_max`, `stock_share`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StockRule {
    /// Units kept back from every channel (safety stock), taken off first.
    pub buffer: i64,
    /// Most units shown on this channel.
    pub max: Option<i64>,
    /// Share (0..=1) of what remains after the buffer that this channel may sell.
    pub share: Option<Decimal>,
}

/// Both rules of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelRules {
    pub price: PriceRule,
    pub stock: StockRule,
}

/// Per-listing overrides from `listings.overrides`: the merchant's own words or price for one
/// channel. An overridden price is used as it is (no markup, no ending) but still has to meet
/// the minimum margin.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// bol.com's delivery promise for this listing (e.g. `24uurs-16`), instead of the one in
    /// the channel's settings; set by adopting a code changed on bol.com.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_code: Option<String>,
}

impl Overrides {
    pub fn parse(json: &str) -> Result<Overrides> {
        serde_json::from_str(json).map_err(|e| {
            Error::Corrupt(format!("the overrides of a listing are not readable: {e}"))
        })
    }
}

impl PriceRule {
    /// The catalog price (incl. VAT) after markup, before margin and ending.
    fn marked_up(&self, price: Decimal) -> Decimal {
        let pct = Decimal::ONE + self.markup_percent / Decimal::ONE_HUNDRED;
        (price * pct + self.markup_fixed)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
    }

    /// The lowest price incl. VAT that meets the minimum margin, rounded up to the cent; `None`
    /// when there is no margin rule or no known cost.
    pub fn floor(&self, cost: Option<Decimal>, vat: VatRate) -> Option<Decimal> {
        let (m, cost) = (self.min_margin_percent?, cost?);
        let net = cost * (Decimal::ONE + m / Decimal::ONE_HUNDRED);
        Some(
            (net * (Decimal::ONE + vat.fraction()))
                .round_dp_with_strategy(2, RoundingStrategy::AwayFromZero),
        )
    }

    /// The channel price incl. VAT for a catalog price incl. VAT: markup, then raised to the
    /// margin floor if below it, then the ending (which only ever rounds up). The renderer and
    /// the rules form's live example both call this, so the example is the price the plan sends.
    pub fn apply(&self, price: Decimal, cost: Option<Decimal>, vat: VatRate) -> Decimal {
        let mut p = self.marked_up(price);
        if let Some(floor) = self.floor(cost, vat) {
            p = p.max(floor);
        }
        round_ending(p, self.ending)
    }
}

/// Rounds `p` up to the next price with the given ending (a price already on it stays).
pub fn round_ending(p: Decimal, ending: Ending) -> Decimal {
    let cents = match ending {
        Ending::Cent => return p.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven),
        Ending::X95 => Decimal::new(95, 2),
        Ending::X99 => Decimal::new(99, 2),
        Ending::X00 => {
            let mut whole = p.ceil();
            whole.rescale(2);
            return whole;
        }
    };
    let mut out = p.floor() + cents;
    if out < p {
        out += Decimal::ONE;
    }
    out.rescale(2);
    out
}

impl StockRule {
    /// Units this channel may offer out of `on_hand`: buffer off first, then the share (rounded
    /// down — offering half a unit too many is how a shop oversells), then the maximum.
    pub fn apply(&self, on_hand: i64) -> u32 {
        let mut q = Decimal::from((on_hand - self.buffer.max(0)).max(0));
        if let Some(share) = self.share {
            q = (q * share.clamp(Decimal::ZERO, Decimal::ONE)).floor();
        }
        let mut q = i64::try_from(q.mantissa() / 10i128.pow(q.scale())).unwrap_or(i64::MAX);
        if let Some(max) = self.max {
            q = q.min(max.max(0));
        }
        u32::try_from(q.max(0)).unwrap_or(u32::MAX)
    }
}

/// Reads a channel's rules; a channel without a `channel_rules` row has no markup and offers all
/// of its stock.
pub fn load(tx: &Transaction<'_>, channel: ChannelId) -> Result<ChannelRules> {
    let row = tx
        .query_row(
            "SELECT price_rule, stock_buffer, stock_max, stock_share FROM channel_rules WHERE channel_id = ?1",
            params![channel.0],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((price, buffer, max, share)) = row else {
        return Ok(ChannelRules::default());
    };
    let price: PriceRule = serde_json::from_str(&price).map_err(|e| {
        Error::Corrupt(format!(
            "the price rule of channel {} is not readable: {e}",
            channel.0
        ))
    })?;
    let share = share
        .map(|s| s.parse::<Decimal>())
        .transpose()
        .map_err(|e| {
            Error::Corrupt(format!(
                "the stock share of channel {} is not a number: {e}",
                channel.0
            ))
        })?;
    Ok(ChannelRules {
        price,
        stock: StockRule { buffer, max, share },
    })
}

/// A field of the rules form, as refusals name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RuleField {
    MarkupPercent,
    MarkupFixed,
    MinMargin,
    Buffer,
    Max,
    Share,
}

impl RuleField {
    /// The name the command line and the English messages use.
    pub fn name(self) -> &'static str {
        match self {
            RuleField::MarkupPercent => "markup",
            RuleField::MarkupFixed => "fixed markup",
            RuleField::MinMargin => "minimum margin",
            RuleField::Buffer => "stock buffer",
            RuleField::Max => "maximum",
            RuleField::Share => "share of stock",
        }
    }
}

/// A channel's rules as the merchant types them: amounts and percentages as text (Dutch
/// `12,50` or English `12.50`), empty for "none"; the share of stock as a percentage (80 =
/// 80 %), although it is stored as a fraction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RulesForm {
    pub markup_percent: String,
    pub markup_fixed: String,
    pub ending: Ending,
    pub min_margin_percent: String,
    pub buffer: String,
    pub max: String,
    pub share_percent: String,
}

/// `d` as plain text without trailing zeros (`15`, `12.5`, `0.50` for money kept at cents).
fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

impl RulesForm {
    /// The form filled with stored rules (empty where there is none).
    pub fn of(rules: &ChannelRules) -> RulesForm {
        let zero_empty = |d: Decimal| {
            if d.is_zero() {
                String::new()
            } else {
                plain(d)
            }
        };
        let mut fixed = rules.price.markup_fixed;
        if !fixed.is_zero() {
            fixed.rescale(2);
        }
        RulesForm {
            markup_percent: zero_empty(rules.price.markup_percent),
            markup_fixed: if fixed.is_zero() {
                String::new()
            } else {
                fixed.to_string()
            },
            ending: rules.price.ending,
            min_margin_percent: rules
                .price
                .min_margin_percent
                .map(plain)
                .unwrap_or_default(),
            buffer: if rules.stock.buffer == 0 {
                String::new()
            } else {
                rules.stock.buffer.to_string()
            },
            max: rules.stock.max.map(|m| m.to_string()).unwrap_or_default(),
            share_percent: rules
                .stock
                .share
                .map(|s| plain(s * Decimal::ONE_HUNDRED))
                .unwrap_or_default(),
        }
    }

    /// Reads the form into rules, refusing what cannot be read or a shop owner cannot mean
    /// (the first problem, in the form's order).
    pub fn read(&self) -> std::result::Result<ChannelRules, InputProblem> {
        let number =
            |field: RuleField, text: &str| -> std::result::Result<Option<Decimal>, InputProblem> {
                let text = text.trim().trim_end_matches('%').trim();
                if text.is_empty() {
                    return Ok(None);
                }
                Money::parse_amount(text)
                    .map(Some)
                    .map_err(|_| InputProblem::RuleNotANumber {
                        field,
                        value: text.to_string(),
                    })
            };
        let whole =
            |field: RuleField, text: &str| -> std::result::Result<Option<i64>, InputProblem> {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse::<i64>()
                    .map(Some)
                    .map_err(|_| InputProblem::RuleNotAWholeNumber {
                        field,
                        value: text.to_string(),
                    })
            };
        let rules = ChannelRules {
            price: PriceRule {
                markup_percent: number(RuleField::MarkupPercent, &self.markup_percent)?
                    .unwrap_or_default(),
                markup_fixed: number(RuleField::MarkupFixed, &self.markup_fixed)?
                    .unwrap_or_default(),
                ending: self.ending,
                min_margin_percent: number(RuleField::MinMargin, &self.min_margin_percent)?,
            },
            stock: StockRule {
                buffer: whole(RuleField::Buffer, &self.buffer)?.unwrap_or(0),
                max: whole(RuleField::Max, &self.max)?,
                share: number(RuleField::Share, &self.share_percent)?
                    .map(|p| (p / Decimal::ONE_HUNDRED).normalize()),
            },
        };
        check(&rules)?;
        Ok(rules)
    }
}

/// Refuses rules a shop owner cannot mean; the checks [`save`] makes before writing.
pub fn check(rules: &ChannelRules) -> std::result::Result<(), InputProblem> {
    let p = &rules.price;
    if p.markup_percent <= -Decimal::ONE_HUNDRED {
        return Err(InputProblem::RuleMarkupTooLow);
    }
    if p.markup_fixed.normalize().scale() > 2 {
        return Err(InputProblem::RuleFixedMarkupCents {
            value: plain(p.markup_fixed),
        });
    }
    if p.min_margin_percent.is_some_and(|m| m < Decimal::ZERO) {
        return Err(InputProblem::RuleBelowZero {
            field: RuleField::MinMargin,
        });
    }
    if rules.stock.buffer < 0 {
        return Err(InputProblem::RuleBelowZero {
            field: RuleField::Buffer,
        });
    }
    if rules.stock.max.is_some_and(|m| m < 0) {
        return Err(InputProblem::RuleBelowZero {
            field: RuleField::Max,
        });
    }
    if let Some(s) = rules.stock.share {
        if s <= Decimal::ZERO || s > Decimal::ONE {
            return Err(InputProblem::RuleShareOutOfRange {
                value: plain(s * Decimal::ONE_HUNDRED),
            });
        }
    }
    Ok(())
}

/// Stores a channel's rules, replacing what was there, after [`check`]. When they differ from
/// the stored ones every listing of the channel counts as waiting to be published (its change
/// counter goes up, which the `pending_listing_update` trigger turns into `listings.pending`):
/// the planner skips comparing listings that are not pending, so without this a new markup
/// would not reach the channel until each product changed for some other reason. Returns the
/// rules that were stored before.
pub fn save(
    tx: &Transaction<'_>,
    channel: ChannelId,
    rules: &ChannelRules,
) -> Result<ChannelRules> {
    check(rules).map_err(Error::Input)?;
    let before = load(tx, channel)?;
    let price = serde_json::to_string(&rules.price).map_err(|e| Error::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO channel_rules (channel_id, price_rule, stock_buffer, stock_max, stock_share)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(channel_id) DO UPDATE SET price_rule = excluded.price_rule,
           stock_buffer = excluded.stock_buffer, stock_max = excluded.stock_max,
           stock_share = excluded.stock_share",
        params![
            channel.0,
            price,
            rules.stock.buffer,
            rules.stock.max,
            rules.stock.share.map(|s| s.to_string())
        ],
    )?;
    if before != *rules {
        tx.execute(
            "UPDATE listings SET change_counter = change_counter + 1 WHERE channel_id = ?1",
            params![channel.0],
        )?;
    }
    Ok(before)
}

/// The merchant's change of a channel's rules: [`save`], and one line in the history (entity
/// `channel`, field `rules`, both as form text) when they changed. Not on the catalog's undo
/// stack: undo takes back edits of products and listings row by row, and a rule is a setting
/// of the channel that the merchant sets back in the same form; putting it there would let
/// Ctrl+Z in the catalog silently reprice a whole channel. Returns whether anything changed.
pub fn change(
    tx: &Transaction<'_>,
    channel: ChannelId,
    rules: &ChannelRules,
    source: Source,
    now: DateTime<Utc>,
) -> Result<bool> {
    let before = save(tx, channel, rules)?;
    if before == *rules {
        return Ok(false);
    }
    let text = |r: &ChannelRules| {
        serde_json::to_string(&RulesForm::of(r)).map_err(|e| Error::Corrupt(e.to_string()))
    };
    tx.execute(
        "INSERT INTO audit_log (at, source, batch_id, entity, entity_id, field, old_value, new_value)
         VALUES (?1, ?2, NULL, 'channel', ?3, 'rules', ?4, ?5)",
        params![
            now.to_rfc3339_opts(SecondsFormat::Millis, true),
            source.code(),
            channel.0,
            text(&before)?,
            text(rules)?
        ],
    )?;
    Ok(true)
}
