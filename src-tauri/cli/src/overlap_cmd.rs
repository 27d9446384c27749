//! `kanaal customers match FILE...`: customer overlap on files, for merchants' scripts and for
//! evaluation. Reads the files, resolves persons with kanaal-insights, prints one line per input
//! record in input order. No data folder is opened and nothing is stored.

use clap::{Subcommand, ValueEnum};
use kanaal_core::{Error, Result};
use kanaal_insights::overlap::{self, prepare, CustomerRecord, MatchConfig, MatchKey};
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
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MatchFormat {
    Csv,
    Json,
}

pub fn customers(command: CustomersCommand) -> Result<()> {
    let CustomersCommand::Match { files, format } = command;
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
