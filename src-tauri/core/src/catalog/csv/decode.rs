//! From the bytes of a file to a table of text cells, whatever program saved it.
//!
//! Merchants' files come from Shopify and WooCommerce (UTF-8, comma), from Excel on a Dutch
//! Windows machine (Windows-1252, semicolon, sometimes a `sep=;` first line), from Excel's
//! "Unicode text" (UTF-16 with a BOM, tab) and from Numbers or LibreOffice (UTF-8 with or without
//! a BOM). The encoding is decided from the bytes (BOM, else valid UTF-8, else Windows-1252) and
//! the separator from the header row, where no cell holds a price with a decimal comma.
//!
//! Public as [`read_table`]: every CSV a merchant hands Kanaal (products, reviews) is read here.

use crate::problem::InputProblem;
use crate::{Error, Result};
use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// A file read into rows of cells; the header is kept apart.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row, numbered as the spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

/// Reads `bytes` as a CSV file with a header row. Fails only when there is no table at all.
pub fn read_table(bytes: &[u8]) -> Result<Table> {
    let grid = read_grid(bytes)?;
    let sheet = grid.sheet();
    let rows = sheet
        .rows
        .iter()
        .map(|line| Row {
            number: line.number,
            cells: (0..line.len())
                .map(|i| line.cell(i).unwrap_or_default().to_string())
                .collect(),
        })
        .collect();
    Ok(Table {
        headers: grid.headers,
        rows,
    })
}

/// A file read into one text of all its data cells, one after the other, and where each cell
/// and row ends: what [`read_table`] reads, without a `String` per cell (a 100,000-product
/// Shopify file has over five million cells, and allocating each was most of reading it).
#[derive(Debug)]
pub(crate) struct Grid {
    pub headers: Vec<String>,
    text: String,
    /// Where each cell ends in `text`; a cell starts where the one before it ended. `u32`
    /// (a file is refused past 4 GiB) halves the memory of over five million of them.
    ends: Vec<u32>,
    /// Each data row's number and the index of its first cell in `ends`.
    rows: Vec<(u32, usize)>,
}

impl Grid {
    /// The header and the rows, as views into this grid.
    pub fn sheet(&self) -> Sheet<'_> {
        let mut rows = Vec::with_capacity(self.rows.len());
        for (i, &(number, first)) in self.rows.iter().enumerate() {
            let next = self.rows.get(i + 1).map_or(self.ends.len(), |r| r.1);
            let start = match first.checked_sub(1) {
                Some(before) => self.ends.get(before).copied().unwrap_or(0),
                None => 0,
            };
            rows.push(Line {
                number,
                text: &self.text,
                start,
                ends: self.ends.get(first..next).unwrap_or_default(),
            });
        }
        Sheet {
            headers: &self.headers,
            rows,
        }
    }
}

/// A [`Grid`]'s header and rows.
#[derive(Debug)]
pub(crate) struct Sheet<'g> {
    pub headers: &'g [String],
    pub rows: Vec<Line<'g>>,
}

/// One data row of a [`Grid`], numbered as the spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'g> {
    pub number: u32,
    text: &'g str,
    /// Where this row's first cell starts in `text`.
    start: u32,
    ends: &'g [u32],
}

impl<'g> Line<'g> {
    /// The cell in column `i` as the file has it (not trimmed); `None` past the row's end.
    pub fn cell(&self, i: usize) -> Option<&'g str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => self.start,
        };
        self.text.get(start as usize..end as usize)
    }

    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Reads `bytes` into a [`Grid`]; see [`read_table`].
pub(crate) fn read_grid(bytes: &[u8]) -> Result<Grid> {
    let text = decode_text(bytes);
    let (text, forced) = strip_sep_line(&text);
    let separator = forced.unwrap_or_else(|| sniff_separator(text));
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    // The cells' bytes: the text is UTF-8 and the reader splits it only at ASCII separators,
    // quotes and line ends, so every cell is UTF-8 too (checked once, at the end).
    let mut cells: Vec<u8> = Vec::with_capacity(text.len());
    // Room for the cells of every line, as the header counts them, so the list is not copied
    // as it grows (never more than the bytes: each cell but a line's last takes a separator).
    let (lines, columns) = lines_and_columns(text);
    let mut ends: Vec<u32> = Vec::with_capacity(lines.saturating_mul(columns).min(text.len() + 1));
    let mut rows: Vec<(u32, usize)> = Vec::with_capacity(lines);
    let mut record = ::csv::ByteRecord::new();
    // Spreadsheet rows are records, and a blank line (which the reader skips) is a row too. A
    // record's position is where the reader left the previous one, so the blank lines it
    // skipped are the line breaks right after that position.
    let mut number: u32 = 0;
    let bytes = text.as_bytes();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            Error::Input(InputProblem::CsvUnreadable {
                row: number.saturating_add(1),
                detail: e.to_string(),
            })
        })?;
        if !more {
            break;
        }
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // After a `\r\n` terminator the reader stops between the two bytes.
        let rest_of_terminator =
            start > 0 && bytes.get(start - 1) == Some(&b'\r') && bytes.get(start) == Some(&b'\n');
        let blank = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|b| **b == b'\n')
            .count()
            .saturating_sub(usize::from(rest_of_terminator));
        number = number
            .saturating_add(1)
            .saturating_add(u32::try_from(blank).unwrap_or(u32::MAX));
        match headers {
            None => {
                headers = Some(
                    record
                        .iter()
                        .map(|h| String::from_utf8_lossy(h).trim().to_string())
                        .collect(),
                )
            }
            Some(_) if record.iter().all(is_blank) => {}
            Some(_) => {
                rows.push((number, ends.len()));
                for cell in &record {
                    cells.extend_from_slice(cell);
                    ends.push(u32::try_from(cells.len()).map_err(|_| too_big())?);
                }
            }
        }
    }
    let headers = headers
        .filter(|h| h.iter().any(|c| !c.is_empty()))
        .ok_or(Error::Input(InputProblem::EmptyFile))?;
    let text = String::from_utf8(cells)
        .map_err(|e| Error::Corrupt(format!("a CSV cell was not UTF-8 text: {e}")))?;
    Ok(Grid {
        headers,
        text,
        ends,
        rows,
    })
}

