//! The act and its log extract as plain text: the form whose SHA-256 the log records.

use std::fmt::Write as _;

use super::act::{russian_date, DestructionAct};

/// Where a name and a signature are written by hand.
const BLANK: &str = "____________________";

/// The act of destruction, then the extract from the event log, as printable text.
pub fn render(act: &DestructionAct) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_act(&mut out, act);
    let _ = write_extract(&mut out, act);
    out
}

fn write_act(out: &mut String, act: &DestructionAct) -> std::fmt::Result {
    let date = russian_date(act.date());
    writeln!(out, "АКТ")?;
    writeln!(out, "об уничтожении персональных данных")?;
    writeln!(out)?;
    writeln!(out, "Дата уничтожения: {date}")?;
    writeln!(out)?;
    writeln!(
        out,
        "1. Оператор персональных данных: {}; адрес: {BLANK}.",
        act.operator
    )?;
    writeln!(
        out,
        "2. Лицо, обрабатывающее персональные данные по поручению оператора: не привлекалось."
    )?;
    writeln!(
        out,
        "3. Субъект персональных данных: лицо с идентификатором в реестре {} \
         (фамилия, имя, отчество в акт не вносятся — они уничтожены).",
        act.person
    )?;
    writeln!(
        out,
        "4. Уничтожившее персональные данные лицо: {} (в журнале — {}).",
        act.destroyer.position, act.destroyer.actor
    )?;
    writeln!(
        out,
        "5. Перечень категорий уничтоженных персональных данных: {}.",
        categories(act)
    )?;
    writeln!(
        out,
        "6. Информационная система персональных данных: {}.",
        act.system
    )?;
    writeln!(out, "7. Способ уничтожения: {}.", way())?;
    writeln!(out, "8. Причина уничтожения: {}.", act.reason())?;
    writeln!(
        out,
        "9. Дата уничтожения: {date} (ключ уничтожен {} UTC); решение об уничтожении \
         действует с {}",
        act.destroyed_at.format("%Y-%m-%d %H:%M:%S"),
        russian_date(act.effective)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Уничтожившее лицо: {}  {BLANK} (фамилия, инициалы)  {BLANK} (подпись)",
        act.destroyer.position
    )?;
    writeln!(out)
}

fn write_extract(out: &mut String, act: &DestructionAct) -> std::fmt::Result {
    writeln!(out, "ВЫГРУЗКА")?;
    writeln!(
        out,
        "из журнала регистрации событий в информационной системе персональных данных"
    )?;
    writeln!(out)?;
    writeln!(out, "Информационная система: {}.", act.system)?;
    writeln!(
        out,
        "Субъект персональных данных: лицо с идентификатором в реестре {}.",
        act.person
    )?;
    writeln!(
        out,
        "Категории уничтоженных персональных данных: {}.",
        categories(act)
    )?;
    writeln!(out, "Причина уничтожения: {}.", act.reason())?;
    writeln!(out, "Дата уничтожения: {}", russian_date(act.date()))?;
    writeln!(out)?;
    writeln!(
        out,
        "Записи журнала (позиция; записано, UTC; событие; поля с персональными данными; хеш SHA-256):"
    )?;
    for record in &act.records {
        let fields = if record.fields.is_empty() {
            "—".to_string()
        } else {
            record.fields.join(", ")
        };
        writeln!(
            out,
            "{}; {}; {} — {}; {}; {}",
            record.position,
            record.recorded_at.format("%Y-%m-%d %H:%M:%S"),
            record.event_type,
            record.what(),
            fields,
            record.hash
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", closing_note())
}

fn categories(act: &DestructionAct) -> String {
    if act.categories.is_empty() {
        return "персональные данные в журнале не найдены".to_string();
    }
    act.categories.join("; ")
}

/// How the data was destroyed.
pub(crate) fn way() -> &'static str {
    "уничтожение ключа шифрования (криптографическое уничтожение): персональные данные \
     хранились в журнале только в зашифрованном виде (XChaCha20-Poly1305) на ключе, \
     индивидуальном для субъекта; ключ удалён из хранилища ключей без возможности \
     восстановления, расшифровка данных невозможна"
}

/// Why the encrypted records remain, and how long the documents are kept.
pub(crate) fn closing_note() -> &'static str {
    "Зашифрованные записи остаются в журнале: цепочка хешей и доказательства включения \
     проверяются и после уничтожения ключа, а прочитать данные нельзя. Акт и выгрузка \
     хранятся три года с даты уничтожения (приказ Роскомнадзора от 28.10.2022 № 179); \
     SHA-256 текста акта записан в журнал событием DestructionActIssued."
}
