//! From a channel's customer record to what the matcher compares: normalised, masked values
//! dropped, identifiers replaced by keyed hashes (see `keys` for what is hashed and why).

use super::keys::{Field, MatchKey};
use super::masking::{self, EmailKind};
use super::normalize;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A customer as one channel shows it; every field may be empty. This is the row of the
/// `customers match` CSV and of the store's `customers` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub channel: String,
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub house_number: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

/// One record ready for matching. Identifiers are 64-bit prefixes of keyed hashes; only the two
/// name strings are plain text, kept for the fuzzy comparison and dropped after the run.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub email: Option<u64>,
    /// Set when `email` is a relay alias: a hash of the channel, the only place where that
    /// alias can be compared.
    pub relay_scope: Option<u64>,
    pub phone: Option<u64>,
    /// Postcode + house number (without addition: "12" and "12-2" are often the same door in
    /// customer data).
    pub address: Option<u64>,
    pub house_number: Option<u32>,
    /// The full postcode, or for countries without a finer code, the whole code.
    pub postcode: Option<u64>,
    /// The postcode area (the four digits of a Dutch postcode).
    pub area: Option<u64>,
    pub surname_key: Option<u64>,
    pub given_key: Option<u64>,
    pub city: Option<u64>,
    pub given: Option<String>,
    pub initial: Option<char>,
    pub surname: Option<String>,
    pub surname_initial: Option<char>,
}

/// Normalises and hashes one record.
pub fn prepare(r: &CustomerRecord, key: &MatchKey) -> Prepared {
    let country = normalize::country_code(&r.country);
    let country = country.as_deref();
    let channel = r.channel.trim().to_ascii_lowercase();
    let mut p = Prepared::default();

    if let Some(e) = normalize::email(&r.email) {
        p.email = match masking::email_kind(&e) {
            EmailKind::Own => Some(key.hash64(Field::Email, "", &e)),
            EmailKind::Relay => {
                p.relay_scope = Some(key.hash64(Field::RelayEmail, &channel, ""));
                Some(key.hash64(Field::RelayEmail, &channel, &e))
            }
            EmailKind::Placeholder => None,
        };
    }
    if !masking::channel_phone_is_proxy(&channel) {
        p.phone =
            normalize::phone(&r.phone, country).map(|e164| key.hash64(Field::Phone, "", &e164));
    }
    let pc = normalize::postcode(&r.postcode, country);
    let hn = normalize::house_number(&r.house_number);
    if let Some(pc) = &pc {
        let scope = country.unwrap_or("NL");
        p.area = Some(key.hash64(Field::PostcodeArea, scope, &pc.area));
        if let Some(full) = &pc.full {
            p.postcode = Some(key.hash64(Field::Postcode, scope, full));
            if let Some(hn) = &hn {
                let addr = format!("{full}|{}", hn.number);
                p.address = Some(key.hash64(Field::Address, scope, &addr));
            }
        }
    }
    p.house_number = hn.map(|h| h.number);
    let city = deunicode::deunicode(r.city.trim()).to_lowercase();
    if !city.is_empty() && !city.contains('*') {
        p.city = Some(key.hash64(Field::City, "", &city));
    }
    let n = normalize::name(&r.name);
    p.surname_key = n
        .surname
        .as_deref()
        .map(|s| key.hash64(Field::Surname, "", s));
    p.given_key = n.given.as_deref().map(|s| key.hash64(Field::Given, "", s));
    p.given = n.given;
    p.initial = n.initial;
    p.surname = n.surname;
    p.surname_initial = n.surname_initial;
    p
}

/// Drops e-mail and phone values that are shared by people with [`masking::SHARED_VALUE_SURNAMES`]
/// or more different surnames: proxy pools and placeholders that no pattern caught.
pub fn drop_shared_values(records: &mut [Prepared]) {
    fn shared(records: &[Prepared], get: impl Fn(&Prepared) -> Option<u64>) -> Vec<u64> {
        let mut surnames: HashMap<u64, Vec<u64>> = HashMap::new();
        for r in records {
            if let (Some(v), Some(s)) = (get(r), r.surname_key) {
                let list = surnames.entry(v).or_default();
                if list.len() < masking::SHARED_VALUE_SURNAMES && !list.contains(&s) {
                    list.push(s);
                }
            }
        }
        surnames
            .into_iter()
            .filter(|(_, s)| s.len() >= masking::SHARED_VALUE_SURNAMES)
            .map(|(v, _)| v)
            .collect()
    }
    let emails: std::collections::HashSet<u64> = shared(records, |r| r.email).into_iter().collect();
    let phones: std::collections::HashSet<u64> = shared(records, |r| r.phone).into_iter().collect();
    if emails.is_empty() && phones.is_empty() {
        return;
    }
    for r in records {
        if r.email.is_some_and(|e| emails.contains(&e)) {
            r.email = None;
        }
        if r.phone.is_some_and(|p| phones.contains(&p)) {
            r.phone = None;
        }
    }
}

/// Why a customer file could not be read, in words for the merchant.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file has no `{0}` column; the first line must name the columns: channel,id,name,email,phone,street,house_number,postcode,city,country (all but channel and id may be empty)")]
    MissingColumn(&'static str),
    #[error("line {line}: {message}")]
    Row { line: u64, message: String },
}

/// Reads customer records from CSV with a header line (columns in any order; unknown columns
/// ignored; every column but `channel` and `id` may be missing or empty).
pub fn read_csv(reader: impl std::io::Read) -> Result<Vec<CustomerRecord>, ReadError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = r
        .headers()
        .map_err(|e| ReadError::Row {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let channel = col("channel").ok_or(ReadError::MissingColumn("channel"))?;
    let id = col("id").ok_or(ReadError::MissingColumn("id"))?;
    let others = [
        "name",
        "email",
        "phone",
        "street",
        "house_number",
        "postcode",
        "city",
        "country",
    ]
    .map(col);
    let mut out = Vec::new();
    for row in r.records() {
        let row = row.map_err(|e| ReadError::Row {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("").to_string();
        out.push(CustomerRecord {
            channel: get(Some(channel)),
            id: get(Some(id)),
            name: get(others[0]),
            email: get(others[1]),
            phone: get(others[2]),
            street: get(others[3]),
            house_number: get(others[4]),
            postcode: get(others[5]),
            city: get(others[6]),
            country: get(others[7]),
        });
    }
    Ok(out)
}
