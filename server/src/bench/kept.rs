//! Histories a benchmark generates once and keeps under a path the user gives (`--data`):
//! a SQLite file in that directory, or a database beside the one a PostgreSQL URL names,
//! each named by what was generated (`novokuznetsk_region_10y_s1`), so that `bench
//! read-models` and `bench serve` find the same history again without generating it.

use app::{App, Config};

use crate::failure::Failure;

/// The name of the history of `profile` at `scale`, of `years` school years from `seed`.
pub fn history_name(profile: &str, scale: &str, years: u32, seed: u64) -> String {
    format!("{profile}_{scale}_{years}y_s{seed}")
}

/// The store of the history `name` kept under `data`: a SQLite file in that directory
/// (created when missing), or a database beside the one a PostgreSQL URL names (created
/// empty when the server has none of that name).
pub async fn store_of(data: &str, name: &str) -> Result<String, Failure> {
    if data.starts_with("postgres://") || data.starts_with("postgresql://") {
        return Ok(store::bench::kept_postgres_sibling(data, &format!("_{name}")).await?);
    }
    std::fs::create_dir_all(data).map_err(|e| {
        crate::failure::io_failure(&format!("не удалось создать каталог {data}"), e)
    })?;
    let path = std::path::Path::new(data).join(format!("{name}.db"));
    Ok(format!("sqlite://{}", path.display()))
}

/// How many events the store at `url` holds: 0 when it is empty or not yet initialized.
pub async fn events_held(config: &Config, url: &str) -> Result<u64, Failure> {
    let kept = App::new(Config {
        db: url.to_string(),
        ..config.clone()
    });
    match kept.store().await {
        Ok(store) => Ok(store.last_position().await?),
        Err(e) if e.code() == "store_not_initialized" => Ok(0),
        Err(e) => Err(e.into()),
    }
}
