//! Which part of the experience a sentence is about, so that a complaint about the platform's
//! courier is told apart from a complaint about the product. Matching is on word beginnings,
//! because Dutch glues words together (`bezorgservice`, `verpakkingsmateriaal`).

use super::lexicon::Fnv;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

/// The parts of a purchase a review can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    ProductQuality,
    Taste,
    Price,
    Delivery,
    Packaging,
    Service,
}

impl Aspect {
    pub const ALL: [Aspect; 6] = [
        Aspect::ProductQuality,
        Aspect::Taste,
        Aspect::Price,
        Aspect::Delivery,
        Aspect::Packaging,
        Aspect::Service,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Aspect::ProductQuality => "product_quality",
            Aspect::Taste => "taste",
            Aspect::Price => "price",
            Aspect::Delivery => "delivery",
            Aspect::Packaging => "packaging",
            Aspect::Service => "service",
        }
    }

    /// Word beginnings that mark the aspect, Dutch and English together.
    fn stems(self) -> &'static [&'static str] {
        match self {
            Aspect::ProductQuality => &[
                "kwaliteit",
                "quality",
                "kapot",
                "defect",
                "stevig",
                "degelijk",
                "materiaal",
                "material",
                "werkt",
                "werkte",
                "work",
                "broke",
                "broken",
                "stuk",
                "gebroken",
                "product",
                "item",
                "apparaat",
                "onderdeel",
                "afwerking",
                "sturdy",
                "flimsy",
                "durable",
                "duurzaam",
                "lek",
                "leak",
                "maat",
                "size",
                "fit",
                "pasvorm",
                "beschadigd",
                "damaged",
                "slijt",
            ],
            Aspect::Taste => &[
                "smaak",
                "smaakt",
                "smaakte",
                "lekker",
                "heerlijk",
                "vers",
                "fresh",
                "taste",
                "tasty",
                "delicious",
                "flavo",
                "vies",
                "smerig",
                "stale",
                "oudbak",
                "koud",
                "cold",
                "lauw",
                "warm",
                "eten",
                "food",
                "maaltijd",
                "meal",
                "pizza",
                "koffie",
                "coffee",
                "thee",
                "tea",
                "brood",
                "bread",
                "gaar",
                "aangebrand",
                "zout",
                "salty",
                "zoet",
                "sweet",
                "bitter",
                "zuur",
                "sour",
                "schimmel",
                "mould",
                "mold",
                "houdbaar",
                "expired",
            ],
            Aspect::Price => &[
                "prijs",
                "prijz",
                "price",
                "pricey",
                "duur",
                "expensive",
                "goedkoop",
                "cheap",
                "geld",
                "money",
                "value",
                "waarde",
                "kost",
                "cost",
                "euro",
                "€",
                "overpriced",
                "betaal",
                "korting",
                "discount",
                "aanbieding",
                "deal",
            ],
            Aspect::Delivery => &[
                "bezorg",
                "lever",
                "geleverd",
                "deliver",
                "delivery",
                "shipping",
                "shipped",
                "verzend",
                "verzonden",
                "verstuurd",
                "ship",
                "koerier",
                "courier",
                "postnl",
                "dhl",
                "dpd",
                "ups",
                "pakket",
                "parcel",
                "aangekomen",
                "arrived",
                "arrive",
                "ontvangen",
                "received",
                "track",
                "laat",
                "late",
                "traag",
                "snel",
                "fast",
                "quick",
                "vertraging",
                "delay",
                "rider",
                "driver",
                "chauffeur",
                "brievenbus",
                "mailbox",
                "thuisbezorgd",
                "bol",
                "amazon",
                "uber",
            ],
            Aspect::Packaging => &[
                "verpak",
                "packag",
                "packed",
                "ingepakt",
                "doos",
                "box",
                "plastic",
                "karton",
                "cardboard",
                "envelop",
                "wrapped",
                "wrapping",
                "zakje",
                "bag",
                "tape",
            ],
            Aspect::Service => &[
                "service",
                "klantenservice",
                "contact",
                "reactie",
                "antwoord",
                "reply",
                "response",
                "respons",
                "mail",
                "vriendelijk",
                "friendly",
                "behulpzaam",
                "helpful",
                "support",
                "refund",
                "terugbetaal",
                "retour",
                "return",
                "ruil",
                "exchange",
                "communicatie",
                "communication",
                "verkoper",
                "seller",
                "winkel",
                "shop",
                "store",
                "medewerker",
                "staff",
                "bedankt",
                "thanks",
                "rude",
                "bot",
                "excuses",
                "apolog",
                "garantie",
                "warranty",
                "klacht",
                "complain",
            ],
        }
    }
}

/// Stems by their text, each with the aspects it marks; built once.
static STEMS: LazyLock<HashMap<&'static str, Vec<Aspect>, BuildHasherDefault<Fnv>>> =
    LazyLock::new(|| {
        let mut m: HashMap<&'static str, Vec<Aspect>, BuildHasherDefault<Fnv>> = HashMap::default();
        for a in Aspect::ALL {
            for s in a.stems() {
                m.entry(*s).or_default().push(a);
            }
        }
        m
    });

/// The longest stem, in bytes: no word beginning longer than this can match.
static MAX_STEM: LazyLock<usize> =
    LazyLock::new(|| STEMS.keys().map(|s| s.len()).max().unwrap_or(0));

/// The aspects one sentence's words mention. A stem of four or more letters matches the
/// beginning of a word (`bezorg` in `bezorgservice`); a shorter one only the whole word (`bol`,
/// `dhl`).
pub fn mentioned<'a>(words: impl Iterator<Item = &'a str>) -> Vec<Aspect> {
    let mut found: Vec<Aspect> = Vec::new();
    for w in words {
        if let Some(v) = STEMS.get(w) {
            found.extend(v);
        }
        let max = w.len().min(*MAX_STEM);
        for end in 4..max.max(4) {
            if !w.is_char_boundary(end) {
                continue;
            }
            if let Some(v) = STEMS.get(&w[..end]) {
                found.extend(v);
            }
        }
        if w.len() > *MAX_STEM {
            if let Some(v) = w.get(..*MAX_STEM).and_then(|p| STEMS.get(p)) {
                found.extend(v);
            }
        }
    }
    found.sort();
    found.dedup();
    found
}
