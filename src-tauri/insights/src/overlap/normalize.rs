//! Normalised forms of the identifiers a channel gives for a customer: e-mail, phone (E.164),
//! Dutch postcode + house number + addition, and a person's name split into given names,
//! tussenvoegsels and the surname core.
//!
//! Every function here is pure and total: input that cannot be understood gives `None` (a field
//! the matcher treats as missing), never an error, because customer data from portals is messy
//! and one odd row must not stop a merchant's whole report. Nothing here hashes or stores; see
//! `keys` for that.

use deunicode::deunicode;

/// Lower-cases an e-mail address, drops a `+tag` from the local part, and for Gmail drops the
/// dots in the local part and maps `googlemail.com` to `gmail.com`.
///
/// Gmail dots: Google delivers `j.jansen@gmail.com` and `jjansen@gmail.com` to the same mailbox
/// (documented in Gmail's help, "dots don't matter in Gmail addresses"), and shoppers type both;
/// other providers treat dots as significant, so only Gmail's domains are folded. Plus tags
/// (`jan+bol@…`) are a sub-address of the same mailbox at Gmail, Outlook, iCloud, Fastmail and
/// most Dutch providers (Ziggo, KPN), so they are dropped for every domain.
pub fn email(raw: &str) -> Option<String> {
    let s = raw.trim().to_lowercase();
    let (local, domain) = s.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    if local.is_empty() || domain.is_empty() || !domain.contains('.') || local.contains(' ') {
        return None;
    }
    let local = local.split('+').next().unwrap_or(local);
    if local.is_empty() {
        return None;
    }
    let (local, domain) = if domain == "gmail.com" || domain == "googlemail.com" {
        (local.replace('.', ""), "gmail.com")
    } else {
        (local.to_string(), domain)
    };
    Some(format!("{local}@{domain}"))
}

/// A phone number in E.164 (`+31612345678`), reading national numbers as Dutch unless the
/// record's country says otherwise. Masked numbers (`****`, `06-****5678`) give `None`.
///
/// Parsing uses the `phonenumber` crate (a port of Google's libphonenumber with its metadata), so
/// `06-12345678`, `+31 6 12345678`, `0031 6 1234 5678` and `(020) 123 4567` all come out in one
/// form, and numbers that cannot exist in the numbering plan are refused.
pub fn phone(raw: &str, country: Option<&str>) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() || t.chars().any(|c| matches!(c, '*' | 'x' | 'X' | '•' | '#')) {
        return None;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if !(8..=15).contains(&digits) {
        return None;
    }
    if let Some(e164) = dutch_mobile(t, country) {
        return Some(e164);
    }
    let region = country
        .and_then(country_id)
        .unwrap_or(phonenumber::country::Id::NL);
    // "0031…" is how many Dutch people write the international prefix.
    let owned;
    let t = if let Some(rest) = t.strip_prefix("00") {
        owned = format!("+{rest}");
        owned.as_str()
    } else {
        t
    };
    let n = phonenumber::parse(Some(region), t).ok()?;
    if !n.is_valid() {
        return None;
    }
    Some(n.format().mode(phonenumber::Mode::E164).to_string())
}

/// The common case without the full parser (which costs tens of microseconds a number): a
/// Dutch mobile number, `06` + 1..5 + seven digits, written nationally or with +31 / 0031.
/// The result equals the parser's (a test checks it), and anything else goes to the parser.
fn dutch_mobile(t: &str, country: Option<&str>) -> Option<String> {
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'))
    {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let national = if t.trim_start().starts_with('+') {
        digits.strip_prefix("31")?
    } else if let Some(rest) = digits.strip_prefix("0031") {
        rest
    } else if country.is_none_or(|c| c == "NL") {
        digits.strip_prefix('0')?
    } else {
        return None;
    };
    let b = national.as_bytes();
    if b.len() == 9 && b[0] == b'6' && (b'1'..=b'5').contains(&b[1]) {
        return Some(format!("+31{national}"));
    }
    None
}

fn country_id(country: &str) -> Option<phonenumber::country::Id> {
    let c = country_code(country)?;
    c.parse().ok()
}

/// An ISO 3166 alpha-2 code from what portals put in a country column ("NL", "nl",
/// "Nederland", "Netherlands", "BE", "België").
pub fn country_code(raw: &str) -> Option<String> {
    let t = deunicode(raw.trim()).to_lowercase();
    let code = match t.as_str() {
        "" => return None,
        "nederland" | "netherlands" | "the netherlands" | "holland" | "nld" => "NL",
        "belgie" | "belgium" | "belgique" | "bel" => "BE",
        "duitsland" | "germany" | "deutschland" | "deu" => "DE",
        "australia" | "aus" => "AU",
        s if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Some(s.to_ascii_uppercase())
        }
        _ => return None,
    };
    Some(code.to_string())
}

