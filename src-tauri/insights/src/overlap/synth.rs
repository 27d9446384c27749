//! A Dutch synthetic customer base, from a seed, with the masking each platform applies: the
//! test bed for matching quality (the truth is known) and for the benchmark.
//!
//! People have Dutch given names and surnames (with tussenvoegsels, a long tail of rarer
//! surnames), Dutch addresses (`1234 AB`, house numbers with additions), mobile numbers and
//! e-mail addresses at Dutch and international providers. Some live together (same address,
//! often the same surname: the hard case for a matcher). Each person shops on one or more
//! channels, and each channel shows them as it really does (see `masking` for the sources):
//! the webshop sees everything; bol.com the name and address with a relay e-mail; Amazon a relay
//! e-mail and mostly only postcode and city; Thuisbezorgd, for courier orders, an initial, `****`
//! and the postcode digits; Uber Eats a first name, the surname's initial and a proxy phone;
//! Etsy name and address without e-mail. Records carry typos and spelling variants.

use super::prepare::CustomerRecord;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const GIVEN: &[&str] = &[
    "Jan",
    "Pieter",
    "Kees",
    "Henk",
    "Johan",
    "Willem",
    "Dirk",
    "Gerrit",
    "Hendrik",
    "Cornelis",
    "Bas",
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Milan",
    "Thijs",
    "Ruben",
    "Jesse",
    "Lars",
    "Bram",
    "Tim",
    "Niels",
    "Joost",
    "Maarten",
    "Sander",
    "Wouter",
    "Jeroen",
    "Martijn",
    "Erik",
    "Frank",
    "Marco",
    "Peter",
    "Rob",
    "Hans",
    "Arjen",
    "Koen",
    "Stijn",
    "Tom",
    "Maria",
    "Anna",
    "Johanna",
    "Cornelia",
    "Elisabeth",
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Sanne",
    "Lotte",
    "Fleur",
    "Eva",
    "Lisa",
    "Anouk",
    "Femke",
    "Iris",
    "Marieke",
    "Ingrid",
    "Petra",
    "Anja",
    "Monique",
    "Esther",
    "Linda",
    "Sandra",
    "Wendy",
    "Kim",
    "Ilse",
    "Mirjam",
    "Annemarie",
    "Yvonne",
    "Noor",
    "Saar",
    "Zoë",
    "Mila",
    "Nina",
    "Fenna",
    "Roos",
    "Jasmijn",
    "Liam",
    "Noah",
    "Mohammed",
    "Ahmed",
    "Fatima",
    "Yasmina",
    "Priya",
    "Wei",
    "Ayşe",
    "Mehmet",
    "Inge",
    "Gerda",
];

const COMMON_SURNAMES: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "van Wijk",
    "Kuipers",
    "Post",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van den Bosch",
    "Vermeer",
    "Wouters",
    "Timmermans",
    "Evers",
    "Koning",
    "ten Brink",
    "ter Horst",
    "van 't Hof",
    "Groen",
    "Jonker",
    "Zwart",
    "van der Berg",
    "Yılmaz",
    "El Amrani",
    "Nguyen",
    "Öztürk",
    "Şahin",
    "Boukhari",
];

const STEMS: &[&str] = &[
    "Berg", "Hof", "Veld", "Brink", "Kamp", "Horst", "Beek", "Dijk", "Bosch", "Broek", "Wal",
    "Hout", "Laar", "Heuvel", "Meer", "Veen", "Sluis", "Kerk", "Molen", "Haar", "Stee", "Wijn",
    "Groot", "Klein", "Steen", "Rooy", "Hoog", "Laag", "Oost", "West", "Noord", "Zuid", "Vliet",
    "Graaf", "Smeel", "Mol", "Kool", "Bie", "Rijn", "Maat", "Staal", "Zand", "Riet", "Ooster",
    "Wester", "Linde", "Eike", "Bloem", "Geel", "Ros", "Schip", "Kas", "Tol", "Weer", "Dorp",
];
const SUFFIXES: &[&str] = &[
    "", "man", "mans", "er", "ers", "ink", "ing", "stra", "sma", "ema", "huis", "kamp", "veld",
    "stede", "boom", "wijk", "dijk", "burg", "hout", "land", "horst", "meijer", "ens", "sen", "ma",
    "inga", "hoff", "brug", "laan", "beek",
];
const PARTICLES: &[&str] = &[
    "van", "van de", "van der", "van den", "de", "ten", "ter", "van 't",
];