fn too_big() -> Error {
    Error::Input(InputProblem::FileTooLarge)
}

/// Lines in `text` and cells in its first line (separators counted loosely: an estimate).
fn lines_and_columns(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let cells = first
        .iter()
        .filter(|b| matches!(b, b',' | b';' | b'\t'))
        .count()
        + 1;
    (lines, cells)
}

/// A cell of nothing but white space (`str::trim`'s, which includes non-ASCII spaces).
fn is_blank(cell: &[u8]) -> bool {
    std::str::from_utf8(cell).is_ok_and(|c| c.trim().is_empty())
}

/// The file's text: by its byte-order mark, else UTF-8 when it is valid, else Windows-1252 (what
/// Excel on Windows writes for "CSV (semicolon separated)").
fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return UTF_8.decode_without_bom_handling(rest).0;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0;
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Excel understands a first line `sep=;`, and writes it in some locales; it is not a row.
fn strip_sep_line(text: &str) -> (&str, Option<u8>) {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end_matches('\r');
    if let Some(sep) = first.strip_prefix("sep=") {
        if let [b] = sep.as_bytes() {
            let rest = text.get(first_end + 1..).unwrap_or("");
            return (rest, Some(*b));
        }
    }
    (text, None)
}

/// The separator that splits the header row into the most cells: comma, semicolon or tab.
/// Quoted parts do not count, so a header `"Weight (kg)"` or `"Attribute 1 value(s)"` is safe.
fn sniff_separator(text: &str) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semicolon += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma && tab > semicolon {
        b'\t'
    } else if semicolon > comma {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_read_when_the_bytes_are_not_utf8() {
        let (bytes, _, _) = WINDOWS_1252.encode("Handle;Title\ncafe;Café crème\n");
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.headers, ["Handle", "Title"], "semicolon found");
        assert_eq!(t.rows[0].cells[1], "Café crème", "é and è decoded");
        assert_eq!(t.rows[0].number, 2, "the first data row is row 2");
    }

    #[test]
    fn a_utf8_bom_and_a_sep_line_are_not_data() {
        let t = read_table("\u{feff}sep=;\r\nA;B\r\n1,5;2\r\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["A", "B"], "BOM and sep= line dropped");
        assert_eq!(
            t.rows[0].cells,
            ["1,5", "2"],
            "decimal comma kept in its cell"
        );
    }

    #[test]
    fn utf16_from_excel_unicode_text_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "A\tB\nx\ty\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.headers, ["A", "B"], "tab-separated UTF-16 read");
    }

    #[test]
    fn quoted_separators_in_the_header_do_not_fool_the_sniffer() {
        let t = read_table(b"\"a,b\";\"c,d\";e\n1;2;3\n").unwrap();
        assert_eq!(t.headers.len(), 3, "split on the semicolon");
    }

    #[test]
    fn blank_lines_count_as_rows_as_a_spreadsheet_shows_them() {
        let t = read_table(b"A,B\n1,2\n\n3,4\n").unwrap();
        assert_eq!(
            t.rows[1].number, 4,
            "the blank line is row 3, so 3,4 is row 4"
        );
        let t = read_table(b"A,B\r\n1,2\r\n\r\n3,4\r\n5,6\r\n").unwrap();
        let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4, 5], "the same with Windows line ends");
    }

    #[test]
    fn rows_are_numbered_as_records_even_with_line_breaks_inside_cells() {
        let t = read_table(b"A,B\n\"two\nlines\",x\ny,z\n").unwrap();
        assert_eq!(
            t.rows[1].number, 3,
            "a cell with a line break is still one row"
        );
    }
}
