//! Reading the catalog for lists and pages. Prices are compared as decimals in Rust, never as
//! text or floats in SQL (TEXT '9.50' sorts after '12.00').

use super::ProductStatus;
use crate::ids::{CategoryId, ProductId};
use crate::money::{Currency, Money};
use crate::settings::Language;
use crate::store::search::fold;
use crate::{Error, Result};
use rusqlite::types::{Type, Value};
use rusqlite::{params_from_iter, OptionalExtension, Statement, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

/// What part of the catalog to list, and in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct ProductQuery {
    /// What the merchant typed: every word must appear in a title (Dutch or English), the
    /// brand, a tag, the handle or a SKU/EAN, also inside a longer word ("bonen" finds
    /// "koffiebonen").
    pub search: Option<String>,
    pub status: Option<ProductStatus>,
    /// Only this category and the categories below it.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub category: Option<CategoryId>,
    pub stock: Option<StockFilter>,
    pub channel: Option<ChannelFilter>,
    /// Only products listed on a channel that has not had their latest edit yet.
    pub changed_since_publish: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// The language whose titles the list is sorted by (Dutch when not given).
    pub language: Option<Language>,
    pub offset: u32,
    pub limit: u32,
}

/// Products by how much stock they have in all (every variant, every location).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StockFilter {
    /// At least one unit.
    InStock,
    /// Between 1 and [`LOW_STOCK`] units: time to reorder.
    Low,
    /// None left (or less: a sale the shop could not cover).
    OutOfStock,
}

/// "Low stock" means this many units or fewer, but more than none.
pub const LOW_STOCK: i64 = 5;

/// Products that are (or are not) listed on one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChannelFilter {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub channel: i64,
    /// `true`: only products listed there; `false`: only products not (yet) listed there.
    pub listed: bool,
}

/// The order of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// By title in the query's language, A to Z.
    #[default]
    Title,
    /// By the last change, oldest first.
    Updated,
    /// By stock in all, least first.
    Stock,
}

/// One product as the catalog list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: ProductId,
    pub handle: String,
    pub title_nl: String,
    pub title_en: String,
    pub category_nl: Option<String>,
    pub category_en: Option<String>,
    pub status: ProductStatus,
    pub variant_count: u32,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stock_total: i64,
    pub image_hash: Option<String>,
    pub skus: Vec<String>,
    /// When the product itself last changed (RFC 3339).
    pub updated_at: String,
}

/// A page of the product list and the number of products that match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProductPage {
    /// How many products match; with `capped`, at least this many ([`SEARCH_COUNT_CAP`]).
    pub total: u32,
    /// `true` when a search matches more than [`SEARCH_COUNT_CAP`] products: counting them all
    /// would make every letter typed wait for the whole catalog, so the list shows "10,000+"
    /// and scrolls through the first [`SEARCH_COUNT_CAP`] (typing more narrows it down).
    pub capped: bool,
    pub rows: Vec<ProductRow>,
}

/// A search counts its matches up to this many (see [`ProductPage::capped`]). Filters without
/// a search are always counted exactly.
pub const SEARCH_COUNT_CAP: u32 = 10_000;

/// A search with up to this many matches sorts them for the page; one with more walks the
/// list's sort order and takes the first that match, which is cheaper once matches are common.
const SORT_MATCHES_MAX: u32 = 2_000;

/// `true` when the catalog has no products (the app then offers the demo shop).
pub fn is_empty(tx: &Transaction<'_>) -> Result<bool> {
    Ok(
        tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM products)", [], |r| {
            r.get(0)
        })?,
    )
}

/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 1000;

/// Sum of a product's stock over its variants and locations, as SQL on `p`: a column that
/// triggers on `stock` and `variants` keep (schema v4), indexed for the stock filter and sort.
const STOCK_TOTAL: &str = "p.stock_total";

/// Whether `q` filters by anything besides the search.
fn has_filters(q: &ProductQuery) -> bool {
    q.status.is_some()
        || q.category.is_some()
        || q.stock.is_some()
        || q.channel.is_some()
        || q.changed_since_publish
}

/// The `WHERE` clause and its arguments for a query's filters. With `walk`, the filters are
/// only checked row by row (a unary `+` keeps SQLite from using their indexes), so SQLite walks
/// the sort order's index instead of looking up every match and sorting them all.
fn filter_sql(q: &ProductQuery, walk: bool) -> (String, Vec<Value>) {
    filter_sql_with(q, walk, true)
}

