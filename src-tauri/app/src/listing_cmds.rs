//! The product editor's "Channels" tab: per channel, how the product stands there and the
//! merchant's own title, description, price and delivery promise for it (kanaal-core's
//! `publish::listing_edit`), and saving them. This module adds what only the app layer knows —
//! what each channel accepts, from its connector's limits (longest title, bol.com's delivery
//! codes) — and shapes values for the window; the rules and the writing are kanaal-core's.
//! Nothing is sent: a saved override goes out with the merchant's next publish. Putting the
//! product on or off a channel is the publish commands' `set_products_listed`.

use crate::commands::off_ui_thread;
use crate::ipc::IpcResult;
use crate::AppState;
use kanaal_core::catalog::edit::Batch;
use kanaal_core::ids::{ChannelId, ProductId};
use kanaal_core::publish::listing_edit::{self, ChannelChecks, OverridesInput, ProductChannel};
use serde::Serialize;
use tauri::State;

/// The connector attribute that holds bol.com's delivery promise.
const DELIVERY_CODE: &str = "delivery_code";

/// One channel of the "Channels" tab: the product there, and what the channel accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelListing {
    #[serde(flatten)]
    #[ts(flatten)]
    pub product: ProductChannel,
    /// The delivery promises the channel knows, in the connector's order; empty when it has
    /// none (no "delivery promise" field then).
    pub delivery_codes: Vec<String>,
    /// Longest title the channel takes, if known.
    pub max_title_chars: Option<u32>,
}

/// What the channel accepts, from its platform's limits (known without a login, so no keyring
/// read per channel each time the tab opens). A kind without a connector gives none: its
/// titles are not limited here, and no delivery promise can be chosen for it.
fn checks(kind: &str) -> ChannelChecks {
    match kanaal_channels::account::limits_of(kind) {
        Some(limits) => ChannelChecks {
            max_title_chars: Some(limits.max_title_chars),
            delivery_codes: limits
                .attributes
                .iter()
                .filter(|a| a.name == DELIVERY_CODE)
                .flat_map(|a| a.allowed.iter().map(|c| (*c).to_string()))
                .collect(),
        },
        None => ChannelChecks::default(),
    }
}

/// Every channel with the product's standing, own values and the prices without them.
#[tauri::command]
pub async fn product_channels(
    state: State<'_, AppState>,
    product: ProductId,
) -> IpcResult<Vec<ChannelListing>> {
    let store = state.store()?;
    off_ui_thread("Reading the product's channels", move || {
        let channels = store.read(|tx| listing_edit::product_channels(tx, product))?;
        Ok(channels
            .into_iter()
            .map(|product| {
                let checks = checks(&product.kind);
                ChannelListing {
                    product,
                    delivery_codes: checks.delivery_codes,
                    max_title_chars: checks
                        .max_title_chars
                        .map(|m| u32::try_from(m).unwrap_or(u32::MAX)),
                }
            })
            .collect())
    })
    .await
}

/// Saves the product's own title, description, delivery promise and prices on one channel as
/// one undo step; refused typed (nothing saved) when a value is not accepted. `None` when
/// nothing changed.
#[tauri::command]
pub async fn set_listing_overrides(
    state: State<'_, AppState>,
    product: ProductId,
    channel: ChannelId,
    overrides: OverridesInput,
) -> IpcResult<Option<Batch>> {
    let store = state.store()?;
    let now = state.clock.now();
    off_ui_thread(
        "Saving the product's own values on the channel",
        move || {
            let record = store.read(|tx| kanaal_core::channels::get(tx, channel))?;
            let checks = checks(&record.kind);
            store.write(|tx| {
                listing_edit::set_listing_overrides(tx, product, channel, &overrides, &checks, now)
            })
        },
    )
    .await
}
