#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Review sentiment: what a shop owner relies on — negation, contrast, boosters, emoji, Dutch
//! compounds and inflections, language detection, aspects, and calibration on star ratings.

use kanaal_insights::sentiment::calibrate::{fit, CalibrationError};
use kanaal_insights::sentiment::{features, score, Aspect, Label, Lang};

fn s(text: &str) -> f64 {
    score(text, None).score
}

fn aspect(text: &str, a: Aspect) -> Option<f64> {
    score(text, None)
        .aspects
        .iter()
        .find(|x| x.aspect == a)
        .map(|x| x.score)
}

#[test]
fn plain_praise_and_complaints_get_the_right_label_in_both_languages() {
    for t in [
        "Heerlijke koffie, snel geleverd!",
        "Great coffee, fast delivery",
        "Echt een aanrader 👍",
    ] {
        assert_eq!(score(t, None).label, Label::Positive, "{t}: {}", s(t));
    }
    for t in [
        "Slechte kwaliteit, kapot aangekomen",
        "Terrible, it broke after a day",
        "Waardeloos 👎",
    ] {
        assert_eq!(score(t, None).label, Label::Negative, "{t}: {}", s(t));
    }
    assert_eq!(
        score("Ik heb het pakket ontvangen.", None).label,
        Label::Neutral
    );
}

#[test]
fn negation_turns_the_next_sentiment_around() {
    assert!(s("De koffie is lekker") > 0.0);
    assert!(s("De koffie is niet lekker") < 0.0, "niet");
    assert!(
        s("Geen probleem, alles goed") > 0.0,
        "geen + probleem is good news"
    );
    assert!(s("It is not good") < 0.0, "not");
    assert!(s("It isn't good") < 0.0, "n't");
    assert!(s("I have never been happy with it") < 0.0, "never");
    assert!(s("Niet slecht") > 0.0, "niet slecht is mildly positive");
    assert!(
        s("Niet lekker, wel snel") > s("Niet lekker, niet snel"),
        "a comma ends the negation's reach"
    );
}

#[test]
fn boosters_strengthen_and_diminishers_weaken() {
    assert!(s("heel goed") > s("goed"), "heel");
    assert!(s("erg slecht") < s("slecht"), "erg");
    assert!(
        s("een beetje duur") > s("duur"),
        "beetje softens a complaint"
    );
    assert!(s("very good") > s("good"));
    assert!(s("slightly bad") > s("bad"));
    assert!(
        s("supersnel geleverd") > s("snel geleverd"),
        "Dutch intensifying compound"
    );
}

#[test]
fn but_and_maar_put_the_weight_on_what_follows() {
    assert!(
        s("Lekker, maar veel te duur en koud") < 0.0,
        "the complaint after maar wins"
    );
    assert!(
        s("A bit pricey but absolutely delicious") > 0.0,
        "the praise after but wins"
    );
    assert!(
        s("Snel geleverd. Maar het werkt niet.") < 0.0,
        "a sentence starting with Maar outweighs the one before"
    );
}

#[test]
fn exclamation_capitals_and_emoji_add_emphasis() {
    assert!(s("Goed!!!") > s("Goed"));
    assert!(s("Het is GOED, echt") > s("Het is goed, echt"));
    assert!(s("Bezorging was prima 😍") > s("Bezorging was prima"));
    assert!(s("Aangekomen 😡") < 0.0);
}

#[test]
fn dutch_compounds_inflections_and_spelling_variants_are_understood() {
    assert!(
        s("Zeer klantvriendelijke winkel") > 0.3,
        "compound tail vriendelijk"
    );
    assert!(s("Wat een mooie spullen") > 0.0, "mooie → mooi");
    assert!(s("suuuuper lekker") > 0.3, "stretched spelling");
    assert!(s("Het was oké") > 0.0, "accent");
}

#[test]
fn language_is_detected_from_function_words_unless_given() {
    assert_eq!(
        score("De bezorger was erg vriendelijk en het eten was warm", None).lang,
        Lang::Nl
    );
    assert_eq!(
        score("The courier was very friendly and the food was hot", None).lang,
        Lang::En
    );
    assert_eq!(score("Top", Some(Lang::Nl)).lang, Lang::Nl, "a hint wins");
}