/// A postcode in its canonical form: Dutch `1234 AB` (or just `1234` when a platform only
/// gives the digits, as Thuisbezorgd does for courier orders); other countries upper-case
/// without spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode {
    /// The full postcode, canonical (`1234 AB`); `None` when only the area is known.
    pub full: Option<String>,
    /// The area part: the four digits of a Dutch postcode, the whole code elsewhere.
    pub area: String,
}

/// Reads a postcode. A Dutch postcode is four digits (not starting with 0) and two letters
/// (not SA, SD or SS, which PostNL does not issue); four digits alone are an area.
pub fn postcode(raw: &str, country: Option<&str>) -> Option<Postcode> {
    let compact: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.is_empty() || compact.chars().all(|c| c == '0') {
        return None;
    }
    let is_nl = country.is_none_or(|c| c == "NL");
    if is_nl {
        let b = compact.as_bytes();
        let digits_ok = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) && b[0] != b'0';
        if digits_ok && b.len() == 6 && b[4..].iter().all(u8::is_ascii_alphabetic) {
            let letters = &compact[4..];
            if matches!(letters, "SA" | "SD" | "SS") {
                return None;
            }
            return Some(Postcode {
                full: Some(format!("{} {}", &compact[..4], letters)),
                area: compact[..4].to_string(),
            });
        }
        if digits_ok && b.len() == 4 {
            return Some(Postcode {
                full: None,
                area: compact,
            });
        }
        if country.is_some() {
            return None;
        }
    }
    Some(Postcode {
        full: Some(compact.clone()),
        area: compact,
    })
}

/// A house number with its addition: `12`, `12a`, `12-A`, `12 bis`, `12-2`, `12 hs` all read
/// as number 12 plus a normalised addition (`A`, `BIS`, `2`, `HS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseNumber {
    pub number: u32,
    pub addition: String,
}

pub fn house_number(raw: &str) -> Option<HouseNumber> {
    let t = raw.trim();
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let rest = &t[start..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let number: u32 = rest[..end].parse().ok()?;
    if number == 0 {
        return None;
    }
    let addition: String = rest[end..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    Some(HouseNumber { number, addition })
}

/// A person's name, split the Dutch way: given names (or initials), the tussenvoegsels
/// (`van der`, `de`, `ten`…, which Dutch sorting and matching ignore) and the surname core.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// The first given name in full, lower-case ASCII; `None` when only initials are known.
    pub given: Option<String>,
    /// The first letter of the first given name (from the name or the initials).
    pub initial: Option<char>,
    /// The surname without tussenvoegsels, lower-case ASCII, parts joined by one space
    /// (`jansen vries` for "Jansen-de Vries"); `None` when the surname is masked or missing.
    pub surname: Option<String>,
    /// When a platform truncates the surname to its initial ("Jan J."), that initial.
    pub surname_initial: Option<char>,
}

/// Tussenvoegsels and their common abbreviations (`v.`, `v.d.`, `vd`, `v/d`), as written in
/// Dutch and Flemish names, plus the French and German particles that occur in Dutch customer
/// lists.
const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "het", "t", "ten", "ter", "te", "in", "op", "aan", "bij", "uit",
    "onder", "over", "voor", "v", "vd", "vdr", "vden", "d", "s", "la", "le", "du", "des", "von",
    "zu", "da", "dos", "del", "della", "di", "vanden", "vander", "vanet", "l", "lo",
];

fn is_particle(token: &str) -> bool {
    PARTICLES.contains(&token)
}

