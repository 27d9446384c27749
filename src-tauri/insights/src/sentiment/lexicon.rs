//! The word lists the scorer reads: valences (VADER's English lexicon, Pattern's Dutch adjective
//! lexicon, Kanaal's own review additions), phrases, boosters, negators and contrast words.
//!
//! The files are compiled in (`include_str!`) and parsed once, on first use, into hash maps; a
//! lexicon that fails to parse would be a build defect, so parsing skips a bad line rather than
//! failing at run time (a test checks that every line is read).

use super::Lang;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

const VADER: &str = include_str!("../../data/sentiment/vader_lexicon.txt");
const PATTERN_NL: &str = include_str!("../../data/sentiment/nl-sentiment.xml");
const EXTRA: &str = include_str!("../../data/sentiment/kanaal-extra.tsv");

/// Pattern's polarity runs from -1 to 1; VADER's valence from -4 to 4 with "good" at 1.9. This
/// factor puts Pattern's "goed" (0.55 over its senses) at the same strength.
const PATTERN_SCALE: f64 = 3.5;

/// FNV-1a: lexicon keys are short words, where it is several times faster than SipHash, and the
/// maps are built from our own files, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type FastMap<V> = HashMap<Box<str>, V, BuildHasherDefault<Fnv>>;

/// What a word does to the words around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Modifier {
    /// Strengthens (positive) or weakens (negative) the next sentiment word, VADER-style.
    Boost(f64),
    /// Turns the next sentiment word around (niet, geen, not, never).
    Negate,
    /// Shifts weight to what follows (maar, but).
    Contrast,
}

/// All word lists for one language.
#[derive(Debug, Default)]
pub struct LangLexicon {
    pub words: FastMap<f64>,
    /// Phrases by their first word: (remaining words, valence), longest first.
    pub phrases: FastMap<Vec<(Vec<Box<str>>, f64)>>,
    pub modifiers: FastMap<Modifier>,
}

/// Both languages.
#[derive(Debug)]
pub struct Lexicon {
    pub en: LangLexicon,
    pub nl: LangLexicon,
}

impl Lexicon {
    pub fn get(&self, lang: Lang) -> &LangLexicon {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
        }
    }
}

/// VADER's booster increment.
const B: f64 = 0.293;

const EN_BOOST_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerably",
    "decidedly",
    "deeply",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "fabulously",
    "incredibly",
    "hugely",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "totally",
    "tremendously",
    "truly",
    "unbelievably",
    "unusually",
    "utterly",
    "very",
    "super",
    "most",
    "more",
    "highly",
    "too",
    "quite",
    "particularly",
    "purely",
    "fully",
    "greatly",
    "intensely",
];
const EN_BOOST_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "less",
    "little",
    "marginally",
    "occasionally",
    "partly",
    "scarcely",
    "slightly",
    "somewhat",
    "sorta",
    "kind",
    "sort",
    "bit",
    "fairly",
    "rather",
    "pretty",
];
const NL_BOOST_UP: &[&str] = &[
    "heel",
    "erg",
    "zeer",
    "super",
    "echt",
    "enorm",
    "ontzettend",
    "hartstikke",
    "uiterst",
    "zo",
    "zó",
    "bijzonder",
    "extreem",
    "mega",
    "ultra",
    "vreselijk",
    "verschrikkelijk",
    "ongelooflijk",
    "ontzettend",
    "werkelijk",
    "totaal",
    "volledig",
    "helemaal",
    "buitengewoon",
    "bijster",
    "best",
    "absoluut",
    "uitermate",
    "reuze",
    "kei",
    "mega",
    "hyper",
    "dik",
    "oprecht",
];
const NL_BOOST_DOWN: &[&str] = &[
    "beetje",
    "ietwat",
    "enigszins",
    "redelijk",
    "vrij",
    "tamelijk",
    "nauwelijks",
    "amper",
    "weinig",
    "iets",
    "nogal",
    "minder",
    "matig",
];
const EN_NEGATE: &[&str] = &[
    "not", "never", "no", "nothing", "nowhere", "none", "nobody", "neither", "nor", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont",
    "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "aint", "neednt", "mustnt",
];
const NL_NEGATE: &[&str] = &[
    "niet",
    "geen",
    "nooit",
    "niets",
    "niks",
    "noch",
    "zonder",
    "nergens",
    "niemand",
    "allerminst",
    "evenmin",
];
const EN_CONTRAST: &[&str] = &["but", "however", "although", "though", "yet", "except"];
const NL_CONTRAST: &[&str] = &["maar", "echter", "alleen", "hoewel", "alhoewel", "behalve"];

