//! `metod personal-data`: `erase` orders the destruction of a person's personal data (their
//! vault key), `act` prints the act of destruction with the log extract and records its
//! issuance.

use std::path::PathBuf;

use app::{App, ErasureBasis, ErasureGround, ErasureOrder, IssuedAct};
use chrono::NaiveDate;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};
use domain::ids::PersonId;
use domain::Acting;

use crate::cli::Format;
use crate::events::write_events;
use crate::failure::{io_failure, Failure};

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

pub async fn run(app: &App, command: PersonalDataCommand) -> Result<(), Failure> {
    match command {
        PersonalDataCommand::Erase(args) => erase(app, args).await,
        PersonalDataCommand::Act(args) => act(app, args).await,
    }
}

async fn erase(app: &App, args: EraseArgs) -> Result<(), Failure> {
    let basis = match (&args.order_number, &args.order_date, &args.order_issuer) {
        (Some(number), Some(date), Some(issuer)) => Some(ErasureBasis {
            number: number.clone(),
            date: date_of("--order-date", date)?,
            issuer: issuer.clone(),
        }),
        _ => None,
    };
    let order = ErasureOrder {
        person: person_of(&args.person)?,
        ground: args.ground,
        effective: date_of("--effective", &args.effective)?,
        acting: actor_of(&args.acting)?,
        basis,
    };
    let event = app.erase_personal_data(order).await?;
    let mut out = std::io::stdout().lock();
    write_events(&mut out, std::slice::from_ref(&event), args.format)
        .map_err(|e| io_failure("не удалось вывести событие", e))
}

async fn act(app: &App, args: ActArgs) -> Result<(), Failure> {
    let issued = app
        .destruction_act(person_of(&args.person)?, actor_of(&args.acting)?)
        .await?;
    let document = match args.format {
        ActFormat::Text => issued.text.clone(),
        ActFormat::Html => issued.html(),
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, document).map_err(|e| {
                io_failure(&format!("не удалось записать акт в {}", path.display()), e)
            })?;
            println!(
                "ok: акт записан в {}; {}",
                path.display(),
                issuance_note(&issued)
            );
        }
        None => {
            print!("{document}");
            // The record of the issuance goes where the act does not: stderr.
            eprintln!("{}", issuance_note(&issued));
        }
    }
    Ok(())
}

fn issuance_note(issued: &IssuedAct) -> String {
    let how = if issued.recorded {
        "выдача записана в журнал"
    } else {
        "этот же акт уже выдавался, новая запись не сделана"
    };
    format!(
        "{how}: позиция {}, SHA-256 текста {}",
        issued.issuance.position, issued.sha256
    )
}

fn person_of(text: &str) -> Result<PersonId, Failure> {
    PersonId::parse(text.trim().strip_prefix("person:").unwrap_or(text.trim())).map_err(|_| {
        Failure::new(
            "invalid_person",
            format!("«{text}»: нужен идентификатор лица в реестре (UUID)"),
        )
    })
}

fn actor_of(text: &str) -> Result<Acting, Failure> {
    Acting::parse(text).map_err(|e| {
        Failure::new(
            "invalid_actor",
            format!("--as «{text}»: нужен «operator» или «person:<uuid>» ({e})"),
        )
    })
}

fn date_of(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::new(
            "invalid_date",
            format!("{flag} «{text}»: нужна дата в виде ГГГГ-ММ-ДД"),
        )
    })
}
