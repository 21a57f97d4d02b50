//! One row of an answer: named cells, kept in the order of their names, which is the order
//! the answer's JSON shows them in.
//!
//! A row's names are the answer's own (`"association"`, `"title"`…), fixed in the code, so a
//! row holds them as they are rather than as strings of its own: a map of owned names cost
//! every row of a long answer a copy of each name and a tree node (on a region's retention
//! answer of 73,958 rows, a fifth of its time). And a value many rows repeat (an
//! association's title in each of its documents' rows) can be one value they share.

use std::fmt;
use std::ops::{Deref, Index};
use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// Named cells, in the order of their names; a name is in a row at most once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    cells: Vec<(&'static str, Cell)>,
}

/// A cell's value: the row's own, or one that rows share. Either reads as the value.
#[derive(Clone)]
pub(crate) enum Cell {
    Own(Value),
    Shared(Arc<Value>),
}

impl Deref for Cell {
    type Target = Value;

    fn deref(&self) -> &Value {
        match self {
            Cell::Own(value) => value,
            Cell::Shared(value) => value,
        }
    }
}

/// Two cells are equal when their values are, shared or not.
impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// The names of a row's cells, checked once when made to be in their order, each once: a
/// `const` of them is checked as the code compiles. Rows made of them
/// ([`Row::of_named`]) take their cells without comparing a name.
pub(crate) struct Names<const N: usize>([&'static str; N]);

impl<const N: usize> Names<N> {
    /// Panics (for a `const`, fails to compile) unless each name comes after the one before.
    pub(crate) const fn new(names: [&'static str; N]) -> Self {
        let mut i = 1;
        while i < N {
            assert!(
                comes_before(names[i - 1], names[i]),
                "the names of a row's cells are given in their order, each once"
            );
            i += 1;
        }
        Self(names)
    }
}

/// Whether `a` comes before `b` in the order of their bytes (as `a < b` orders them).
const fn comes_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

impl Row {
    /// The row of `cells` under `names`, the first cell under the first name.
    pub(crate) fn of_named<const N: usize>(names: &Names<N>, cells: [Cell; N]) -> Self {
        Row {
            cells: names.0.into_iter().zip(cells).collect(),
        }
    }

    /// An empty row.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the cell `name` to `value`, replacing the one it had.
    pub fn insert(&mut self, name: &'static str, value: Value) {
        self.put(name, Cell::Own(value));
    }

    /// The row of these cells; of two cells of one name, the later one is kept.
    pub(crate) fn of_cells(cells: impl IntoIterator<Item = (&'static str, Cell)>) -> Self {
        let cells = cells.into_iter();
        let mut row = Row {
            cells: Vec::with_capacity(cells.size_hint().0),
        };
        for (name, cell) in cells {
            row.put(name, cell);
        }
        row
    }

    fn put(&mut self, name: &'static str, cell: Cell) {
        // Cells given in the order of their names (as a long answer gives them) go last.
        if self.cells.last().is_none_or(|(last, _)| *last < name) {
            self.cells.push((name, cell));
            return;
        }
        match self.cells.binary_search_by(|(n, _)| (*n).cmp(name)) {
            Ok(at) => self.cells[at].1 = cell,
            Err(at) => self.cells.insert(at, (name, cell)),
        }
    }

    /// The cell `name`, if the row has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.cells
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .map(|at| &*self.cells[at].1)
    }

    /// The names and cells, in the order of the names.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.cells.iter().map(|(name, cell)| (*name, &**cell))
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl FromIterator<(&'static str, Value)> for Row {
    /// The row of these cells; of two cells of one name, the later one is kept.
    fn from_iter<I: IntoIterator<Item = (&'static str, Value)>>(cells: I) -> Self {
        Row::of_cells(
            cells
                .into_iter()
                .map(|(name, value)| (name, Cell::Own(value))),
        )
    }
}

impl Index<&str> for Row {
    type Output = Value;

    /// The cell `name`; panics when the row has none, as a map does.
    fn index(&self, name: &str) -> &Value {
        self.get(name)
            .unwrap_or_else(|| panic!("the row has no cell {name:?}"))
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.cells.len()))?;
        for (name, cell) in &self.cells {
            map.serialize_entry(name, &**cell)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map};

    use super::*;

    /// A row reads and writes as the map of its cells did: the same JSON, byte for byte,
    /// whatever order its cells were given in, and the later of two cells of one name.
    #[test]
    fn a_row_is_written_as_the_map_of_its_cells() {
        let cells = [
            ("title", json!("План работы")),
            ("association", json!("0f731e65-5d03-551e-aa8b-2ff0f1ae8fc1")),
            ("kept_until", json!("2028-08-31")),
            ("clause", json!("000 §4.8")),
            ("title", json!("Анализ работы")),
            ("numerator", json!(3)),
            ("value", Value::Null),
        ];
        let row: Row = cells.iter().cloned().collect();
        let map: Map<String, Value> = cells
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        assert_eq!(
            serde_json::to_string(&row).expect("a row as JSON"),
            serde_json::to_string(&map).expect("a map as JSON")
        );
        assert_eq!(row.len(), 6);
        assert_eq!(row["title"], "Анализ работы");
        assert_eq!(row.get("numerator"), Some(&json!(3)));
        assert_eq!(row.get("name"), None);
        let names: Vec<&str> = row.iter().map(|(name, _)| name).collect();
        assert_eq!(
            names,
            [
                "association",
                "clause",
                "kept_until",
                "numerator",
                "title",
                "value"
            ]
        );
    }

    /// Names are in their order when their bytes are, as the map orders its keys; a row made
    /// under them is the row made of the same cells one by one.
    #[test]
    fn names_come_in_the_order_of_their_bytes() {
        let ordered = [
            ("a", "b", true),
            ("b", "a", false),
            ("title", "title", false),
            ("kept", "kept_until", true),
            ("kept_until", "kept", false),
            ("Z", "a", true),
            ("what", "школа", true),
        ];
        for (a, b, before) in ordered {
            assert_eq!(comes_before(a, b), before, "{a} before {b}");
            assert_eq!(comes_before(a, b), a < b, "{a} before {b}");
        }
        const NAMES: Names<3> = Names::new(["association", "title", "what"]);
        let cells = [json!(1), json!("План"), json!("план работы")];
        let named = Row::of_named(&NAMES, cells.clone().map(Cell::Own));
        let one_by_one: Row = NAMES.0.into_iter().zip(cells).collect();
        assert_eq!(named, one_by_one);
    }

    #[test]
    #[should_panic(expected = "given in their order, each once")]
    fn names_out_of_order_are_refused() {
        Names::new(["title", "association"]);
    }

    #[test]
    #[should_panic(expected = "given in their order, each once")]
    fn a_name_given_twice_is_refused() {
        Names::new(["title", "title"]);
    }

    /// A shared value reads, compares and is written as the same value owned.
    #[test]
    fn a_shared_cell_is_its_value() {
        let title = Arc::new(json!("ГПМО учителей физики"));
        let shared = Row::of_cells([
            ("association_title", Cell::Shared(Arc::clone(&title))),
            ("what", Cell::Own(json!("план работы"))),
        ]);
        let owned: Row = [
            ("what", json!("план работы")),
            ("association_title", json!("ГПМО учителей физики")),
        ]
        .into_iter()
        .collect();
        assert_eq!(shared, owned);
        assert_eq!(shared["association_title"], *title);
        assert_eq!(
            serde_json::to_string(&shared).expect("a row as JSON"),
            serde_json::to_string(&owned).expect("a row as JSON")
        );
        assert_eq!(
            format!("{shared:?}"),
            r#"Row { cells: [("association_title", String("ГПМО учителей физики")), ("what", String("план работы"))] }"#
        );
    }

    #[test]
    #[should_panic(expected = "the row has no cell \"name\"")]
    fn a_missing_cell_is_refused_by_name() {
        let _ = &Row::new()["name"];
    }
}