const STREETS: &[&str] = &[
    "Dorpsstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Molenweg",
    "Hoofdstraat",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Kastanjelaan",
    "Eikenlaan",
    "Prinsengracht",
    "Marktplein",
    "Nieuwstraat",
    "Raadhuisstraat",
    "Parallelweg",
    "Industrieweg",
    "Veldweg",
];
const CITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "'s-Hertogenbosch",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Ede",
    "Alkmaar",
    "Delft",
    "Deventer",
    "Leeuwarden",
    "Hilversum",
    "Gouda",
    "Assen",
    "Middelburg",
];
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "ziggo.nl",
    "kpnmail.nl",
    "live.nl",
    "xs4all.nl",
    "icloud.com",
    "planet.nl",
    "hetnet.nl",
    "yahoo.com",
    "proton.me",
];

/// The channels of the synthetic shop and how likely a person is to shop on each.
pub const CHANNELS: &[(&str, f64)] = &[
    ("webshop", 0.45),
    ("bol", 0.35),
    ("amazon", 0.2),
    ("thuisbezorgd", 0.2),
    ("ubereats", 0.15),
    ("etsy", 0.1),
];

/// A generated data set: records in a shuffled order, and the true person of each.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub records: Vec<CustomerRecord>,
    pub truth: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Person {
    given: String,
    surname: String,
    email: String,
    phone: String,
    street: String,
    house: u32,
    addition: String,
    pc4: u32,
    letters: String,
    city: String,
}

/// Generates about `persons` people and their records on each channel. Same seed, same data.
pub fn generate(seed: u64, persons: usize) -> Synthetic {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let proxies: Vec<String> = (0..40)
        .map(|_| format!("+31 20 {:07}", rng.random_range(0..10_000_000u32)))
        .collect();
    let mut people: Vec<Person> = Vec::with_capacity(persons);
    let mut emails = std::collections::HashSet::new();
    let mut phones = std::collections::HashSet::new();
    for _ in 0..persons {
        let housemate = if !people.is_empty() && rng.random_bool(0.25) {
            Some(people[rng.random_range(0..people.len())].clone())
        } else {
            None
        };
        let given = pick_zipf(&mut rng, GIVEN).to_string();
        let surname = match &housemate {
            Some(h) if rng.random_bool(0.7) => h.surname.clone(),
            _ => surname(&mut rng),
        };
        let mut p = Person {
            email: String::new(),
            phone: format!("06{:08}", rng.random_range(0..100_000_000u32)),
            given,
            surname,
            street: STREETS[rng.random_range(0..STREETS.len())].to_string(),
            house: 1 + (rng.random::<f64>().powi(2) * 250.0) as u32,
            addition: if rng.random_bool(0.15) {
                ["A", "B", "1", "2", "3", "bis", "hs"][rng.random_range(0..7)].to_string()
            } else {
                String::new()
            },
            pc4: rng.random_range(1000..10_000),
            letters: postcode_letters(&mut rng),
            city: CITIES[rng.random_range(0..CITIES.len())].to_string(),
        };
        if let Some(h) = housemate {
            p.street = h.street;
            p.house = h.house;
            p.addition = h.addition;
            p.pc4 = h.pc4;
            p.letters = h.letters;
            p.city = h.city;
        }
        // A mailbox and a phone belong to one person (or one household line): make them unique,
        // as the mail provider and the operator do.
        let base = email_for(&mut rng, &p);
        let (local, domain) = base
            .split_once('@')
            .unwrap_or((base.as_str(), "example.nl"));
        p.email = base.clone();
        let mut k = 1;
        while !emails.insert(p.email.clone()) {
            k += 1;
            p.email = format!("{local}{k}@{domain}");
        }
        while !phones.insert(p.phone.clone()) {
            p.phone = format!("06{:08}", rng.random_range(0..100_000_000u32));
        }
        people.push(p);
    }

    let mut rows: Vec<(CustomerRecord, u32)> = Vec::new();
    let mut next_id = 0u64;
    for (pid, p) in people.iter().enumerate() {
        let mut chosen: Vec<&str> = CHANNELS
            .iter()
            .filter(|(_, prob)| rng.random_bool(*prob))
            .map(|(c, _)| *c)
            .collect();
        if chosen.is_empty() {
            chosen.push(CHANNELS[rng.random_range(0..CHANNELS.len())].0);
        }
        for channel in chosen {
            let relay = format!("{:011x}", rng.random::<u64>() & 0x0FFF_FFFF_FFFF);
            let copies = if rng.random_bool(0.1) { 2 } else { 1 };
            for _ in 0..copies {
                next_id += 1;
                let mut r = render(&mut rng, p, channel, &relay, &proxies);
                r.id = format!("{channel}-{next_id}");
                rows.push((r, pid as u32));
            }
        }
    }
    // Shuffle so that a person's records are not adjacent.
    for i in (1..rows.len()).rev() {
        let j = rng.random_range(0..=i);
        rows.swap(i, j);
    }
    let (records, truth) = rows.into_iter().unzip();
    Synthetic { records, truth }
}

