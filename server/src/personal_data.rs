//! `metod personal-data`: `erase` orders the destruction of a person's personal data (their
//! vault key), `act` prints the act of destruction with the log extract and records its
//! issuance.

use app::{App, ErasureBasis, ErasureOrder, IssuedAct};
use chrono::NaiveDate;
use domain::ids::PersonId;
use domain::Acting;

use crate::cli::personal_data::{ActArgs, ActFormat, EraseArgs, PersonalDataCommand};
use crate::events::write_events;
use crate::failure::{io_failure, Failure};

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
