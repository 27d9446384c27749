//! `kanaal reviews …` and `kanaal report …`: the channel comparison on files and over the store
//! (`reviews score` works on a file alone; `reviews import` writes into the data folder).
//! Parsing and printing only; scoring and fee rules live in kanaal-insights.

use clap::{Subcommand, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use kanaal_insights::fees::{self, FeeSettings};
use kanaal_insights::sentiment::calibrate::{self, Calibration};
use kanaal_insights::sentiment::import;
use kanaal_insights::sentiment::{self, Lang, Scored};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum ReviewsCommand {
    /// Score review texts from a CSV file with a `text` column (optional `lang`, `rating`,
    /// `channel`); prints one result per row, in order.
    Score {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Jsonl)]
        format: ScoreFormat,
        /// Fit a calibration on the file's own star ratings (`rating` column, 1–5) and apply it.
        #[arg(long)]
        calibrate: bool,
    },
    /// Import reviews from a CSV file into the data folder, for one channel. Columns: `text`
    /// (required), optional `id`, `date`, `rating` (1–5), `author`, `lang`, `title`. Importing
    /// the same file again adds nothing.
    Import {
        file: PathBuf,
        /// The channel's number (see `kanaal channel list`).
        #[arg(long)]
        channel: i64,
        /// Import the valid rows and leave out the bad ones (default: import nothing when any
        /// row is bad).
        #[arg(long)]
        valid_only: bool,
        #[arg(long, value_enum, default_value_t = ImportFormat::Table)]
        format: ImportFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    Table,
    Json,
}

/// Whether the command needs the data folder (`score` works on a file only).
pub fn reviews_need_store(cmd: &ReviewsCommand) -> bool {
    matches!(cmd, ReviewsCommand::Import { .. })
}

/// Runs `kanaal reviews import` into the store.
pub fn reviews_in_store(store: &Store, cmd: ReviewsCommand) -> Result<()> {
    let ReviewsCommand::Import {
        file,
        channel,
        valid_only,
        format,
    } = cmd
    else {
        return reviews(cmd);
    };
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    let mode = if valid_only {
        import::Mode::ValidOnly
    } else {
        import::Mode::AllOrNothing
    };
    let now = SystemClock.now();
    let r = store.write(|tx| import::import_reviews(tx, channel, &bytes, mode, now))?;
    match format {
        ImportFormat::Json => println!("{}", json(&r)?),
        ImportFormat::Table => {
            if !r.bad.is_empty() {
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED);
                t.set_header(["Row", "Column", "What to do"]);
                for b in &r.bad {
                    t.add_row([b.row.to_string(), b.column.clone(), b.message.clone()]);
                }
                println!("{t}");
            }
            println!(
                "{} rows: {} reviews imported, {} already there, {} rows with problems.",
                r.rows,
                r.imported,
                r.already_present,
                r.bad.len()
            );
        }
    }
    if !r.committed {
        return Err(invalid(
            &file,
            "nothing was imported: fix the rows listed above, or use --valid-only to import the rest",
        ));
    }
    Ok(())
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScoreFormat {
    Jsonl,
    Csv,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Fees, net contribution and take rate per channel, month and product.
    Fees {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// You use the KOR (small-business scheme): VAT on fees is a cost. Without the flag,
        /// the KOR setting saved in the app decides.
        #[arg(long)]
        kor: bool,
    },
    /// Review sentiment per channel, aspects, and the worst recent reviews.
    Reviews {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Customer overlap between channels: shared customers, unique reach, movement between
    /// channels, repeat rate (run `kanaal customers resolve` first).
    Overlap {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
}

fn invalid(file: &Path, message: impl Into<String>) -> Error {
    Error::invalid(file.display().to_string(), message)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Corrupt(e.to_string()))
}

/// Runs `kanaal reviews …` (needs no data folder).
pub fn reviews(cmd: ReviewsCommand) -> Result<()> {
    let ReviewsCommand::Score {
        file,
        format,
        calibrate: fit_calibration,
    } = cmd
    else {
        return Err(Error::invalid(
            "reviews import",
            "importing needs the data folder",
        ));
    };
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    // The catalog's reader: BOM, UTF-8 or Windows-1252 (Dutch Excel), `,`/`;`/tab.
    let table =
        kanaal_core::catalog::csv::read_table(&bytes).map_err(|e| invalid(&file, e.to_string()))?;
    let headers = &table.headers;
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(text_col) = col("text") else {
        return Err(invalid(
            &file,
            "there is no `text` column: the first row must name the columns, one of them `text`",
        ));
    };
    let (lang_col, rating_col) = (col("lang"), col("rating"));
    let mut rows: Vec<(Scored, sentiment::Features, Option<u8>)> = Vec::new();
    for rec in &table.rows {
        let cell = |c: Option<usize>| c.and_then(|c| rec.cells.get(c)).map(|s| s.trim());
        let lang = match cell(lang_col) {
            None | Some("") => None,
            Some(l) => Some(
                l.parse::<Lang>()
                    .map_err(|e| invalid(&file, format!("row {}: {e}", rec.number)))?,
            ),
        };
        let rating = cell(rating_col)
            .and_then(|r| r.parse::<f64>().ok())
            .map(|r| r.round().clamp(1.0, 5.0) as u8);
        let (s, f) = sentiment::features(cell(Some(text_col)).unwrap_or_default(), lang);
        rows.push((s, f, rating));
    }
    let calibration: Option<Calibration> = if fit_calibration {
        let samples: Vec<_> = rows
            .iter()
            .filter_map(|(_, f, r)| r.map(|r| (*f, r)))
            .collect();
        match calibrate::fit(&samples) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("kanaal: not calibrated: {e}");
                None
            }
        }
    } else {
        None
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let io = |e: std::io::Error| Error::io("standard output", e);
    if matches!(format, ScoreFormat::Csv) {
        writeln!(out, "score,label,lang,aspects").map_err(io)?;
    }
    for (s, f, _) in &rows {
        let s = match &calibration {
            Some(c) => c.adjust(s, f),
            None => s.clone(),
        };
        match format {
            ScoreFormat::Jsonl => writeln!(out, "{}", json(&s)?).map_err(io)?,
            ScoreFormat::Csv => {
                let aspects: Vec<String> = s
                    .aspects
                    .iter()
                    .map(|a| format!("{}:{}", a.aspect.code(), a.score))
                    .collect();
                writeln!(
                    out,
                    "{},{},{},{}",
                    s.score,
                    json(&s.label)?.trim_matches('"'),
                    s.lang.code(),
                    aspects.join(";")
                )
                .map_err(io)?
            }
        }
    }
    out.flush().map_err(io)
}

