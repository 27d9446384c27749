//! The demo merchant, generated from a seed: Branderij De Gracht, a coffee roaster with a small
//! lunchroom on the Oudegracht in Utrecht. It sells roasted coffee, tea and brewing gear in its
//! webshop and on marketplaces, and lunch through delivery apps.
//!
//! The assortment (names, tasting notes, categories) is fixed so that the demo reads well; the
//! seed decides prices within each product's range, cost prices, stock levels, EANs and which
//! products are still drafts, so two seeds give two believable but different shops.

use super::art::{Art, Motif};
use crate::catalog::gtin;
use crate::money::Money;
use crate::vat::VatRate;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use std::collections::HashSet;

pub const SHOP_NAME: &str = "Branderij De Gracht";

/// Stock locations: (code, name).
pub const LOCATIONS: [(&str, &str); 2] = [
    ("WINKEL", "Winkel Oudegracht"),
    ("MAGAZIJN", "Magazijn Lage Weide"),
];

/// Categories: (key, parent key, Dutch, English).
pub const CATEGORIES: [(&str, Option<&str>, &str, &str); 10] = [
    ("koffie", None, "Koffie", "Coffee"),
    (
        "origins",
        Some("koffie"),
        "Single origins",
        "Single origins",
    ),
    ("melanges", Some("koffie"), "Melanges", "Blends"),
    ("thee", None, "Thee", "Tea"),
    ("zetten", None, "Zetmateriaal", "Brewing gear"),
    ("lunch", None, "Lunchroom", "Lunchroom"),
    (
        "broodjes",
        Some("lunch"),
        "Broodjes & soep",
        "Sandwiches & soup",
    ),
    ("gebak", Some("lunch"), "Gebak", "Pastry"),
    ("dranken", Some("lunch"), "Dranken", "Drinks"),
    ("cadeaus", None, "Cadeaus", "Gifts"),
];

/// One generated product, before it is written to the store.
#[derive(Debug, Clone)]
pub struct DemoProduct {
    pub handle: String,
    pub title_nl: String,
    pub title_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub brand: String,
    pub category: &'static str,
    pub active: bool,
    pub tags: Vec<String>,
    pub options: Vec<(String, String)>,
    pub variants: Vec<DemoVariant>,
    pub svg: String,
    pub alt_nl: String,
    pub alt_en: String,
}

#[derive(Debug, Clone)]
pub struct DemoVariant {
    pub sku: String,
    pub gtin: Option<String>,
    pub options: Vec<String>,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub cost: Option<Money>,
    pub vat: VatRate,
    pub weight_grams: Option<i64>,
    /// Units per location, in the order of [`LOCATIONS`].
    pub stock: [i64; 2],
}

struct Coffee {
    code: &'static str,
    nl: &'static str,
    en: &'static str,
    notes_nl: &'static str,
    notes_en: &'static str,
    /// 1 light, 2 medium, 3 dark.
    roast: u8,
    /// Price range for 250 g, in cents.
    price: (i64, i64),
    blend: bool,
}

const fn coffee(
    code: &'static str,
    nl: &'static str,
    en: &'static str,
    notes: (&'static str, &'static str),
    roast: u8,
    price: (i64, i64),
    blend: bool,
) -> Coffee {
    Coffee {
        code,
        nl,
        en,
        notes_nl: notes.0,
        notes_en: notes.1,
        roast,
        price,
        blend,
    }
}

