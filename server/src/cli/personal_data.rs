//! The grammar of `metod personal-data`: `erase` and `act`, their arguments.

use std::path::PathBuf;

use app::ErasureGround;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};

use super::Format;

#[derive(Debug, Subcommand)]
pub enum PersonalDataCommand {
    /// Destroy a person's personal data: their key is deleted, the log's encrypted records
    /// stay (152-FZ art. 21 parts 4, 5; art. 5 part 7).
    Erase(EraseArgs),
    /// The act of destruction of a person's personal data with the extract from the event
    /// log (Roskomnadzor order No. 179); its issuance is recorded in the log.
    Act(ActArgs),
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// Whose data: the person's registry id.
    #[arg(long)]
    pub person: String,
    /// Why the data is destroyed.
    #[arg(long, value_parser = grounds())]
    pub ground: ErasureGround,
    /// The day the destruction takes effect (ГГГГ-ММ-ДД), today or earlier.
    #[arg(long)]
    pub effective: String,
    /// Who orders it: `operator`, or `person:<uuid>` of an official of the education
    /// authority or the methodical center.
    #[arg(long = "as", value_name = "ACTOR")]
    pub acting: String,
    /// The number of the operator's order to destroy.
    #[arg(long, requires_all = ["order_date", "order_issuer"])]
    pub order_number: Option<String>,
    /// The date of that order (ГГГГ-ММ-ДД).
    #[arg(long, requires_all = ["order_number", "order_issuer"])]
    pub order_date: Option<String>,
    /// Who issued that order.
    #[arg(long, requires_all = ["order_number", "order_date"])]
    pub order_issuer: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActFormat {
    Text,
    Html,
}

#[derive(Debug, Args)]
pub struct ActArgs {
    /// Whose data was destroyed: the person's registry id.
    pub person: String,
    /// Who issues the act: `operator`, or `person:<uuid>` of an official of the education
    /// authority or the methodical center.
    #[arg(long = "as", value_name = "ACTOR")]
    pub acting: String,
    #[arg(long, value_enum, default_value_t = ActFormat::Text)]
    pub format: ActFormat,
    /// Write the act to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The grounds `--ground` takes, with the wording and clause `--help` says of each.
fn grounds() -> impl TypedValueParser<Value = ErasureGround> {
    let names = ErasureGround::ALL
        .map(|g| PossibleValue::new(g.name()).help(format!("{} ({})", g.in_russian(), g.clause())));
    PossibleValuesParser::new(names).try_map(|name| name.parse::<ErasureGround>())
}
