//! Matching a plan with the catalog before anything is written: which product each planned
//! product updates (or that it is new), and the conflicts only the catalog can reveal — a SKU
//! or EAN that belongs to another product, two products in the file that are one product in
//! the catalog, options changed while variants are left out of the file.

use super::plan::{Plan, Update};
use super::problems::{ProblemKind, RowProblem};
use super::snapshot::Catalog;
use std::collections::{HashMap, HashSet};

/// Finds each planned product's match in the catalog (`None` for a new product), and turns
/// conflicts with the catalog into problems; products with problems leave the plan.
pub(super) fn resolve(plan: &mut Plan, catalog: &Catalog) -> HashMap<String, Option<usize>> {
    let mut targets = HashMap::with_capacity(plan.products.len());
    let mut problems = Vec::new();
    // The EAN each planned variant will have, so an EAN moving between two variants in the same
    // file is not taken for a conflict. Only asked about EANs the catalog has: none in a new
    // shop, which then need not list a big file's every variant.
    let planned_gtins: HashMap<&str, &Update<Option<String>>> = if catalog.by_gtin.is_empty() {
        HashMap::new()
    } else {
        plan.products
            .iter()
            .flat_map(|p| &p.variants)
            .map(|v| (v.sku.as_str(), &v.gtin))
            .collect()
    };
    let cols = &plan.columns;
    // Two products in the file must not land on one catalog product.
    let mut claimed: HashMap<usize, u32> = HashMap::new();
    for p in &plan.products {
        let by_handle = catalog.by_handle.get(&p.handle).copied();
        let by_sku = p
            .variants
            .iter()
            .find_map(|v| catalog.by_sku.get(&v.sku).map(|(pi, _)| *pi));
        let target = if p.matched_by_handle {
            by_handle
        } else {
            by_sku.or(by_handle)
        };
        for v in &p.variants {
            if let Some((owner, _)) = catalog.by_sku.get(&v.sku) {
                if Some(*owner) != target {
                    let handle = catalog
                        .products
                        .get(*owner)
                        .map(|o| o.handle.clone())
                        .unwrap_or_default();
                    problems.push(RowProblem::new(
                        v.row,
                        &cols.sku,
                        &v.sku,
                        ProblemKind::SkuOfOtherProduct { handle },
                    ));
                }
            }
            if let Some(Some(g)) = v.gtin.set() {
                if let Some(holder) = catalog.by_gtin.get(g) {
                    let moves_away = planned_gtins
                        .get(holder.as_str())
                        .and_then(|u| u.set())
                        .is_some_and(|new| new.as_deref() != Some(g.as_str()));
                    if *holder != v.sku && !moves_away {
                        problems.push(RowProblem::new(
                            v.row,
                            &cols.gtin,
                            g,
                            ProblemKind::GtinOfOtherVariant {
                                sku: holder.clone(),
                            },
                        ));
                    }
                }
            }
        }
        let first_row = p.rows.first().copied().unwrap_or(0);
        if let Some(i) = target {
            if let Some(earlier) = claimed.insert(i, first_row) {
                problems.push(RowProblem::new(
                    first_row,
                    &cols.handle,
                    &p.handle,
                    ProblemKind::SameCatalogProduct { first_row: earlier },
                ));
            }
        }
        if let Some(stored) = target.and_then(|i| catalog.products.get(i)) {
            if stored.options.len() != p.options.len() {
                let in_file: HashSet<&str> = p.variants.iter().map(|v| v.sku.as_str()).collect();
                let missing: Vec<String> = stored
                    .variants
                    .iter()
                    .filter(|v| !in_file.contains(v.sku.as_str()))
                    .map(|v| v.sku.clone())
                    .collect();
                if !missing.is_empty() {
                    problems.push(RowProblem::new(
                        first_row,
                        &cols.option_names,
                        &p.options.join(" / "),
                        ProblemKind::OptionsChangedWithoutAllVariants { missing },
                    ));
                }
            }
        }
        targets.insert(p.handle.clone(), target);
    }
    plan.problems.extend(problems);
    plan.drop_products_with_problems();
    targets
}
