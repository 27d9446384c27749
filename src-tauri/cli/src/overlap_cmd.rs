//! `kanaal customers …`: customer overlap. `match FILE...` works on files, for merchants' scripts
//! and for evaluation: it resolves persons with kanaal-insights and prints one line per input
//! record in input order; no data folder is opened and nothing is stored. `resolve` and `erase`
//! work on the store (with the shop's matching key from the OS keyring). Parsing and printing
//! only; the rules live in kanaal-insights.

use crate::insights_cmd::{csv_field, ReportFormat};
use clap::{Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use kanaal_insights::overlap::{self, keys, prepare, store, CustomerRecord, MatchConfig, MatchKey};
use std::io::Write;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Resolve which customer records (from several channels' CSV files) are the same person.
    /// Each FILE has the header channel,id,name,email,phone,street,house_number,postcode,city,country
    /// (empty values allowed). Prints channel,id,person for every record, in input order.
    Match {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = MatchFormat::Csv)]
        format: MatchFormat,
    },
    /// Match the customers in the data folder into persons (run after new orders arrive).
    /// Stores only keyed hashes of identifiers; the key stays in the system keyring.
    Resolve,
    /// Erase a customer (AVG/GDPR): their name, e-mail, phone and address on every channel,
    /// the personal fields of their orders (amounts stay for the books) and their name on
    /// reviews. Cannot be undone.
    Erase {
        /// The customer's number (`customers.id`).
        customer: i64,
        /// Confirm that the personal data may be removed for good.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MatchFormat {
    Csv,
    Json,
}

/// Whether the command needs the data folder (`match` works on files only).
pub fn needs_store(command: &CustomersCommand) -> bool {
    !matches!(command, CustomersCommand::Match { .. })
}

/// Runs `kanaal customers resolve|erase` over the store.
pub fn customers_in_store(store: &Store, command: CustomersCommand) -> Result<()> {
    match command {
        CustomersCommand::Match { files, format } => match_files(files, format),
        CustomersCommand::Resolve => {
            let key = keys::load_shop_key()
                .map_err(|e| Error::invalid("customer-matching key", e.to_string()))?;
            let now = SystemClock.now();
            let r =
                store.write(|tx| store::resolve_persons(tx, &key, &MatchConfig::default(), now))?;
            println!(
                "{} customers are {} people ({} changed person).",
                r.customers, r.persons, r.changed
            );
            if r.from_priors.u || !r.from_priors.m.is_empty() {
                println!("Few customers yet: matching used Kanaal's standard weights instead of ones learned from your shop.");
            }
            Ok(())
        }
        CustomersCommand::Erase { customer, yes } => {
            if !yes {
                return Err(Error::invalid(
                    "erase",
                    "erasing removes this customer's personal data on every channel for good; run again with --yes to confirm",
                ));
            }
            let now = SystemClock.now();
            let e = store.write(|tx| store::erase_customer(tx, customer, now))?;
            println!(
                "Erased customer {customer}: {} customer records, personal data in {} orders, author on {} reviews. Order amounts are kept.",
                e.customers, e.orders, e.reviews
            );
            Ok(())
        }
    }
}

/// Runs `kanaal customers match` (needs no data folder).
pub fn customers(command: CustomersCommand) -> Result<()> {
    match command {
        CustomersCommand::Match { files, format } => match_files(files, format),
        _ => Err(Error::invalid(
            "customers",
            "this command needs the data folder",
        )),
    }
}