/// [`filter_sql`], with the search left out when `with_search` is false.
fn filter_sql_with(q: &ProductQuery, walk: bool, with_search: bool) -> (String, Vec<Value>) {
    let plus = if walk { "+" } else { "" };
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        args.len()
    };
    if let Some(status) = q.status {
        let n = arg(Value::Text(status.code().to_string()), &mut args);
        conditions.push(format!("{plus}p.status = ?{n}"));
    }
    if let Some(category) = q.category {
        let n = arg(Value::Integer(category.0), &mut args);
        conditions.push(format!(
            "{plus}p.category_id IN (WITH RECURSIVE tree(id) AS (
                 SELECT ?{n} UNION SELECT c.id FROM categories c JOIN tree t ON c.parent_id = t.id)
               SELECT id FROM tree)"
        ));
    }
    match q.stock {
        Some(StockFilter::InStock) => conditions.push(format!("{plus}{STOCK_TOTAL} > 0")),
        Some(StockFilter::Low) => {
            conditions.push(format!("{plus}{STOCK_TOTAL} BETWEEN 1 AND {LOW_STOCK}"))
        }
        Some(StockFilter::OutOfStock) => conditions.push(format!("{plus}{STOCK_TOTAL} <= 0")),
        None => {}
    }
    if let Some(ChannelFilter { channel, listed }) = q.channel {
        let n = arg(Value::Integer(channel), &mut args);
        let not = if listed { "" } else { "NOT " };
        conditions.push(format!(
            "{not}EXISTS (SELECT 1 FROM listings l WHERE l.channel_id = ?{n}
                 AND l.product_id = p.id AND l.state <> 'unpublished')"
        ));
    }
    if q.changed_since_publish {
        // Listed somewhere with an edit that channel has not had yet: `listings.pending` holds
        // publish's counter test (`publish::LISTING_COUNTER_SQL`), kept by triggers (schema
        // v10), and a partial index lists exactly those listings.
        conditions.push(format!(
            "{plus}p.id IN (SELECT l.product_id FROM listings l
                             WHERE l.pending = 1 AND l.state <> 'unpublished')"
        ));
    }
    let search = if with_search {
        search_match(q.search.as_deref().unwrap_or(""))
    } else {
        Vec::new()
    };
    for (table, expr) in search {
        let n = arg(Value::Text(expr), &mut args);
        conditions.push(format!(
            "{plus}p.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?{n})"
        ));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (filter, args)
}

/// The full-text queries for what was typed, as (table, FTS5 query) pairs; every word must
/// match. Words of three letters or more go to the trigram index `catalog_search` (anywhere in
/// a title, the brand, a tag, the handle or a SKU/EAN); shorter words to `catalog_words` (the
/// start of a word in a title, or of a SKU). Each word is a quoted string, so nothing typed is
/// read as FTS syntax.
fn search_match(search: &str) -> Vec<(&'static str, String)> {
    let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    let mut long = Vec::new();
    let mut short = Vec::new();
    for word in search.split_whitespace() {
        let folded = fold(word);
        if folded.chars().count() >= 3 {
            // The trigram index holds folded text and compares case and accents exactly.
            long.push(quote(&folded));
        } else {
            short.push(format!("{}*", quote(word)));
        }
    }
    let mut out = Vec::new();
    if !long.is_empty() {
        out.push(("catalog_search", long.join(" ")));
    }
    if !short.is_empty() {
        out.push(("catalog_words", short.join(" ")));
    }
    out
}

/// How many products match `q`.
struct Count {
    total: u32,
    /// Counting stopped at [`SEARCH_COUNT_CAP`] (a search only).
    capped: bool,
    /// The matching products, when filters leave at most [`SORT_MATCHES_MAX`]: the page is
    /// then sorted from these instead of evaluating the filters a second time.
    few: Option<Vec<i64>>,
    /// The hits of a search without filters that were read to count them: the page is then
    /// found without reading them again.
    hits: Option<Hits>,
}

/// Hits of one full-text index, read in rowid order to count them.
struct Hits {
    /// The hits read, lowest rowid first.
    ids: Vec<i64>,
    /// `false` when counting stopped past [`SEARCH_COUNT_CAP`]: the index has more hits, all
    /// with a rowid above the last of `ids` (a search then reads only those, not these again).
    complete: bool,
}

/// Counts the products matching `q`.
fn count(tx: &Transaction<'_>, q: &ProductQuery) -> Result<Count> {
    let search = search_match(q.search.as_deref().unwrap_or(""));
    if has_filters(q) {
        let (filter, mut args) = filter_sql(q, false);
        args.push(Value::Integer(i64::from(SORT_MATCHES_MAX) + 1));
        let ids = tx
            .prepare(&format!(
                "SELECT p.id FROM products p {filter} LIMIT ?{}",
                args.len()
            ))?
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        if ids.len() <= SORT_MATCHES_MAX as usize {
            return Ok(Count {
                total: u32::try_from(ids.len()).unwrap_or(SORT_MATCHES_MAX),
                capped: false,
                few: Some(ids),
                hits: None,
            });
        }
    }
    let (total, capped, hits) = count_many(tx, q, &search)?;
    Ok(Count {
        total,
        capped,
        few: None,
        hits,
    })
}

