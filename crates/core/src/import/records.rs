//! Splitting the text into records with the line numbers an officer sees in a text
//! editor, counting blank lines and noticing a file that was cut off.
//!
//! The `csv` crate does the quoting; its positions count a record from the end of the one
//! before (blank lines and a `\r\n`'s `\n` included), so the first line of each record is
//! worked out here from byte offsets.

use super::problem::FileProblem;
use csv::StringRecord;

/// One record as the file holds it.
#[derive(Debug)]
pub struct RawRecord {
    /// 1-based line where the record starts.
    pub line: usize,
    pub cells: StringRecord,
}

/// How the last record ends, when it ends badly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The last line ends normally, with or without a final line break.
    Complete,
    /// A quoted cell opened in the last record is never closed: everything after the
    /// quote was swallowed into one cell.
    OpenQuote,
    /// The file ends without a line break: a last record with too few cells was cut off.
    NoLineBreak,
}

/// All records of a file.
#[derive(Debug)]
pub struct Records {
    pub records: Vec<RawRecord>,
    /// Empty lines between, before and after records.
    pub blank_lines: usize,
    pub ending: Ending,
}

/// Counts line breaks up to increasing byte offsets in one pass over the text.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    newlines: usize,
}

impl LineCounter<'_> {
    /// Line breaks in `bytes[..offset]`; offsets must not decrease between calls.
    fn before(&mut self, offset: usize) -> usize {
        let end = offset.min(self.bytes.len());
        if end > self.pos {
            self.newlines += self.bytes[self.pos..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.pos = end;
        }
        self.newlines
    }
}

/// Picks the delimiter: tab for "Unicode text"/TSV exports, comma otherwise.
pub fn sniff_delimiter(text: &str) -> u8 {
    let head = text.lines().take(10);
    let (mut commas, mut tabs) = (0, 0);
    for line in head {
        commas += line.matches(',').count();
        tabs += line.matches('\t').count();
    }
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// Reads every record of `text`.
pub fn read(text: &str, delimiter: u8) -> Result<Records, FileProblem> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut lines = LineCounter {
        bytes,
        pos: 0,
        newlines: 0,
    };
    let mut records = Vec::new();
    let mut blank_lines = 0;
    // The line the previous record ended on; 0 before the first.
    let mut prev_end_line = 0;
    let mut last_start = 0;
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(prev_end_line + 1, |p| p.line() as usize);
                return Err(FileProblem::Unreadable { line });
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let content = start
            + bytes
                .get(start..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let line = 1 + lines.before(content);
        blank_lines += line.saturating_sub(prev_end_line + 1);
        let end = reader.position().byte() as usize;
        let ends_with_lf = end > 0 && bytes.get(end - 1) == Some(&b'\n');
        prev_end_line = 1 + lines.before(end) - usize::from(ends_with_lf);
        last_start = content;
        records.push(RawRecord {
            line,
            cells: std::mem::take(&mut record),
        });
    }
    let total_newlines = lines.before(bytes.len());
    let ends_with_break = text.ends_with(['\n', '\r']);
    let last_line = total_newlines + usize::from(!ends_with_break);
    blank_lines += last_line.saturating_sub(prev_end_line);
    let ending = if ends_in_open_quote(text.get(last_start..).unwrap_or_default(), delimiter) {
        Ending::OpenQuote
    } else if !ends_with_break {
        Ending::NoLineBreak
    } else {
        Ending::Complete
    };
    Ok(Records {
        records,
        blank_lines,
        ending,
    })
}

/// Whether `record` (the raw text of the last record) ends inside a quoted cell. Follows
/// the `csv` crate's reading: a quote opens a quoted cell only at the start of a cell,
/// `""` inside one is a literal quote.
fn ends_in_open_quote(record: &str, delimiter: u8) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::CellStart;
    for &b in record.as_bytes() {
        let separator = b == delimiter || b == b'\n' || b == b'\r';
        s = match (s, b) {
            (S::CellStart, b'"') => S::Quoted,
            (S::CellStart | S::Unquoted | S::QuoteInQuoted, _) if separator => S::CellStart,
            (S::CellStart | S::Unquoted, _) => S::Unquoted,
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (S::QuoteInQuoted, _) => S::Unquoted,
        };
    }
    s == S::Quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str) -> (Vec<(usize, Vec<String>)>, usize, Ending) {
        let r = read(text, b',').expect("readable");
        let recs = r
            .records
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::from).collect()))
            .collect();
        (recs, r.blank_lines, r.ending)
    }

    fn v(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn line_numbers_and_blank_lines_with_lf_and_crlf() {
        for text in [
            "\nh1,h2\na,b\n\n\nc,d\n\n",
            "\r\nh1,h2\r\na,b\r\n\r\n\r\nc,d\r\n\r\n",
        ] {
            let (recs, blanks, ending) = lines_of(text);
            assert_eq!(
                recs,
                vec![
                    (2, v(&["h1", "h2"])),
                    (3, v(&["a", "b"])),
                    (6, v(&["c", "d"]))
                ],
                "{text:?}"
            );
            assert_eq!(blanks, 4, "{text:?}");
            assert_eq!(ending, Ending::Complete);
        }
    }

    #[test]
    fn quoted_cells_with_commas_and_line_breaks() {
        let (recs, blanks, ending) = lines_of("h1,h2\n\"x,\ny\",\"say \"\"hi\"\"\"\n\nc,d");
        assert_eq!(
            recs,
            vec![
                (1, v(&["h1", "h2"])),
                (2, v(&["x,\ny", "say \"hi\""])),
                (5, v(&["c", "d"]))
            ]
        );
        assert_eq!(blanks, 1);
        assert_eq!(ending, Ending::NoLineBreak);
    }

    #[test]
    fn an_open_quote_at_the_end_is_noticed() {
        let (recs, _, ending) = lines_of("h1,h2\na,\"open\nmore\n");
        assert_eq!(recs.len(), 2);
        assert_eq!(ending, Ending::OpenQuote);
        // A quote inside an unquoted cell is literal, and a closed quote is fine.
        assert_eq!(lines_of("h1,h2\na,5\"3\n").2, Ending::Complete);
        assert_eq!(lines_of("h1,h2\na,\"b\"\"\"\n").2, Ending::Complete);
    }

    #[test]
    fn delimiter() {
        assert_eq!(sniff_delimiter("姓名\t性别\n张三\t男\n"), b'\t');
        assert_eq!(sniff_delimiter("姓名,性别\n"), b',');
        assert_eq!(sniff_delimiter("姓名\n"), b',');
    }
}
