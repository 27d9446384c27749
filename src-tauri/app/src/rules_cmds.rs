//! The Channels page's "Prices and stock" panel: a channel's price and stock rules as the form
//! shows them, saving them, and the form's live example price. Thin: reading the form, what is
//! refused, the arithmetic and the writing are kanaal-core's (`publish::rules`), so the example
//! is the price the plan will send. Nothing is sent here: new prices go out with the merchant's
//! next publish.

use crate::commands::off_ui_thread;
use crate::ipc::IpcResult;
use crate::AppState;
use kanaal_core::catalog::edit::Field;
use kanaal_core::catalog::Source;
use kanaal_core::ids::ChannelId;
use kanaal_core::money::Money;
use kanaal_core::problem::InputProblem;
use kanaal_core::publish::rules::{self, RulesForm};
use kanaal_core::vat::VatRate;
use serde::Serialize;
use tauri::State;

/// A channel's rules as the form shows them (amounts as text, share as a percentage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelRulesView {
    pub channel: ChannelId,
    /// The channel's name, for the example line ("kost op bol.com").
    pub name: String,
    pub rules: RulesForm,
}

/// The form's example: a catalog price and what it becomes on the channel, both as plain
/// decimal text with two decimals (`10.00`, `11.95`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleExample {
    pub price: String,
    pub channel_price: String,
}

/// The rules of one channel, as the form shows them.
#[tauri::command]
pub async fn channel_rules(
    state: State<'_, AppState>,
    channel: ChannelId,
) -> IpcResult<ChannelRulesView> {
    let store = state.store()?;
    off_ui_thread("Reading the channel's rules", move || {
        store.read(|tx| {
            let record = kanaal_core::channels::get(tx, channel)?;
            let rules = rules::load(tx, channel)?;
            Ok(ChannelRulesView {
                channel,
                name: record.name,
                rules: RulesForm::of(&rules),
            })
        })
    })
    .await
}

/// Saves a channel's rules as typed; refused typed (nothing saved) when a value is not
/// accepted. Every listing of the channel then waits for the next publish.
#[tauri::command]
pub async fn set_channel_rules(
    state: State<'_, AppState>,
    channel: ChannelId,
    rules: RulesForm,
) -> IpcResult<()> {
    let store = state.store()?;
    let now = state.clock.now();
    off_ui_thread("Saving the channel's rules", move || {
        let rules = rules.read().map_err(kanaal_core::Error::Input)?;
        store.write(|tx| {
            // The channel must exist: a removed one would otherwise get a rules row back.
            kanaal_core::channels::get(tx, channel)?;
            rules::change(tx, channel, &rules, Source::Ui, now)
        })?;
        Ok(())
    })
    .await
}

/// What a product of catalog price `price` (incl. VAT, typed as the merchant types it; VAT
/// 21 %, cost unknown unless given) costs on a channel under the rules as typed so far;
/// refused typed like saving when the form cannot be read.
#[tauri::command]
pub async fn rule_example(
    rules: RulesForm,
    price: String,
    cost: Option<String>,
) -> IpcResult<RuleExample> {
    let read = || -> Result<RuleExample, InputProblem> {
        let rules = rules.read()?;
        let amount = |text: &str| {
            Money::parse_amount(text).map_err(|_| InputProblem::NotAnAmount {
                field: Field::Price,
                value: text.to_string(),
            })
        };
        let mut price = amount(&price)?.round_dp(2);
        price.rescale(2);
        let cost = cost
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(amount)
            .transpose()?;
        let channel_price = rules.price.apply(price, cost, VatRate::Standard);
        Ok(RuleExample {
            price: price.to_string(),
            channel_price: channel_price.to_string(),
        })
    };
    Ok(read().map_err(kanaal_core::Error::Input)?)
}
