//! `kanaal`: the headless command line. It parses arguments, calls kanaal-core, and prints. It
//! holds no business rules of its own: anything it can do, the desktop app can do through the
//! same core functions. Errors go to stderr with exit code 1 (2 for bad arguments, from clap).

use clap::{Parser, Subcommand, ValueEnum};
use kanaal_core::catalog::{self, ProductQuery, ProductStatus};
use kanaal_core::clock::SystemClock;
use kanaal_core::progress::{CancelToken, ProgressStep};
use kanaal_core::store::{schema, Store};
use kanaal_core::{data_dir, demo, overview, Result};
use std::path::PathBuf;
use std::process::ExitCode;

mod print;

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
    let store = open(cli.data_dir.as_deref())?;
    match cli.command {
        Command::Demo { seed } => {
            if demo::catalog_is_empty(&store)? {
                let progress = |s: ProgressStep| {
                    if s.done == s.total {
                        eprintln!("Demo shop: {} of {} {} loaded", s.done, s.total, s.stage);
                    }
                };
                let loaded =
                    demo::load(&store, &SystemClock, seed, &progress, &CancelToken::new())?;
                println!(
                    "Loaded the demo shop \"{}\" into {}",
                    loaded.shop_name,
                    store.dir().display()
                );
            } else {
                println!(
                    "The data folder {} already holds a shop; showing it.",
                    store.dir().display()
                );
            }
            let o = store.read(overview::shop_overview)?;
            print::overview(&o);
        }
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
            };
            let page = store.read(|tx| catalog::list_products(tx, &q))?;
            match format {
                Format::Table => print::products(&page),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&page)
                        .map_err(|e| kanaal_core::Error::Corrupt(e.to_string()))?
                ),
            }
        }
        Command::Info => {
            println!("Data folder:    {}", store.dir().display());
            println!("Database:       {}", store.db_path().display());
            println!("Data version:   {}", schema::VERSION);
            println!("Database size:  {} bytes", store.size_bytes());
        }
    }
    Ok(())
}
