//! The Publish page's commands: prepare the plan of every enabled channel (shown before anything
//! is sent), confirm it into the outbox in one transaction, follow the batch, and stop it. The
//! plan and its checks are kanaal-core's; this module only asks each connector for its limits,
//! keeps the previewed plans until they are confirmed, and shapes them for the window. It also
//! puts products on a channel or takes them off (`set_products_listed`), which the Publish page
//! and the product editor's Channels tab call; that only changes listing rows, nothing is sent.

use crate::commands::off_ui_thread;
use crate::ipc::{count, IpcError, IpcResult};
use crate::AppState;
use kanaal_channels::model::ListingLevel;
use kanaal_core::failure::StoredFailure;
use kanaal_core::ids::{ChannelId, ListingId, ProductId};
use kanaal_core::publish::batch::{self, BatchProgress};
use kanaal_core::publish::{self, Action, Plan, PlannedListing};
use serde::Serialize;
use serde_json::Value;
use std::sync::Mutex;
use tauri::State;

/// Listings listed per channel in a preview; the counts always cover all of them.
const MAX_LISTED: usize = 300;

/// The plans of the last preview, kept until confirmed so that what is queued is exactly what
/// the merchant saw (kanaal-core refuses a plan whose listings changed since).
#[derive(Default)]
pub struct Prepared(Mutex<Option<(String, Vec<Plan>)>>);

impl Prepared {
    fn set(&self, id: String, plans: Vec<Plan>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((id, plans));
    }

    fn take(&self, id: &str) -> Option<Vec<Plan>> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match slot.take() {
            Some((kept, plans)) if kept == id => Some(plans),
            other => {
                *slot = other;
                None
            }
        }
    }
}

