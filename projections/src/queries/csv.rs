//! An answer as text: each cell as a person reads it, and the whole answer as CSV — the same
//! bytes whether the command line or the HTTP API writes them.

use serde_json::Value;

use super::{no_rule_line, Report};

/// A cell as text: empty for nothing, «да»/«нет» for flags, a list joined with «; ».
pub fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "да".into(),
        Some(Value::Bool(false)) => "нет".into(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| cell_text(Some(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

impl Report {
    /// The line said instead of rows when the profile has no rule for the question.
    pub fn no_rule_text(&self) -> Option<String> {
        (!self.profile_has_rule).then(|| {
            self.no_rule
                .clone()
                .unwrap_or_else(|| no_rule_line(&self.profile))
        })
    }

    /// The answer as CSV: a header of column keys and a line per row; for a question the
    /// profile has no rule for, one row saying so, with the clause of the nearest provision
    /// where the profile cites one.
    pub fn to_csv(&self) -> String {
        if let Some(line) = self.no_rule_text() {
            let clauses: Vec<&str> = self.rules.iter().map(|r| r.clause.as_str()).collect();
            return format!(
                "profile,profile_has_rule,clause,note\n{},нет,{},{}\n",
                csv_cell(&self.profile),
                csv_cell(&clauses.join("; ")),
                csv_cell(&line)
            );
        }
        let header: Vec<&str> = self.columns.iter().map(|c| c.key).collect();
        let mut text = header.join(",");
        text.push('\n');
        for row in &self.rows {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| csv_cell(&cell_text(row.get(c.key))))
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        text
    }
}
