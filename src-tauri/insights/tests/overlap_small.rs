#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Customer overlap for a shop with only a handful of customers: too few pairs for EM, so the
//! matcher falls back to the documented priors (`overlap::priors`) and must still get the
//! obvious cases right.

use kanaal_insights::overlap::{
    self, compare, priors, synth, CustomerRecord, MatchConfig, MatchKey,
};

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
        city: "Den Haag".into(),
        country: "NL".into(),
        ..CustomerRecord::default()
    }
}

/// Six records on three channels: Jan on all three, Fatima in the webshop and on bol.com,
/// and Jan's housemate Anna on Etsy.
fn six_records() -> Vec<CustomerRecord> {
    vec![
        rec(
            "webshop",
            "w1",
            "Jan de Vries",
            "jan.devries@ziggo.nl",
            "0612345678",
            "7",
            "2511CV",
        ),
        rec(
            "bol",
            "b1",
            "J. de Vries",
            "x1y2z3@verkopen.bol.com",
            "",
            "7",
            "2511 CV",
        ),
        rec("etsy", "e1", "Jan de Vries", "", "", "7", "2511cv"),
        rec(
            "webshop",
            "w2",
            "Fatima El Amrani",
            "fatima.elamrani@gmail.com",
            "0698765432",
            "3",
            "1012AB",
        ),
        rec(
            "bol",
            "b2",
            "Fatima el Amrani",
            "q9w8e7@verkopen.bol.com",
            "",
            "3",
            "1012 AB",
        ),
        rec("etsy", "e2", "Anna de Vries", "", "", "7", "2511 CV"),
    ]
}

#[test]
fn six_customers_on_three_channels_resolve_to_three_people() {
    let records = six_records();
    let m = overlap::match_records(&records, &key(), &MatchConfig::default());
    let p = &m.person;
    assert_eq!(
        p[0], p[1],
        "Jan in the webshop and on bol.com is one customer"
    );
    assert_eq!(p[0], p[2], "Jan on Etsy is the same Jan");
    assert_eq!(
        p[3], p[4],
        "Fatima in the webshop and on bol.com is one customer"
    );
    assert_ne!(p[0], p[3], "Jan and Fatima are two customers");
    assert_ne!(
        p[5], p[0],
        "Anna, Jan's housemate, is a customer of her own"
    );
    assert_eq!(m.stats.persons, 3, "three people: {p:?}");
}

#[test]
fn a_tiny_shop_uses_the_documented_priors_and_says_so() {
    let m = overlap::match_records(&six_records(), &key(), &MatchConfig::default());
    assert!(
        m.model.from_priors.u,
        "15 random pairs are too few to estimate u"
    );
    assert_eq!(
        m.model.from_priors.m.len(),
        compare::FIELDS.len(),
        "no field has enough matches to estimate m: {:?}",
        m.model.from_priors
    );
    assert!(m.model.from_priors.household, "no housemates to learn from");
    assert_eq!(m.model.u, priors::u(), "u is the prior");
}

#[test]
fn a_shop_with_enough_customers_estimates_its_own_parameters() {
    let s = synth::generate(11, 2000);
    let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
    assert_eq!(
        m.model.from_priors,
        overlap::em::FromPriors::default(),
        "2,000 customers are enough for every estimate"
    );
}

#[test]
fn the_prior_tables_have_one_probability_per_level_and_sum_to_one() {
    priors::check_shape().unwrap();
}

/// The priors are documented as this crate's estimates on the synthetic shop; if comparison
/// levels or EM change, this test says the priors need measuring again. Compared as weights
/// (log2 m/u, what decides a match), within 2 bits, for the fields the synthetic shop carries.
#[test]
fn the_priors_are_close_to_what_em_estimates_on_the_synthetic_shop() {
    let s = synth::generate(11, 2000);
    let m = overlap::match_records(&s.records, &key(), &MatchConfig::default());
    let (pm, pu) = (priors::m(), priors::u());
    for (f, (name, levels)) in compare::FIELDS.iter().enumerate() {
        if *name == "city" {
            continue; // never weighed on this set: every record has a postcode
        }
        for l in 1..*levels {
            let est = (m.model.m[f][l] / m.model.u[f][l]).log2();
            let prior = (pm[f][l] / pu[f][l]).log2();
            assert!(
                (est - prior).abs() < 2.0,
                "{name} level {l}: estimated weight {est:.2}, prior {prior:.2}"
            );
        }
    }
    let hh = priors::household_u();
    for (l, (est, prior)) in m.model.household_u.iter().zip(&hh).enumerate().skip(1) {
        assert!(
            (est - prior).abs() < 0.05,
            "housemates' surname level {l}: estimated {est:.3}, prior {prior:.3}"
        );
    }
}
