#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Customer overlap: matching behaviour a merchant relies on, on real Dutch cases and on the
//! seeded synthetic customer base.

use kanaal_insights::overlap::{
    self, compare, eval, prepare, synth, CustomerRecord, MatchConfig, MatchKey,
};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap};

fn key() -> MatchKey {
    MatchKey::from_bytes(&[42u8; 32]).unwrap()
}

fn rec(
    channel: &str,
    id: &str,
    name: &str,
    email: &str,
    phone: &str,
    hn: &str,
    pc: &str,
) -> CustomerRecord {
    CustomerRecord {
        channel: channel.into(),
        id: id.into(),
        name: name.into(),
        email: email.into(),
        phone: phone.into(),
        house_number: hn.into(),
        postcode: pc.into(),
        city: "Utrecht".into(),
        country: "NL".into(),
        ..CustomerRecord::default()
    }
}

/// The groups of (channel, id) that a matching put together, independent of numbering.
fn groups(records: &[CustomerRecord], person: &[u32]) -> BTreeSet<BTreeSet<(String, String)>> {
    let mut by: HashMap<u32, BTreeSet<(String, String)>> = HashMap::new();
    for (r, p) in records.iter().zip(person) {
        by.entry(*p)
            .or_default()
            .insert((r.channel.clone(), r.id.clone()));
    }
    by.into_values().collect()
}

/// A small shop: a background of synthetic customers so EM has data, plus the records under
/// test.
fn with_background(extra: &[CustomerRecord]) -> (Vec<CustomerRecord>, overlap::Matching) {
    let mut records = synth::generate(11, 2000).records;
    records.extend_from_slice(extra);
    let m = overlap::match_records(&records, &key(), &MatchConfig::default());
    (records, m)
}

#[test]
fn the_same_dutch_customer_written_three_ways_is_one_person() {
    let extra = [
        rec(
            "webshop",
            "w1",
            "Jan van der Berg",
            "Jan.vdBerg+shop@Gmail.com",
            "06-12345678",
            "12a",
            "3512ab",
        ),
        rec(
            "bol",
            "b1",
            "J. v.d. Berg",
            "2hxf3nmz6yq@verkopen.bol.com",
            "",
            "12-A",
            "3512 AB",
        ),
        rec(
            "etsy",
            "e1",
            "Berg, Jan van der",
            "",
            "+31 6 12345678",
            "12 A",
            "3512AB",
        ),
    ];
    let (records, m) = with_background(&extra);
    let n = records.len();
    let p = &m.person[n - 3..];
    assert_eq!(
        p[0], p[1],
        "webshop and bol.com records of Jan van der Berg are one person"
    );
    assert_eq!(
        p[0], p[2],
        "the Etsy record with the same phone is the same person"
    );
}

#[test]
fn housemates_with_the_same_surname_stay_two_people() {
    let extra = [
        rec(
            "webshop",
            "w1",
            "Jan de Vries",
            "jan.devries@ziggo.nl",
            "0612345678",
            "7",
            "2511 CV",
        ),
        rec(
            "bol",
            "b1",
            "Anna de Vries",
            "x1y2z3@verkopen.bol.com",
            "",
            "7",
            "2511CV",
        ),
        rec(
            "webshop",
            "w2",
            "Anna de Vries",
            "anna.devries@kpnmail.nl",
            "0687654321",
            "7",
            "2511 CV",
        ),
    ];
    let (records, m) = with_background(&extra);
    let n = records.len();
    let p = &m.person[n - 3..];
    assert_ne!(p[0], p[1], "Jan and Anna at one address are two customers");
    assert_eq!(
        p[1], p[2],
        "Anna on bol.com and in the webshop is one customer"
    );
}

#[test]
fn a_relay_address_alone_never_links_two_channels() {
    // The same alias on two channels (it cannot happen for real, which is the point: if it
    // did, it would still not be evidence).
    let extra = [
        rec("bol", "b1", "", "abc123@verkopen.bol.com", "", "", ""),
        rec("amazon", "a1", "", "abc123@verkopen.bol.com", "", "", ""),
        rec("bol", "b2", "", "abc123@verkopen.bol.com", "", "", ""),
    ];
    let (records, m) = with_background(&extra);
    let n = records.len();
    let p = &m.person[n - 3..];
    assert_ne!(p[0], p[1], "a bol.com relay address says nothing on Amazon");
    assert_eq!(
        p[0], p[2],
        "within bol.com the same relay address is the same shopper"
    );
}

#[test]
fn placeholders_and_proxy_phones_link_nobody() {
    let extra = [
        rec(
            "thuisbezorgd",
            "t1",
            "J ****",
            "customer@email.hidden",
            "****",
            "",
            "1012",
        ),
        rec(
            "thuisbezorgd",
            "t2",
            "P ****",
            "customer@email.hidden",
            "****",
            "",
            "9711",
        ),
        rec("ubereats", "u1", "Kees B.", "", "+31 20 123 4567", "", ""),
        rec("ubereats", "u2", "Mila Z.", "", "+31 20 123 4567", "", ""),
    ];
    let (records, m) = with_background(&extra);
    let n = records.len();
    let p = &m.person[n - 4..];
    assert_ne!(
        p[0], p[1],
        "Thuisbezorgd's hidden e-mail is shared by everyone"
    );
    assert_ne!(
        p[2], p[3],
        "an Uber Eats proxy number is shared by many eaters"
    );
}