/// Counts the products matching `q` when there may be many; a search stops at
/// [`SEARCH_COUNT_CAP`]. A search without filters keeps the hits it counted (see
/// [`Count::hits`]).
fn count_many(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    search: &[(&'static str, String)],
) -> Result<(u32, bool, Option<Hits>)> {
    if search.is_empty() {
        let (filter, args) = filter_sql(q, false);
        let total = tx.query_row(
            &format!("SELECT count(*) FROM products p {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        return Ok((total, false, None));
    }
    let over = i64::from(SEARCH_COUNT_CAP) + 1;
    let mut hits = None;
    let found: u32 = match search {
        // The search alone: read the index's rows (one per product) in rowid order until
        // past the cap. A long word's phrase check is most of a search's time, so the hits
        // are kept for the page instead of being read a second time; past the cap, the page
        // reads only the hits after the last one counted (FTS5 starts a rowid range at its
        // first rowid, without checking the ones before).
        [(table, expr)] if !has_filters(q) => {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid LIMIT ?2"
            ))?;
            let ids = stmt
                .query_map(rusqlite::params![expr, over], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            let found = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            hits = Some(Hits {
                ids,
                complete: found <= SEARCH_COUNT_CAP,
            });
            found
        }
        _ => {
            let (filter, mut args) = filter_sql(q, false);
            args.push(Value::Integer(over));
            tx.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT 1 FROM products p {filter} LIMIT ?{})",
                    args.len()
                ),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?
        }
    };
    Ok(if found > SEARCH_COUNT_CAP {
        (SEARCH_COUNT_CAP, true, hits)
    } else {
        (found, false, hits)
    })
}

/// Lists products matching `q`, in the order it asks for. A broad search in title order walks
/// the title index in SQL; [`list_products_with`] walks a title order kept in memory instead.
pub fn list_products(tx: &Transaction<'_>, q: &ProductQuery) -> Result<ProductPage> {
    list_page(tx, q, None)
}

/// [`list_products`], with the product ids in title order kept in `orders` between calls (the
/// store keeps one: [`crate::store::Store::title_orders`]). A search that matches many products
/// and has no other filter, listed by title, then finds its page in that order in memory,
/// where walking the title index 50,000 products deep cost ~20 ms.
pub fn list_products_with(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    orders: &TitleOrders,
) -> Result<ProductPage> {
    list_page(tx, q, Some(orders))
}

/// The product ids of the catalog in title order, per language, kept between searches (see
/// [`list_products_with`]). Never stale: each is kept with the value of the counter that
/// triggers bump whenever a product is added or removed or a title (or id) changes (schema
/// v17, `title_order_counter`), in the same transaction as the change, by this program or any
/// other. Every use reads that one row in the caller's snapshot and reads the order again
/// when it differs, so the order used is always the one the snapshot's title index gives.
#[derive(Default)]
pub struct TitleOrders {
    /// Dutch, English.
    kept: Mutex<[Option<Arc<TitleOrder>>; 2]>,
}

impl std::fmt::Debug for TitleOrders {
    /// The counters and sizes, not 100,000 ids (a `Store` is printed with them).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.lock();
        let [nl, en] = kept
            .each_ref()
            .map(|o| o.as_ref().map(|o| (o.counter, o.ids.len())));
        f.debug_struct("TitleOrders")
            .field("nl (counter, products)", &nl)
            .field("en (counter, products)", &en)
            .finish()
    }
}

/// One language's title order, as read at one counter value.
struct TitleOrder {
    /// `title_order_counter.n` in the snapshot the order was read in.
    counter: i64,
    /// Every product's id, by title A to Z (`COLLATE NOCASE`), then by id: [`order_sql`]'s
    /// title order. Z to A is exactly this backwards (both keys reversed).
    ids: Vec<i64>,
}

impl TitleOrders {
    /// Reads `language`'s title order again if the catalog's titles changed since it was kept,
    /// so that the next search does not pay for it (the window calls this in the background
    /// after showing a page). Only kept when `tx` is a read-only connection's (see
    /// [`TitleOrders::get`]'s rule).
    pub fn warm(&self, tx: &Transaction<'_>, language: Option<Language>) -> Result<()> {
        self.get(tx, language).map(drop)
    }

