//! The clauses of the five regulations (`../shared/seeds/`), against the table that says where
//! each is encoded (`docs/regulations.md`) and against the clauses the profiles cite
//! (`profiles/*.toml`):
//!
//! - every numbered clause of every seed has a row in `docs/regulations.md`, and every row
//!   names a clause (or a section) its seed has, once;
//! - every clause a profile cites exists in the profile's seed.
//!
//! The clauses are read from the seeds by `read_seed`, whose rules are written down there;
//! `each_seed_is_read_with_the_numbering_it_uses` pins what it finds in each seed, so a
//! misreading shows up as a count, not as a silently shorter table. Run with `--nocapture` to
//! see every clause found.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use domain::RegulationProfile;

/// The seeds and the profile that encodes each.
const SEEDS: [(&str, &str); 5] = [
    ("000", "novokuznetsk"),
    ("001", "kuznetsk"),
    ("002", "izhevsk"),
    ("003", "novosibirsk"),
    ("004", "pervouralsk"),
];

/// The ordinal words a label uses for the second and later clause of the same number
/// («§1.3 (второй, раздел 2)»).
const ORDINALS: [&str; 3] = ["первый", "второй", "третий"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn seeds_dir() -> PathBuf {
    workspace().join("../shared/seeds")
}

fn table_path() -> PathBuf {
    workspace().join("docs/regulations.md")
}

// ---- what a seed has ---------------------------------------------------------------------

/// A numbered item of a seed, as a row or a citation names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// A clause of the regulation: its number as the seed writes it («4.1.2»; «I.5» for the
    /// clause numbered «5.» in section I of 003; «7» in 004, which numbers its clauses 1–10
    /// through all sections) and which occurrence of that number it is (1 for the first: 000
    /// numbers two clauses «4.10», 001 two clauses «1.3»).
    Clause { number: String, occurrence: usize },
    /// An item of the approving order printed before the regulation (001, 003, 004).
    OrderItem(u32),
}

/// A numbered item found in a seed.
#[derive(Debug, Clone)]
struct Found {
    key: Key,
    /// The section it stands in («4», «VII»; empty for an order item).
    section: String,
    /// The line of the seed file (1-based) and the start of its text, for messages.
    line: usize,
    text: String,
}

impl Found {
    /// The label a row of `docs/regulations.md` gives it.
    fn label(&self) -> String {
        match &self.key {
            Key::Clause { number, occurrence } if *occurrence > 1 => format!(
                "§{number} ({}, раздел {})",
                ORDINALS[occurrence - 1],
                self.section
            ),
            Key::Clause { number, .. } => format!("§{number}"),
            Key::OrderItem(n) => format!("order {n}"),
        }
    }
}

/// One seed as `read_seed` reads it.
#[derive(Debug)]
struct Seed {
    number: String,
    file: String,
    /// Every numbered item, in the order of the text.
    items: Vec<Found>,
    /// The numbered section headings («1», «12»; «I», «VIII»).
    sections: BTreeSet<String>,
}

/// How a seed numbers its clauses, decided from the regulation's own lines.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scheme {
    /// Sections headed «I.», «II.», …: a line «5.» is clause 5 of the current section, cited
    /// «I.5»; a line «6.1.» is clause 6.1, cited as written (003).
    Roman,
    /// Clauses «4.3.», «4.1.2.» (the last dot may be missing: «2.1 Целью»): a line «4.» is
    /// the heading of section 4 (000, 001, 002).
    Dotted,
    /// Neither: clauses «1.»–«10.» numbered through the whole text, and section headings
    /// «1.»–«3.» between them. A heading is a short title (under 80 characters, not ending
    /// with a colon); a clause is a sentence, or a lead-in ending with a colon (004).
    Flat,
}

