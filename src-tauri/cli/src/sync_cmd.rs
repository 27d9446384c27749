//! `kanaal publish`, `kanaal sync` and `kanaal orders`: the CLI face of the sync engine
//! (kanaal-sync). Publish shows the plan per channel — per listing create / update / unpublish
//! with the field changes and what blocks it — and sends only with `--yes`. Sync pulls orders,
//! queues stock and sends the outbox per channel. Orders lists the inbox. No rules of its own.

use clap::{Args, Subcommand};
use kanaal_channels::account;
use kanaal_channels::model::{ChannelLimits, ListingLevel};
use kanaal_channels::Channel;
use kanaal_core::channels::{self, ChannelRecord};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::progress::{CancelToken, ProgressStep};
use kanaal_core::publish::{Action, Plan};
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use kanaal_sync::{publish, DrainReport, RowOutcome, SyncError};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Args)]
pub struct PublishArgs {
    /// Only this channel (its name or number); default: every channel that is not paused.
    #[arg(long)]
    channel: Option<String>,
    /// Only show the plan; send nothing (the default unless --yes is given).
    #[arg(long, conflicts_with = "yes")]
    dry_run: bool,
    /// Confirm the plan and send it.
    #[arg(long)]
    yes: bool,
    /// First put every active product on the channel (products not listed there yet).
    #[arg(long)]
    add_active: bool,
    /// Roll back the publish BATCH (its id from --history): show what each channel gets back
    /// (what it had confirmed before that publish); with --yes queue and send it.
    #[arg(long, value_name = "BATCH", conflicts_with_all = ["add_active", "history"])]
    rollback: Option<String>,
    /// List the recent publishes (and rollbacks) with their batch ids.
    #[arg(long, conflicts_with = "add_active")]
    history: bool,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Only this channel (its name or number); default: every channel that is not paused.
    #[arg(long)]
    channel: Option<String>,
    /// Skip reading the channel back for changes made there (drift). By default every sync
    /// compares each channel with what it last confirmed and lists fields changed there; the
    /// listings they belong to are not updated until you adopt or overrule them (Publish page).
    /// Skipping saves time on a big catalog, but a change made on the channel since the last
    /// check is then not known, and a queued update could overwrite it.
    #[arg(long)]
    no_drift: bool,
}