fn match_files(files: Vec<PathBuf>, format: MatchFormat) -> Result<()> {
    let mut records: Vec<CustomerRecord> = Vec::new();
    for file in &files {
        let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
        let mut r = prepare::read_csv(std::io::BufReader::new(f))
            .map_err(|e| Error::invalid(file.display().to_string(), e.to_string()))?;
        records.append(&mut r);
    }
    let m = overlap::match_records(&records, &MatchKey::for_files(), &MatchConfig::default());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| Error::io("standard output", e);
    match format {
        MatchFormat::Csv => {
            let mut w = csv_writer(&mut out);
            w.write_record(["channel", "id", "person"])
                .map_err(|e| Error::invalid("output", e.to_string()))?;
            for (r, p) in records.iter().zip(&m.person) {
                w.write_record([r.channel.as_str(), r.id.as_str(), &p.to_string()])
                    .map_err(|e| Error::invalid("output", e.to_string()))?;
            }
            w.flush().map_err(io)?;
        }
        MatchFormat::Json => {
            let rows: Vec<serde_json::Value> = records
                .iter()
                .zip(&m.person)
                .map(|(r, p)| serde_json::json!({"channel": r.channel, "id": r.id, "person": p}))
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)
                .map_err(|e| Error::invalid("output", e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(())
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().from_writer(w)
}

/// Runs `kanaal report overlap` over the store.
pub fn report_overlap(store: &Store, format: ReportFormat) -> Result<()> {
    let (r, unresolved) =
        store.read(|tx| Ok((store::overlap_report(tx)?, store::unresolved_customers(tx)?)))?;
    if unresolved > 0 {
        eprintln!(
            "kanaal: {unresolved} customers are not matched yet and count as one person each; run `kanaal customers resolve` first"
        );
    }
    match format {
        ReportFormat::Json => {
            let s = serde_json::to_string(&r).map_err(|e| Error::Corrupt(e.to_string()))?;
            println!("{s}");
        }
        ReportFormat::Csv => {
            println!("measure,channel,other_channel,persons,share");
            for (i, a) in r.channels.iter().enumerate() {
                for (j, b) in r.channels.iter().enumerate() {
                    println!(
                        "overlap,{},{},{},",
                        csv_field(a),
                        csv_field(b),
                        r.matrix[i][j]
                    );
                }
            }
            for x in &r.reach {
                println!(
                    "unique_reach,{},,{},{}",
                    csv_field(&x.channel),
                    x.only_here,
                    x.unique_share
                );
            }
            for m in &r.movement {
                println!(
                    "movement,{},{},{},",
                    csv_field(&m.from),
                    csv_field(&m.to),
                    m.persons
                );
            }
            for x in &r.repeat {
                println!(
                    "repeat,{},,{},{}",
                    csv_field(&x.channel),
                    x.repeat_persons,
                    x.rate
                );
            }
        }
        ReportFormat::Table => {
            if r.persons == 0 {
                println!("No customers in the store yet: overlap appears once orders with customers are synced or imported.");
                return Ok(());
            }
            println!("{} people across {} channels.", r.persons, r.channels.len());
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            let mut header = vec!["Customers on both".to_string()];
            header.extend(r.channels.iter().cloned());
            t.set_header(header);
            for (i, c) in r.channels.iter().enumerate() {
                let mut row = vec![c.clone()];
                row.extend(r.matrix[i].iter().map(u64::to_string));
                t.add_row(row);
            }
            println!("{t}");
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED);
            t.set_header([
                "Channel",
                "People",
                "Only here",
                "Unique reach",
                "Ordered",
                "Again",
                "Repeat rate",
            ]);
            for x in &r.reach {
                let rep = r.repeat.iter().find(|p| p.channel == x.channel);
                t.add_row([
                    x.channel.clone(),
                    x.persons.to_string(),
                    x.only_here.to_string(),
                    percent(x.unique_share),
                    rep.map(|p| p.persons_with_orders.to_string())
                        .unwrap_or_default(),
                    rep.map(|p| p.repeat_persons.to_string())
                        .unwrap_or_default(),
                    rep.map(|p| percent(p.rate)).unwrap_or_default(),
                ]);
            }
            println!("{t}");
            if !r.movement.is_empty() {
                println!("First order on one channel, later orders on another:");
                for m in &r.movement {
                    println!("  {} -> {}: {} people", m.from, m.to, m.persons);
                }
            }
        }
    }
    Ok(())
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}