/// The lexicon, parsed on first use.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(build);

fn build() -> Lexicon {
    let mut en = LangLexicon::default();
    let mut nl = LangLexicon::default();
    for line in VADER.lines() {
        let mut parts = line.split('\t');
        if let (Some(w), Some(v)) = (parts.next(), parts.next()) {
            if let Ok(v) = v.trim().parse::<f64>() {
                en.words.insert(w.trim().into(), v);
            }
        }
    }
    // Pattern lists a word once per sense; like Pattern, average over the senses.
    let mut sums: HashMap<String, (f64, u32)> = HashMap::new();
    for line in PATTERN_NL.lines() {
        let (Some(form), Some(pol)) = (attr(line, "form"), attr(line, "polarity")) else {
            continue;
        };
        if let Ok(p) = pol.parse::<f64>() {
            let e = sums.entry(form.to_lowercase()).or_insert((0.0, 0));
            e.0 += p;
            e.1 += 1;
        }
    }
    for (w, (s, n)) in sums {
        let v = s / f64::from(n) * PATTERN_SCALE;
        if v != 0.0 {
            nl.words.insert(w.into(), v);
        }
    }
    for line in EXTRA.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(lang), Some(term), Some(v)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Ok(v) = v.trim().parse::<f64>() else {
            continue;
        };
        let targets: Vec<&mut LangLexicon> = match lang {
            "nl" => vec![&mut nl],
            "en" => vec![&mut en],
            _ => vec![&mut nl, &mut en],
        };
        for lex in targets {
            add_term(lex, term, v);
        }
    }
    for (lex, up, down, neg, con) in [
        (&mut en, EN_BOOST_UP, EN_BOOST_DOWN, EN_NEGATE, EN_CONTRAST),
        (&mut nl, NL_BOOST_UP, NL_BOOST_DOWN, NL_NEGATE, NL_CONTRAST),
    ] {
        for w in up {
            lex.modifiers.insert((*w).into(), Modifier::Boost(B));
        }
        for w in down {
            lex.modifiers.insert((*w).into(), Modifier::Boost(-B));
        }
        for w in neg {
            lex.modifiers.insert((*w).into(), Modifier::Negate);
        }
        for w in con {
            lex.modifiers.insert((*w).into(), Modifier::Contrast);
        }
    }
    for lex in [&mut en, &mut nl] {
        for list in lex.phrases.values_mut() {
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
    }
    Lexicon { en, nl }
}

fn add_term(lex: &mut LangLexicon, term: &str, v: f64) {
    let words: Vec<&str> = term.split(' ').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [] => {}
        [one] => {
            lex.words.insert((*one).into(), v);
        }
        [first, rest @ ..] => {
            lex.phrases
                .entry((*first).into())
                .or_default()
                .push((rest.iter().map(|w| (*w).into()).collect(), v));
        }
    }
}

/// The value of `name="..."` in one XML element line.
fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = line.find(&key)? + key.len();
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_line_is_read() {
        let vader_lines = VADER.lines().filter(|l| !l.trim().is_empty()).count();
        assert!(
            LEXICON.en.words.len() >= vader_lines,
            "all of VADER's {vader_lines} entries"
        );
        let pattern_forms = PATTERN_NL.lines().filter(|l| l.contains("<word ")).count();
        assert!(pattern_forms > 3900, "the Dutch file has its words");
        assert!(
            LEXICON.nl.words.len() > 2000,
            "Dutch words with a polarity: {}",
            LEXICON.nl.words.len()
        );
        assert!(LEXICON.nl.words["goed"] > 1.5, "goed is clearly positive");
        assert!(LEXICON.en.words["bad"] < -2.0, "bad is clearly negative");
    }
}
