//! Tables as files people file: XLSX (by `rust_xlsxwriter`) with the page's Russian headers,
//! dates as dates and numbers as numbers, so a spreadsheet sorts and sums them.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::pages::PageError;

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// A cell from the text a page shows: a date (`YYYY-MM-DD` or «15 мая 2025 г.») is a
    /// date, a plain number a number, anything else text.
    pub fn from_text(text: &str) -> Cell {
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Cell::Date(date);
        }
        if let Some(date) = crate::format::parse_date(text) {
            return Cell::Date(date);
        }
        let numeric = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && !text.starts_with('0')
            || text == "0";
        match text.parse::<f64>() {
            Ok(number) if numeric => Cell::Number(number),
            _ => Cell::Text(text.to_string()),
        }
    }
}

/// The workbook of one table: a sheet named `sheet` (at most 31 characters), `headers` in
/// bold on the first row, then `rows`.
pub fn xlsx(sheet: &str, headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, PageError> {
    let failed = |e: rust_xlsxwriter::XlsxError| PageError(format!("XLSX: {e}"));
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    let name: String = sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    worksheet.set_name(name).map_err(failed)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (column, header) in headers.iter().enumerate() {
        worksheet
            .write_string_with_format(0, column as u16, header, &bold)
            .map_err(failed)?;
        worksheet
            .set_column_width(
                column as u16,
                (header.chars().count() as f64).clamp(10.0, 40.0),
            )
            .map_err(failed)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => worksheet.write_string(line, column, text),
                Cell::Number(number) => worksheet.write_number(line, column, *number),
                Cell::Date(day) => {
                    let day = ExcelDateTime::from_ymd(
                        day.year() as u16,
                        day.month() as u8,
                        day.day() as u8,
                    )
                    .map_err(failed)?;
                    worksheet.write_datetime_with_format(line, column, &day, &date)
                }
            }
            .map_err(failed)?;
        }
    }
    worksheet.set_freeze_panes(1, 0).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

/// The same table as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads the Russian
/// right): the headers, then a line per row; a cell with a comma, quote, semicolon or line
/// break quoted.
pub fn csv(headers: &[String], rows: &[Vec<String>]) -> String {
    let cell = |text: &str| {
        if text.contains([',', '"', '\n', ';']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    let line = |cells: &[String]| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push_str(&line(headers));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn a_table_reads_back_with_its_headers_dates_and_numbers() {
        let headers = vec!["Объединение".to_string(), "Дата".into(), "Заседаний".into()];
        let rows = vec![
            vec![
                Cell::from_text("ГМО учителей физики"),
                Cell::from_text("2025-05-15"),
                Cell::from_text("3"),
            ],
            vec![
                Cell::from_text("РМО «Заводской»"),
                Cell::from_text(""),
                Cell::from_text("007"),
            ],
        ];
        let bytes = xlsx("Мало заседаний: 2024/25", &headers, &rows).expect("written");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
        let sheets = book.sheet_names();
        assert_eq!(sheets, vec!["Мало заседаний 202425".to_string()]);
        let range = book.worksheet_range(&sheets[0]).expect("the sheet");
        let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(cells[0][0], Data::String("Объединение".into()));
        assert_eq!(cells[1][0], Data::String("ГМО учителей физики".into()));
        // a date cell: Excel's serial day (days since 30 Dec 1899), shown as a date
        let serial = (NaiveDate::from_ymd_opt(2025, 5, 15).expect("date")
            - NaiveDate::from_ymd_opt(1899, 12, 30).expect("date"))
        .num_days() as f64;
        assert!(
            matches!(&cells[1][1], Data::DateTime(d) if d.as_f64() == serial && d.is_datetime()),
            "{:?}",
            cells[1][1]
        );
        assert_eq!(cells[1][2], Data::Float(3.0));
        assert_eq!(cells[2][2], Data::String("007".into()), "a code stays text");
    }

    #[test]
    fn csv_quotes_what_would_split_a_cell() {
        let text = csv(
            &["Объединение".into(), "Примечание".into()],
            &[vec!["ГМО".into(), "сроки, ответственные; \"план\"".into()]],
        );
        assert_eq!(
            text,
            "\u{feff}Объединение,Примечание\r\nГМО,\"сроки, ответственные; \"\"план\"\"\"\r\n"
        );
    }
}