const COFFEES: [Coffee; 22] = [
    coffee(
        "ETHYIR",
        "Ethiopië Yirgacheffe",
        "Ethiopia Yirgacheffe",
        (
            "jasmijn, bergamot en citroen",
            "jasmine, bergamot and lemon",
        ),
        1,
        (1195, 1395),
        false,
    ),
    coffee(
        "ETHGUJ",
        "Ethiopië Guji natural",
        "Ethiopia Guji natural",
        ("bosbes en melkchocolade", "blueberry and milk chocolate"),
        1,
        (1195, 1450),
        false,
    ),
    coffee(
        "KENNYE",
        "Kenia Nyeri AA",
        "Kenya Nyeri AA",
        ("zwarte bes en grapefruit", "blackcurrant and grapefruit"),
        1,
        (1395, 1595),
        false,
    ),
    coffee(
        "COLHUI",
        "Colombia Huila",
        "Colombia Huila",
        ("karamel en rode appel", "caramel and red apple"),
        2,
        (995, 1150),
        false,
    ),
    coffee(
        "COLDEC",
        "Colombia cafeïnevrij",
        "Colombia decaf",
        (
            "rietsuiker en cacao, cafeïnevrij met suikerrietproces",
            "cane sugar and cocoa, decaffeinated with the sugar cane process",
        ),
        2,
        (1050, 1195),
        false,
    ),
    coffee(
        "BRACER",
        "Brazilië Cerrado",
        "Brazil Cerrado",
        ("hazelnoot en cacao", "hazelnut and cocoa"),
        3,
        (850, 995),
        false,
    ),
    coffee(
        "GUAANT",
        "Guatemala Antigua",
        "Guatemala Antigua",
        ("pure chocolade en sinaasappel", "dark chocolate and orange"),
        2,
        (1050, 1195),
        false,
    ),
    coffee(
        "PERCAJ",
        "Peru Cajamarca biologisch",
        "Peru Cajamarca organic",
        ("honing en amandel", "honey and almond"),
        2,
        (995, 1150),
        false,
    ),
    coffee(
        "RWANYA",
        "Rwanda Nyamasheke",
        "Rwanda Nyamasheke",
        ("rode bes en hibiscus", "redcurrant and hibiscus"),
        1,
        (1250, 1450),
        false,
    ),
    coffee(
        "HONMAR",
        "Honduras Marcala",
        "Honduras Marcala",
        ("bruine suiker en perzik", "brown sugar and peach"),
        2,
        (950, 1095),
        false,
    ),
    coffee(
        "CRITAR",
        "Costa Rica Tarrazú honey",
        "Costa Rica Tarrazú honey",
        ("abrikoos en honing", "apricot and honey"),
        2,
        (1195, 1395),
        false,
    ),
    coffee(
        "SUMMAN",
        "Sumatra Mandheling",
        "Sumatra Mandheling",
        ("aards, kruidig, cederhout", "earthy, spicy, cedarwood"),
        3,
        (1050, 1195),
        false,
    ),
    coffee(
        "NICJIN",
        "Nicaragua Jinotega",
        "Nicaragua Jinotega",
        ("melkchocolade en pecannoot", "milk chocolate and pecan"),
        2,
        (950, 1095),
        false,
    ),
    coffee(
        "BURKAY",
        "Burundi Kayanza",
        "Burundi Kayanza",
        ("framboos en zwarte thee", "raspberry and black tea"),
        1,
        (1295, 1495),
        false,
    ),
    coffee(
        "MEXCHI",
        "Mexico Chiapas",
        "Mexico Chiapas",
        ("noga en kaneel", "nougat and cinnamon"),
        2,
        (950, 1095),
        false,
    ),
    coffee(
        "INDMAL",
        "India Monsooned Malabar",
        "India Monsooned Malabar",
        ("zacht, kruidig, weinig zuur", "mellow, spicy, low acidity"),
        3,
        (995, 1150),
        false,
    ),
    coffee(
        "PNGSIG",
        "Papoea-Nieuw-Guinea Sigri",
        "Papua New Guinea Sigri",
        ("tropisch fruit en vanille", "tropical fruit and vanilla"),
        2,
        (1150, 1295),
        false,
    ),
    coffee(
        "PANBOQ",
        "Panama Boquete geisha",
        "Panama Boquete geisha",
        (
            "oranjebloesem, perzik en jasmijn",
            "orange blossom, peach and jasmine",
        ),
        1,
        (2495, 2995),
        false,
    ),
    coffee(
        "HUISMEL",
        "Huismelange Oudegracht",
        "House blend Oudegracht",
        (
            "chocolade, karamel en een zachte afdronk",
            "chocolate, caramel and a soft finish",
        ),
        2,
        (850, 950),
        true,
    ),
    coffee(
        "ESPDOM",
        "Espresso Domtoren",
        "Espresso Domtoren",
        (
            "pure chocolade en geroosterde noten, voor espresso en cappuccino",
            "dark chocolate and roasted nuts, for espresso and cappuccino",
        ),
        3,
        (895, 995),
        true,
    ),
    coffee(
        "ONTBIJT",
        "Ontbijtmelange Vroege Vogel",
        "Breakfast blend Early Bird",
        ("licht, fris en fruitig", "light, fresh and fruity"),
        1,
        (850, 950),
        true,
    ),
    coffee(
        "NACHTW",
        "Nachtwacht donkere melange",
        "Night Watch dark blend",
        ("stevig, rokerig, pure cacao", "bold, smoky, dark cocoa"),
        3,
        (850, 950),
        true,
    ),
];