fn pick_zipf<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    // Rank-frequency roughly 1/rank: common names are common, the tail is long.
    let u: f64 = rng.random();
    let idx = ((list.len() as f64 + 1.0).powf(u) - 1.0) as usize;
    list[idx.min(list.len() - 1)]
}

fn surname(rng: &mut ChaCha8Rng) -> String {
    if rng.random_bool(0.35) {
        return pick_zipf(rng, COMMON_SURNAMES).to_string();
    }
    let core = format!(
        "{}{}",
        STEMS[rng.random_range(0..STEMS.len())],
        SUFFIXES[rng.random_range(0..SUFFIXES.len())]
    );
    if rng.random_bool(0.3) {
        format!("{} {core}", PARTICLES[rng.random_range(0..PARTICLES.len())])
    } else {
        core
    }
}

fn postcode_letters(rng: &mut ChaCha8Rng) -> String {
    loop {
        let a = char::from(b'A' + rng.random_range(0..26u8));
        let b = char::from(b'A' + rng.random_range(0..26u8));
        let s: String = [a, b].iter().collect();
        if !matches!(s.as_str(), "SA" | "SD" | "SS") {
            return s;
        }
    }
}

fn ascii_lower(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn email_for(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let g = ascii_lower(&p.given);
    let core = ascii_lower(p.surname.rsplit(' ').next().unwrap_or(&p.surname));
    let full = ascii_lower(&p.surname);
    let local = match rng.random_range(0..5) {
        0 => format!("{g}.{full}"),
        1 => format!("{}{core}", &g[..1]),
        2 => format!("{g}{}", rng.random_range(1..999)),
        3 => format!("{g}.{core}{}", rng.random_range(60..99)),
        _ => format!("{}.{full}", &g[..1]),
    };
    format!(
        "{local}@{}",
        PROVIDERS[rng.random_range(0..PROVIDERS.len())]
    )
}

fn typo(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_string();
    }
    let i = rng.random_range(1..chars.len() - 1);
    match rng.random_range(0..3) {
        0 => chars.swap(i, i + 1),
        1 => {
            chars.remove(i);
        }
        _ => chars[i] = char::from(b'a' + rng.random_range(0..26u8)),
    }
    chars.into_iter().collect()
}

fn full_name(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let mut given = p.given.clone();
    let mut surname = p.surname.clone();
    if rng.random_bool(0.08) {
        if rng.random_bool(0.6) {
            surname = typo(rng, &surname);
        } else {
            given = typo(rng, &given);
        }
    }
    let initial: String = given.chars().take(1).collect();
    match rng.random_range(0..20) {
        0 => format!("{initial}. {surname}"),
        1 => {
            // "Berg, Jan van der": the inverted form of Dutch administrations.
            let (particle, core) = split_particle(&surname);
            if particle.is_empty() {
                format!("{core}, {given}")
            } else {
                format!("{core}, {given} {particle}")
            }
        }
        2 => format!("{given} {surname}").to_uppercase(),
        3 => format!(
            "{given} {}",
            surname
                .replace("van der ", "v.d. ")
                .replace("van den ", "v.d. ")
        ),
        _ => format!("{given} {surname}"),
    }
}

