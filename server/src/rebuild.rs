//! `metod rebuild`: every read model again from the first event of the log.

use app::App;

use crate::failure::Failure;
use crate::progress::progress_printer;

pub async fn run(app: &App) -> Result<(), Failure> {
    let progress = progress_printer("перестроение моделей чтения");
    let rebuilt = app.rebuild(&progress).await?;
    println!(
        "ok: модели чтения перестроены по {} событиям за {:.1} с: строк записано {}, закрыто {}",
        rebuilt.done.to,
        rebuilt.took.as_secs_f64(),
        rebuilt.done.rows_written,
        rebuilt.done.rows_retired
    );
    Ok(())
}