#[test]
fn delivery_complaints_are_told_apart_from_product_complaints() {
    let t = "De koffie is heerlijk. De bezorger was veel te laat en onvriendelijk.";
    assert!(
        aspect(t, Aspect::Taste).unwrap() > 0.0,
        "the product is fine"
    );
    assert!(
        aspect(t, Aspect::Delivery).unwrap() < 0.0,
        "the courier is the problem"
    );
    let t = "Heerlijke koffie, maar de bezorger was te laat";
    assert!(
        aspect(t, Aspect::Taste).unwrap() > 0.0,
        "within one sentence too: {t}"
    );
    assert!(aspect(t, Aspect::Delivery).unwrap() < 0.0, "{t}");
    let t = "Fast shipping, but the kettle stopped working after a week.";
    assert!(aspect(t, Aspect::ProductQuality).unwrap() < 0.0);
    let t = "Doos was helemaal ingedeukt en slecht verpakt";
    assert!(aspect(t, Aspect::Packaging).unwrap() < 0.0);
    assert!(aspect("Prima prijs", Aspect::Price).unwrap() > 0.0);
    assert!(
        aspect(
            "Klantenservice reageerde snel en behulpzaam",
            Aspect::Service
        )
        .unwrap()
            > 0.0
    );
}

#[test]
fn scores_stay_within_minus_one_and_one() {
    let long_rant = "VRESELIJK!!! ".repeat(50);
    let v = s(&long_rant);
    assert!((-1.0..=-0.9).contains(&v), "{v}");
    assert_eq!(s(""), 0.0, "an empty review is neutral");
}

#[test]
fn calibration_learns_a_shop_where_mild_words_mean_unhappy() {
    // In this shop "oké" comes with 2 stars and "prima" with 5: the plain scorer calls both
    // positive, the calibrated one must tell them apart.
    let mut samples = Vec::new();
    for i in 0..20 {
        let (_, f) = features(&format!("Het was oké, bestelling {i}"), Some(Lang::Nl));
        samples.push((f, 2));
        let (_, f) = features(
            &format!("Heerlijk, echt top! bestelling {i}"),
            Some(Lang::Nl),
        );
        samples.push((f, 5));
    }
    let cal = fit(&samples).unwrap();
    let (plain, f) = features("Het was oké", Some(Lang::Nl));
    assert_eq!(
        plain.label,
        Label::Positive,
        "without calibration oké reads positive"
    );
    assert_eq!(
        cal.adjust(&plain, &f).label,
        Label::Negative,
        "this shop's oké is a complaint"
    );
    let (plain, f) = features("Heerlijk, echt top!", Some(Lang::Nl));
    assert_eq!(cal.adjust(&plain, &f).label, Label::Positive);
    let again = fit(&samples).unwrap();
    assert_eq!(again, cal, "fitting is deterministic");
}

#[test]
fn calibration_waits_for_enough_starred_reviews_of_both_kinds() {
    let (_, f) = features("Top", None);
    let few: Vec<_> = (0..10).map(|_| (f, 5)).collect();
    assert!(matches!(
        fit(&few),
        Err(CalibrationError::TooFew { have: 10 })
    ));
    let happy: Vec<_> = (0..40).map(|_| (f, 5)).collect();
    assert!(matches!(
        fit(&happy),
        Err(CalibrationError::OneSided { .. })
    ));
}

#[test]
fn a_reviews_headline_counts_as_its_summary() {
    let body = "Het leest makkelijk weg.";
    assert!(s(body) > 0.0, "the body alone sounds positive: {}", s(body));
    let titled = format!("Tegenvaller. {body}");
    assert_eq!(
        score(&titled, Some(Lang::Nl)).label,
        Label::Negative,
        "the reviewer's own title decides: {}",
        s(&titled)
    );
    // A one-sentence review is not a headline: its score does not change by being short.
    assert_eq!(s("Tegenvaller."), s("Tegenvaller"));
}

#[test]
fn advice_not_to_buy_stays_negative_and_negated_delight_is_praise() {
    for t in [
        "Don't waste your money.",
        "Do not buy this charger",
        "Steer clear of this product",
        "I will not be back.",
    ] {
        assert_eq!(
            score(t, Some(Lang::En)).label,
            Label::Negative,
            "{t}: {}",
            s(t)
        );
    }
    for t in [
        "I could not be happier with it.",
        "You can't go wrong with this one",
        "Will be back again!",
    ] {
        assert_eq!(
            score(t, Some(Lang::En)).label,
            Label::Positive,
            "{t}: {}",
            s(t)
        );
    }
}