fn split_particle(surname: &str) -> (String, String) {
    match surname.rsplit_once(' ') {
        Some((particle, core)) if particle.chars().next().is_some_and(char::is_lowercase) => {
            (particle.to_string(), core.to_string())
        }
        _ => (String::new(), surname.to_string()),
    }
}

fn postcode_text(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let mut letters = p.letters.clone();
    if rng.random_bool(0.01) {
        letters = postcode_letters(rng);
    }
    match rng.random_range(0..3) {
        0 => format!("{} {letters}", p.pc4),
        1 => format!("{}{letters}", p.pc4),
        _ => format!("{}{}", p.pc4, letters.to_lowercase()),
    }
}

fn house_text(rng: &mut ChaCha8Rng, p: &Person) -> String {
    if p.addition.is_empty() || rng.random_bool(0.2) {
        return p.house.to_string();
    }
    match rng.random_range(0..3) {
        0 => format!("{}{}", p.house, p.addition),
        1 => format!("{}-{}", p.house, p.addition),
        _ => format!("{} {}", p.house, p.addition.to_lowercase()),
    }
}

fn phone_text(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let d = &p.phone[2..];
    match rng.random_range(0..4) {
        0 => format!("06-{d}"),
        1 => format!("+31 6 {d}"),
        2 => format!("0031{}", &p.phone[1..]),
        _ => p.phone.clone(),
    }
}

fn email_text(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let mut e = p.email.clone();
    if rng.random_bool(0.1) {
        e = e.to_uppercase();
    }
    if rng.random_bool(0.05) {
        if let Some((l, d)) = e.split_once('@') {
            e = format!("{l}+shop@{d}");
        }
    }
    if rng.random_bool(0.02) {
        e = typo(rng, &e);
    }
    e
}

fn render(
    rng: &mut ChaCha8Rng,
    p: &Person,
    channel: &str,
    relay: &str,
    proxies: &[String],
) -> CustomerRecord {
    let mut r = CustomerRecord {
        channel: channel.to_string(),
        ..CustomerRecord::default()
    };
    let address = |rng: &mut ChaCha8Rng, r: &mut CustomerRecord| {
        r.street = p.street.clone();
        r.house_number = house_text(rng, p);
        r.postcode = postcode_text(rng, p);
        r.city = p.city.clone();
        r.country = ["NL", "Nederland", ""][rng.random_range(0..3)].to_string();
    };
    match channel {
        "webshop" => {
            r.name = full_name(rng, p);
            r.email = email_text(rng, p);
            if rng.random_bool(0.8) {
                r.phone = phone_text(rng, p);
            }
            address(rng, &mut r);
        }
        "bol" => {
            r.name = full_name(rng, p);
            r.email = format!("{relay}@verkopen.bol.com");
            if rng.random_bool(0.1) {
                r.phone = phone_text(rng, p);
            }
            address(rng, &mut r);
        }
        "amazon" => {
            r.email = format!("{relay}@marketplace.amazon.nl");
            if rng.random_bool(0.3) {
                r.name = full_name(rng, p);
                address(rng, &mut r);
            } else {
                r.postcode = postcode_text(rng, p);
                r.city = p.city.clone();
            }
        }
        "thuisbezorgd" => {
            if rng.random_bool(0.6) {
                // Courier delivery: JET masks everything but an initial, the postcode digits
                // and the city.
                r.name = format!("{} ****", p.given.chars().next().unwrap_or('X'));
                r.email = "customer@email.hidden".to_string();
                r.phone = "****".to_string();
                r.postcode = p.pc4.to_string();
                r.city = p.city.clone();
            } else {
                r.name = full_name(rng, p);
                r.phone = phone_text(rng, p);
                r.email = "customer@email.hidden".to_string();
                address(rng, &mut r);
            }
        }
        "ubereats" => {
            let initial: String = split_particle(&p.surname).1.chars().take(1).collect();
            r.name = format!("{} {initial}.", p.given);
            r.phone = proxies[rng.random_range(0..proxies.len())].clone();
            if rng.random_bool(0.7) {
                address(rng, &mut r);
            }
        }
        _ => {
            r.name = full_name(rng, p);
            address(rng, &mut r);
        }
    }
    r
}
