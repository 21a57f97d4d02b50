//! `metod demo`: a generated history in an empty store, then the read models.

use app::App;

use crate::cli::DemoArgs;
use crate::failure::Failure;
use crate::progress::progress_printer;

pub async fn run(app: &App, args: DemoArgs) -> Result<(), Failure> {
    let spec = demo::DemoSpec {
        profile: args.profile.clone(),
        scale: args.scale.generated(),
        years: args.years,
        seed: args.seed,
    };
    let years = progress_printer("учебные годы");
    let read_models = progress_printer("модели чтения");
    let run = app.demo(spec, &years, &read_models).await?;
    let report = &run.report;
    println!(
        "ok: {} — {} … {}: событий {}, команд {} (с опозданием внесено {}), исправлений протоколов {}, \
         реакций процесса {}, пропущенных сроков {}; учителей {}, организаций {}, объединений {}; \
         {:.1} с на генерацию, {:.1} с всего",
        run.store,
        report.first_year,
        report.last_year,
        report.events,
        report.commands,
        report.late_recorded,
        report.corrections,
        report.reactions,
        report.deadlines_missed,
        report.teachers,
        report.organizations,
        report.associations,
        run.generated.as_secs_f64(),
        run.total.as_secs_f64()
    );
    Ok(())
}
