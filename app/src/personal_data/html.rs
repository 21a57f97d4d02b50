//! The act and its log extract as a printable HTML page (A4, print styles), with the
//! SHA-256 of the text form the log records.

use std::fmt::Write as _;

use super::act::{russian_date, DestructionAct};
use super::text::{closing_note, way};

const STYLE: &str = "\
@page { size: A4; margin: 20mm 15mm 20mm 25mm; }
body { font-family: 'Times New Roman', serif; font-size: 12pt; line-height: 1.4; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 14pt; text-align: center; margin: 0; }
h2 { font-size: 12pt; text-align: center; font-weight: normal; margin: 0 0 12pt; }
table { width: 100%; border-collapse: collapse; margin: 6pt 0; }
th, td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
td.hash, .hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
.sign { margin-top: 24pt; }
.blank { display: inline-block; min-width: 45mm; border-bottom: 1px solid #000; }
.extract { page-break-before: always; break-before: page; }
.note { font-size: 10pt; }
@media print { a { color: inherit; text-decoration: none; } }
";

/// The page; `text_sha256` is the hash of [`super::text::render`] of the same act.
pub fn render(act: &DestructionAct, text_sha256: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_page(&mut out, act, text_sha256);
    out
}

fn write_page(out: &mut String, act: &DestructionAct, text_sha256: &str) -> std::fmt::Result {
    let date = russian_date(act.date());
    let categories = escape(&act.categories.join("; "));
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(
        out,
        "<title>Акт об уничтожении персональных данных — {}</title>",
        act.person
    )?;
    writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>")?;
    writeln!(
        out,
        "<h1>АКТ</h1>\n<h2>об уничтожении персональных данных</h2>"
    )?;
    writeln!(out, "<p>Дата уничтожения: {date}</p>")?;
    writeln!(out, "<table>")?;
    let rows = [
        (
            "Оператор персональных данных",
            format!(
                "{}; адрес: <span class=\"blank\"></span>",
                escape(&act.operator)
            ),
        ),
        (
            "Лицо, обрабатывающее персональные данные по поручению оператора",
            "не привлекалось".to_string(),
        ),
        (
            "Субъект персональных данных",
            format!(
                "лицо с идентификатором в реестре {} (фамилия, имя, отчество в акт не вносятся — они уничтожены)",
                act.person
            ),
        ),
        (
            "Уничтожившее персональные данные лицо",
            format!(
                "{} (в журнале — {})",
                escape(&act.destroyer.position),
                escape(&act.destroyer.actor)
            ),
        ),
        (
            "Перечень категорий уничтоженных персональных данных",
            categories.clone(),
        ),
        (
            "Информационная система персональных данных",
            escape(&act.system),
        ),
        ("Способ уничтожения", escape(way())),
        ("Причина уничтожения", escape(&act.reason())),
        (
            "Дата уничтожения",
            format!(
                "{date} (ключ уничтожен {} UTC); решение действует с {}",
                act.destroyed_at.format("%Y-%m-%d %H:%M:%S"),
                russian_date(act.effective)
            ),
        ),
    ];
    for (n, (label, value)) in rows.iter().enumerate() {
        writeln!(out, "<tr><th>{}. {label}</th><td>{value}</td></tr>", n + 1)?;
    }
    writeln!(out, "</table>")?;
    writeln!(
        out,
        "<p class=\"sign\">Уничтожившее лицо: {}<br><span class=\"blank\"></span> (фамилия, инициалы) \
         <span class=\"blank\"></span> (подпись)</p>",
        escape(&act.destroyer.position)
    )?;
    write_extract(out, act, &categories)?;
    writeln!(
        out,
        "<p class=\"note\">{}</p>\n<p class=\"note\">SHA-256 текстовой формы акта: <span class=\"hash\">{text_sha256}</span></p>",
        escape(closing_note())
    )?;
    writeln!(out, "</body>\n</html>")
}

fn write_extract(out: &mut String, act: &DestructionAct, categories: &str) -> std::fmt::Result {
    writeln!(out, "<section class=\"extract\">")?;
    writeln!(
        out,
        "<h1>ВЫГРУЗКА</h1>\n<h2>из журнала регистрации событий в информационной системе персональных данных</h2>"
    )?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        "<tr><th>Информационная система</th><td>{}</td></tr>",
        escape(&act.system)
    )?;
    writeln!(
        out,
        "<tr><th>Субъект персональных данных</th><td>лицо с идентификатором в реестре {}</td></tr>",
        act.person
    )?;
    writeln!(
        out,
        "<tr><th>Категории уничтоженных персональных данных</th><td>{categories}</td></tr>"
    )?;
    writeln!(
        out,
        "<tr><th>Причина уничтожения</th><td>{}</td></tr>",
        escape(&act.reason())
    )?;
    writeln!(
        out,
        "<tr><th>Дата уничтожения</th><td>{}</td></tr>",
        russian_date(act.date())
    )?;
    writeln!(out, "</table>")?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        "<tr><th>Позиция</th><th>Записано (UTC)</th><th>Событие</th><th>Поля с персональными данными</th><th>Хеш SHA-256</th></tr>"
    )?;
    for record in &act.records {
        let fields = if record.fields.is_empty() {
            "—".to_string()
        } else {
            escape(&record.fields.join(", "))
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{} — {}</td><td>{fields}</td><td class=\"hash\">{}</td></tr>",
            record.position,
            record.recorded_at.format("%Y-%m-%d %H:%M:%S"),
            escape(&record.event_type),
            escape(record.what()),
            record.hash
        )?;
    }
    writeln!(out, "</table>\n</section>")
}

/// Text made safe inside HTML elements and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_the_logs_text_is_shown_not_obeyed() {
        assert_eq!(
            escape("МАУ «ИМЦ» <b>&</b> 'x' \"y\""),
            "МАУ «ИМЦ» &lt;b&gt;&amp;&lt;/b&gt; &#39;x&#39; &quot;y&quot;"
        );
    }
}