    /// The title order of `language` (Dutch when not given) as `tx` sees the catalog.
    fn get(&self, tx: &Transaction<'_>, language: Option<Language>) -> Result<Arc<TitleOrder>> {
        let slot = usize::from(language == Some(Language::En));
        let counter: i64 = tx
            .prepare_cached("SELECT n FROM title_order_counter")?
            .query_row([], |r| r.get(0))?;
        if let Some(order) = self.lock()[slot].as_ref() {
            if order.counter == counter {
                return Ok(Arc::clone(order));
            }
        }
        // Read with the list's own ORDER BY, so the two cannot differ.
        let by_title = ProductQuery {
            sort: SortKey::Title,
            descending: false,
            language,
            ..ProductQuery::default()
        };
        let ids = tx
            .prepare(&format!(
                "SELECT p.id FROM products p ORDER BY {}",
                order_sql(&by_title, "")
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let order = Arc::new(TitleOrder { counter, ids });
        // Kept only when read on a read-only connection: there it is a committed state, and
        // committed counters only grow. A write transaction's own uncommitted changes may be
        // rolled back, and a later change could then commit the same counter value with
        // another order. A lower counter is an older snapshot still being read: the newer
        // order stays.
        let read_only: bool = tx.query_row("PRAGMA query_only", [], |r| r.get(0))?;
        if read_only {
            let mut kept = self.lock();
            if kept[slot].as_ref().is_none_or(|o| o.counter < counter) {
                kept[slot] = Some(Arc::clone(&order));
            }
        }
        Ok(order)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [Option<Arc<TitleOrder>>; 2]> {
        // The orders are replaced whole, so a panic elsewhere cannot leave one half written.
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The products in the list's order for a walk, one at a time: from a kept title order, or
/// from SQL (the sort order's index, the other filters checked row by row).
enum Walk<'a> {
    Kept(Box<dyn Iterator<Item = i64> + 'a>),
    Sql(rusqlite::Rows<'a>),
}

impl<'a> Walk<'a> {
    /// Starts the walk of `q`'s order: in `kept` when given (which must be `q`'s title
    /// order), else with a statement kept in `stmt`.
    fn start<'c: 'a>(
        tx: &'c Transaction<'_>,
        q: &ProductQuery,
        kept: Option<&'a TitleOrder>,
        stmt: &'a mut Option<Statement<'c>>,
    ) -> Result<Walk<'a>> {
        if let Some(order) = kept {
            return Ok(Walk::Kept(if q.descending {
                Box::new(order.ids.iter().rev().copied())
            } else {
                Box::new(order.ids.iter().copied())
            }));
        }
        let (filter, args) = filter_sql_with(q, true, false);
        let stmt = stmt.insert(tx.prepare(&format!(
            "SELECT p.id FROM products p {} {filter} ORDER BY {}",
            walk_hint(q),
            order_sql(q, "")
        ))?);
        Ok(Walk::Sql(stmt.query(params_from_iter(args.iter()))?))
    }

    fn next(&mut self) -> Result<Option<i64>> {
        match self {
            Walk::Kept(ids) => Ok(ids.next()),
            Walk::Sql(rows) => match rows.next()? {
                Some(r) => Ok(Some(r.get(0)?)),
                None => Ok(None),
            },
        }
    }
}

/// The page of `q` (see [`list_products`]), walking a kept title order from `orders` where it
/// applies.
fn list_page(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    orders: Option<&TitleOrders>,
) -> Result<ProductPage> {
    let Count {
        total,
        capped,
        mut few,
        hits,
    } = count(tx, q)?;
    let searching = !search_match(q.search.as_deref().unwrap_or("")).is_empty();
    // Few matches: look them up and sort them. Many matches: walk the sort order's index and
    // check each row (SQLite's planner cannot tell the two apart, so say which).
    let limit = q.limit.clamp(1, MAX_PAGE);
    // A search with many matches: check the products in the list's order one by one against
    // the full-text index until the page is full (see `walk_search`), instead of reading every
    // hit. `None` when that would check too many (a deep page, or the matches lie far down
    // the order): then the hits are read after all.
    let walked = if searching && few.is_none() && total > SORT_MATCHES_MAX {
        // The search alone, by title: its order is kept in memory.
        let kept = match orders {
            Some(orders) if !has_filters(q) && q.sort == SortKey::Title => {
                Some(orders.get(tx, q.language)?)
            }
            _ => None,
        };
        let kept = kept.as_deref();
        match walk_search(tx, q, total, limit, hits.as_ref(), kept)? {
            Some(page) => Some(page),
            None => Some(walk_hits(tx, q, limit, hits.as_ref(), kept)?),
        }
    } else {
        None
    };
    // Few hits, all read by the count: sort those instead of asking the index again.
    if walked.is_none() && few.is_none() && total <= SORT_MATCHES_MAX {
        if let Some(Hits {
            ids,
            complete: true,
        }) = hits
        {
            few = Some(ids);
        }
    }
    let sort_matches =
        walked.is_some() || (searching || has_filters(q)) && total <= SORT_MATCHES_MAX;
    let offset = if walked.is_some() { 0 } else { q.offset };
    let (filter, args) = match walked.or(few) {
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            (
                "WHERE p.id IN (SELECT value FROM json_each(?1))".to_string(),
                vec![Value::Text(format!("[{}]", list.join(",")))],
            )
        }
        None => filter_sql(q, !sort_matches),
    };

    let mut page_args = args.clone();
    page_args.push(Value::Integer(i64::from(limit)));
    page_args.push(Value::Integer(i64::from(offset)));
    let (nl, off) = (page_args.len() - 1, page_args.len());
    // The same order twice: for the page's ids and for their rows. For the ids, a unary `+`
    // keeps SQLite from walking an index in that order when sorting the matches is cheaper.
    let (page_order, order) = (
        order_sql(q, if sort_matches { "+" } else { "" }),
        order_sql(q, ""),
    );
    let hint = if sort_matches { "" } else { walk_hint(q) };
    // The page's ids first, then their details: skipping to row 90,000 then walks the sort
    // order's index only, without reading 90,000 rows and their categories.
    let sql = format!(
        "SELECT p.id, p.handle, p.title_nl, p.title_en, c.name_nl, c.name_en, p.status,
                {STOCK_TOTAL},
                (SELECT coalesce(m.thumb_hash, i.image_hash) FROM product_images i
                   JOIN images m ON m.hash = i.image_hash
                  WHERE i.product_id = p.id ORDER BY i.position LIMIT 1),
                p.updated_at
           FROM (SELECT p.id FROM products p {hint} {filter}
                  ORDER BY {page_order} LIMIT ?{nl} OFFSET ?{off}) page
           CROSS JOIN products p ON p.id = page.id
           LEFT JOIN categories c ON c.id = p.category_id
          ORDER BY {order}"
    );
    let mut stmt = tx.prepare(&sql)?;
    let mut rows = stmt
        .query_map(params_from_iter(page_args.iter()), |r| {
            Ok(ProductRow {
                id: r.get(0)?,
                handle: r.get(1)?,
                title_nl: r.get(2)?,
                title_en: r.get(3)?,
                category_nl: r.get(4)?,
                category_en: r.get(5)?,
                // A status this version does not know is damaged data, not a draft.
                status: ProductStatus::from_str(&r.get::<_, String>(6)?).map_err(|m| {
                    rusqlite::Error::FromSqlConversionFailure(6, Type::Text, m.into())
                })?,
                variant_count: 0,
                price_min: None,
                price_max: None,
                stock_total: r.get(7)?,
                image_hash: r.get(8)?,
                skus: Vec::new(),
                updated_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    fill_variant_facts(tx, &mut rows)?;
    Ok(ProductPage {
        total,
        capped,
        rows,
    })
}

/// The list's order as SQL on `p`; `plus` ("+" or "") before each column keeps SQLite from
/// walking an index in that order when sorting the matches is cheaper.
fn order_sql(q: &ProductQuery, plus: &str) -> String {
    let title_column = match q.language {
        Some(Language::En) => "p.title_en",
        _ => "p.title_nl",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let title = format!("{plus}{title_column} COLLATE NOCASE");
    match q.sort {
        SortKey::Title => format!("{title} {dir}, p.id {dir}"),
        SortKey::Updated => format!("{plus}p.updated_at {dir}, p.id {dir}"),
        SortKey::Stock => format!("{plus}{STOCK_TOTAL} {dir}, {title}, p.id"),
    }
}

/// Left to itself, SQLite sorts the whole catalog for the stock order; the index on the stock
/// total gives it in order, leaving only products with equal stock to sort.
fn walk_hint(q: &ProductQuery) -> &'static str {
    if q.sort == SortKey::Stock {
        "INDEXED BY products_stock"
    } else {
        ""
    }
}

/// At most this many products are checked one by one for a page of a broad search (each
/// check reads one row of the index's stored text, about a microsecond).
const WALK_CHECKS_MAX: u64 = 2_000;

/// The page of a search with many matches (`total` counted, perhaps capped), found by walking
/// the products in the list's order (the sort order's index, the other filters checked row by
/// row) and checking each one's folded text as the trigram index holds it, until the page is
/// full. A word in most products ("koffie", the "870" every EAN starts with) then costs about a
/// page's worth of look-ups, where reading its hits meant reading up to a whole catalog's. The
/// index holds the same folded text and compares it exactly, so the page is the same as the
/// hits' (`core/tests/catalog_search_scale.rs` checks it against a brute-force reading).
///
/// `counted` are the hits the count read (see [`Hits`]): a product up to the last of them is a
/// hit exactly when it is among them, so only products after it are checked against their
/// text, and only those checks count towards the limit. Matches that lie together far down
/// the order ("melange") then cost a walk of the order's index to them, without checking
/// their text or reading their hits again.
///
/// A word of one or two letters cannot be checked against the text (the word index's
/// tokenizer decides what it matches): in a kept order such products are checked by asking
/// the indexes about each one ([`Check::Index`], at most [`LOOKUPS_MAX`]); without one the walk
/// gives up.
///
/// `None` when the matches are too rare for the page asked (a deep page, or matches lying far
/// down the order), or a short word without a kept order: walking would check more than
/// [`WALK_CHECKS_MAX`] products; [`walk_hits`] reads the hits then. With `counted`, reaching
/// that limit reads the rest of the hits instead and the same walk goes on.
fn walk_search(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    total: u32,
    limit: u32,
    counted: Option<&Hits>,
    kept: Option<&TitleOrder>,
) -> Result<Option<Vec<i64>>> {
    let words: Vec<String> = q
        .search
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(fold)
        .collect();
    if words.is_empty() {
        return Ok(None);
    }
    // Words of one or two letters go to the word index, whose tokenizer this cannot repeat on
    // the stored text: a product is then checked by asking the indexes themselves about that
    // one product (`Check::Index`, ten times the cost of a text check), which only pays in a
    // kept order, where the walk itself is free and the checks needed are known up front.
    let check = if words.iter().all(|w| w.chars().count() >= 3) {
        Check::Text
    } else if kept.is_some() {
        Check::Index
    } else {
        return Ok(None);
    };
    let checks_max = match check {
        Check::Text => WALK_CHECKS_MAX,
        Check::Index => LOOKUPS_MAX,
    };
    let products: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM products", [], |r| {
        r.get(0)
    })?;
    let wanted = u64::from(q.offset) + u64::from(limit);
    // How many products the page is expected to take, at the density the count found (it is
    // at least that dense when the count was capped), with room for uneven spread.
    let expected = wanted * u64::try_from(products).unwrap_or(0) / u64::from(total.max(1));
    // (A kept order decides below, knowing what the page costs.)
    if kept.is_none() && expected.saturating_mul(2) > WALK_CHECKS_MAX {
        return Ok(None);
    }
    // The ids alone in the list's order (the other filters checked row by row), then each
    // checked against the index with a statement of its own: in the stock order SQLite sorts
    // products of equal stock before handing out the first, and a check inside the walk
    // would run for every one of them.
    let mut stmt = None;
    let mut ids = Walk::start(tx, q, kept, &mut stmt)?;
    // The product's folded text, as the trigram index holds it: a typed word matches where
    // it lies inside one of its columns, exactly what the index's phrase query asks. Read from
    // the index's own content table (FTS5 keeps the columns as c0.. by rowid `id`): through
    // the full-text table itself each look-up costs ten times as much.
    let mut text =
        tx.prepare_cached("SELECT c0, c1, c2, c3 FROM catalog_search_content WHERE id = ?1")?;
    let search = search_match(q.search.as_deref().unwrap_or(""));
    // The counted hits as a set, and the last product they say everything about.
    let (mut known, mut known_up_to) = match counted {
        Some(Hits { ids, complete }) => {
            let mut set = vec![false; usize::try_from(products).unwrap_or(0) + 1];
            for id in ids {
                if let Some(m) = usize::try_from(*id).ok().and_then(|i| set.get_mut(i)) {
                    *m = true;
                }
            }
            let up_to = if *complete {
                i64::MAX
            } else {
                ids.last().copied().unwrap_or(0)
            };
            (set, up_to)
        }
        None => (Vec::new(), 0),
    };
    // In a kept order the walk itself costs nothing, so what the page costs is known before
    // walking: the products after the last counted hit that lie before the place where the
    // counted hits alone would fill the page must be checked one by one, or the rest of the
    // hits read. Whichever is cheaper is done. ("melange": ~20,000 unknown products before
    // its hits, 45,000 deep, against ~10,000 hits to read.)
    // (Looking products up in the index is left to the limit below: a short word is mostly a
    // common one, and this reckoning assumes none of the products checked is a hit.)
    if let (
        Check::Text,
        Some(order),
        Some(Hits {
            ids: counted_ids,
            complete: false,
        }),
    ) = (check, kept, counted)
    {
        let unknown = unknown_before_page(order, q.descending, &known, known_up_to, wanted);
        let last = counted_ids.last().copied().unwrap_or(0);
        // The hits not read yet, at the density (by id) the count read them with.
        let rest = u64::try_from(counted_ids.len()).unwrap_or(0)
            * u64::try_from(products - last).unwrap_or(0)
            / u64::try_from(last.max(1)).unwrap_or(1);
        if unknown.saturating_mul(CHECK_COST_IN_HITS) > rest {
            if !read_rest(tx, q, counted, &mut known)? {
                return Ok(None);
            }
            known_up_to = i64::MAX;
        }
    }
    let (mut checked, mut skipped, mut page) = (0u64, 0u32, Vec::new());
    while let Some(id) = ids.next()? {
        let hit = if id <= known_up_to {
            usize::try_from(id)
                .ok()
                .and_then(|i| known.get(i))
                .is_some_and(|m| *m)
        } else if checked >= checks_max {
            // Too many checks: with the count's hits at hand, read the rest of them (those
            // after the last one counted) and go on with the same walk; else give up.
            if !read_rest(tx, q, counted, &mut known)? {
                return Ok(None);
            }
            known_up_to = i64::MAX;
            usize::try_from(id)
                .ok()
                .and_then(|i| known.get(i))
                .is_some_and(|m| *m)
        } else {
            checked += 1;
            match check {
                Check::Text => {
                    let columns: Option<[String; 4]> = text
                        .query_row([id], |t| Ok([t.get(0)?, t.get(1)?, t.get(2)?, t.get(3)?]))
                        .optional()?;
                    columns.is_some_and(|columns| {
                        words
                            .iter()
                            .all(|w| columns.iter().any(|c| c.contains(w.as_str())))
                    })
                }
                Check::Index => is_hit(tx, &search, id)?,
            }
        };
        if !hit {
            continue;
        }
        if skipped < q.offset {
            skipped += 1;
        } else {
            page.push(id);
            if page.len() >= limit as usize {
                break;
            }
        }
    }
    Ok(Some(page))
}

/// Marks in `known` the hits of `q`'s one full-text index after the last one `counted` holds
/// (see [`mark_hits_after`]); `false` when there is no such count to go on from.
fn read_rest(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    counted: Option<&Hits>,
    known: &mut [bool],
) -> Result<bool> {
    let search = search_match(q.search.as_deref().unwrap_or(""));
    let (Some(Hits { ids: counted, .. }), [(table, expr)]) = (counted, search.as_slice()) else {
        return Ok(false);
    };
    let last = counted.last().copied().unwrap_or(0);
    mark_hits_after(tx, table, expr, last, &mut |hit| {
        if let Some(m) = usize::try_from(hit).ok().and_then(|i| known.get_mut(i)) {
            *m = true;
        }
    })?;
    Ok(true)
}

/// How many products in `order` (backwards when `descending`) lie after `known_up_to` (not
/// known to be hits or not) before the place where the products `known` as hits fill a page
/// that ends `wanted` hits into the list (or in all, when they never do). Exactly those would
/// be checked one by one at most: the page ends there or earlier.
fn unknown_before_page(
    order: &TitleOrder,
    descending: bool,
    known: &[bool],
    known_up_to: i64,
    wanted: u64,
) -> u64 {
    let ids: Box<dyn Iterator<Item = &i64>> = if descending {
        Box::new(order.ids.iter().rev())
    } else {
        Box::new(order.ids.iter())
    };
    let (mut unknown, mut found) = (0u64, 0u64);
    for &id in ids {
        if id > known_up_to {
            unknown += 1;
        } else if usize::try_from(id)
            .ok()
            .and_then(|i| known.get(i))
            .is_some_and(|m| *m)
        {
            found += 1;
            if found >= wanted {
                break;
            }
        }
    }
    unknown
}

/// What checking one product's text costs, in hits of the full-text index read (measured on
/// the catalog bench: ~5 µs a check, ~0.6 µs a hit).
const CHECK_COST_IN_HITS: u64 = 8;

/// How [`walk_search`] tells whether a product it walks past is a hit.
#[derive(Clone, Copy)]
enum Check {
    /// Its folded text, as the trigram index holds it, contains every word.
    Text,
    /// Each full-text index the search asks finds it ([`is_hit`]).
    Index,
}

/// At most this many products are looked up in the indexes for one page (~35–50 µs each for
/// a one-letter prefix such as `n*` on the catalog bench's data file, so ~6 ms; reading the
/// rest of that prefix's hits costs about as much). A page of 100 where four products in five
/// match takes 125.
const LOOKUPS_MAX: u64 = 150;

/// `true` when product `id` matches every one of `search`'s full-text queries: FTS5 answers
/// a `rowid =` constraint by seeking each term's list to that row, without reading the hits
/// before it. The index's own answer, so exactly what reading the hits would say.
fn is_hit(tx: &Transaction<'_>, search: &[(&'static str, String)], id: i64) -> Result<bool> {
    for (table, expr) in search {
        let found = tx
            .prepare_cached(&format!(
                "SELECT 1 FROM {table} WHERE {table} MATCH ?1 AND rowid = ?2"
            ))?
            .query_row(rusqlite::params![expr, id], |_| Ok(()))
            .optional()?;
        if found.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The page of a search with many matches when [`walk_search`] gives up: every hit of the
/// full-text indexes is read once into a set, then the products are walked in the list's
/// order (the other filters checked row by row) and the first that are in the set make the
/// page. Matches that lie together far down the order ("melange" in titles that all start
/// with "Huismelange") cost one pass over the order's index up to them, instead of one
/// look-up per hit.
///
/// `counted` are the hits of the search's one index that the count read already (see
/// [`Hits`]); only the rest are read.
fn walk_hits(
    tx: &Transaction<'_>,
    q: &ProductQuery,
    limit: u32,
    counted: Option<&Hits>,
    kept: Option<&TitleOrder>,
) -> Result<Vec<i64>> {
    let search = search_match(q.search.as_deref().unwrap_or(""));
    let products: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM products", [], |r| {
        r.get(0)
    })?;
    let size = usize::try_from(products).unwrap_or(0) + 1;
    // How many of the indexes each product matched: a hit matches them all.
    let mut matched = vec![0u8; size];
    let mark = |id: i64, matched: &mut Vec<u8>| {
        if let Some(m) = usize::try_from(id).ok().and_then(|i| matched.get_mut(i)) {
            *m += 1;
        }
    };
    let tables: &[(&str, String)] = match (counted, search.as_slice()) {
        (Some(Hits { ids, complete }), [(table, expr)]) => {
            // One index's hits, in rowid order (see `count_many`): those after the last
            // one counted are read when counting stopped early.
            for id in ids {
                mark(*id, &mut matched);
            }
            if let (false, Some(last)) = (*complete, ids.last()) {
                mark_hits_after(tx, table, expr, *last, &mut |id| mark(id, &mut matched))?;
            }
            &[]
        }
        _ => &search,
    };
    for (table, expr) in tables {
        let mut stmt =
            tx.prepare_cached(&format!("SELECT rowid FROM {table} WHERE {table} MATCH ?1"))?;
        let mut rows = stmt.query([expr])?;
        while let Some(r) = rows.next()? {
            mark(r.get(0)?, &mut matched);
        }
    }
    let all = u8::try_from(search.len()).unwrap_or(u8::MAX);
    let mut stmt = None;
    let mut ids = Walk::start(tx, q, kept, &mut stmt)?;
    let (mut skipped, mut page) = (0u32, Vec::new());
    while let Some(id) = ids.next()? {
        let hit = usize::try_from(id)
            .ok()
            .and_then(|i| matched.get(i))
            .is_some_and(|m| *m == all);
        if !hit {
            continue;
        }
        if skipped < q.offset {
            skipped += 1;
        } else {
            page.push(id);
            if page.len() >= limit as usize {
                break;
            }
        }
    }
    Ok(page)
}

/// Hands every hit of one full-text index with a rowid above `last` to `mark`: the hits
/// [`count_many`] did not read when it stopped at its cap (FTS5 starts at the first rowid of
/// the range, without checking the hits before it).
fn mark_hits_after(
    tx: &Transaction<'_>,
    table: &str,
    expr: &str,
    last: i64,
    mark: &mut dyn FnMut(i64),
) -> Result<()> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT rowid FROM {table} WHERE {table} MATCH ?1 AND rowid > ?2"
    ))?;
    let mut rows = stmt.query(rusqlite::params![expr, last])?;
    while let Some(r) = rows.next()? {
        mark(r.get(0)?);
    }
    Ok(())
}

/// The ids of every product matching `q`'s filters (not its paging), for "select all that
/// match" in bulk edit.
pub fn matching_ids(tx: &Transaction<'_>, q: &ProductQuery) -> Result<Vec<ProductId>> {
    let (filter, args) = filter_sql(q, false);
    let mut stmt = tx.prepare(&format!(
        "SELECT p.id FROM products p {filter} ORDER BY p.id"
    ))?;
    let ids = stmt
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<ProductId>>>()?;
    Ok(ids)
}

/// Adds variant count, price range and SKUs to a page of rows, with one query for the page.
fn fill_variant_facts(tx: &Transaction<'_>, rows: &mut [ProductRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let placeholders = vec!["?"; rows.len()].join(",");
    let mut stmt = tx.prepare(&format!(
        "SELECT product_id, sku, price, currency FROM variants
          WHERE product_id IN ({placeholders}) ORDER BY product_id, position"
    ))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
    let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut q = stmt.query(params_from_iter(ids.iter()))?;
    while let Some(r) = q.next()? {
        let pid: i64 = r.get(0)?;
        let Some(row) = index.get(&pid).and_then(|i| rows.get_mut(*i)) else {
            continue;
        };
        let price_text: String = r.get(2)?;
        let currency_text: String = r.get(3)?;
        let price = Money::new(
            Decimal::from_str(&price_text)
                .map_err(|_| Error::Corrupt(format!("price '{price_text}' of product {pid}")))?,
            Currency::from_str(&currency_text).map_err(|e| Error::Corrupt(e.to_string()))?,
        );
        row.variant_count += 1;
        row.skus.push(r.get(1)?);
        if row.price_min.is_none_or(|m| price.amount < m.amount) {
            row.price_min = Some(price);
        }
        if row.price_max.is_none_or(|m| price.amount > m.amount) {
            row.price_max = Some(price);
        }
    }
    Ok(())
}

/// Stock of a variant at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StockAt {
    pub location: crate::ids::LocationId,
    pub location_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quantity: i64,
}

