//! `metod compare`: two school years side by side, as a table, JSON or CSV.

use app::App;
use domain::SchoolYear;

use crate::cli::CompareArgs;
use crate::dates::parse_known_at;
use crate::failure::Failure;
use crate::query::print_report;

pub async fn run(app: &App, args: CompareArgs) -> Result<(), Failure> {
    let year =
        |text: &str| SchoolYear::parse(text).map_err(|e| Failure::new(e.code(), e.to_string()));
    let (first, second) = (year(&args.first)?, year(&args.second)?);
    let known_at = parse_known_at(args.known_at.as_deref())?;
    let filters = projections::queries::Filters {
        district: args.district,
        subject: args.subject,
    };
    let report = app.compare(first, second, known_at, filters).await?;
    print_report(&report, args.format)
}