#[test]
fn em_converges_on_a_generated_shop_and_never_goes_downhill() {
    let s = synth::generate(3, 1500);
    let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
    assert!(
        !m.model.sessions.is_empty(),
        "every blocking rule found pairs"
    );
    for session in &m.model.sessions {
        assert!(
            session.converged,
            "EM for rule {} converged: {session:?}",
            session.rule
        );
        for w in session.log_posterior.windows(2) {
            assert!(
                w[1] >= w[0] - 1e-6 * w[0].abs(),
                "EM's objective does not drop (rule {}): {} -> {}",
                session.rule,
                w[0],
                w[1]
            );
        }
    }
    // The learned weights say what a merchant expects: agreeing on e-mail, phone or address
    // is strong evidence, a different given name is strong evidence against.
    let email = compare::FIELDS.iter().position(|f| f.0 == "email").unwrap();
    let given = compare::FIELDS.iter().position(|f| f.0 == "given").unwrap();
    assert!(
        m.model.m[email][2] / m.model.u[email][2] > 100.0,
        "{:?}",
        m.model
    );
    assert!(
        m.model.m[given][1] / m.model.u[given][1] < 0.1,
        "{:?}",
        m.model
    );
    assert!(m.model.lambda > 0.0 && m.model.lambda < 0.01);
}

/// Threshold: on this set about 39% of the true pairs involve a record with no identifier left
/// after masking (Thuisbezorgd courier orders show an initial and four postcode digits, most
/// Amazon orders only a relay address, postcode and city), so no method can find them: the
/// candidate pairs hold 61% of the true pairs, which caps recall. Measured on this seed:
/// precision 0.949, recall 0.614, F1 0.746 (the benchmark's larger sets: docs/benchmarks.md).
/// The test demands precision >= 0.85, because a wrong merge overstates overlap and so
/// understates what a platform brings, and F1 >= 0.70; a change that breaks normalisation,
/// blocking or EM drops far below both.
#[test]
fn matching_quality_on_the_dutch_synthetic_shop() {
    let s = synth::generate(5, 2500);
    let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
    let scores = eval::pairwise(&m.person, &s.truth);
    assert!(scores.precision >= 0.85, "precision {scores:?}");
    assert!(scores.f1 >= 0.70, "F1 {scores:?}");
}

#[test]
fn every_input_record_gets_a_person_in_input_order() {
    let s = synth::generate(8, 300);
    let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
    assert_eq!(m.person.len(), s.records.len());
    assert_eq!(m.person[0], 1, "the first record's person is number 1");
    let mut seen = 0;
    for &p in &m.person {
        assert!(p <= seen + 1, "persons are numbered by first appearance");
        seen = seen.max(p);
    }
}

#[test]
fn customer_files_are_read_by_header_name() {
    let csv = "\u{feff}id,channel,name,postcode\nw1,webshop,Jan Jansen,1234ab\n";
    let r = prepare::read_csv(csv.as_bytes()).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].channel, "webshop");
    assert_eq!(r[0].postcode, "1234ab");
    assert_eq!(r[0].email, "", "a missing column reads as empty");
    let err = prepare::read_csv("name,email\nx,y\n".as_bytes()).unwrap_err();
    assert!(err.to_string().contains("channel"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn comparison_is_symmetric(seed in 0u64..1000, i in 0usize..400, j in 0usize..400) {
        let s = synth::generate(seed, 200);
        let n = s.records.len();
        let (a, b) = (&s.records[i % n], &s.records[j % n]);
        let k = key();
        let (pa, pb) = (prepare::prepare(a, &k), prepare::prepare(b, &k));
        prop_assert_eq!(compare::pattern(&pa, &pb), compare::pattern(&pb, &pa));
    }

    #[test]
    fn clustering_does_not_depend_on_record_order(seed in 0u64..1000, rot in 1usize..500) {
        let s = synth::generate(seed, 150);
        let k = key();
        let m1 = overlap::match_records(&s.records, &k, &MatchConfig::default());
        let mut shuffled = s.records.clone();
        shuffled.reverse();
        let r = rot % shuffled.len();
        shuffled.rotate_left(r);
        let m2 = overlap::match_records(&shuffled, &k, &MatchConfig::default());
        prop_assert_eq!(groups(&s.records, &m1.person), groups(&shuffled, &m2.person));
    }

    #[test]
    fn relay_addresses_never_join_channels(seed in 0u64..1000) {
        // Give every Amazon record the relay alias of a bol.com record of someone else; no
        // person may contain an Amazon and a bol.com record that agree on nothing but that.
        let mut s = synth::generate(seed, 200);
        let bol: Vec<String> = s.records.iter().filter(|r| r.channel == "bol").map(|r| r.email.clone()).collect();
        prop_assume!(!bol.is_empty());
        for (x, r) in s.records.iter_mut().filter(|r| r.channel == "amazon").enumerate() {
            r.email = bol[x % bol.len()].clone();
            r.name.clear();
            r.street.clear();
            r.house_number.clear();
            r.postcode.clear();
            r.city.clear();
        }
        let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
        for (i, r) in s.records.iter().enumerate() {
            if r.channel == "amazon" {
                for (j, other) in s.records.iter().enumerate() {
                    if m.person[j] == m.person[i] {
                        prop_assert_eq!(&other.channel, "amazon", "an Amazon record with only a relay address joins no other channel");
                    }
                }
            }
        }
    }
}