/// Runs `kanaal report …` over the store.
pub fn report(store: &Store, cmd: ReportCommand) -> Result<()> {
    match cmd {
        ReportCommand::Fees { format, kor } => {
            let (sales, schedules, saved) = store.read(|tx| {
                Ok((
                    fees::store::load_sales(tx, None, None)?,
                    fees::store::load_schedules(tx)?,
                    fees::store::fee_settings(tx)?,
                ))
            })?;
            let settings = FeeSettings {
                kor: kor || saved.kor,
            };
            let a = fees::analyse(&sales, &schedules, settings);
            for s in &a.skipped {
                eprintln!("kanaal: left out {s}");
            }
            let rows = a.rows();
            match format {
                ReportFormat::Json => println!("{}", json(&rows)?),
                ReportFormat::Csv => {
                    println!("level,channel,key,orders,units,revenue_incl_vat,revenue_excl_vat,goods_cost,fees,net_contribution,take_rate,fee_difference,lines_without_cost");
                    for r in &rows {
                        let t = &r.totals;
                        println!(
                            "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                            r.level,
                            csv_field(&r.channel),
                            csv_field(&r.key),
                            t.orders,
                            t.units,
                            t.revenue_incl_vat,
                            t.revenue_excl_vat,
                            t.goods_cost,
                            t.fees,
                            t.net_contribution,
                            t.take_rate.map(|x| x.to_string()).unwrap_or_default(),
                            t.fee_difference,
                            t.lines_without_cost
                        );
                    }
                }
                ReportFormat::Table => {
                    if rows.is_empty() {
                        println!("No orders in the store yet: fees appear once orders are synced or imported.");
                        return Ok(());
                    }
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header([
                        "Channel",
                        "Month/product",
                        "Orders",
                        "Revenue incl. VAT",
                        "Fees",
                        "Net contribution",
                        "Take rate",
                        "Fees vs model",
                    ]);
                    for r in rows.iter().filter(|r| r.level != "product") {
                        let x = &r.totals;
                        t.add_row([
                            r.channel.clone(),
                            r.key.clone(),
                            x.orders.to_string(),
                            format!("{:.2}", x.revenue_incl_vat),
                            format!("{:.2}", x.fees),
                            format!("{:.2}", x.net_contribution),
                            x.take_rate
                                .map(|p| format!("{:.1}%", p * rust_decimal::Decimal::ONE_HUNDRED))
                                .unwrap_or_default(),
                            format!("{:+.2}", x.fee_difference),
                        ]);
                    }
                    println!("{t}");
                }
            }
        }
        ReportCommand::Overlap { format } => crate::overlap_cmd::report_overlap(store, format)?,
        ReportCommand::Reviews { format } => {
            let r = store.read(|tx| sentiment::report::review_report(tx, 10))?;
            match format {
                ReportFormat::Json => println!("{}", json(&r)?),
                ReportFormat::Csv => {
                    println!("channel,reviews,mean_score,positive,negative,mean_rating,aspects");
                    for c in &r.channels {
                        let aspects: Vec<String> = c
                            .aspects
                            .iter()
                            .map(|(k, (s, n))| format!("{k}:{s}:{n}"))
                            .collect();
                        println!(
                            "{},{},{},{},{},{},{}",
                            csv_field(&c.channel),
                            c.reviews,
                            c.mean_score,
                            c.positive,
                            c.negative,
                            c.mean_rating.map(|x| x.to_string()).unwrap_or_default(),
                            aspects.join(";")
                        );
                    }
                }
                ReportFormat::Table => {
                    if r.channels.is_empty() {
                        println!("No reviews in the store yet: they appear once reviews are synced or imported.");
                        return Ok(());
                    }
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header([
                        "Channel",
                        "Reviews",
                        "Mean score",
                        "Positive",
                        "Negative",
                        "Stars",
                        "Aspects (score, mentions)",
                    ]);
                    for c in &r.channels {
                        let aspects: Vec<String> = c
                            .aspects
                            .iter()
                            .map(|(k, (s, n))| format!("{k} {s:+.2} ({n})"))
                            .collect();
                        t.add_row([
                            c.channel.clone(),
                            c.reviews.to_string(),
                            format!("{:+.3}", c.mean_score),
                            c.positive.to_string(),
                            c.negative.to_string(),
                            c.mean_rating.map(|x| format!("{x:.1}")).unwrap_or_default(),
                            aspects.join(", "),
                        ]);
                    }
                    println!("{t}");
                    if !r.worst_recent.is_empty() {
                        println!("Answer first:");
                        for w in &r.worst_recent {
                            println!(
                                "  {} {} ({:+.2}): {}",
                                w.channel, w.created_at, w.score, w.text
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