/// Splits a full name into its parts. Understands "Jan van der Berg", "J. v.d. Berg",
/// "Berg, Jan van der" (the inverted form of Dutch administrations), "J.P. de Vries",
/// "Jansen-de Vries" and masked parts such as "J ****" or "Jan J.".
pub fn name(raw: &str) -> Name {
    let ascii = deunicode(raw).to_lowercase();
    // The inverted form puts the surname before a comma: "Berg, Jan van der".
    let ordered = match ascii.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() => {
            // Tussenvoegsels written after the given names belong in front of the surname.
            format!("{} {}", first.trim(), last.trim())
        }
        Some((last, _)) => last.to_string(),
        None => ascii,
    };
    let masked = ordered.contains('*');
    // Tokens: split on spaces; dots separate initials ("j.p." -> "j", "p"); an apostrophe
    // ("'t", "d'") is dropped; a hyphen joins a double surname and is kept as a separator.
    let mut tokens: Vec<(String, bool)> = Vec::new();
    // For each token, the index of the first token of its hyphenated compound ("Jansen-de
    // Vries": `de` belongs to the compound that starts at `jansen`).
    let mut compound_start: Vec<usize> = Vec::new();
    for word in ordered.split(|c: char| c.is_whitespace() || c == '/') {
        let start = tokens.len();
        for piece in word.split('-') {
            if piece.contains('*') {
                tokens.push(("*".to_string(), false));
                compound_start.push(start);
                continue;
            }
            let dotted = piece.contains('.');
            for part in piece.split('.') {
                let t: String = part.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                if !t.is_empty() {
                    tokens.push((t, dotted));
                    compound_start.push(start);
                }
            }
        }
    }
    // The surname starts at the first tussenvoegsel after the given names, or at the start of
    // the hyphenated compound that holds it.
    let first_particle = tokens
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, (t, _))| is_particle(t))
        .map(|(i, _)| compound_start[i])
        .filter(|&i| i >= 1);
    type Tokens<'a> = Vec<&'a (String, bool)>;
    let (given_part, surname_part): (Tokens<'_>, Tokens<'_>) = match first_particle {
        // "de Vries" or "van Dijk" with no given name: all of it is the surname.
        _ if tokens.first().is_some_and(|(t, _)| is_particle(t)) => {
            (Vec::new(), tokens.iter().collect())
        }
        Some(i) => (tokens[..i].iter().collect(), tokens[i..].iter().collect()),
        None if tokens.len() >= 2 => (
            tokens[..tokens.len() - 1].iter().collect(),
            tokens[tokens.len() - 1..].iter().collect(),
        ),
        None => (Vec::new(), tokens.iter().collect()),
    };
    let mut out = Name::default();
    // Given part: full names are tokens longer than one letter that were not written with dots,
    // except that "JP" (all consonants, two letters) is a pair of initials.
    if let Some((first, dotted)) = given_part.first() {
        out.initial = first.chars().next();
        let looks_like_initials =
            *dotted || first.len() == 1 || (first.len() <= 3 && !first.chars().any(is_vowel));
        if !looks_like_initials && first != "*" {
            out.given = Some(first.clone());
        }
        if first == "*" {
            out.initial = None;
        }
    }
    let core: Vec<&str> = surname_part
        .iter()
        .map(|(t, _)| t.as_str())
        .filter(|t| !is_particle(t))
        .collect();
    if core.contains(&"*") || (masked && core.is_empty()) {
        return out;
    }
    match core.as_slice() {
        [] => {}
        [one] if one.len() == 1 => out.surname_initial = one.chars().next(),
        parts => {
            let joined = parts.join(" ");
            out.surname_initial = joined.chars().next();
            out.surname = Some(joined);
        }
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn email_folds_case_plus_tags_and_gmail_dots() {
        assert_eq!(
            email(" Jan.Jansen+bol@Gmail.com "),
            email("janjansen@gmail.com")
        );
        assert_eq!(
            email("j.jansen@googlemail.com").as_deref(),
            Some("jjansen@gmail.com")
        );
        assert_eq!(
            email("j.jansen@ziggo.nl").as_deref(),
            Some("j.jansen@ziggo.nl"),
            "dots are significant outside Gmail"
        );
        assert_eq!(email("not an email"), None);
        assert_eq!(email("@x.nl"), None);
    }

    #[test]
    fn dutch_phone_numbers_in_every_common_spelling_become_one_e164() {
        let want = Some("+31612345678".to_string());
        for raw in [
            "+31 6 12345678",
            "06-12345678",
            "0612345678",
            "0031 6 1234 5678",
            "(06) 123 456 78",
        ] {
            assert_eq!(phone(raw, None), want, "{raw} should read as {want:?}");
        }
        assert_eq!(
            phone("020-1234567", Some("NL")).as_deref(),
            Some("+31201234567")
        );
        assert_eq!(
            phone("+32 470 12 34 56", Some("NL")).as_deref(),
            Some("+32470123456"),
            "an international number keeps its own country"
        );
        assert_eq!(
            phone("06-****5678", None),
            None,
            "a masked phone is no phone"
        );
        assert_eq!(phone("****", None), None);
        assert_eq!(phone("12345", None), None);
    }

    #[test]
    fn the_mobile_shortcut_agrees_with_the_full_parser() {
        for n in [12345678u32, 10000000, 59999999, 31415926, 27182818] {
            for raw in [
                format!("06{n:08}"),
                format!("+31 6 {n:08}"),
                format!("00316{n:08}"),
            ] {
                let full = phonenumber::parse(
                    Some(phonenumber::country::Id::NL),
                    raw.replace("0031", "+31"),
                )
                .ok()
                .filter(phonenumber::PhoneNumber::is_valid)
                .map(|p| p.format().mode(phonenumber::Mode::E164).to_string());
                assert_eq!(dutch_mobile(&raw, None), full, "{raw}");
            }
        }
    }

    #[test]
    fn dutch_postcodes_are_read_with_or_without_space_and_case() {
        let want = postcode("1234 AB", None);
        assert_eq!(postcode("1234ab", None), want);
        assert_eq!(postcode(" 1234-ab ", Some("NL")), want);
        let p = want.unwrap();
        assert_eq!(p.full.as_deref(), Some("1234 AB"));
        assert_eq!(p.area, "1234");
        let area = postcode("1012", None).unwrap();
        assert_eq!(area.full, None, "Thuisbezorgd gives only the four digits");
        assert_eq!(area.area, "1012");
        assert_eq!(
            postcode("1234 SS", Some("NL")),
            None,
            "PostNL does not issue SS"
        );
        assert_eq!(postcode("0123 AB", Some("NL")), None);
        assert_eq!(
            postcode("2000", Some("AU")).unwrap().full.as_deref(),
            Some("2000")
        );
    }

    #[test]
    fn house_numbers_keep_the_addition_apart() {
        let a = house_number("12-a").unwrap();
        assert_eq!(a, house_number("12 A").unwrap());
        assert_eq!(a, house_number("12A").unwrap());
        assert_eq!(a.number, 12);
        assert_eq!(a.addition, "A");
        assert_eq!(house_number("12 bis").unwrap().addition, "BIS");
        assert_eq!(house_number("7").unwrap().addition, "");
        assert_eq!(house_number("geen"), None);
    }

    #[test]
    fn tussenvoegsels_and_initials_leave_the_same_surname() {
        let full = name("Jan van der Berg");
        let short = name("J. v.d. Berg");
        let inverted = name("Berg, Jan van der");
        assert_eq!(full.surname.as_deref(), Some("berg"));
        assert_eq!(short.surname, full.surname);
        assert_eq!(inverted.surname, full.surname);
        assert_eq!(full.given.as_deref(), Some("jan"));
        assert_eq!(inverted.given.as_deref(), Some("jan"));
        assert_eq!(short.given, None, "an initial is not a given name");
        assert_eq!(short.initial, Some('j'));
        assert_eq!(name("Jan vd Berg").surname.as_deref(), Some("berg"));
        assert_eq!(name("Piet ten Brink").surname.as_deref(), Some("brink"));
        assert_eq!(name("Kees 't Hart").surname.as_deref(), Some("hart"));
        assert_eq!(name("J.P. de Vries").initial, Some('j'));
        assert_eq!(name("JP de Vries").given, None, "JP is two initials");
        assert_eq!(
            name("Anna Jansen-de Vries").surname.as_deref(),
            Some("jansen vries")
        );
        assert_eq!(name("Zoë Ørsted").given.as_deref(), Some("zoe"));
    }

    #[test]
    fn masked_and_truncated_names_keep_only_what_is_known() {
        let jet = name("J ****");
        assert_eq!(jet.initial, Some('j'));
        assert_eq!(jet.surname, None);
        assert_eq!(jet.surname_initial, None);
        let uber = name("Jan J.");
        assert_eq!(uber.given.as_deref(), Some("jan"));
        assert_eq!(uber.surname, None);
        assert_eq!(uber.surname_initial, Some('j'));
        assert_eq!(name("").initial, None);
        assert_eq!(
            name("Jansen").surname.as_deref(),
            Some("jansen"),
            "one word is a surname"
        );
        assert_eq!(name("de Vries").surname.as_deref(), Some("vries"));
        assert_eq!(name("de Vries").initial, None);
    }
}