/// Simple products: (code, Dutch, English, category, price range in cents, VAT, motif, colours,
/// retail goods with an EAN?, Dutch text, English text).
struct Simple {
    code: &'static str,
    nl: &'static str,
    en: &'static str,
    category: &'static str,
    price: (i64, i64),
    vat: VatRate,
    motif: Motif,
    colours: (&'static str, &'static str),
    ean: bool,
    text_nl: &'static str,
    text_en: &'static str,
}

#[allow(clippy::too_many_arguments)]
const fn simple(
    code: &'static str,
    nl: &'static str,
    en: &'static str,
    category: &'static str,
    price: (i64, i64),
    vat: VatRate,
    motif: Motif,
    colours: (&'static str, &'static str),
    ean: bool,
    text: (&'static str, &'static str),
) -> Simple {
    Simple {
        code,
        nl,
        en,
        category,
        price,
        vat,
        motif,
        colours,
        ean,
        text_nl: text.0,
        text_en: text.1,
    }
}

use Motif::{Cup, Gear, GiftBox, Plate, TeaTin};
use VatRate::{Reduced, Standard, Zero};

const SIMPLES: [Simple; 41] = [
    // Tea: sold in 100 g and 250 g tins (the size option is added below).
    simple(
        "EARLGR",
        "Earl Grey",
        "Earl Grey",
        "thee",
        (650, 750),
        Reduced,
        TeaTin,
        ("#3d5a80", "#e0c068"),
        true,
        (
            "Zwarte thee met bergamot uit Calabrië.",
            "Black tea with bergamot from Calabria.",
        ),
    ),
    simple(
        "SENCHA",
        "Sencha",
        "Sencha",
        "thee",
        (795, 895),
        Reduced,
        TeaTin,
        ("#6a994e", "#f2e8cf"),
        true,
        (
            "Japanse groene thee, grassig en fris.",
            "Japanese green tea, grassy and fresh.",
        ),
    ),
    simple(
        "ROOIBO",
        "Rooibos sinaasappel",
        "Rooibos orange",
        "thee",
        (595, 695),
        Reduced,
        TeaTin,
        ("#bc4b26", "#f4a261"),
        true,
        (
            "Cafeïnevrije rooibos met sinaasappelschil.",
            "Caffeine-free rooibos with orange peel.",
        ),
    ),
    simple(
        "DARJFF",
        "Darjeeling first flush",
        "Darjeeling first flush",
        "thee",
        (950, 1150),
        Reduced,
        TeaTin,
        ("#7b2d26", "#e9c46a"),
        true,
        (
            "Lichte voorjaarsoogst uit de Himalaya.",
            "Light spring harvest from the Himalayas.",
        ),
    ),
    simple(
        "CHAIMS",
        "Chai masala",
        "Chai masala",
        "thee",
        (695, 795),
        Reduced,
        TeaTin,
        ("#9c6644", "#ede0d4"),
        true,
        (
            "Zwarte thee met kardemom, gember en kaneel.",
            "Black tea with cardamom, ginger and cinnamon.",
        ),
    ),
    simple(
        "JASMIJ",
        "Jasmijnthee",
        "Jasmine tea",
        "thee",
        (750, 850),
        Reduced,
        TeaTin,
        ("#f1faee", "#a8dadc"),
        true,
        (
            "Groene thee, geparfumeerd met jasmijnbloesem.",
            "Green tea scented with jasmine blossom.",
        ),
    ),
    simple(
        "KAMILL",
        "Kamille",
        "Chamomile",
        "thee",
        (495, 595),
        Reduced,
        TeaTin,
        ("#f6bd60", "#f7ede2"),
        true,
        (
            "Hele kamillebloemen, voor de avond.",
            "Whole chamomile flowers, for the evening.",
        ),
    ),
    simple(
        "PEPMUN",
        "Pepermunt",
        "Peppermint",
        "thee",
        (495, 595),
        Reduced,
        TeaTin,
        ("#2a9d8f", "#e9f5db"),
        true,
        ("Krachtige pepermuntblaadjes.", "Strong peppermint leaves."),
    ),
    // Brewing gear.
    simple(
        "V60-02",
        "Hario V60 filterhouder 02",
        "Hario V60 dripper 02",
        "zetten",
        (2295, 2595),
        Standard,
        Gear,
        ("#e9e4dc", "#c0392b"),
        true,
        (
            "Keramische filterhouder voor 1 tot 4 koppen.",
            "Ceramic dripper for 1 to 4 cups.",
        ),
    ),
    simple(
        "V60PAP",
        "Hario V60 filterpapier 02 (100 stuks)",
        "Hario V60 paper filters 02 (100)",
        "zetten",
        (595, 695),
        Standard,
        Gear,
        ("#fdfcfa", "#b5a48b"),
        true,
        (
            "Witte filters, zonder papiersmaak.",
            "White filters, no papery taste.",
        ),
    ),
    simple(
        "CHEMEX",
        "Chemex 6 kops",
        "Chemex 6 cup",
        "zetten",
        (4995, 5495),
        Standard,
        Gear,
        ("#dfe7ea", "#8d6e63"),
        true,
        (
            "Glazen karaf met houten kraag.",
            "Glass carafe with wooden collar.",
        ),
    ),
    simple(
        "AEROPR",
        "AeroPress Original",
        "AeroPress Original",
        "zetten",
        (3995, 4495),
        Standard,
        Gear,
        ("#cfd8dc", "#37474f"),
        true,
        (
            "Snel, draagbaar en bijna onbreekbaar.",
            "Quick, portable and nearly unbreakable.",
        ),
    ),
    simple(
        "FRENCH",
        "French press 1 liter",
        "French press 1 litre",
        "zetten",
        (2995, 3495),
        Standard,
        Gear,
        ("#dfe6e9", "#2d3436"),
        true,
        (
            "Dubbelwandig roestvrij staal.",
            "Double-walled stainless steel.",
        ),
    ),
    simple(
        "C40MK4",
        "Comandante C40 handmolen",
        "Comandante C40 hand grinder",
        "zetten",
        (25900, 27900),
        Standard,
        Gear,
        ("#6d4c41", "#b0bec5"),
        true,
        (
            "Handmolen met stalen maalschijven, van espresso tot filter.",
            "Hand grinder with steel burrs, from espresso to filter.",
        ),
    ),
    simple(
        "ENCORE",
        "Baratza Encore elektrische molen",
        "Baratza Encore electric grinder",
        "zetten",
        (16900, 18900),
        Standard,
        Gear,
        ("#263238", "#90a4ae"),
        true,
        (
            "Betrouwbare instapmolen met 40 maalstanden.",
            "Reliable entry grinder with 40 settings.",
        ),
    ),
    simple(
        "MLKKAN",
        "Melkkan 600 ml",
        "Milk jug 600 ml",
        "zetten",
        (1995, 2295),
        Standard,
        Gear,
        ("#b0bec5", "#607d8b"),
        true,
        (
            "Voor latte art, met maatstreepjes.",
            "For latte art, with measuring marks.",
        ),
    ),
    simple(
        "WEEGSC",
        "Koffieweegschaal met timer",
        "Coffee scale with timer",
        "zetten",
        (3495, 3995),
        Standard,
        Gear,
        ("#212121", "#ffb300"),
        true,
        ("Weegt op 0,1 g nauwkeurig.", "Weighs to 0.1 g."),
    ),
    simple(
        "WATERK",
        "Waterkoker met zwanenhals",
        "Gooseneck kettle",
        "zetten",
        (5995, 6995),
        Standard,
        Gear,
        ("#37474f", "#cfd8dc"),
        true,
        (
            "Met temperatuurregeling voor filterkoffie.",
            "With temperature control for filter coffee.",
        ),
    ),
    simple(
        "KOPSET",
        "Dubbelwandige glazen (set van 2)",
        "Double-walled glasses (set of 2)",
        "zetten",
        (1895, 2195),
        Standard,
        Cup,
        ("#e3f2fd", "#90caf9"),
        true,
        (
            "Houden koffie warm en handen koel.",
            "Keep coffee hot and hands cool.",
        ),
    ),
    simple(
        "ONTKAL",
        "Ontkalker voor espressomachines",
        "Descaler for espresso machines",
        "zetten",
        (995, 1195),
        Standard,
        Gear,
        ("#e8f5e9", "#43a047"),
        true,
        (
            "Biologisch afbreekbaar, voor vier beurten.",
            "Biodegradable, four treatments.",
        ),
    ),
    // Lunchroom: sold through the delivery apps, no barcode, made fresh every day.
    simple(
        "BROKAA",
        "Broodje oude kaas",
        "Aged cheese sandwich",
        "broodjes",
        (595, 695),
        Reduced,
        Plate,
        ("#e9c46a", "#f4a261"),
        false,
        (
            "Desembrood met oude Goudse, mosterd en rucola.",
            "Sourdough with aged Gouda, mustard and rocket.",
        ),
    ),
    simple(
        "BROGEZ",
        "Broodje gezond",
        "Healthy sandwich",
        "broodjes",
        (650, 750),
        Reduced,
        Plate,
        ("#8ab17d", "#e76f51"),
        false,
        (
            "Kaas, ham, ei, tomaat, komkommer en sla.",
            "Cheese, ham, egg, tomato, cucumber and lettuce.",
        ),
    ),
    simple(
        "TOSTIH",
        "Tosti ham-kaas",
        "Ham and cheese toastie",
        "broodjes",
        (450, 550),
        Reduced,
        Plate,
        ("#f4a261", "#e9c46a"),
        false,
        (
            "Met zuurdesem en huisgemaakte chutney.",
            "With sourdough and home-made chutney.",
        ),
    ),
    simple(
        "CLUBKI",
        "Clubsandwich kip",
        "Chicken club sandwich",
        "broodjes",
        (895, 995),
        Reduced,
        Plate,
        ("#f6bd60", "#84a59d"),
        false,
        (
            "Kip, spek, ei en avocado op drie lagen brood.",
            "Chicken, bacon, egg and avocado on three layers of bread.",
        ),
    ),
    simple(
        "BAGZAL",
        "Bagel gerookte zalm",
        "Smoked salmon bagel",
        "broodjes",
        (850, 950),
        Reduced,
        Plate,
        ("#f28482", "#f5cac3"),
        false,
        (
            "Met roomkaas, kappertjes en rode ui.",
            "With cream cheese, capers and red onion.",
        ),
    ),
    simple(
        "SOEPDG",
        "Soep van de dag",
        "Soup of the day",
        "broodjes",
        (550, 650),
        Reduced,
        Plate,
        ("#e76f51", "#f4a261"),
        false,
        (
            "Vers gemaakt, met brood en boter.",
            "Made fresh, with bread and butter.",
        ),
    ),
    simple(
        "APPTRT",
        "Appeltaart",
        "Dutch apple pie",
        "gebak",
        (395, 450),
        Reduced,
        Plate,
        ("#d4a373", "#faedcd"),
        false,
        (
            "Hoge appeltaart met kaneel; slagroom apart.",
            "Deep apple pie with cinnamon; cream on the side.",
        ),
    ),
    simple(
        "BANBRD",
        "Bananenbrood",
        "Banana bread",
        "gebak",
        (325, 375),
        Reduced,
        Plate,
        ("#bc6c25", "#dda15e"),
        false,
        (
            "Met walnoten, zonder geraffineerde suiker.",
            "With walnuts, no refined sugar.",
        ),
    ),
    simple(
        "CARROT",
        "Carrot cake",
        "Carrot cake",
        "gebak",
        (425, 475),
        Reduced,
        Plate,
        ("#e76f51", "#fefae0"),
        false,
        ("Met roomkaasglazuur.", "With cream cheese frosting."),
    ),
    simple(
        "CHEESE",
        "New York cheesecake",
        "New York cheesecake",
        "gebak",
        (450, 495),
        Reduced,
        Plate,
        ("#fefae0", "#e63946"),
        false,
        ("Met rodevruchtencoulis.", "With red fruit coulis."),
    ),
    simple(
        "CROISS",
        "Roomboter croissant",
        "Butter croissant",
        "gebak",
        (250, 295),
        Reduced,
        Plate,
        ("#e9c46a", "#d4a373"),
        false,
        ("Elke ochtend vers gebakken.", "Baked fresh every morning."),
    ),
    simple(
        "FLATWH",
        "Flat white",
        "Flat white",
        "dranken",
        (395, 425),
        Reduced,
        Cup,
        ("#d9b99b", "#6f4e37"),
        false,
        (
            "Dubbele ristretto met fluweelzachte melk.",
            "Double ristretto with velvety milk.",
        ),
    ),
    simple(
        "JUSORA",
        "Verse jus d'orange",
        "Fresh orange juice",
        "dranken",
        (395, 450),
        Reduced,
        Cup,
        ("#f4a261", "#ffb703"),
        false,
        ("Per glas geperst.", "Squeezed per glass."),
    ),
    simple(
        "LIMONA",
        "Huisgemaakte limonade",
        "Home-made lemonade",
        "dranken",
        (350, 395),
        Reduced,
        Cup,
        ("#ffe66d", "#80ed99"),
        false,
        (
            "Citroen, munt en een beetje gember.",
            "Lemon, mint and a little ginger.",
        ),
    ),
    // Gifts.
    simple(
        "PROEF3",
        "Proefpakket 3 × 250 g",
        "Tasting set 3 × 250 g",
        "cadeaus",
        (2995, 3495),
        Reduced,
        GiftBox,
        ("#6f4e37", "#e9c46a"),
        true,
        (
            "Drie single origins van het seizoen, met proefnotities.",
            "Three seasonal single origins, with tasting notes.",
        ),
    ),
    simple(
        "BARBOX",
        "Cadeaubox barista",
        "Barista gift box",
        "cadeaus",
        (5995, 6995),
        Standard,
        GiftBox,
        ("#264653", "#e9c46a"),
        true,
        (
            "V60, filters, 250 g koffie en een kopje.",
            "V60, filters, 250 g of coffee and a cup.",
        ),
    ),
    simple(
        "BLIKVA",
        "Vacuümblik voor bonen",
        "Vacuum canister for beans",
        "zetten",
        (2495, 2795),
        Standard,
        Gear,
        ("#5d4037", "#d7ccc8"),
        true,
        (
            "Houdt 500 g bonen wekenlang vers.",
            "Keeps 500 g of beans fresh for weeks.",
        ),
    ),
    simple(
        "STROOP",
        "Stroopwafels (6 stuks)",
        "Stroopwafels (6 pieces)",
        "gebak",
        (395, 450),
        Reduced,
        Plate,
        ("#c68b59", "#8d5524"),
        true,
        (
            "Van de Goudse bakker om de hoek, om op je kop te leggen.",
            "From the Gouda baker next door, to warm on your cup.",
        ),
    ),
    simple(
        "COLDBR",
        "Cold brew (fles 330 ml)",
        "Cold brew (330 ml bottle)",
        "dranken",
        (395, 450),
        Reduced,
        Cup,
        ("#3e2723", "#bcaaa4"),
        false,
        (
            "Zestien uur koud getrokken, zacht en zoet.",
            "Steeped cold for sixteen hours, smooth and sweet.",
        ),
    ),
    simple(
        "BONBON",
        "Koffiebonbons (doosje van 9)",
        "Coffee chocolates (box of 9)",
        "cadeaus",
        (1295, 1495),
        Reduced,
        GiftBox,
        ("#4e342e", "#d4af37"),
        true,
        (
            "Pure chocolade gevuld met ganache van onze espresso.",
            "Dark chocolate filled with ganache of our espresso.",
        ),
    ),
    simple(
        "MOKAPT",
        "Moka pot 6 kops",
        "Moka pot 6 cup",
        "zetten",
        (3495, 3995),
        Standard,
        Gear,
        ("#9e9e9e", "#424242"),
        true,
        (
            "Klassieke Italiaanse percolator van aluminium.",
            "Classic Italian aluminium stovetop brewer.",
        ),
    ),
];

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

