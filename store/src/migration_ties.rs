//! The constants that the migrations and the Rust code both spell, held together: the span
//! classes, the indexes a rebuild drops and creates again, the stored open ends, the columns
//! the statements name (the tree's nodes and frontier too), and the benchmark's bare copy of
//! the log, the kinds of account. A migration that changes
//! one of them without the code (or the other way round) fails here rather than in a query.

use std::collections::BTreeMap;

use crate::bench::{POSTGRES_RAW_TABLE, SQLITE_RAW_TABLE};
use crate::decode::EVENT_COLUMNS;
use crate::facts::{
    bodies_in_scope_condition, current_bodies_condition, EVERY_SPAN_CLASS, FACTS_BODIES_IN_SCOPE,
    FACTS_CURRENT_BODIES, FACT_COLUMNS, FACT_INDEXES, OPEN_DAY, OPEN_MICROS, RECORDED_LIMITS,
    SPAN_LIMITS,
};
use crate::sql::Dialect;
use crate::tree::{LOWEST_STORED_LEVEL, TREE_NODE_COLUMNS};

/// Every migration of both backends, in order, by backend name.
fn migrations() -> [(&'static str, Vec<String>); 2] {
    let texts = |migrator: &sqlx::migrate::Migrator| {
        migrator
            .iter()
            .map(|m| m.sql.to_string())
            .collect::<Vec<_>>()
    };
    [
        ("sqlite", texts(&crate::sqlite::MIGRATOR)),
        ("postgres", texts(&crate::postgres::MIGRATOR)),
    ]
}

/// The statements of a migration without their comments, whitespace made single spaces.
fn statements(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    code.split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The columns (name, type) of `CREATE TABLE table (…)` in `sql`, constraints left out.
fn table_columns(sql: &str, table: &str) -> Vec<(String, String)> {
    let create = format!("CREATE TABLE {table} (");
    let statement = statements(sql)
        .into_iter()
        .find(|s| s.starts_with(&create))
        .unwrap_or_else(|| panic!("no {create}"));
    let body = &statement[create.len()..statement.rfind(')').expect("a closing parenthesis")];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| {
            !["UNIQUE", "PRIMARY", "CHECK"]
                .iter()
                .any(|k| p.starts_with(k))
        })
        .map(|p| {
            let mut words = p.split_whitespace();
            let name = words.next().expect("a column name").to_string();
            (name, words.next().expect("a column type").to_string())
        })
        .collect()
}

fn names(columns: &str) -> Vec<String> {
    columns.split(',').map(|c| c.trim().to_string()).collect()
}

#[test]
fn the_span_classes_of_the_migrations_are_the_span_limits() {
    let case: String = (0..SPAN_LIMITS.len())
        .map(|class| {
            format!(
                "WHEN valid_to - valid_from <= {} THEN {class} ",
                SPAN_LIMITS[class]
            )
        })
        .collect();
    let case = format!("(CASE {case}ELSE {} END)", SPAN_LIMITS.len());
    for (backend, migrations) in migrations() {
        let defined = migrations
            .iter()
            .flat_map(|sql| statements(sql))
            .filter(|s| s.contains("ADD COLUMN span_class"))
            .collect::<Vec<_>>();
        assert_eq!(defined.len(), 1, "{backend}: span_class is defined once");
        assert!(
            defined[0].contains(&case),
            "{backend}: {} ≠ {case}",
            defined[0]
        );
    }
    let every: Vec<String> = (0..=SPAN_LIMITS.len()).map(|c| c.to_string()).collect();
    assert_eq!(EVERY_SPAN_CLASS, every.join(", "));
}

#[test]
fn the_recorded_classes_of_the_migrations_are_the_recorded_limits() {
    let case: String = RECORDED_LIMITS
        .iter()
        .enumerate()
        .map(|(class, limit)| format!("WHEN recorded_to <= recorded_from + {limit} THEN {class} "))
        .collect();
    let case = format!("(CASE {case}ELSE {} END)", RECORDED_LIMITS.len());
    for (backend, migrations) in migrations() {
        let defined = migrations
            .iter()
            .flat_map(|sql| statements(sql))
            .filter(|s| s.contains("ADD COLUMN recorded_class"))
            .collect::<Vec<_>>();
        assert_eq!(
            defined.len(),
            1,
            "{backend}: recorded_class is defined once"
        );
        assert!(
            defined[0].contains(&case),
            "{backend}: {} ≠ {case}",
            defined[0]
        );
    }
}

#[test]
fn the_fact_indexes_are_those_the_migrations_leave() {
    let backends = [
        <sqlx::Sqlite as Dialect>::FACT_INDEXES,
        <sqlx::Postgres as Dialect>::FACT_INDEXES,
    ];
    for ((backend, migrations), indexes) in migrations().into_iter().zip(backends) {
        let expected: BTreeMap<String, String> = indexes
            .iter()
            .map(|(name, columns)| (name.to_string(), columns.to_string()))
            .collect();
        let mut indexes = BTreeMap::new();
        for statement in migrations.iter().flat_map(|sql| statements(sql)) {
            let words: Vec<&str> = statement.splitn(6, ' ').collect();
            match words.as_slice() {
                ["CREATE", "INDEX", name, "ON", "read_model_facts", columns] => {
                    indexes.insert(name.to_string(), columns.to_string());
                }
                ["DROP", "INDEX", "IF", "EXISTS", name] | ["DROP", "INDEX", name] => {
                    indexes.remove(*name);
                }
                _ => {}
            }
        }
        assert_eq!(indexes, expected, "{backend}");
    }
}

#[test]
fn sqlite_keeps_the_shared_indexes_and_the_current_bodies_under_the_conditions_queries_name() {
    let sqlite = <sqlx::Sqlite as Dialect>::FACT_INDEXES;
    let (shared, extra): (Vec<_>, Vec<_>) = sqlite
        .iter()
        .partition(|index| FACT_INDEXES.contains(index));
    assert_eq!(shared.len(), FACT_INDEXES.len());
    let [(bodies, bodies_columns), (in_scope, in_scope_columns)] = extra.as_slice() else {
        panic!("SQLite keeps two indexes beyond the shared ones: {extra:?}");
    };
    assert_eq!(*bodies, FACTS_CURRENT_BODIES);
    assert!(
        bodies_columns.ends_with(&format!(" WHERE {}", current_bodies_condition())),
        "{bodies_columns}"
    );
    assert_eq!(*in_scope, FACTS_BODIES_IN_SCOPE);
    assert!(
        in_scope_columns.ends_with(&format!(" WHERE {}", bodies_in_scope_condition())),
        "{in_scope_columns}"
    );
}

#[test]
fn the_open_ends_are_the_values_the_migrations_name() {
    for (backend, migrations) in migrations() {
        let facts = migrations
            .iter()
            .find(|sql| sql.contains("CREATE TABLE read_model_facts"))
            .expect("the facts' table");
        for open_end in [
            format!("valid_to       INTEGER NOT NULL,      -- exclusive; {OPEN_DAY} while open"),
            format!("-- exclusive; {OPEN_MICROS} while current"),
        ] {
            assert!(facts.contains(&open_end), "{backend}: {open_end}");
        }
    }
}

#[test]
fn the_statements_name_the_columns_the_migrations_create() {
    for (backend, migrations) in migrations() {
        let first = &migrations[0];
        let events: Vec<String> = table_columns(first, "events")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(events, names(EVENT_COLUMNS), "{backend}: events");
        let facts = migrations
            .iter()
            .find(|sql| sql.contains("CREATE TABLE read_model_facts"))
            .expect("the facts' table");
        let facts: Vec<String> = table_columns(facts, "read_model_facts")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(facts, names(FACT_COLUMNS), "{backend}: read_model_facts");
    }
}

#[test]
fn the_benchmarks_bare_table_has_the_logs_columns_and_types() {
    for ((backend, migrations), raw) in migrations()
        .into_iter()
        .zip([SQLITE_RAW_TABLE, POSTGRES_RAW_TABLE])
    {
        assert_eq!(
            table_columns(raw, "bench_raw_events"),
            table_columns(&migrations[0], "events"),
            "{backend}"
        );
    }
}

#[test]
fn the_tree_statements_name_the_nodes_table_and_frontier_the_migrations_create() {
    for (backend, migrations) in migrations() {
        let tree = migrations
            .iter()
            .find(|sql| sql.contains("CREATE TABLE tree_nodes"))
            .expect("the tree's table");
        let columns: Vec<String> = table_columns(tree, "tree_nodes")
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(columns, names(TREE_NODE_COLUMNS), "{backend}: tree_nodes");
        assert!(
            statements(tree)
                .iter()
                .any(|s| s.contains("PRIMARY KEY (position, level)")),
            "{backend}: a node is found by its last position and level"
        );
        let lowest = format!("CHECK (level >= {LOWEST_STORED_LEVEL})");
        assert!(
            statements(tree).iter().any(|s| s.contains(&lowest)),
            "{backend}: {lowest}"
        );
        assert!(
            statements(tree)
                .iter()
                .any(|s| s.starts_with("ALTER TABLE log_head ADD COLUMN frontier ")),
            "{backend}: the frontier is kept beside the head"
        );
    }
}

#[test]
fn the_account_kinds_are_those_the_migrations_admit() {
    let kinds: Vec<String> = crate::accounts::ACCOUNT_KINDS
        .iter()
        .map(|kind| format!("'{kind}'"))
        .collect();
    let check = format!("CHECK (kind IN ({}))", kinds.join(", "));
    for (backend, migrations) in migrations() {
        let accounts = migrations
            .iter()
            .find(|sql| sql.contains("CREATE TABLE accounts"))
            .expect("the accounts' table");
        assert!(
            statements(accounts).iter().any(|s| s.contains(&check)),
            "{backend}: {check}"
        );
    }
}
