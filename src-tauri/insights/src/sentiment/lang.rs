//! Cheap language detection for a review: Dutch or English, by counting the most frequent
//! function words of each. Reviews are short and a shop sells in one or two languages, so this
//! is enough; a caller that knows the language passes it instead.

use super::lexicon::Fnv;
use super::Lang;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

type Set = HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// The word lists as hash sets: detection runs on every word of every review.
static SETS: LazyLock<(Set, Set)> =
    LazyLock::new(|| (NL.iter().copied().collect(), EN.iter().copied().collect()));

const NL: &[&str] = &[
    "de", "het", "een", "en", "niet", "ik", "van", "dat", "die", "te", "was", "zijn", "voor",
    "met", "op", "heel", "erg", "maar", "geen", "wel", "ook", "naar", "bij", "nog", "dan", "als",
    "mijn", "je", "we", "er", "om", "aan", "uit", "ze", "zo", "zeer", "goed", "snel", "heb",
    "hebben", "had", "werd", "wordt", "ben", "echt", "nooit", "alles", "leuk", "mooi", "lekker",
];
const EN: &[&str] = &[
    "the", "a", "an", "and", "not", "i", "of", "that", "to", "was", "are", "for", "with", "on",
    "very", "but", "no", "it", "this", "my", "you", "we", "have", "be", "at", "so", "they",
    "would", "great", "good", "had", "has", "is", "were", "just", "really", "never", "all",
    "product", "love", "nice", "fast", "quality", "works", "did", "does", "don't", "it's",
];

/// Guesses the language of already lower-cased words; `None` when the function words do not
/// decide.
pub fn detect<'a>(words: impl Iterator<Item = &'a str>) -> Option<Lang> {
    let (mut nl, mut en) = (0u32, 0u32);
    let mut ij = false;
    for w in words {
        if SETS.0.contains(w) {
            nl += 1;
        }
        if SETS.1.contains(w) {
            en += 1;
        }
        ij |= w.contains("ij") || w.contains("oe") || w.contains("aa");
    }
    if nl > en || (nl == en && nl > 0 && ij) {
        Some(Lang::Nl)
    } else if en > nl {
        Some(Lang::En)
    } else {
        None
    }
}