/// A random price in the range as shops price: small amounts end in 5 cents (€ 4,35), larger
/// ones in 95 cents (€ 43,95).
fn price_in(rng: &mut ChaCha8Rng, (lo, hi): (i64, i64)) -> i64 {
    let c = rng.random_range(lo..=hi);
    if c >= 2000 {
        to_95(c + 100)
    } else {
        (c / 10) * 10 + 5
    }
}

/// Rounds a price in cents to the nearest ",95" below it (e.g. 1873 -> 1795, 1899 -> 1895).
fn to_95(c: i64) -> i64 {
    let euros = (c - 95).max(0) / 100;
    euros * 100 + 95
}

/// Cost as a share of the price excluding VAT.
fn cost_of(rng: &mut ChaCha8Rng, price_cents: i64, vat: VatRate, share: (u32, u32)) -> Money {
    let excl = vat.excl(cents(price_cents));
    let pct = Decimal::from(rng.random_range(share.0..=share.1)) / Decimal::ONE_HUNDRED;
    Money::eur(excl * pct).round_half_even(2)
}

struct Eans {
    prefix: String,
    used: HashSet<String>,
}

impl Eans {
    fn next(&mut self, rng: &mut ChaCha8Rng) -> String {
        loop {
            let item: u32 = rng.random_range(0..100_000);
            let body = format!("{}{item:05}", self.prefix);
            if let Some(ean) = gtin::complete(&body) {
                if self.used.insert(ean.clone()) {
                    return ean;
                }
            }
        }
    }
}

