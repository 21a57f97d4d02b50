//! Throwaway stores for tests: a SQLite file in a temporary directory, or a fresh database
//! in the PostgreSQL cluster named by `METOD_TEST_PG_URL` (the test command starts one).

use std::sync::Arc;

use tempfile::TempDir;

use crate::clock::{Clock, SystemClock};
use crate::event_store::SharedStore;
use crate::open::{open, Backend};
use crate::schema::OpenMode;

/// The variable that names the PostgreSQL server the tests may create databases in.
pub const PG_URL_VARIABLE: &str = "METOD_TEST_PG_URL";

/// A database that exists for one test; the SQLite directory is removed when it drops.
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    /// A new, empty database (no schema yet) on `backend`.
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("metod.db").display());
                Self {
                    url,
                    backend,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => Self {
                url: fresh_postgres_database().await,
                backend,
                _dir: None,
            },
        }
    }

    /// Opens the store (creating its schema) with the given clock.
    pub async fn open_with(&self, clock: Arc<dyn Clock>) -> SharedStore {
        open(&self.url, OpenMode::CreateOrMigrate, clock)
            .await
            .expect("the test store opens")
    }

    /// Opens the store with the system clock.
    pub async fn open(&self) -> SharedStore {
        self.open_with(Arc::new(SystemClock)).await
    }

    /// What someone with write access to the database could do to hide a change: give the
    /// event at `position` the payload `payload`, recompute its hash, every later event's and
    /// the head's, and drop the tree so that the store rebuilds it from the rewritten log on
    /// opening. `verify` passes afterwards; only a checkpoint signed earlier tells.
    pub async fn rewrite_history(&self, position: u64, payload: &str) {
        let store = self.open().await;
        let mut events = store.read_all(1, usize::MAX).await.expect("the log reads");
        drop(store);
        let blob = |hash: &[u8; 32]| match self.backend {
            Backend::Sqlite => format!("X'{}'", hex::encode(hash)),
            Backend::Postgres => format!("'\\x{}'::bytea", hex::encode(hash)),
        };
        let mut sql = String::new();
        let mut prev = crate::GENESIS_HASH;
        for event in &mut events {
            if event.position == position {
                event.payload = payload.to_string();
            }
            if event.position >= position {
                event.prev_hash = prev;
                event.hash = crate::recompute_hash(event, &prev);
                sql.push_str(&format!(
                    "UPDATE events SET payload = '{}', prev_hash = {}, hash = {} WHERE position = {};\n",
                    event.payload.replace('\'', "''"),
                    blob(&event.prev_hash),
                    blob(&event.hash),
                    event.position
                ));
            }
            prev = event.hash;
        }
        sql.push_str(&format!(
            "UPDATE log_head SET hash = {}, frontier = NULL; DELETE FROM tree_nodes;",
            blob(&prev)
        ));
        self.execute_raw(&sql).await;
    }

    /// Runs raw SQL against the database, behind the store's back (to tamper with it).
    pub async fn execute_raw(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url)
                    .await
                    .expect("raw SQLite connection");
                sqlx::raw_sql(sql)
                    .execute(&pool)
                    .await
                    .expect("raw SQL runs");
                pool.close().await;
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url)
                    .await
                    .expect("raw PostgreSQL connection");
                sqlx::raw_sql(sql)
                    .execute(&pool)
                    .await
                    .expect("raw SQL runs");
                pool.close().await;
            }
        }
    }
}

impl TestDatabase {
    /// Records a migration newer than any this build knows, as a later metod would.
    pub async fn pretend_newer_schema(&self, version: i64) {
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
                 VALUES ({version}, 'from a newer metod', CURRENT_TIMESTAMP, TRUE, x'00', 0)"
            ),
            Backend::Postgres => format!(
                "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
                 VALUES ({version}, 'from a newer metod', now(), TRUE, '\\x00'::bytea, 0)"
            ),
        };
        self.execute_raw(&sql).await;
    }
}

