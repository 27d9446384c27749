//! The demo shop's reviews, as a platform portal's CSV export would give them (columns `id`,
//! `date`, `rating`, `lang`, `author`, `text`): mostly Dutch, some English, generated from a
//! seed. The webshop's reviewers talk about the coffee; on the marketplace more of them talk
//! about the courier and the box, which is the kind of difference the channel comparison is
//! there to show. This module only writes text; importing it is the insights crate's job.

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// (stars, language, text with `{p}` for a product name).
type Template = (u8, &'static str, &'static str);

/// What anyone writes about the products, wherever they bought them.
const ABOUT_PRODUCTS: &[Template] = &[
    (
        5,
        "nl",
        "Heerlijke {p}, vers gebrand en vol van smaak. Bestel ik zeker weer.",
    ),
    (
        5,
        "nl",
        "De {p} is echt top: fruitig, zacht en geen bittere nasmaak.",
    ),
    (
        4,
        "nl",
        "Lekkere {p}, al vind ik hem iets te licht gebrand.",
    ),
    (
        5,
        "nl",
        "Super koffie! De {p} is ons nieuwe favoriet thuis.",
    ),
    (4, "nl", "Goede kwaliteit voor een eerlijke prijs."),
    (
        2,
        "nl",
        "De {p} was niet zo vers als ik had gehoopt, een beetje vlak van smaak.",
    ),
    (
        1,
        "nl",
        "Veel te duur voor wat je krijgt. De {p} smaakte muf.",
    ),
    (3, "nl", "Prima {p}, maar niet bijzonder."),
    (
        5,
        "en",
        "Lovely {p}, fresh and full of flavour. Will order again.",
    ),
    (
        2,
        "en",
        "The {p} tasted stale and flat, not worth the price.",
    ),
    (4, "en", "Good coffee, the {p} makes a great espresso."),
];

/// What marketplace buyers add: the delivery and the box, which the shop does not control.
const ABOUT_DELIVERY: &[Template] = &[
    (
        2,
        "nl",
        "Pakket kwam drie dagen te laat en de bezorger heeft het bij de buren gelegd.",
    ),
    (
        1,
        "nl",
        "Doos was kapot bij aankomst, de helft van de {p} lag los in het pakket.",
    ),
    (
        3,
        "nl",
        "De {p} is lekker, maar de levering duurde veel te lang.",
    ),
    (
        2,
        "nl",
        "Slechte bezorging, pakket was nat en beschadigd. Koffie zelf is prima.",
    ),
    (2, "en", "Delivery was late and the box arrived damaged."),
];

/// What webshop buyers add about the shop's own service.
const ABOUT_SERVICE: &[Template] = &[
    (
        5,
        "nl",
        "Snel geleverd, mooi verpakt en een handgeschreven kaartje erbij. Top service!",
    ),
    (
        5,
        "nl",
        "Vriendelijke klantenservice, mijn vraag over de maling werd meteen beantwoord.",
    ),
    (4, "en", "Fast delivery and nicely packed."),
];

const AUTHORS: &[&str] = &[
    "Sanne", "Joost", "Fatima", "Pieter", "Lotte", "Mehmet", "Anouk", "Willem", "Emma", "Daan",
    "Noor", "Bram", "Sophie", "Thijs", "Lisa", "Ruben",
];

/// A CSV export of `count` reviews for a channel of `kind` ("bol" reviews mention delivery
/// more often, "shopify" ones the shop's service), about `products`, dated in the 60 days
/// before `now`. The same inputs give the same file.
pub fn reviews_csv(
    seed: u64,
    kind: &str,
    products: &[String],
    count: usize,
    now: DateTime<Utc>,
) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed ^ kind
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
    );
    let extra = if kind == "bol" {
        ABOUT_DELIVERY
    } else {
        ABOUT_SERVICE
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["id", "date", "rating", "lang", "author", "text"]);
    for i in 0..count {
        // On the marketplace two in five reviews are about the delivery; in the webshop one in
        // five is about the service.
        let share = if kind == "bol" { 0.4 } else { 0.2 };
        let pool = if rng.random_bool(share) {
            extra
        } else {
            ABOUT_PRODUCTS
        };
        let Some(&(stars, lang, text)) = pool.choose(&mut rng) else {
            continue;
        };
        let product = products
            .choose(&mut rng)
            .map(String::as_str)
            .unwrap_or("koffie");
        let date = now - Duration::minutes(rng.random_range(60..60 * 24 * 60));
        let author = AUTHORS.choose(&mut rng).copied().unwrap_or("Klant");
        let _ = w.write_record([
            format!("demo-{kind}-{i}"),
            date.format("%Y-%m-%d").to_string(),
            stars.to_string(),
            lang.to_string(),
            author.to_string(),
            text.replace("{p}", product),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_marketplace_hears_more_about_the_courier_than_the_webshop() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let products = vec![
            "Ethiopië Yirgacheffe".to_string(),
            "Huismelange".to_string(),
        ];
        let bol = String::from_utf8(reviews_csv(1, "bol", &products, 60, now)).unwrap();
        let shop = String::from_utf8(reviews_csv(1, "shopify", &products, 60, now)).unwrap();
        assert_eq!(bol.lines().count(), 61, "a header and one line per review");
        let courier = |s: &str| {
            s.lines()
                .filter(|l| l.contains("bezorg") || l.contains("Delivery"))
                .count()
        };
        assert!(
            courier(&bol) > courier(&shop) + 5,
            "bol {} vs webshop {}",
            courier(&bol),
            courier(&shop)
        );
        assert_eq!(
            bol,
            String::from_utf8(reviews_csv(1, "bol", &products, 60, now)).unwrap(),
            "reproducible"
        );
        assert!(
            bol.contains("Ethiopië Yirgacheffe") || bol.contains("Huismelange"),
            "about the shop's products"
        );
    }
}