fn handle(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let c = match c {
            'ë' | 'é' | 'è' => 'e',
            'ú' | 'ü' => 'u',
            'ï' => 'i',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn stock(rng: &mut ChaCha8Rng, shop: (i64, i64), warehouse: (i64, i64)) -> [i64; 2] {
    // One in twelve variants is sold out in the shop, so the demo shows what that looks like.
    let s = if rng.random_ratio(1, 12) {
        0
    } else {
        rng.random_range(shop.0..=shop.1)
    };
    [s, rng.random_range(warehouse.0..=warehouse.1)]
}

/// Generates the demo assortment for `seed`.
pub fn generate(seed: u64) -> Vec<DemoProduct> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // 87 is the GS1 prefix of the Netherlands; five more digits make the company prefix.
    let mut eans = Eans {
        prefix: format!("87{:05}", rng.random_range(10_000..100_000)),
        used: HashSet::new(),
    };
    let mut out = Vec::new();
    for c in &COFFEES {
        out.push(coffee_product(&mut rng, &mut eans, c));
    }
    for s in &SIMPLES {
        out.push(simple_product(&mut rng, &mut eans, s));
    }
    out.push(gift_card(&mut rng));
    // A few products are still being prepared.
    let mut idx: Vec<usize> = (0..out.len()).collect();
    idx.shuffle(&mut rng);
    for i in idx.into_iter().take(3) {
        if let Some(p) = out.get_mut(i) {
            p.active = false;
        }
    }
    out
}

const SIZES: [(&str, i64, i64); 3] = [
    ("250 g", 250, 100),
    ("500 g", 500, 185),
    ("1 kg", 1000, 340),
];
const GRINDS: [(&str, &str, &str); 3] = [
    ("BON", "Bonen", "Whole beans"),
    ("FIL", "Filtermaling", "Filter grind"),
    ("ESP", "Espressomaling", "Espresso grind"),
];

fn coffee_product(rng: &mut ChaCha8Rng, eans: &mut Eans, c: &Coffee) -> DemoProduct {
    let base = price_in(rng, c.price);
    let mut variants = Vec::new();
    for (size, grams, factor) in SIZES {
        let price = if factor == 100 {
            base
        } else {
            to_95(base * factor / 100)
        };
        let cost = cost_of(rng, price, Reduced, (38, 48));
        for (gcode, gnl, _) in GRINDS {
            variants.push(DemoVariant {
                sku: format!("KOF-{}-{}-{}", c.code, grams, gcode),
                gtin: Some(eans.next(rng)),
                options: vec![size.to_string(), gnl.to_string()],
                price: Money::eur(cents(price)),
                compare_at: None,
                cost: Some(cost),
                vat: Reduced,
                weight_grams: Some(grams + 20),
                stock: if gcode == "BON" {
                    stock(rng, (2, 18), (10, 80))
                } else {
                    stock(rng, (0, 8), (0, 30))
                },
            });
        }
    }
    let (colour, accent) = match c.roast {
        1 => ("#c98f3d", "#f1d9a7"),
        2 => ("#8c4a2f", "#d9a066"),
        _ => ("#3e2723", "#a1887f"),
    };
    let roast_nl = ["licht", "medium", "donker"][usize::from(c.roast.clamp(1, 3) - 1)];
    let roast_en = ["light", "medium", "dark"][usize::from(c.roast.clamp(1, 3) - 1)];
    let (label0, label1) = split_label(c.nl);
    let svg = super::art::svg(&Art {
        motif: Motif::CoffeeBag,
        colour,
        accent,
        label: [&label0, &label1],
    });
    let kind_nl = if c.blend { "Melange" } else { "Single origin" };
    let kind_en = if c.blend { "Blend" } else { "Single origin" };
    DemoProduct {
        handle: handle(c.nl),
        title_nl: c.nl.to_string(),
        title_en: c.en.to_string(),
        description_nl: format!(
            "{kind_nl}, {roast_nl} gebrand in onze branderij in Utrecht. In de kop: {}. \
             Verkrijgbaar als bonen of vers gemalen voor filter of espresso.",
            c.notes_nl
        ),
        description_en: format!(
            "{kind_en}, {roast_en} roasted in our Utrecht roastery. In the cup: {}. \
             Available as whole beans or freshly ground for filter or espresso.",
            c.notes_en
        ),
        brand: SHOP_NAME.to_string(),
        category: if c.blend { "melanges" } else { "origins" },
        active: true,
        tags: vec![
            "koffie".to_string(),
            format!("branding-{roast_nl}"),
            if c.blend { "melange" } else { "single-origin" }.to_string(),
        ],
        options: vec![
            ("Gewicht".to_string(), "Weight".to_string()),
            ("Maling".to_string(), "Grind".to_string()),
        ],
        variants,
        svg,
        alt_nl: format!("Zak koffie: {}", c.nl),
        alt_en: format!("Bag of coffee: {}", c.en),
    }
}

/// Splits a name over two label lines at the space nearest the middle.
fn split_label(name: &str) -> (String, String) {
    if name.chars().count() <= 14 {
        return (name.to_string(), String::new());
    }
    let mid = name.len() / 2;
    let split = name
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(mid));
    match split {
        Some(i) => (name[..i].to_string(), name[i + 1..].to_string()),
        None => (name.to_string(), String::new()),
    }
}

