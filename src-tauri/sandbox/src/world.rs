//! The believable world every platform of one sandbox shares, generated from a seed: Dutch
//! customers (some of whom buy on several channels), the shop's products with valid EANs, and
//! the moments orders arrive. Each platform turns this into its own API's records and applies
//! its own masking (bol.com: relay e-mail, no phone); nothing here knows any API.

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

/// A consumer, with everything the merchant's own webshop would see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: u32,
    pub first_name: String,
    pub surname: String,
    pub email: String,
    /// E.164.
    pub phone: String,
    pub street: String,
    pub house_number: String,
    pub house_number_extension: Option<String>,
    /// `1234AB`.
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub female: bool,
}

/// A product the shop sells, as the world knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldProduct {
    pub sku: String,
    pub ean: String,
    pub title: String,
    /// Price incl. VAT, EUR.
    pub price: Decimal,
}

/// One purchase in the world: who, what, where, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub id: u32,
    pub person: u32,
    /// The platform name ("bol", "shopify").
    pub platform: &'static str,
    pub placed_at: DateTime<Utc>,
    /// (index into `products`, quantity).
    pub lines: Vec<(usize, u32)>,
}

/// The whole generated world.
#[derive(Debug, Clone)]
pub struct World {
    pub seed: u64,
    pub epoch: DateTime<Utc>,
    pub people: Vec<Person>,
    pub products: Vec<WorldProduct>,
    /// Purchases in time order, over the 60 days before the epoch and the 30 days after it
    /// (those "arrive" as the sandbox clock passes them).
    pub purchases: Vec<Purchase>,
}

const FIRST_F: &[&str] = &[
    "Sanne", "Emma", "Julia", "Lotte", "Anouk", "Fleur", "Femke", "Iris", "Noor", "Sophie", "Eva",
    "Lieke",
];
const FIRST_M: &[&str] = &[
    "Daan", "Sem", "Lucas", "Thijs", "Bram", "Jesse", "Ruben", "Lars", "Milan", "Joris", "Pieter",
    "Koen",
];
const SURNAMES: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
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
];
const PLACES: &[(&str, &str, &[&str])] = &[
    (
        "Amsterdam",
        "10",
        &["Damrak", "Prinsengracht", "Czaar Peterstraat", "Javastraat"],
    ),
    (
        "Rotterdam",
        "30",
        &["Witte de Withstraat", "Nieuwe Binnenweg", "Zwart Janstraat"],
    ),
    (
        "Utrecht",
        "35",
        &["Oudegracht", "Twijnstraat", "Biltstraat"],
    ),
    (
        "Den Haag",
        "25",
        &["Frederikstraat", "Weimarstraat", "Prinsestraat"],
    ),
    ("Groningen", "97", &["Folkingestraat", "Oosterstraat"]),
    ("Eindhoven", "56", &["Kleine Berg", "Stratumseind"]),
    ("Zwolle", "80", &["Diezerstraat", "Assendorperstraat"]),
    ("Haarlem", "20", &["Gierstraat", "Zijlstraat"]),
];
const GOODS: &[(&str, &str, i64)] = &[
    (
        "KOF-ETH-250",
        "Koffiebonen Ethiopië Yirgacheffe 250 g",
        1195,
    ),
    ("KOF-BRA-1000", "Koffiebonen Brazilië Santos 1 kg", 2995),
    ("KOF-DEC-250", "Cafeïnevrije koffie 250 g", 1095),
    ("THE-DAR-100", "Darjeeling first flush 100 g", 1450),
    ("THE-ROO-100", "Rooibos vanille 100 g", 695),
    ("MOL-HAN-01", "Handmolen keramisch", 3995),
    ("FIL-V60-02", "Filterhouder V60 maat 02", 2450),
    ("FIL-PAP-100", "Filterpapier 100 stuks", 595),
    ("KAN-GLS-600", "Glazen koffiekan 600 ml", 2295),
    ("MOK-STW-350", "Stoneware mok 350 ml", 1495),
    ("WEG-DIG-01", "Digitale koffieweegschaal", 3450),
    ("BLI-KOF-500", "Voorraadblik 500 g", 1895),
];

/// An EAN-13 with a valid check digit, from 12 digits.
pub fn ean13(body: &str) -> String {
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d } else { d * 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Whether `ean` is 8 or 13 digits with a correct check digit (what bol.com checks).
pub fn valid_ean(ean: &str) -> bool {
    if !(ean.len() == 13 || ean.len() == 8) || !ean.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (body, check) = ean.split_at(ean.len() - 1);
    let weights = if ean.len() == 13 { [1, 3] } else { [3, 1] };
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| d * weights[i % 2])
        .sum();
    check.parse::<u32>().ok() == Some((10 - sum % 10) % 10)
}

impl World {
    /// Generates the world for `seed`, starting at `epoch`.
    pub fn generate(seed: u64, epoch: DateTime<Utc>) -> World {
        Self::generate_with_goods(seed, epoch, Vec::new())
    }