impl TestDatabase {
    /// Takes the store back to schema 6, as if a metod before the Merkle tree had made it: the
    /// rows of migrations 0007 to 0011 in `_sqlx_migrations` go, and what they did is undone
    /// (0007 added the tree's nodes and the frontier beside the head, 0008 the signed
    /// checkpoints, 0009 the accounts and what hangs off them, 0010 the facts' index by
    /// scope, 0011 the versions' texts, 0012 the meetings' index, 0013 on PostgreSQL the
    /// one-call append, 0014 the validity intervals in the indexes by key and by scope, 0015
    /// the recorded class and the index of the long rows by recording, 0016 to 0018 on SQLite
    /// the indexes of bodies, 0019 on SQLite the retirements kept waiting, 0020 on SQLite the
    /// vault kept by person). A newer migration must be undone here too, or the tests that
    /// use this fail.
    pub async fn pretend_previous_schema(&self) {
        self.execute_raw(
            "DELETE FROM _sqlx_migrations WHERE version >= 7; \
             DROP TABLE IF EXISTS read_model_retirements; \
             DROP INDEX IF EXISTS read_model_facts_bodies_in_scope; \
             DROP INDEX IF EXISTS read_model_facts_current_bodies; \
             DROP INDEX IF EXISTS read_model_facts_long_by_recording; \
             ALTER TABLE read_model_facts DROP COLUMN recorded_class; \
             DROP INDEX IF EXISTS read_model_facts_by_scope; \
             DROP INDEX IF EXISTS read_model_facts_by_key; \
             CREATE INDEX read_model_facts_by_key ON read_model_facts (kind, fact_key); \
             DROP INDEX IF EXISTS events_meeting_held_association; \
             DROP TABLE document_texts; \
             DROP TABLE access_journal; \
             DROP TABLE login_failures; \
             DROP TABLE access_tokens; \
             DROP TABLE sessions; \
             DROP TABLE accounts; \
             DROP TABLE signed_checkpoints; \
             DROP TABLE tree_nodes; \
             ALTER TABLE log_head DROP COLUMN frontier;",
        )
        .await;
        match self.backend {
            // 0013: PostgreSQL's one-call append (SQLite has no such migration).
            Backend::Postgres => self.execute_raw("DROP FUNCTION metod_append_after").await,
            // 0020: SQLite's vault kept by person; before it, a table with an index of ids.
            Backend::Sqlite => {
                // with the keys' old pages zeroed as they are freed, as the store's own
                // connections do: the migration's test looks for keys left behind
                self.execute_raw(
                    "PRAGMA secure_delete = ON; \
                     CREATE TABLE person_keys_before (person_id TEXT PRIMARY KEY, key BLOB, \
                     created_at INTEGER NOT NULL, shredded_at INTEGER); \
                     INSERT INTO person_keys_before SELECT * FROM person_keys; \
                     DROP TABLE person_keys; \
                     ALTER TABLE person_keys_before RENAME TO person_keys;",
                )
                .await
            }
        }
    }
}

/// Generates, for each named `async fn case(backend: Backend)` in the calling module, one
/// test in `mod sqlite` and one in `mod postgres`, so a suite runs on every backend (and
/// `--skip postgres` names the PostgreSQL half).
#[macro_export]
macro_rules! on_every_backend {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() { super::$case($crate::Backend::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() { super::$case($crate::Backend::Postgres).await }
            )*
        }
    };
}

/// The PostgreSQL server URL for tests. Panics with instructions when it is not set: a test
/// that needs PostgreSQL must not pass without it.
pub fn postgres_server_url() -> String {
    std::env::var(PG_URL_VARIABLE).unwrap_or_else(|_| {
        panic!(
            "{PG_URL_VARIABLE} is not set: run the tests through scripts/test.sh, which starts a \
             throwaway PostgreSQL cluster, or point it at a server where databases may be created"
        )
    })
}

/// Creates an empty database with a unique name and returns its URL.
pub async fn fresh_postgres_database() -> String {
    let server = postgres_server_url();
    let name = format!("metod_test_{}", uuid::Uuid::new_v4().simple());
    let pool = sqlx::PgPool::connect(&server)
        .await
        .expect("the test PostgreSQL server accepts connections");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("CREATE DATABASE");
    pool.close().await;
    with_database(&server, &name)
}

fn with_database(server: &str, database: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[authority_end..]
        .find('/')
        .map(|i| i + authority_end)
        .unwrap_or(base.len());
    format!("{}/{database}{query}", &base[..path_start])
}

impl TestDatabase {
    /// The vault key of `person` as stored, read past the store (None: no key, or shredded).
    pub async fn stored_key(&self, person: &str) -> Option<Vec<u8>> {
        let key: Option<Option<Vec<u8>>> = match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url)
                    .await
                    .expect("raw SQLite connection");
                let key = sqlx::query_scalar("SELECT key FROM person_keys WHERE person_id = ?")
                    .bind(person)
                    .fetch_optional(&pool)
                    .await
                    .expect("the key reads");
                pool.close().await;
                key
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url)
                    .await
                    .expect("raw PostgreSQL connection");
                let key = sqlx::query_scalar("SELECT key FROM person_keys WHERE person_id = $1")
                    .bind(person)
                    .fetch_optional(&pool)
                    .await
                    .expect("the key reads");
                pool.close().await;
                key
            }
        };
        key.flatten()
    }

    /// Whether `bytes` occur in the files that hold the vault on disk: the SQLite database
    /// file and its WAL; for PostgreSQL, after a checkpoint, the `person_keys` table's file.
    pub async fn vault_files_contain(&self, bytes: &[u8]) -> bool {
        let files: Vec<std::path::PathBuf> = match self.backend {
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite://").to_string();
                vec![path.clone().into(), format!("{path}-wal").into()]
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url)
                    .await
                    .expect("raw PostgreSQL connection");
                sqlx::query("CHECKPOINT")
                    .execute(&pool)
                    .await
                    .expect("a checkpoint");
                let data: String = sqlx::query_scalar("SELECT current_setting('data_directory')")
                    .fetch_one(&pool)
                    .await
                    .expect("the data directory");
                let relation: String =
                    sqlx::query_scalar("SELECT pg_relation_filepath('person_keys')")
                        .fetch_one(&pool)
                        .await
                        .expect("the table's file");
                pool.close().await;
                vec![std::path::Path::new(&data).join(relation)]
            }
        };
        files.iter().any(|file| {
            std::fs::read(file)
                .map(|content| content.windows(bytes.len()).any(|w| w == bytes))
                .unwrap_or(false)
        })
    }
}