/// A line, cleaned: spaces, markdown (`#`, `**`) and the converter's `[bookmark: …]` marks
/// removed from its start.
fn clean(line: &str) -> String {
    let mut text = line.trim();
    loop {
        let before = text;
        text = text.trim_start_matches(['#', '*', ' ', '\t']);
        if let Some(rest) = text.strip_prefix("[bookmark:") {
            text = rest.split_once(']').map_or("", |(_, after)| after);
        }
        if text == before {
            break;
        }
    }
    let mut text = text.to_string();
    while let Some(start) = text.find("[bookmark:") {
        let Some(len) = text[start..].find(']') else {
            break;
        };
        text.replace_range(start..start + len + 1, "");
    }
    text
}

/// A numbered line: «4.1.2. Текст» → ("4.1.2", true, "Текст"); «5. Текст» → ("5", false,
/// "Текст"). A plain number needs its dot («1)» opens a list inside a clause, not a clause); a
/// dotted one may lack the last dot («2.1 Целью», «4.10 . Формы»). `None` for any other line.
fn numbered(text: &str) -> Option<(String, bool, String)> {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = text;
    loop {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        parts.push(&rest[..digits]);
        rest = &rest[digits..];
        match rest.strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => rest = after,
            _ => break,
        }
    }
    let number = parts.join(".");
    let dotted = parts.len() > 1;
    let after_spaces = rest.trim_start_matches(' ');
    let (had_dot, rest) = match after_spaces.strip_prefix('.') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    if !rest.starts_with(char::is_whitespace) || (!dotted && !had_dot) {
        return None;
    }
    let body = rest.trim().to_string();
    (!body.is_empty()).then_some((number, dotted, body))
}

/// A section heading in Roman numerals: «VII. Руководство …» → ("VII", "Руководство …").
fn roman_heading(text: &str) -> Option<(String, String)> {
    let letters = text.len() - text.trim_start_matches(['I', 'V', 'X', 'L', 'C']).len();
    let rest = text[letters..].strip_prefix('.')?;
    (letters > 0 && rest.starts_with(char::is_whitespace) && !rest.trim().is_empty())
        .then(|| (text[..letters].to_string(), rest.trim().to_string()))
}