/// One field that changes, with values as text (`money`: the values are amounts to format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldDiff {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub money: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingProblem {
    pub field: String,
    /// What is wrong, with its data; the window words it in the merchant's language
    /// (ui/src/lib/planProblems.ts).
    pub problem: publish::ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingPreview {
    pub listing: ListingId,
    pub product: ProductId,
    pub title: String,
    /// create, update, unpublish or nothing.
    pub action: String,
    pub changes: Vec<FieldDiff>,
    pub problems: Vec<ListingProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelPreview {
    pub channel: ChannelId,
    pub channel_name: String,
    pub kind: String,
    /// Why this channel could not be planned (no login saved, unknown platform), typed for the
    /// window to word.
    pub error: Option<StoredFailure>,
    pub create: u32,
    pub update: u32,
    pub unpublish: u32,
    pub unchanged: u32,
    pub blocked: u32,
    /// Active products with no listing on this channel yet: what "put them on" would add
    /// (`set_products_listed` with no products). Products the merchant took off are not
    /// counted; their choice stands.
    pub active_not_listed: u32,
    /// Listings that would change or are blocked, up to a few hundred.
    pub listings: Vec<ListingPreview>,
    /// Changing or blocked listings left out of `listings`.
    pub more: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublishPreview {
    pub preview_id: String,
    pub channels: Vec<ChannelPreview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PublishStarted {
    pub batch_id: String,
    pub queued: u32,
    pub already_queued: u32,
    pub blocked: u32,
}

impl PublishStarted {
    /// What the UI is told after a publish or a rollback was queued as `batch_id`.
    pub fn new(batch_id: String, confirmed: &publish::Confirmed) -> Self {
        Self {
            batch_id,
            queued: count(confirmed.queued),
            already_queued: count(confirmed.already_queued),
            blocked: count(confirmed.blocked),
        }
    }
}

fn text(v: &Option<Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| text(&Some(i.clone())).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(other) => Some(other.to_string()),
    }
}

fn listing_preview(l: &PlannedListing) -> ListingPreview {
    let title = l
        .rendered
        .as_ref()
        .map(|r| r.title.clone())
        .or_else(|| {
            l.changes
                .iter()
                .find(|c| c.field == "title")
                .and_then(|c| text(&c.old))
        })
        .unwrap_or_default();
    ListingPreview {
        listing: l.listing,
        product: l.product,
        title,
        action: l.action.code().to_string(),
        changes: l
            .changes
            .iter()
            .map(|c| FieldDiff {
                field: c.field.clone(),
                old: text(&c.old),
                new: text(&c.new),
                money: c.field.ends_with(".price"),
            })
            .collect(),
        problems: l
            .problems
            .iter()
            .map(|p| ListingProblem {
                field: p.field.clone(),
                problem: p.kind.clone(),
            })
            .collect(),
    }
}

/// Shapes one channel's plan for the window.
pub fn channel_preview(name: &str, kind: &str, plan: &Plan) -> ChannelPreview {
    let mut out = ChannelPreview {
        channel: plan.channel,
        channel_name: name.to_string(),
        kind: kind.to_string(),
        error: None,
        create: 0,
        update: 0,
        unpublish: 0,
        unchanged: 0,
        blocked: 0,
        active_not_listed: 0,
        listings: Vec::new(),
        more: 0,
    };
    for l in &plan.listings {
        if l.blocked() {
            out.blocked += 1;
        } else {
            match l.action {
                Action::Create => out.create += 1,
                Action::Update => out.update += 1,
                Action::Unpublish => out.unpublish += 1,
                Action::Nothing => out.unchanged += 1,
            }
        }
        if l.action == Action::Nothing && !l.blocked() {
            continue;
        }
        if out.listings.len() < MAX_LISTED {
            out.listings.push(listing_preview(l));
        } else {
            out.more += 1;
        }
    }
    // Blocked listings first: they need the merchant.
    out.listings.sort_by_key(|l| l.problems.is_empty());
    out
}

/// Computes the plan of every enabled channel. Nothing is sent or queued.
#[tauri::command]
pub async fn publish_prepare(
    state: State<'_, AppState>,
    prepared: State<'_, Prepared>,
) -> IpcResult<PublishPreview> {
    let store = state.store()?;
    let clock = state.clock.clone();
    let (channels, plans) = off_ui_thread("Preparing the publish", move || {
        let records = store.read(kanaal_core::channels::list)?;
        let mut channels = Vec::new();
        let mut plans = Vec::new();
        for record in records.into_iter().filter(|r| r.enabled) {
            let connector = kanaal_channels::account::connect(&record, clock.clone());
            match connector {
                Ok(c) => {
                    let lim = kanaal_sync::remote::limits(&c.limits());
                    let plan = publish::plan_in(&store, record.id, &lim)?;
                    let mut preview = channel_preview(&record.name, &record.kind, &plan);
                    preview.active_not_listed = not_listed(&store, record.id)?;
                    channels.push(preview);
                    plans.push(plan);
                }
                Err(failure) => {
                    let empty = Plan {
                        channel: record.id,
                        listings: Vec::new(),
                    };
                    let mut preview = channel_preview(&record.name, &record.kind, &empty);
                    preview.error = Some(failure);
                    channels.push(preview);
                }
            }
        }
        Ok((channels, plans))
    })
    .await?;
    let preview_id = format!("preview-{}", state.clock.now().timestamp_millis());
    prepared.set(preview_id.clone(), plans);
    Ok(PublishPreview {
        preview_id,
        channels,
    })
}

/// How many active products have no listing on `channel` yet.
fn not_listed(store: &kanaal_core::store::Store, channel: ChannelId) -> kanaal_core::Result<u32> {
    kanaal_sync::publish::count_not_listed(store, channel).map(count)
}

/// Puts products on a channel (`listed`) or takes them off; nothing is sent until the merchant
/// publishes (the next preview shows the Creates and Unpublishes). `products: None` with
/// `listed` puts on every active product that has no listing on the channel yet; `None` with
/// `!listed` is refused (typed `choose_products_to_take_off`). Returns how many products
/// changed. The listing level (product or each variant) is the platform's, known without a
/// login, so the choice can be made before a login is mended.
#[tauri::command]
pub async fn set_products_listed(
    state: State<'_, AppState>,
    channel: i64,
    products: Option<Vec<i64>>,
    listed: bool,
) -> IpcResult<u32> {
    let store = state.store()?;
    let clock = state.clock.clone();
    off_ui_thread("Choosing the products of a channel", move || {
        let record = store.read(|tx| kanaal_core::channels::get(tx, ChannelId(channel)))?;
        let level = kanaal_channels::account::limits_of(&record.kind)
            .map_or(ListingLevel::Product, |l| l.listing_level);
        let products: Option<Vec<ProductId>> =
            products.map(|p| p.into_iter().map(ProductId).collect());
        let changed = kanaal_sync::publish::set_listed(
            &store,
            record.id,
            level,
            products.as_deref(),
            listed,
            clock.as_ref(),
        )?;
        Ok(count(changed))
    })
    .await
}

/// Queues what the preview `preview_id` showed, for every channel, in one transaction.
#[tauri::command]
pub async fn publish_confirm(
    state: State<'_, AppState>,
    prepared: State<'_, Prepared>,
    preview_id: String,
) -> IpcResult<PublishStarted> {
    let Some(plans) = prepared.take(&preview_id) else {
        return Err(IpcError::invalid(
            "This preview is no longer current. Press Prepare publish again and check what it shows.",
        ));
    };
    let store = state.store()?;
    let now = state.clock.now();
    let batch_id = format!("publish-{}", now.timestamp_millis());
    let id = batch_id.clone();
    let confirmed = off_ui_thread("Queueing the publish", move || {
        store.write(|tx| {
            let mut total = publish::Confirmed::default();
            for plan in &plans {
                let c = publish::confirm(tx, plan, &id, now)?;
                total.queued += c.queued;
                total.already_queued += c.already_queued;
                total.blocked += c.blocked;
            }
            Ok(total)
        })
    })
    .await?;
    Ok(PublishStarted::new(batch_id, &confirmed))
}

/// How far a confirmed publish has got, per channel and per listing.
#[tauri::command]
pub async fn publish_progress(
    state: State<'_, AppState>,
    batch_id: String,
) -> IpcResult<BatchProgress> {
    Ok(state.store()?.read(|tx| batch::progress(tx, &batch_id))?)
}

/// Stops a publish: its rows not yet being sent (of one channel, or all) are cancelled.
#[tauri::command]
pub async fn publish_cancel(
    state: State<'_, AppState>,
    batch_id: String,
    channel: Option<i64>,
) -> IpcResult<u32> {
    let now = state.clock.now();
    Ok(state
        .store()?
        .write(|tx| batch::cancel(tx, &batch_id, channel.map(ChannelId), now))?)
}

/// What sending a publish did, over all its channels.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SendSummary {
    pub sent: u32,
    pub failed: u32,
    /// Rows the platform could not take now; they are tried again later, by themselves.
    pub retry_later: u32,
    /// Channels that could not be reached at all, with the reason typed for the window to word.
    pub errors: Vec<StoredFailure>,
    /// Names of the channels whose updates wait because they could not be checked for changes
    /// made there; the window says "bol.com could not be checked for changes; updates wait
    /// until it can" in the merchant's language.
    pub held: Vec<String>,
    pub cancelled: bool,
}

/// Sends the outbox of every channel that has rows of `batch_id` still to go, through the sync
/// engine's worker (rate limits, retries, idempotency). A cancellable job: `cancel_job(job_id)`
/// stops it between rows; what was not reached stays queued.
#[tauri::command]
pub async fn publish_send(
    state: State<'_, AppState>,
    job_id: String,
    batch_id: String,
    on_progress: tauri::ipc::Channel<kanaal_core::progress::ProgressStep>,
) -> IpcResult<SendSummary> {
    if job_id.trim().is_empty() {
        return Err(IpcError::invalid("a job id is needed to be able to cancel"));
    }
    let store = state.store()?;
    let progress_now = store.read(|tx| batch::progress(tx, &batch_id))?;
    let cancel = state.start_job(&job_id);
    let _worker = crate::sync_cmds::WORKER.lock().await;
    let progress = move |step: kanaal_core::progress::ProgressStep| {
        // A window that went away cannot receive progress; the work goes on regardless.
        let _ = on_progress.send(step);
    };
    let mut summary = SendSummary::default();
    for c in progress_now.channels.iter().filter(|c| c.open() > 0) {
        let record = match store.read(|tx| kanaal_core::channels::get(tx, c.channel)) {
            Ok(r) => r,
            Err(e) => {
                summary.errors.push(StoredFailure::Local {
                    detail: format!("{}: {e}", c.channel_name),
                });
                continue;
            }
        };
        let connector = match kanaal_channels::account::connect(&record, state.clock.clone()) {
            Ok(x) => x,
            Err(failure) => {
                summary.errors.push(failure);
                continue;
            }
        };
        let mut rng = crate::sync_cmds::rng(state.clock.as_ref());
        let report = kanaal_sync::drain_outbox(
            &store,
            record.id,
            connector.as_ref(),
            state.clock.as_ref(),
            &mut rng,
            &cancel,
            &progress,
        )
        .await;
        match report {
            Ok(r) => {
                summary.sent += count(r.sent + r.adopted);
                summary.failed += count(r.failed);
                summary.retry_later += count(r.retry_later);
                if r.held_unchecked > 0 {
                    summary.held.push(record.name.clone());
                }
                if r.cancelled {
                    summary.cancelled = true;
                    break;
                }
            }
            Err(kanaal_sync::SyncError::Channel(failure)) => summary.errors.push(failure.into()),
            Err(e) => summary.errors.push(StoredFailure::Local {
                detail: format!("{}: {e}", record.name),
            }),
        }
    }
    state.finish_job(&job_id);
    Ok(summary)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use kanaal_core::publish::{FieldChange, Problem, ProblemKind};
    use serde_json::json;

    fn listing(
        id: i64,
        action: Action,
        problems: usize,
        changes: Vec<FieldChange>,
    ) -> PlannedListing {
        PlannedListing {
            listing: ListingId(id),
            product: ProductId(id),
            variant: None,
            remote_id: None,
            action,
            rendered: None,
            changes,
            problems: (0..problems)
                .map(|_| {
                    Problem::new(
                        "variants[A].gtin",
                        ProblemKind::MissingGtin { sku: "A".into() },
                    )
                })
                .collect(),
            counter_snapshot: 1,
        }
    }

    #[test]
    fn the_preview_counts_every_listing_lists_only_what_changes_and_puts_blocked_first() {
        let price = FieldChange {
            field: "variants[A].price".into(),
            old: Some(json!("12.50")),
            new: Some(json!("13.95")),
        };
        let title = FieldChange {
            field: "title".into(),
            old: Some(json!("Koffie")),
            new: None,
        };
        let plan = Plan {
            channel: ChannelId(7),
            listings: vec![
                listing(1, Action::Update, 0, vec![price]),
                listing(2, Action::Nothing, 0, vec![]),
                listing(3, Action::Create, 1, vec![]),
                listing(4, Action::Unpublish, 0, vec![title]),
                listing(5, Action::Nothing, 0, vec![]),
            ],
        };
        let p = channel_preview("bol.com", "bol", &plan);
        assert_eq!(
            (p.create, p.update, p.unpublish, p.unchanged, p.blocked),
            (0, 1, 1, 2, 1),
            "a blocked create counts as blocked, not as create"
        );
        let ids: Vec<i64> = p.listings.iter().map(|l| l.listing.0).collect();
        assert_eq!(
            ids,
            [3, 1, 4],
            "unchanged listings are counted, not listed; blocked first"
        );
        let diff = &p.listings[1].changes[0];
        assert!(diff.money, "a price change is shown as money");
        assert_eq!(
            (diff.old.as_deref(), diff.new.as_deref()),
            (Some("12.50"), Some("13.95"))
        );
        assert_eq!(
            p.listings[2].title, "Koffie",
            "an unpublished listing is named by its last published title"
        );
        assert_eq!(
            p.listings[2].changes[0].new, None,
            "a removed field has no new value"
        );
    }

    #[test]
    fn a_confirmed_preview_cannot_be_confirmed_twice_and_a_stale_id_is_refused() {
        let prepared = Prepared::default();
        prepared.set("p1".into(), Vec::new());
        assert!(
            prepared.take("p0").is_none(),
            "another preview's id is refused"
        );
        assert!(
            prepared.take("p1").is_some(),
            "the current preview can be confirmed"
        );
        assert!(prepared.take("p1").is_none(), "and only once");
    }
}
