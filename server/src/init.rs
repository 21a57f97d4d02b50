//! `metod init`: create the store, or migrate it to this version's schema.

use app::App;

use crate::failure::Failure;

pub async fn run(app: &App) -> Result<(), Failure> {
    let ready = app.init().await?;
    println!(
        "ok: хранилище {} готово, событий: {}",
        ready.store, ready.events
    );
    Ok(())
}