/// The start of a text, for messages.
fn excerpt(text: &str) -> String {
    let short: String = text.chars().take(70).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Reads the numbered items of a seed.
///
/// 1. The regulation starts at the first line that begins with «Положение» (any case, after
///    markdown marks). Lines before it belong to the approving order (001, 003, 004; 000 and
///    002 have none): its items «1.», «2.», … are `order 1`, `order 2`, ….
/// 2. In the regulation, the scheme (`Scheme`) is Roman if it has a heading «I.», else Dotted
///    if it has a clause «N.M», else Flat; numbered lines are clauses or section headings as
///    the scheme says. Anything else — bullets, dashes, «1)» lists inside a clause, the
///    application forms of 002 — is part of the clause above it.
/// 3. A number met a second time (a numbering slip of the seed) is its second occurrence, and
///    its label names the section it stands in: «§4.10 (второй, раздел 10)».
///
/// Checked as it reads: order items and plain-numbered headings run 1, 2, 3, … without gaps,
/// and so do a Flat seed's clauses and each Roman section's plain-numbered clauses — a line
/// read as the wrong kind breaks a run and fails here, naming it.
fn read_seed(number: &str, path: &Path) -> Seed {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the seed {}: {e}", path.display()));
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, clean(l)))
        .collect();
    let start = lines
        .iter()
        .position(|(_, l)| l.to_lowercase().starts_with("положение"))
        .unwrap_or_else(|| panic!("{file}: no line starts the regulation («Положение …»)"));
    let (order, regulation) = lines.split_at(start);

    let mut items = Vec::new();
    let mut runs: BTreeMap<String, Vec<(usize, u32)>> = BTreeMap::new();
    let mut run = |name: String, line: usize, n: &str| {
        let n: u32 = n.parse().expect("digits");
        runs.entry(name).or_default().push((line, n));
    };
    for (line, text) in order {
        if let Some((n, false, body)) = numbered(text) {
            run("the order's items".into(), *line, &n);
            items.push(Found {
                key: Key::OrderItem(n.parse().expect("digits")),
                section: String::new(),
                line: *line,
                text: excerpt(&body),
            });
        }
    }

    let scheme = if regulation.iter().any(|(_, l)| roman_heading(l).is_some()) {
        Scheme::Roman
    } else if regulation
        .iter()
        .any(|(_, l)| matches!(numbered(l), Some((_, true, _))))
    {
        Scheme::Dotted
    } else {
        Scheme::Flat
    };
    let mut sections = BTreeSet::new();
    let mut section = String::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (line, text) in regulation {
        if let Some((roman, _)) = roman_heading(text) {
            sections.insert(roman.clone());
            section = roman;
            continue;
        }
        let Some((n, dotted, body)) = numbered(text) else {
            continue;
        };
        let clause_number = match (scheme, dotted) {
            (_, true) => n,
            (Scheme::Roman, false) => {
                assert!(
                    !section.is_empty(),
                    "{file}:{line}: a clause «{n}.» before the first section"
                );
                run(format!("the clauses of section {section}"), *line, &n);
                format!("{section}.{n}")
            }
            (Scheme::Flat, false) if body.chars().count() >= 80 || body.ends_with(':') => {
                run("the clauses".into(), *line, &n);
                n
            }
            (Scheme::Dotted | Scheme::Flat, false) => {
                run("the section headings".into(), *line, &n);
                sections.insert(n.clone());
                section = n;
                continue;
            }
        };
        let occurrence = seen.entry(clause_number.clone()).or_default();
        *occurrence += 1;
        assert!(
            *occurrence <= ORDINALS.len(),
            "{file}:{line}: clause {clause_number} numbered more than {} times",
            ORDINALS.len()
        );
        items.push(Found {
            key: Key::Clause {
                number: clause_number,
                occurrence: *occurrence,
            },
            section: section.clone(),
            line: *line,
            text: excerpt(&body),
        });
    }

    for (name, numbers) in &runs {
        for (i, (line, n)) in numbers.iter().enumerate() {
            let expected = u32::try_from(i + 1).expect("a small count");
            assert_eq!(
                *n, expected,
                "{file}:{line}: {name} should run 1, 2, 3, … but this line is read as {n} \
                 where {expected} is expected — the parser misreads this seed ({scheme:?} scheme)"
            );
        }
    }
    Seed {
        number: number.to_string(),
        file,
        items,
        sections,
    }
}

/// The five seeds, by number.
fn seeds() -> BTreeMap<String, Seed> {
    let dir = seeds_dir();
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seeds are not where this test looks for them, {} (the workspace's ../shared/seeds): {e}",
            dir.display()
        )
    });
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let (Some(number), true) = (name.get(..3), name.ends_with(".txt")) {
            if number.chars().all(|c| c.is_ascii_digit()) && name[3..].starts_with('_') {
                files.insert(number.to_string(), path.clone());
            }
        }
    }
    SEEDS
        .iter()
        .map(|(number, _)| {
            let path = files.get(*number).unwrap_or_else(|| {
                panic!(
                    "no seed {number}_*.txt in {} (found: {:?})",
                    dir.display(),
                    files.keys().collect::<Vec<_>>()
                )
            });
            (number.to_string(), read_seed(number, path))
        })
        .collect()
}

// ---- references: «§4.4», «§1.3 (второй, раздел 2)», «§I.5», «§IV», «order 1» -------------

/// A reference to a clause or a section, as a citation or a row's label writes it.
#[derive(Debug, Clone, PartialEq)]
enum Reference {
    /// `§number`, with the ordinal and section of a repeated number where given.
    Paragraph {
        number: String,
        occurrence: Option<usize>,
        section: Option<String>,
    },
    OrderItem(u32),
}

/// Reads a clause or section number («4.1.2», «I.5», «IV», «7») at the start of `text`;
/// returns it and the rest.
fn reference_number(text: &str) -> Option<(String, &str)> {
    let head = text.len() - text.trim_start_matches(['I', 'V', 'X', 'L', 'C']).len();
    let head = if head > 0 {
        head
    } else {
        text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len()
    };
    if head == 0 {
        return None;
    }
    let mut end = head;
    loop {
        let rest = &text[end..];
        let Some(after) = rest.strip_prefix('.') else {
            break;
        };
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            break;
        }
        end += 1 + digits;
    }
    Some((text[..end].to_string(), &text[end..]))
}