fn simple_product(rng: &mut ChaCha8Rng, eans: &mut Eans, s: &Simple) -> DemoProduct {
    let is_tea = s.category == "thee";
    let is_lunch = matches!(s.category, "broodjes" | "gebak" | "dranken");
    let base = price_in(rng, s.price);
    let cost_share = if is_lunch { (25, 35) } else { (45, 60) };
    let sizes: Vec<(&str, &str, i64, Option<i64>)> = if is_tea {
        vec![
            ("100 g", "100", base, Some(120)),
            ("250 g", "250", to_95(base * 220 / 100), Some(280)),
        ]
    } else {
        vec![("", "", base, None)]
    };
    let variants = sizes
        .into_iter()
        .map(|(label, code, price, weight)| DemoVariant {
            sku: if code.is_empty() {
                format!("{}-{}", prefix(s.category), s.code)
            } else {
                format!("{}-{}-{}", prefix(s.category), s.code, code)
            },
            gtin: s.ean.then(|| eans.next(rng)),
            options: if label.is_empty() {
                vec![]
            } else {
                vec![label.to_string()]
            },
            price: Money::eur(cents(price)),
            // Some gear is on sale: the old price is shown struck through.
            compare_at: (!is_lunch && !is_tea && rng.random_ratio(1, 6))
                .then(|| Money::eur(cents(to_95(price * 115 / 100)))),
            cost: Some(cost_of(rng, price, s.vat, cost_share)),
            vat: s.vat,
            weight_grams: weight.or((!is_lunch).then(|| rng.random_range(150..1500))),
            stock: if is_lunch {
                [rng.random_range(0..=24), 0]
            } else {
                stock(rng, (0, 10), (0, 40))
            },
        })
        .collect();
    let (l0, l1) = split_label(s.nl);
    DemoProduct {
        handle: handle(s.nl),
        title_nl: s.nl.to_string(),
        title_en: s.en.to_string(),
        description_nl: s.text_nl.to_string(),
        description_en: s.text_en.to_string(),
        brand: if is_lunch || is_tea || s.category == "cadeaus" {
            SHOP_NAME.to_string()
        } else {
            s.nl.split(' ').next().unwrap_or_default().to_string()
        },
        category: s.category,
        active: true,
        tags: vec![s.category.to_string()],
        options: if is_tea {
            vec![("Gewicht".to_string(), "Weight".to_string())]
        } else {
            vec![]
        },
        variants,
        svg: super::art::svg(&Art {
            motif: s.motif,
            colour: s.colours.0,
            accent: s.colours.1,
            label: [&l0, &l1],
        }),
        alt_nl: s.nl.to_string(),
        alt_en: s.en.to_string(),
    }
}