/// One variant with the values the grid edits, exactly as stored (so an edit can say what it
/// saw: see [`crate::catalog::edit::Change::old`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariantRow {
    pub id: crate::ids::VariantId,
    pub sku: String,
    pub gtin: Option<String>,
    pub options: Vec<String>,
    /// Decimal text, incl. VAT.
    pub price: String,
    pub compare_at_price: Option<String>,
    pub cost: Option<String>,
    pub currency: String,
    /// `standard`, `reduced` or `zero`.
    pub vat_rate: String,
    /// Whole grams, as stored text (for an edit's `old`).
    pub weight_grams: Option<String>,
    /// Every stock location, with 0 where the variant has no stock row.
    pub stock: Vec<StockAt>,
}

/// The variants of a product, in order, with stock at every location.
pub fn variants(tx: &Transaction<'_>, product: ProductId) -> Result<Vec<VariantRow>> {
    let mut stmt = tx.prepare(
        "SELECT id, sku, gtin, options, price, compare_at_price, cost, currency, vat_rate,
                CAST(weight_grams AS TEXT)
           FROM variants WHERE product_id = ?1 ORDER BY position",
    )?;
    let mut stock = tx.prepare(
        "SELECT l.id, l.name, coalesce(s.quantity, 0) FROM locations l
           LEFT JOIN stock s ON s.location_id = l.id AND s.variant_id = ?1 ORDER BY l.id",
    )?;
    let mut out = Vec::new();
    let mut q = stmt.query([product])?;
    while let Some(r) = q.next()? {
        let id: crate::ids::VariantId = r.get(0)?;
        let options: String = r.get(3)?;
        out.push(VariantRow {
            id,
            sku: r.get(1)?,
            gtin: r.get(2)?,
            options: serde_json::from_str(&options)
                .map_err(|_| Error::Corrupt(format!("options of variant {id}")))?,
            price: r.get(4)?,
            compare_at_price: r.get(5)?,
            cost: r.get(6)?,
            currency: r.get(7)?,
            vat_rate: r.get(8)?,
            weight_grams: r.get(9)?,
            stock: stock
                .query_map([id], |s| {
                    Ok(StockAt {
                        location: s.get(0)?,
                        location_name: s.get(1)?,
                        quantity: s.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?,
        });
    }
    Ok(out)
}

/// A category in the merchant's tree, with its depth, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategoryNode {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: CategoryId,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub parent: Option<CategoryId>,
    pub name_nl: String,
    pub name_en: String,
    /// 0 for a top-level category.
    pub depth: u32,
}

/// Every category, each followed by the categories under it (depth first, by position).
pub fn categories(tx: &Transaction<'_>) -> Result<Vec<CategoryNode>> {
    let mut stmt = tx.prepare(
        "WITH RECURSIVE tree(id, parent_id, name_nl, name_en, depth, path) AS (
             SELECT id, parent_id, name_nl, name_en, 0, printf('%08d.%08d', position, id)
               FROM categories WHERE parent_id IS NULL
             UNION ALL
             SELECT c.id, c.parent_id, c.name_nl, c.name_en, t.depth + 1,
                    t.path || '/' || printf('%08d.%08d', c.position, c.id)
               FROM categories c JOIN tree t ON c.parent_id = t.id)
         SELECT id, parent_id, name_nl, name_en, depth FROM tree ORDER BY path",
    )?;
    let nodes = stmt
        .query_map([], |r| {
            Ok(CategoryNode {
                id: r.get(0)?,
                parent: r.get(1)?,
                name_nl: r.get(2)?,
                name_en: r.get(3)?,
                depth: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(nodes)
}

/// A stock location (shop, warehouse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub id: crate::ids::LocationId,
    pub code: String,
    pub name: String,
}

/// Every stock location, in the order they were made.
pub fn locations(tx: &Transaction<'_>) -> Result<Vec<Location>> {
    let mut stmt = tx.prepare_cached("SELECT id, code, name FROM locations ORDER BY id")?;
    let list = stmt
        .query_map([], |r| {
            Ok(Location {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(list)
}