/// Reads one `§…` reference at the start of `text` (just after the `§`): the numbers it
/// names (two for a range «4.1.2–4.1.3»), each with the note «(второй, раздел 2)» where
/// given; returns them and the rest. A note that is not an ordinal is kept out of the
/// reference.
fn paragraph(text: &str) -> Result<(Vec<Reference>, &str), String> {
    let (first, mut rest) =
        reference_number(text).ok_or_else(|| format!("no clause number after § in «§{text}»"))?;
    let mut numbers = vec![first];
    for dash in ['–', '—', '-'] {
        if let Some(after) = rest.strip_prefix(dash) {
            let after = after.trim_start_matches('§');
            let (last, after) = reference_number(after)
                .ok_or_else(|| format!("a range without its end in «§{text}»"))?;
            numbers.push(last);
            rest = after;
            break;
        }
    }
    let (mut occurrence, mut section) = (None, None);
    let trimmed = rest.trim_start();
    if let Some(note) = trimmed.strip_prefix('(') {
        let (inside, after) = note
            .split_once(')')
            .ok_or_else(|| format!("an unclosed «(» in «§{text}»"))?;
        let mut parts = inside.split(',').map(str::trim);
        if let Some(n) = parts
            .next()
            .and_then(|word| ORDINALS.iter().position(|o| *o == word))
        {
            occurrence = Some(n + 1);
            section = parts
                .next()
                .and_then(|p| p.strip_prefix("раздел "))
                .map(|s| s.trim().to_string());
            rest = after;
        }
    }
    let references = numbers
        .into_iter()
        .map(|number| Reference::Paragraph {
            number,
            occurrence,
            section: section.clone(),
        })
        .collect();
    Ok((references, rest))
}

/// Every reference in a profile's clause string: «000 §4.4, §10.1» → 4.4 and 10.1, each with
/// its seed. Parts after «;» may name another seed («000 §1.5; 003 §7.1»). What is not a
/// `§…` reference (appendices: «прил. 1») is not checked: the seeds do not number appendices
/// as clauses.
fn cited(clause: &str) -> Result<Vec<(String, Reference)>, String> {
    let mut found = Vec::new();
    let mut seed = None;
    for part in clause.split(';') {
        let part = part.trim();
        if let Some((number, _)) = part.split_once(' ') {
            if number.len() == 3 && number.chars().all(|c| c.is_ascii_digit()) {
                seed = Some(number.to_string());
            }
        }
        let seed = seed
            .clone()
            .ok_or_else(|| format!("«{clause}» does not start with a seed number"))?;
        let mut rest = part;
        while let Some(at) = rest.find('§') {
            let (references, after) = paragraph(&rest[at + '§'.len_utf8()..])?;
            found.extend(references.into_iter().map(|r| (seed.clone(), r)));
            rest = after;
        }
    }
    Ok(found)
}

/// A row's label: exactly one reference («§4.3», «§4.10 (второй, раздел 10)», «§IV»,
/// «order 1»), no range.
fn label(text: &str) -> Result<Reference, String> {
    let text = text.trim().trim_matches('`').trim();
    if let Some(n) = text.strip_prefix("order ") {
        return n
            .parse()
            .map(Reference::OrderItem)
            .map_err(|_| format!("«{text}»: an order item is «order N»"));
    }
    let body = text
        .strip_prefix('§')
        .ok_or_else(|| format!("«{text}» is neither «§…» nor «order N»"))?;
    match paragraph(body)? {
        (mut references, "") if references.len() == 1 => Ok(references.remove(0)),
        _ => Err(format!(
            "«{text}» should name one clause, as «§4.3» or «§1.3 (второй, раздел 2)»"
        )),
    }
}

/// What a reference names in a seed.
enum Named<'s> {
    Item(&'s Found),
    Section,
}

