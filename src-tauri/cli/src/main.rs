//! `kanaal`: the headless command line. It parses arguments, calls kanaal-core, and prints. It
//! holds no business rules of its own: anything it can do, the desktop app can do through the
//! same core functions. Errors go to stderr with exit code 1 (2 for bad arguments, from clap).

use clap::{Parser, Subcommand, ValueEnum};
use kanaal_core::catalog::{self, csv, ProductQuery, ProductStatus, Source};
use kanaal_core::clock::Clock;
use kanaal_core::clock::SystemClock;
use kanaal_core::store::{schema, Store};
use kanaal_core::{data_dir, demo, Result};
use std::path::PathBuf;
use std::process::ExitCode;

mod channel_cmd;
mod demo_cmd;
mod insights_cmd;
mod overlap_cmd;
mod pictures_cmd;
mod print;
mod sandbox_cmd;
mod sync_cmd;

#[derive(Parser)]
#[command(
    name = "kanaal",
    version,
    about = "Kanaal: one catalog, every sales channel."
)]
struct Cli {
    /// Data folder to use (default: KANAAL_DATA_DIR, else the system's app-data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the demo shop into an empty data folder and print a summary of the shop.
    Demo {
        /// Seed for the generated shop; the same seed gives the same shop.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Work with the catalog.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Show where the data lives and what version it is.
    Info,
    /// Run the platform sandboxes (bol.com, Shopify) on this computer.
    Sandbox {
        #[command(subcommand)]
        command: sandbox_cmd::SandboxCommand,
    },
    /// Connect and manage sales channels.
    Channel {
        #[command(subcommand)]
        command: channel_cmd::ChannelCommand,
    },
    /// Customers across channels: who is the same person.
    Customers {
        #[command(subcommand)]
        command: overlap_cmd::CustomersCommand,
    },
    /// Score reviews from a file (no data folder needed), or import them into the data folder.
    Reviews {
        #[command(subcommand)]
        command: insights_cmd::ReviewsCommand,
    },
    /// Channel comparison reports over the store: fees, reviews, customer overlap.
    Report {
        #[command(subcommand)]
        command: insights_cmd::ReportCommand,
    },
    /// Show what publishing would change on each channel; --yes sends it. --history lists past
    /// publishes; --rollback BATCH [--yes] puts back what the channels had before one of them.
    Publish(sync_cmd::PublishArgs),
    /// Pull new orders, read each channel back for changes made there (drift; --no-drift skips
    /// it), push stock and send what is queued, per channel.
    Sync(sync_cmd::SyncArgs),
    /// The order inbox across channels.
    Orders {
        #[command(subcommand)]
        command: sync_cmd::OrdersCommand,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// List products with their variants, prices and stock.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Only products whose title, handle, SKU or EAN contains all these words.
        #[arg(long)]
        search: Option<String>,
        /// Only products with this status: draft, active or archived.
        #[arg(long, value_parser = parse_status)]
        status: Option<ProductStatus>,
        /// At most this many products.
        #[arg(long, default_value_t = 1000)]
        limit: u32,
    },
    /// Import a Shopify or WooCommerce product CSV (also as saved by Dutch Excel).
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = FileFormat::Auto)]
        format: FileFormat,
        /// Check the file and report what would change, without saving anything.
        #[arg(long)]
        dry_run: bool,
        /// Import the products whose rows are all valid and leave out the others (default:
        /// import nothing when any row is wrong).
        #[arg(long)]
        valid_only: bool,
        /// Do not download the pictures the file names by web address now; they stay queued
        /// for `kanaal catalog pictures` (or the app).
        #[arg(long)]
        no_pictures: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        report: Format,
    },
    /// Download the pictures imported product files named by web address and still waiting
    /// (for example after an import without a connection).
    Pictures {
        /// Also try again the pictures that failed before (after fixing a link or a server).
        #[arg(long)]
        retry_failed: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        report: Format,
    },
    /// Export the catalog as a product CSV that Shopify or WooCommerce imports.
    Export {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: FileFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FileFormat {
    Auto,
    Shopify,
    Woocommerce,
}

impl From<FileFormat> for csv::Format {
    fn from(f: FileFormat) -> Self {
        match f {
            FileFormat::Auto => csv::Format::Auto,
            FileFormat::Shopify => csv::Format::Shopify,
            FileFormat::Woocommerce => csv::Format::WooCommerce,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

fn parse_status(s: &str) -> std::result::Result<ProductStatus, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kanaal: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(cli_dir: Option<&std::path::Path>) -> Result<Store> {
    Store::open(&data_dir::from_env(cli_dir)?)
}

fn run(cli: Cli) -> Result<()> {
    // Matching files needs no data folder.
    if let Command::Customers { command } = cli.command {
        if overlap_cmd::needs_store(&command) {
            let store = open(cli.data_dir.as_deref())?;
            return overlap_cmd::customers_in_store(&store, command);
        }
        return overlap_cmd::customers(command);
    }
    if let Command::Reviews { command } = cli.command {
        if insights_cmd::reviews_need_store(&command) {
            let store = open(cli.data_dir.as_deref())?;
            return insights_cmd::reviews_in_store(&store, command);
        }
        return insights_cmd::reviews(command);
    }
    if let Command::Sandbox { command } = cli.command {
        return sandbox_cmd::run(command);
    }
    let store = open(cli.data_dir.as_deref())?;
    match cli.command {
        Command::Sandbox { .. } => {} // handled above, before the store is opened
        Command::Channel { command } => channel_cmd::run(&store, command)?,
        Command::Reviews { .. } => {} // handled above, before the store is opened
        Command::Report { command } => insights_cmd::report(&store, command)?,
        Command::Publish(args) => sync_cmd::publish_cmd(&store, args)?,
        Command::Sync(args) => sync_cmd::sync_cmd(&store, args)?,
        Command::Orders { command } => sync_cmd::orders_cmd(&store, command)?,
        Command::Demo { seed } => demo_cmd::run(&store, seed)?,
        Command::Catalog {
            command:
                CatalogCommand::List {
                    format,
                    search,
                    status,
                    limit,
                },
        } => {
            let q = ProductQuery {
                search,
                status,
                language: None,
                offset: 0,
                limit: limit.clamp(1, catalog::query::MAX_PAGE),
                ..Default::default()
            };
            let page =
                store.read(|tx| catalog::list_products_with(tx, &q, store.title_orders()))?;
            match format {
                Format::Table => print::products(&page),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&page)
                        .map_err(|e| kanaal_core::Error::Corrupt(e.to_string()))?
                ),
            }
        }
        Command::Catalog {
            command:
                CatalogCommand::Import {
                    file,
                    format,
                    dry_run,
                    valid_only,
                    no_pictures,
                    report,
                },
        } => {
            let bytes = std::fs::read(&file).map_err(|e| kanaal_core::Error::io(&file, e))?;
            let mode = if valid_only {
                csv::Mode::ValidRowsOnly
            } else {
                csv::Mode::AllOrNothing
            };
            let now = SystemClock.now();
            let r = csv::import(
                &store,
                &bytes,
                format.into(),
                mode,
                dry_run,
                now,
                Source::Cli,
            )?;
            match report {
                Format::Table => print::import_report(&r),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&r)
                        .map_err(|e| kanaal_core::Error::Corrupt(e.to_string()))?
                ),
            }
            if !r.committed && !dry_run {
                return Err(kanaal_core::Error::invalid(
                    file.display().to_string(),
                    "nothing was imported: fix the rows listed above, or use --valid-only to import the rest",
                ));
            }
            if r.committed && !no_pictures {
                let output = match report {
                    Format::Table => pictures_cmd::Output::Table,
                    Format::Json => pictures_cmd::Output::Quiet,
                };
                pictures_cmd::fetch(&store, false, output)?;
            }
        }
        Command::Catalog {
            command:
                CatalogCommand::Pictures {
                    retry_failed,
                    report,
                },
        } => {
            let output = match report {
                Format::Table => pictures_cmd::Output::Table,
                Format::Json => pictures_cmd::Output::Json,
            };
            pictures_cmd::fetch(&store, retry_failed, output)?;
        }
        Command::Catalog {
            command: CatalogCommand::Export { file, format },
        } => {
            let bytes = csv::export(&store, format.into())?;
            std::fs::write(&file, bytes).map_err(|e| kanaal_core::Error::io(&file, e))?;
            println!("Wrote {}", file.display());
        }
        Command::Info => {
            println!("Data folder:    {}", store.dir().display());
            println!("Database:       {}", store.db_path().display());
            println!("Data version:   {}", schema::VERSION);
            println!("Database size:  {} bytes", store.size_bytes());
        }
        Command::Customers { .. } => {} // handled above, before the store is opened
    }
    Ok(())
}
