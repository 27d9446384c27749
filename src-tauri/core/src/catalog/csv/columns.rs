//! Finding columns by name. Platforms rename columns between versions (Shopify's `Variant SKU`
//! became `SKU` in 2024) and merchants' spreadsheets change their case, so each column is known
//! by a list of names, matched without regard to case or surrounding spaces.

use super::decode::Line;

/// A column the importer knows: its name in the format's current export, then older or newer
/// names that mean the same.
pub(crate) type ColumnSpec = (&'static str, &'static [&'static str]);

/// Where each known column is in one file's header.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    /// Known name, position, the name as the file writes it. A list, not a map: there are
    /// about twenty, and a file's every cell is looked up here (hashing the name each time
    /// cost more than comparing a few short names).
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    pub fn find(headers: &[String], specs: &[ColumnSpec]) -> Columns {
        let mut found = Vec::new();
        for (key, aliases) in specs {
            let position = std::iter::once(*key)
                .chain(aliases.iter().copied())
                .find_map(|name| headers.iter().position(|h| same_name(h, name)));
            if let Some(i) = position {
                let header = headers.get(i).cloned().unwrap_or_default();
                found.push((*key, i, header));
            }
        }
        Columns { found }
    }

    /// `true` when the file has this column (under any of its names).
    pub fn has(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    fn position(&self, key: &str) -> Option<usize> {
        // Callers pass the same constants `find` stored, so the address usually tells; the
        // text decides otherwise (equal texts of different addresses, or a key not found).
        self.found
            .iter()
            .find(|(k, _, _)| std::ptr::eq(*k, key))
            .or_else(|| self.found.iter().find(|(k, _, _)| *k == key))
            .map(|(_, i, _)| *i)
    }

    /// Reports each of `required` that the header lacks, as a problem on row 1; `true` when
    /// any is missing (the file cannot be read as `format` then).
    pub fn report_missing(
        &self,
        required: &[&str],
        format: &str,
        problems: &mut Vec<super::problems::RowProblem>,
    ) -> bool {
        let before = problems.len();
        for column in required.iter().filter(|c| !self.has(c)) {
            problems.push(super::problems::RowProblem::new(
                1,
                column,
                "",
                super::problems::ProblemKind::MissingColumn {
                    format: format.to_string(),
                },
            ));
        }
        problems.len() > before
    }

    /// The trimmed cell of `row` in this column; empty when the column or the cell is missing.
    pub fn get<'g>(&self, row: &Line<'g>, key: &str) -> &'g str {
        self.position(key)
            .and_then(|i| row.cell(i))
            .map_or("", str::trim)
    }

    /// The cell when the file has the column, `None` when it has not (so "keep what the catalog
    /// has" can be told from "make it empty").
    pub fn get_if_present<'g>(&self, row: &Line<'g>, key: &str) -> Option<&'g str> {
        self.has(key).then(|| self.get(row, key))
    }

    /// The column's name as the file writes it, for messages; the known name when absent.
    pub fn name(&self, key: &str) -> String {
        self.found
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or_else(|| key.to_string(), |(_, _, h)| h.clone())
    }
}

/// Header names compared as a merchant would: case and spaces around them do not matter.
pub(crate) fn same_name(header: &str, name: &str) -> bool {
    header.trim().eq_ignore_ascii_case(name.trim())
}