impl Seed {
    /// The item or section `reference` names, or why there is none.
    fn resolve(&self, reference: &Reference) -> Result<Named<'_>, String> {
        let (number, occurrence, section) = match reference {
            Reference::OrderItem(n) => {
                return self
                    .items
                    .iter()
                    .find(|f| f.key == Key::OrderItem(*n))
                    .map(Named::Item)
                    .ok_or_else(|| format!("seed {} has no order item {n}", self.number))
            }
            Reference::Paragraph {
                number,
                occurrence,
                section,
            } => (number, occurrence, section),
        };
        let wanted = Key::Clause {
            number: number.clone(),
            occurrence: occurrence.unwrap_or(1),
        };
        if let Some(found) = self.items.iter().find(|f| f.key == wanted) {
            return match section {
                Some(s) if *s != found.section => Err(format!(
                    "clause {number} (occurrence {}) of seed {} is in section {}, not {s}",
                    occurrence.unwrap_or(1),
                    self.number,
                    found.section
                )),
                _ => Ok(Named::Item(found)),
            };
        }
        if occurrence.is_none() && self.sections.contains(number) {
            return Ok(Named::Section);
        }
        let same_number = self
            .items
            .iter()
            .filter(|f| matches!(&f.key, Key::Clause { number: n, .. } if n == number))
            .count();
        Err(if same_number > 0 {
            format!(
                "seed {} numbers {number} only {same_number} time(s)",
                self.number
            )
        } else {
            format!("seed {} has no clause or section {number}", self.number)
        })
    }
}

// ---- the table ---------------------------------------------------------------------------

/// A row of `docs/regulations.md`: the line and the first cell.
struct Row {
    line: usize,
    label: String,
}

/// The rows of each seed's section (headed «## Seed 000 …»); header and separator rows of
/// the tables are skipped, and so are tables outside a seed's section.
fn table_rows() -> BTreeMap<String, Vec<Row>> {
    let path = table_path();
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut seed: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('#') {
            seed = line
                .strip_prefix("## Seed ")
                .and_then(|rest| rest.get(..3))
                .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string);
            if let Some(s) = &seed {
                rows.entry(s.clone()).or_default();
            }
            continue;
        }
        let (Some(seed), Some(cells)) = (&seed, line.strip_prefix('|')) else {
            continue;
        };
        let first = cells.split('|').next().unwrap_or("").trim();
        let separator = !first.is_empty() && first.chars().all(|c| matches!(c, '-' | ':' | ' '));
        if first == "clause" || separator {
            continue;
        }
        rows.entry(seed.clone()).or_default().push(Row {
            line: i + 1,
            label: first.to_string(),
        });
    }
    rows
}