    /// Generates the world for `seed` with the shop's own `goods` (the built-in list when
    /// empty). The same seed and goods give the same world.
    pub fn generate_with_goods(seed: u64, epoch: DateTime<Utc>, goods: Vec<WorldProduct>) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let people = (0..60u32)
            .map(|id| person(&mut rng, id))
            .collect::<Vec<_>>();
        let products = if goods.is_empty() {
            GOODS
                .iter()
                .enumerate()
                .map(|(i, (sku, title, cents))| WorldProduct {
                    sku: (*sku).to_string(),
                    ean: ean13(&format!("87190000{:04}", 100 + i)),
                    title: (*title).to_string(),
                    price: Decimal::new(*cents, 2),
                })
                .collect::<Vec<_>>()
        } else {
            goods
        };
        let mut purchases = Vec::new();
        let start = epoch - Duration::days(60);
        let mut t = start;
        let mut id = 0;
        while t < epoch + Duration::days(30) {
            t += Duration::minutes(rng.random_range(45..600));
            let person = rng.random_range(0..people.len() as u32);
            // A third of the people buy on both channels; the rest stick to one.
            let both = person % 3 == 0;
            let platform = if (both && rng.random_bool(0.5)) || person % 3 == 1 {
                "bol"
            } else {
                "shopify"
            };
            let n = if rng.random_bool(0.8) { 1 } else { 2 };
            let lines = (0..n)
                .map(|_| {
                    (
                        rng.random_range(0..products.len()),
                        if rng.random_bool(0.85) { 1 } else { 2 },
                    )
                })
                .collect();
            purchases.push(Purchase {
                id,
                person,
                platform,
                placed_at: t,
                lines,
            });
            id += 1;
        }
        World {
            seed,
            epoch,
            people,
            products,
            purchases,
        }
    }

    /// Purchases on `platform` placed at or before `now`.
    pub fn purchases_on<'a>(
        &'a self,
        platform: &'a str,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = &'a Purchase> + 'a {
        self.purchases
            .iter()
            .filter(move |p| p.platform == platform && p.placed_at <= now)
    }
}

fn person(rng: &mut ChaCha8Rng, id: u32) -> Person {
    let female = rng.random_bool(0.5);
    let first = *(if female { FIRST_F } else { FIRST_M })
        .choose(rng)
        .unwrap_or(&"Sam");
    let surname = *SURNAMES.choose(rng).unwrap_or(&"Jansen");
    let (city, pc, streets) = *PLACES.choose(rng).unwrap_or(&PLACES[0]);
    let street = *streets.choose(rng).unwrap_or(&"Dorpsstraat");
    let letters: String = (0..2)
        .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
        .collect();
    let local = format!(
        "{}.{}",
        first.to_lowercase(),
        surname.replace(' ', "").to_lowercase()
    );
    let domain = *[
        "gmail.com",
        "hotmail.nl",
        "ziggo.nl",
        "kpnmail.nl",
        "outlook.com",
    ]
    .choose(rng)
    .unwrap_or(&"gmail.com");
    Person {
        id,
        first_name: first.to_string(),
        surname: surname.to_string(),
        email: format!("{local}{}@{domain}", rng.random_range(1..99)),
        phone: format!("+316{:08}", rng.random_range(10_000_000..99_999_999u32)),
        street: street.to_string(),
        house_number: rng.random_range(1..220u32).to_string(),
        house_number_extension: rng.random_bool(0.15).then(|| "A".to_string()),
        postcode: format!("{pc}{:02}{letters}", rng.random_range(10..99u32)),
        city: city.to_string(),
        country: "NL".into(),
        female,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::clock::SandboxClock;

    #[test]
    fn the_same_seed_gives_the_same_world_with_shared_customers_and_valid_eans() {
        let e = SandboxClock::default_epoch();
        let a = World::generate(5, e);
        let b = World::generate(5, e);
        assert_eq!(a.people, b.people, "reproducible people");
        assert_eq!(a.purchases, b.purchases, "reproducible purchases");
        assert!(
            a.products.iter().all(|p| valid_ean(&p.ean)),
            "every product EAN has a valid check digit"
        );
        let on = |pl: &str| {
            a.purchases
                .iter()
                .filter(|p| p.platform == pl)
                .map(|p| p.person)
                .collect::<std::collections::BTreeSet<_>>()
        };
        let both = on("bol").intersection(&on("shopify")).count();
        assert!(both >= 5, "some customers buy on both channels: {both}");
        assert!(
            a.purchases.iter().any(|p| p.placed_at > e),
            "orders keep arriving after the start"
        );
        assert!(
            !valid_ean("8719000001001") || !valid_ean("8719000001002"),
            "a wrong check digit is caught"
        );
    }

    #[test]
    fn customers_buy_the_shop_s_own_goods_when_it_brings_them() {
        let e = SandboxClock::default_epoch();
        let goods: Vec<WorldProduct> = (0..40)
            .map(|i| WorldProduct {
                sku: format!("EIGEN-{i}"),
                ean: ean13(&format!("87123456{i:04}")),
                title: format!("Eigen product {i}"),
                price: Decimal::new(995 + i, 2),
            })
            .collect();
        let w = World::generate_with_goods(5, e, goods.clone());
        assert_eq!(
            w.products, goods,
            "the world sells exactly the shop's goods"
        );
        let bought: std::collections::BTreeSet<usize> = w
            .purchases
            .iter()
            .flat_map(|p| p.lines.iter().map(|(i, _)| *i))
            .collect();
        assert!(
            bought.iter().all(|i| *i < goods.len()),
            "every line is one of them"
        );
        assert!(
            bought.len() > 20,
            "and they spread over the range: {}",
            bought.len()
        );
        assert_eq!(
            w.people,
            World::generate(5, e).people,
            "the customers are the seed's, whatever the goods"
        );
    }
}