fn gift_card(rng: &mut ChaCha8Rng) -> DemoProduct {
    let variants = [15i64, 25, 50]
        .iter()
        .map(|v| DemoVariant {
            sku: format!("CAD-BON-{v}"),
            gtin: None,
            options: vec![format!("€ {v}")],
            price: Money::eur(Decimal::from(*v)),
            compare_at: None,
            // A voucher has no cost price: it is money the customer spends later.
            cost: None,
            // A multi-purpose voucher carries no VAT when sold; VAT is due when it is spent.
            vat: Zero,
            weight_grams: None,
            stock: [rng.random_range(20..60), 0],
        })
        .collect();
    DemoProduct {
        handle: "cadeaubon".to_string(),
        title_nl: "Cadeaubon".to_string(),
        title_en: "Gift card".to_string(),
        description_nl: "Te besteden in de winkel en in de webshop, een jaar geldig.".to_string(),
        description_en: "To spend in the shop and the webshop, valid for a year.".to_string(),
        brand: SHOP_NAME.to_string(),
        category: "cadeaus",
        active: true,
        tags: vec!["cadeaus".to_string()],
        options: vec![("Waarde".to_string(), "Value".to_string())],
        variants,
        svg: super::art::svg(&Art {
            motif: Motif::GiftBox,
            colour: "#e63946",
            accent: "#f1faee",
            label: ["Cadeaubon", ""],
        }),
        alt_nl: "Cadeaubon".to_string(),
        alt_en: "Gift card".to_string(),
    }
}

fn prefix(category: &str) -> &'static str {
    match category {
        "thee" => "THE",
        "zetten" => "ZET",
        "broodjes" | "gebak" | "dranken" => "LUN",
        _ => "CAD",
    }
}