fn fail_with(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{what} ({} problem(s)):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---- the tests ---------------------------------------------------------------------------

/// The parser's reading of each seed, pinned: how many numbered items, and the numbering
/// each seed uses (its repeated numbers, its Roman sections, its flat clauses 1–10, the
/// items of its order, the «1)» lists it does not count).
#[test]
fn each_seed_is_read_with_the_numbering_it_uses() {
    let seeds = seeds();
    for seed in seeds.values() {
        println!(
            "seed {} ({}): {} numbered items; sections {:?}",
            seed.number,
            seed.file,
            seed.items.len(),
            seed.sections
        );
        for found in &seed.items {
            println!(
                "  {:<28} line {:>3}, section {:<4} {}",
                found.label(),
                found.line,
                found.section,
                found.text
            );
        }
    }
    let labels = |n: &str| -> Vec<String> { seeds[n].items.iter().map(Found::label).collect() };
    let has = |n: &str, l: &str| labels(n).iter().any(|x| x == l);

    // 000: sections 1–6 (ГПМО) and 7–12 (РПМО), clauses N.M; «4.10 .» repeated in section 10.
    assert_eq!(seeds["000"].items.len(), 61, "{:?}", labels("000"));
    assert_eq!(seeds["000"].sections.len(), 12);
    assert!(has("000", "§4.10"));
    assert!(has("000", "§4.10 (второй, раздел 10)"));
    assert!(has("000", "§12.4") && !has("000", "§10.8"));

    // 001: the order's two items; clauses to 4.1.3; «1.3.» repeated in section 2.
    assert_eq!(seeds["001"].items.len(), 18, "{:?}", labels("001"));
    assert!(has("001", "order 1") && has("001", "order 2") && !has("001", "order 3"));
    assert!(has("001", "§1.3 (второй, раздел 2)"));
    assert!(has("001", "§4.1.1") && has("001", "§4.1.3"));

    // 002: «2.1 Целью», «6.1 ГМО», «8.1 ГМО» without their last dot; headings in ** and ####.
    assert_eq!(seeds["002"].items.len(), 25, "{:?}", labels("002"));
    assert_eq!(seeds["002"].sections.len(), 8);
    assert!(has("002", "§2.1") && has("002", "§6.1") && has("002", "§8.1"));
    assert!(has("002", "§5.13"));

    // 003: the order's three items; I.1–I.5 and II.1–II.2; III and IV have no numbered
    // clause; V–VIII number theirs 5.1 … 8.2.
    assert_eq!(seeds["003"].items.len(), 37, "{:?}", labels("003"));
    assert_eq!(seeds["003"].sections.len(), 8);
    assert!(has("003", "order 3") && has("003", "§I.5") && has("003", "§II.2"));
    assert!(!has("003", "§I.6") && !has("003", "§III.1") && !has("003", "§IV.1"));
    assert!(has("003", "§6.10") && has("003", "§7.10") && has("003", "§8.2"));

    // 004: the order's two items; clauses 1–10 through three sections; the «1)», «2)» of
    // clause 9 are not clauses.
    assert_eq!(seeds["004"].items.len(), 12, "{:?}", labels("004"));
    let sections: Vec<&str> = seeds["004"].sections.iter().map(String::as_str).collect();
    assert_eq!(sections, ["1", "2", "3"]);
    for n in 1..=10 {
        assert!(has("004", &format!("§{n}")), "004 §{n}");
    }
    assert!(!has("004", "§11"));
}

#[test]
fn every_numbered_clause_of_every_seed_has_a_row_in_docs_regulations_md() {
    let seeds = seeds();
    let rows = table_rows();
    let mut problems = Vec::new();
    for seed in seeds.values() {
        let Some(seed_rows) = rows.get(&seed.number) else {
            problems.push(format!(
                "docs/regulations.md has no section «## Seed {} …»",
                seed.number
            ));
            continue;
        };
        let labels: Vec<Result<Reference, String>> =
            seed_rows.iter().map(|r| label(&r.label)).collect();
        for found in &seed.items {
            let covered = labels.iter().flatten().any(|reference| {
                matches!(seed.resolve(reference), Ok(Named::Item(f)) if f.key == found.key)
            });
            if !covered {
                problems.push(format!(
                    "seed {} {} (line {} of {}: «{}») has no row — add «| {} | … |» under «## Seed {}»",
                    seed.number,
                    found.label(),
                    found.line,
                    seed.file,
                    found.text,
                    found.label(),
                    seed.number
                ));
            }
        }
    }
    fail_with(
        &problems,
        "numbered clauses of the seeds missing from docs/regulations.md",
    );
}

#[test]
fn every_row_of_docs_regulations_md_names_a_clause_its_seed_has_once() {
    let seeds = seeds();
    let rows = table_rows();
    let mut problems = Vec::new();
    for (number, seed_rows) in &rows {
        let Some(seed) = seeds.get(number) else {
            problems.push(format!(
                "docs/regulations.md has a section for seed {number}, which is not among the seeds"
            ));
            continue;
        };
        let mut named: BTreeMap<String, usize> = BTreeMap::new();
        for row in seed_rows {
            let at = format!("docs/regulations.md:{} (seed {number})", row.line);
            let reference = match label(&row.label) {
                Ok(r) => r,
                Err(why) => {
                    problems.push(format!("{at}: {why}"));
                    continue;
                }
            };
            match seed.resolve(&reference) {
                Err(why) => problems.push(format!("{at}: «{}»: {why}", row.label)),
                Ok(Named::Item(found)) => {
                    let canonical = found.label();
                    if canonical != row.label.trim_matches('`') {
                        problems.push(format!(
                            "{at}: «{}» should be written «{canonical}»",
                            row.label
                        ));
                    }
                    if let Some(first) = named.insert(canonical.clone(), row.line) {
                        problems.push(format!(
                            "{at}: a second row for {canonical} (the first is on line {first})"
                        ));
                    }
                }
                Ok(Named::Section) => {
                    if let Some(first) = named.insert(row.label.clone(), row.line) {
                        problems.push(format!(
                            "{at}: a second row for section {} (the first is on line {first})",
                            row.label
                        ));
                    }
                }
            }
        }
    }
    fail_with(
        &problems,
        "rows of docs/regulations.md that name no clause of their seed",
    );
}

/// What is wrong with the clauses a profile cites: one line per rule and clause that names
/// something the profile's seed (or the seed a part of the clause names) does not have.
fn citation_problems(file: &str, text: &str, seeds: &BTreeMap<String, Seed>) -> Vec<String> {
    let profile = RegulationProfile::from_toml(file, text)
        .unwrap_or_else(|e| panic!("{file} does not load: {e}"));
    let mut problems = Vec::new();
    let mut reported = BTreeSet::new();
    for line in profile.rule_lines() {
        let citations = match cited(&line.clause) {
            Ok(c) => c,
            Err(why) => {
                problems.push(format!("{file}: «{}» ({}): {why}", line.rule, line.topic));
                continue;
            }
        };
        for (seed_number, reference) in citations {
            let why = match seeds.get(&seed_number) {
                None => format!("there is no seed {seed_number}"),
                Some(seed) => match seed.resolve(&reference) {
                    Ok(_) => continue,
                    Err(why) => why,
                },
            };
            if reported.insert((line.rule.clone(), line.clause.clone(), why.clone())) {
                problems.push(format!(
                    "{file}: the rule «{}» ({}) cites «{}»: {why}",
                    line.rule, line.topic, line.clause
                ));
            }
        }
    }
    problems
}

#[test]
fn every_clause_a_profile_cites_exists_in_its_seed() {
    let seeds = seeds();
    let dir = workspace().join("profiles");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
        .collect();
    paths.sort();
    for (_, name) in SEEDS {
        assert!(
            paths.iter().any(|p| p.ends_with(format!("{name}.toml"))),
            "profiles/{name}.toml is missing"
        );
    }
    let mut problems = Vec::new();
    for path in &paths {
        let file = format!(
            "profiles/{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
        );
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        problems.extend(citation_problems(&file, &text, &seeds));
    }
    fail_with(
        &problems,
        "clauses cited by the profiles that their seeds do not have",
    );
}

/// A minimal profile of seed `seed` whose levels cite `levels_clause`, every other rule a
/// clause that exists.
fn profile_citing(seed: &str, levels_clause: &str) -> String {
    format!(
        r#"
name = "made_up"
title = "Made up"
seed = "{seed}"
source = "a profile made up for a test"
documentation_clause = "{seed} §{first}"
indicators_clause = "{seed} §{first}"

[structure]
levels = ["city"]
levels_clause = "{levels_clause}"
kinds = ["methodical_association"]
kinds_clause = "{seed} §{first}"
created_by = "department"
created_by_clause = "{seed} §{first}"

[membership]
applications = false
clause = "{seed} §{first}"

[meetings]
min_clause = "{seed} §{first}"
every_question_decided = false
decisions_clause = "{seed} §{first}"
protocol_drafted_by = "head"
protocol_signed_by = "head"
protocol_clause = "{seed} §{first}"
"#,
        first = match seed {
            "003" => "I.1",
            "004" => "1",
            _ => "1.1",
        }
    )
}

/// The check above on profiles that cite what their seeds lack: a clause number the seed does
/// not have, a second occurrence it does not have or puts in another section, a plain number
/// where 003 has a Roman section, a seed that does not exist — each named with the file, the
/// rule and the clause. A section the seed has counts.
#[test]
fn a_profile_citing_a_clause_its_seed_lacks_is_named_with_file_rule_and_clause() {
    let seeds = seeds();
    let file = "profiles/made_up.toml";
    for (seed, clause, expected) in [
        (
            "000",
            "000 §4.6, §10.9",
            "seed 000 has no clause or section 10.9",
        ),
        (
            "000",
            "000 §4.10 (второй, раздел 4)",
            "is in section 10, not 4",
        ),
        (
            "001",
            "001 §4.1 (второй, раздел 4)",
            "numbers 4.1 only 1 time(s)",
        ),
        ("003", "003 §4", "seed 003 has no clause or section 4"),
        ("003", "003 §I.6", "seed 003 has no clause or section I.6"),
        ("004", "004 §11", "seed 004 has no clause or section 11"),
        ("002", "002 §5.9; 009 §1.1", "there is no seed 009"),
    ] {
        let problems = citation_problems(file, &profile_citing(seed, clause), &seeds);
        assert!(
            problems.len() == 1
                && problems[0].starts_with(file)
                && problems[0].contains("the rule «уровни объединений")
                && problems[0].contains(&format!("cites «{clause}»"))
                && problems[0].contains(expected),
            "{clause}: {problems:#?}"
        );
    }
    for (seed, clause) in [
        ("000", "000 §4, §10.1, §4.10 (второй, раздел 10)"),
        ("001", "001 §1.3 (второй, раздел 2), §4.1.1–4.1.3"),
        ("003", "003 §VI, §I.5, §7.10"),
        ("004", "004 §10, §1"),
        ("002", "002 §5.2, прил. 1, прил. 2"),
    ] {
        assert_eq!(
            citation_problems(file, &profile_citing(seed, clause), &seeds),
            Vec::<String>::new(),
            "{clause}"
        );
    }
}

/// The reference parser on the forms the profiles and the table use.
#[test]
fn clause_references_are_read_as_the_profiles_write_them() {
    let paragraph =
        |number: &str, occurrence: Option<usize>, section: Option<&str>| Reference::Paragraph {
            number: number.into(),
            occurrence,
            section: section.map(str::to_string),
        };
    let seeded = |refs: Vec<Reference>| -> Vec<(String, Reference)> {
        refs.into_iter().map(|r| ("000".to_string(), r)).collect()
    };
    assert_eq!(
        cited("000 §4.4, §10.1"),
        Ok(seeded(vec![
            paragraph("4.4", None, None),
            paragraph("10.1", None, None)
        ]))
    );
    assert_eq!(
        cited("001 §1.3 (второй, раздел 2), §4.1"),
        Ok(vec![
            ("001".into(), paragraph("1.3", Some(2), Some("2"))),
            ("001".into(), paragraph("4.1", None, None)),
        ])
    );
    assert_eq!(
        cited("001 §4.1.2–4.1.3"),
        Ok(vec![
            ("001".into(), paragraph("4.1.2", None, None)),
            ("001".into(), paragraph("4.1.3", None, None)),
        ])
    );
    assert_eq!(
        cited("003 §I.5, §IV; 004 §8"),
        Ok(vec![
            ("003".into(), paragraph("I.5", None, None)),
            ("003".into(), paragraph("IV", None, None)),
            ("004".into(), paragraph("8", None, None)),
        ])
    );
    assert_eq!(
        cited("002 §5.2, прил. 1, прил. 2"),
        Ok(vec![("002".into(), paragraph("5.2", None, None))])
    );
    assert!(cited("§4.4").is_err());
    assert_eq!(label("`order 2`"), Ok(Reference::OrderItem(2)));
    assert_eq!(
        label("§4.10 (второй, раздел 10)"),
        Ok(paragraph("4.10", Some(2), Some("10")))
    );
    assert!(label("§4.1, §4.2").is_err());
    assert!(label("4.1").is_err());
}