#[derive(Subcommand)]
pub enum OrdersCommand {
    /// List imported orders, newest first.
    List {
        #[arg(long, value_enum, default_value_t = super::Format::Table)]
        format: super::Format,
        /// Only this channel (its name or number).
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

fn sync_error(e: SyncError) -> Error {
    match e {
        SyncError::Store(e) => e,
        SyncError::Channel(f) => Error::invalid("channel", account::explain(&f)),
    }
}

/// The channels to work on: the one named (by name or number), or all that are not paused.
fn channels_for(store: &Store, which: Option<&str>) -> Result<Vec<ChannelRecord>> {
    let all = store.read(channels::list)?;
    match which {
        None => Ok(all.into_iter().filter(|c| c.enabled).collect()),
        Some(w) => {
            let found = all
                .into_iter()
                .find(|c| c.name == w || w.parse::<i64>().is_ok_and(|n| n == c.id.0));
            match found {
                Some(c) => Ok(vec![c]),
                None => Err(Error::NotFound(format!(
                    "A channel named \"{w}\" (see `kanaal channel list`)"
                ))),
            }
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::invalid("sync", format!("could not start: {e}")))
}

fn connect(record: &ChannelRecord) -> Result<Box<dyn Channel>> {
    account::connect(record, Arc::new(SystemClock))
        .map_err(|m| Error::invalid(record.name.clone(), format!("cannot connect: {m}")))
}

fn seeded_rng() -> ChaCha8Rng {
    // Only the jitter of retry waits comes from here; a different seed per run is fine.
    let now = SystemClock.now();
    ChaCha8Rng::seed_from_u64(now.timestamp_nanos_opt().unwrap_or(0) as u64)
}

fn value(v: &Option<serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn print_plan(store: &Store, record: &ChannelRecord, plan: &Plan) -> Result<()> {
    let ids: Vec<_> = plan.listings.iter().map(|l| l.product).collect();
    let names = publish::titles(store, &ids).map_err(sync_error)?;
    let count = |a: Action| plan.listings.iter().filter(|l| l.action == a).count();
    println!(
        "{}: {} to create, {} to update, {} to take off, {} unchanged, {} blocked",
        record.name,
        count(Action::Create),
        count(Action::Update),
        count(Action::Unpublish),
        count(Action::Nothing),
        plan.listings.iter().filter(|l| l.blocked()).count()
    );
    for l in plan.listings.iter().filter(|l| l.action != Action::Nothing) {
        let title = l
            .rendered
            .as_ref()
            .map(|r| r.title.clone())
            .or_else(|| names.get(&l.product).cloned())
            .unwrap_or_else(|| format!("product {}", l.product.0));
        let what = match l.action {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unpublish => "take off",
            Action::Nothing => "unchanged",
        };
        println!("  {what:<9} {title}");
        for c in &l.changes {
            println!(
                "            {}: {} -> {}",
                c.field,
                value(&c.old),
                value(&c.new)
            );
        }
        for p in &l.problems {
            println!("            BLOCKED {}: {}", p.field, p);
        }
    }
    Ok(())
}

fn print_drain(record: &ChannelRecord, r: &DrainReport) {
    println!(
        "{}: {} sent, {} already there (adopted), {} to retry later, {} refused, {} waiting their turn{}",
        record.name,
        r.sent,
        r.adopted,
        r.retry_later,
        r.failed,
        r.not_due,
        if r.cancelled { " (stopped)" } else { "" }
    );
    for row in &r.rows {
        match row.outcome {
            RowOutcome::Failed => println!(
                "  refused ({}): {}",
                row.operation,
                row.message.as_deref().unwrap_or("")
            ),
            RowOutcome::Waiting => println!(
                "  will retry ({}) at {}: {}",
                row.operation,
                row.next_attempt_at.as_deref().unwrap_or("?"),
                row.message.as_deref().unwrap_or("")
            ),
            _ => {}
        }
    }
}

fn progress(s: ProgressStep) {
    if s.total > 0 && s.done == s.total {
        eprintln!("  {} of {} {} handled", s.done, s.total, s.stage);
    }
}

pub fn publish_cmd(store: &Store, args: PublishArgs) -> Result<()> {
    if args.history {
        return publish_history(store);
    }
    if let Some(batch) = &args.rollback {
        return rollback_cmd(store, batch, args.yes);
    }
    let records = channels_for(store, args.channel.as_deref())?;
    if records.is_empty() {
        println!("No channels to publish to. Connect one with `kanaal channel add`.");
        return Ok(());
    }
    let rt = runtime()?;
    let clock = SystemClock;
    for record in records {
        let connector = connect(&record)?;
        let limits: ChannelLimits = connector.limits();
        if args.add_active {
            let level: ListingLevel = limits.listing_level;
            let added =
                publish::list_products(store, record.id, level, None).map_err(sync_error)?;
            println!(
                "{}: {added} listings added for active products",
                record.name
            );
        }
        let plan = publish::plan(store, record.id, &limits).map_err(sync_error)?;
        if plan.listings.is_empty() {
            println!(
                "{}: no products are listed on this channel yet; add --add-active to list every active product.",
                record.name
            );
            continue;
        }
        print_plan(store, &record, &plan)?;
        if !args.yes {
            continue;
        }
        let confirmed = publish::confirm(store, &plan, &clock).map_err(sync_error)?;
        println!(
            "{}: {} queued ({} were already queued, {} blocked)",
            record.name, confirmed.queued, confirmed.already_queued, confirmed.blocked
        );
        let mut rng = seeded_rng();
        let report = rt
            .block_on(kanaal_sync::drain_outbox(
                store,
                record.id,
                connector.as_ref(),
                &clock,
                &mut rng,
                &CancelToken::new(),
                &progress,
            ))
            .map_err(sync_error)?;
        print_drain(&record, &report);
    }
    if !args.yes {
        println!("Nothing was sent. Run again with --yes to send this plan.");
    }
    Ok(())
}

/// `kanaal publish --history`: the recent publish batches, newest first.
fn publish_history(store: &Store) -> Result<()> {
    let batches = store.read(|tx| kanaal_core::publish::rollback::recent(tx, 20))?;
    if batches.is_empty() {
        println!("Nothing was published yet.");
        return Ok(());
    }
    for b in batches {
        let what = match &b.rollback_of {
            Some(of) => format!(" (rollback of {of})"),
            None => String::new(),
        };
        println!(
            "{}  {}{what}: {} listings on {} channel(s), {} done, {} refused, {} still open",
            b.confirmed_at, b.batch_id, b.listings, b.channels, b.done, b.failed, b.open
        );
    }
    println!("Roll one back with: kanaal publish --rollback BATCH (add --yes to send it).");
    Ok(())
}

/// `kanaal publish --rollback BATCH [--yes]`: the rollback's plan per channel, queued and sent
/// only with --yes.
fn rollback_cmd(store: &Store, batch: &str, yes: bool) -> Result<()> {
    let preview = store.read(|tx| kanaal_core::publish::plan_rollback(tx, batch))?;
    let mut records = Vec::new();
    for plan in &preview.plans {
        let record = store.read(|tx| channels::get(tx, plan.channel))?;
        print_plan(store, &record, plan)?;
        records.push(record);
    }
    let (sendable, refused) = (preview.sendable(), preview.refused());
    if refused > 0 {
        println!(
            "{refused} listing(s) cannot be rolled back (see BLOCKED above); change the catalog and publish those instead."
        );
    }
    if sendable == 0 {
        println!("Nothing to roll back.");
        return Ok(());
    }
    if !yes {
        println!("Nothing was sent. Run again with --yes to roll back {sendable} listing(s).");
        return Ok(());
    }
    let clock = SystemClock;
    let now = clock.now();
    let confirmed = store.write(|tx| kanaal_core::publish::confirm_rollback(tx, &preview, now))?;
    println!(
        "Rollback {}: {} queued ({} were already queued, {} refused)",
        preview.rollback_batch_id, confirmed.queued, confirmed.already_queued, confirmed.blocked
    );
    let rt = runtime()?;
    for record in records {
        let connector = connect(&record)?;
        let mut rng = seeded_rng();
        let report = rt
            .block_on(kanaal_sync::drain_outbox(
                store,
                record.id,
                connector.as_ref(),
                &clock,
                &mut rng,
                &CancelToken::new(),
                &progress,
            ))
            .map_err(sync_error)?;
        print_drain(&record, &report);
    }
    Ok(())
}

pub fn sync_cmd(store: &Store, args: SyncArgs) -> Result<()> {
    let records = channels_for(store, args.channel.as_deref())?;
    if records.is_empty() {
        println!("No channels to sync. Connect one with `kanaal channel add`.");
        return Ok(());
    }
    let rt = runtime()?;
    let clock = SystemClock;
    let mut rng = seeded_rng();
    for record in records {
        let connector = connect(&record)?;
        let options = kanaal_sync::SyncOptions {
            check_drift: !args.no_drift,
        };
        let report = rt
            .block_on(kanaal_sync::sync_channel_with(
                store,
                record.id,
                connector.as_ref(),
                &clock,
                &mut rng,
                &CancelToken::new(),
                &progress,
                options,
            ))
            .map_err(sync_error)?;
        match (&report.drift, &report.drift_error) {
            (Some(d), _) if d.remote_only + d.conflicts > 0 => println!(
                "{}: {} field(s) changed on the channel, {} of them changed in Kanaal too; those listings wait until you choose Adopt or Keep mine on the Publish page",
                record.name,
                d.remote_only + d.conflicts,
                d.conflicts
            ),
            (Some(d), _) => println!(
                "{}: {} listing(s) read back, nothing changed on the channel",
                record.name, d.checked
            ),
            (None, Some(e)) => println!(
                "{}: the channel could not be read back for changes now: {e}",
                record.name
            ),
            (None, None) => {}
        }
        if let Some(held) = &report.updates_held {
            println!("{held}");
        }
        match (&report.orders, &report.orders_error) {
            (Some(o), _) => {
                println!(
                    "{}: {} new orders, {} changed, {} lines moved stock, {} cancellations put back",
                    record.name,
                    o.new_orders,
                    o.updated_orders,
                    o.stock_moves,
                    o.cancellations_returned
                );
                if o.unknown_lines > 0 {
                    println!(
                        "  {} order lines name a product Kanaal does not know ({}); they are kept without stock changes. Add these SKUs to the catalog.",
                        o.unknown_lines,
                        o.unknown_skus.iter().cloned().collect::<Vec<_>>().join(", ")
                    );
                }
            }
            (None, Some(e)) => println!("{}: orders could not be read now: {e}", record.name),
            (None, None) => {}
        }
        print_drain(&record, &report.outbox);
    }
    Ok(())
}

pub fn orders_cmd(store: &Store, command: OrdersCommand) -> Result<()> {
    let OrdersCommand::List {
        format,
        channel,
        limit,
    } = command;
    let channel = match channel.as_deref() {
        Some(c) => Some(channels_for(store, Some(c))?[0].id.0),
        None => None,
    };
    let orders = kanaal_sync::list_orders(store, channel, limit).map_err(sync_error)?;
    match format {
        super::Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&orders).map_err(|e| Error::Corrupt(e.to_string()))?
        ),
        super::Format::Table => {
            if orders.is_empty() {
                println!("No orders yet. Run `kanaal sync` to fetch them.");
                return Ok(());
            }
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
            t.set_header([
                "Placed", "Channel", "Order", "Status", "Customer", "Items", "Total", "Ship by",
                "Note",
            ]);
            for o in &orders {
                let mut notes = Vec::new();
                if o.cancel_requests > 0 {
                    notes.push(format!(
                        "customer asks to cancel {} line(s)",
                        o.cancel_requests
                    ));
                }
                if o.lines_cancelled > 0 && o.status != "cancelled" {
                    notes.push(format!("{} line(s) cancelled", o.lines_cancelled));
                }
                if o.unknown_lines > 0 {
                    notes.push(format!("{} unknown SKU line(s)", o.unknown_lines));
                }
                let ship_by = match (&o.ship_by, o.status.as_str()) {
                    (Some(at), "open") => at.clone(),
                    _ => String::new(),
                };
                let total = match o.total.parse() {
                    Ok(a) if o.currency == "EUR" => {
                        super::print::money(&kanaal_core::money::Money::eur(a))
                    }
                    _ => format!("{} {}", o.currency, o.total),
                };
                t.add_row([
                    o.placed_at.clone(),
                    o.channel.clone(),
                    o.remote_id.clone(),
                    o.status.clone(),
                    o.customer.clone().unwrap_or_default(),
                    o.items.to_string(),
                    total,
                    ship_by,
                    notes.join("; "),
                ]);
            }
            println!("{t}");
        }
    }
    Ok(())
}
