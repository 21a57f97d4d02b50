//! `metod audit`: the signing key, signed checkpoints, offline bundles and their check, and
//! consistency proofs. `check` opens no store: it reads the bundle and the key it is given.

use std::io::Write;
use std::path::Path;

use app::App;
use audit::{Bundle, CanonicalEvent, EventRole, SigningKey, VerifierKey};
use domain::ids::DocumentId;
use store::{Actor, BasisKind, LegalBasis, RecordedEvent, StreamId};

use crate::cli::{
    AuditCheckArgs, AuditCheckpointArgs, AuditCheckpointsArgs, AuditCommand, AuditConsistencyArgs,
    AuditKeyCommand, AuditKeyNewArgs, AuditProveArgs, Format,
};
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, command: AuditCommand) -> Result<(), Failure> {
    match command {
        AuditCommand::Key(AuditKeyCommand::New(args)) => key_new(app, args).await,
        AuditCommand::Checkpoint(args) => checkpoint(app, args).await,
        AuditCommand::Checkpoints(args) => checkpoints(app, args).await,
        AuditCommand::Prove(args) => prove(app, args).await,
        AuditCommand::Check(args) => check(args),
        AuditCommand::Consistency(args) => consistency(app, args).await,
    }
}

impl From<audit::AuditError> for Failure {
    fn from(e: audit::AuditError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

/// A file's text, or a failure naming it.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| io_failure(&format!("не удалось прочитать {}", path.display()), e))
}

/// A verifier key given as a file holding it or as the key itself.
pub fn verifier_key(given: &str) -> Result<VerifierKey, Failure> {
    let path = Path::new(given);
    let text = if path.is_file() {
        read_text(path)?
    } else {
        given.to_string()
    };
    Ok(VerifierKey::parse(&text)?)
}

async fn key_new(app: &App, args: AuditKeyNewArgs) -> Result<(), Failure> {
    let origin = match args.origin {
        Some(origin) => origin,
        None => app.log_origin().await?,
    };
    let key = SigningKey::generate(&origin)?;
    write_secret(&args.key, &key.to_file_text())?;
    println!("{}", key.verifier());
    Ok(())
}

/// Writes a new file readable by its owner only; an existing file is never overwritten.
fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "файл ключа уже существует и не будет перезаписан"
        } else {
            "не удалось создать файл ключа"
        };
        io_failure(&format!("{what}: {}", path.display()), e)
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))
}

/// The signing key of `path`, refused if others may read it.
pub fn signing_key(path: &Path) -> Result<SigningKey, Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)
            .map_err(|e| io_failure(&format!("не удалось открыть {}", path.display()), e))?;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(Failure::new(
                "audit_key_exposed",
                format!(
                    "файл ключа подписи {} доступен не только владельцу: chmod 600",
                    path.display()
                ),
            ));
        }
    }
    Ok(SigningKey::parse(&read_text(path)?)?)
}

async fn checkpoint(app: &App, args: AuditCheckpointArgs) -> Result<(), Failure> {
    let key = signing_key(&args.key)?;
    let kept = app.sign_checkpoint(&key).await?;
    if let Some(out) = &args.out {
        std::fs::write(out, &kept.note)
            .map_err(|e| io_failure(&format!("не удалось записать {}", out.display()), e))?;
    }
    print!("{}", kept.note);
    Ok(())
}

async fn checkpoints(app: &App, args: AuditCheckpointsArgs) -> Result<(), Failure> {
    let kept = app.signed_checkpoints().await?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&kept).unwrap_or_default()
        ),
        Format::Table => {
            let rows: Vec<Vec<String>> = kept
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.signed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        c.tree_size.to_string(),
                        hex::encode(c.root),
                        c.verifier_key.clone(),
                    ]
                })
                .collect();
            table::write(
                &mut std::io::stdout().lock(),
                &["№", "подписана (UTC)", "событий", "корень", "ключ проверки"],
                &rows,
            )
            .map_err(|e| io_failure("не удалось вывести таблицу", e))?;
        }
    }
    Ok(())
}

async fn prove(app: &App, args: AuditProveArgs) -> Result<(), Failure> {
    let document =
        DocumentId::parse(&args.document).map_err(|e| Failure::new(e.code(), e.to_string()))?;
    let note = args.checkpoint.as_deref().map(read_text).transpose()?;
    let key = args.key.as_deref().map(verifier_key).transpose()?;
    let proved = app.prove(document, note.as_deref(), key.as_ref()).await?;
    proved
        .bundle
        .write_dir(&args.out, &proved.note, &proved.verifier_key)?;
    for basis in &proved.bases_not_in_log {
        println!("основание не ведётся в журнале, в пакет не входит: {basis}");
    }
    println!(
        "ok: {} events of {} proved against checkpoint of {} events, written to {}",
        proved.bundle.events.len(),
        proved.bundle.document,
        proved.bundle.tree_size,
        args.out.display()
    );
    Ok(())
}

fn check(args: AuditCheckArgs) -> Result<(), Failure> {
    let (bundle, note, own_key) = Bundle::read_dir(&args.dir)?;
    let key = match (&args.key, own_key) {
        (Some(given), _) => verifier_key(given)?,
        (None, Some(own)) => {
            println!("ключ проверки взят из пакета (verifier.key); аудитору следует указать свой (--key)");
            verifier_key(own.trim())?
        }
        (None, None) => {
            return Err(Failure::new(
                "verifier_key_needed",
                "в пакете нет verifier.key: укажите ключ проверки (--key)",
            ))
        }
    };
    let checked = audit::check_bundle(&bundle, &note, &key)
        .map_err(|e| Failure::new(e.code(), format!("пакет не прошёл проверку: {e}")))?;
    print_history(&checked)?;
    println!(
        "ok: {} events of {} verified against checkpoint {} size {}, signed by {}+{:08x}",
        checked.events.len(),
        checked.document,
        checked.checkpoint.origin,
        checked.checkpoint.size,
        key.name(),
        key.id()
    );
    Ok(())
}

/// The history a bundle proves, as the trail prints it, from the events' canonical bytes.
fn print_history(checked: &audit::CheckedBundle) -> Result<(), Failure> {
    let recorded: Vec<RecordedEvent> = checked
        .events
        .iter()
        .filter(|(role, _)| *role == EventRole::Document)
        .map(|(_, e)| recorded_of(e))
        .collect::<Result<_, _>>()?;
    let described = workflows::describe_history(&recorded)
        .map_err(|e| Failure::new(e.code(), e.to_string()))?;
    let mut described = described.into_iter();
    let rows: Vec<Vec<String>> = checked
        .events
        .iter()
        .map(|(role, e)| {
            let what = match role {
                EventRole::Document => described.next().unwrap_or_default(),
                EventRole::Basis => format!("основание: {}", e.event_type),
            };
            vec![
                e.position.to_string(),
                e.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
                e.effective.format("%d.%m.%Y").to_string(),
                what,
                format!("{} ({})", e.actor_id, e.actor_role),
                e.basis
                    .as_ref()
                    .map(|b| format!("{} № {} от {}", b.kind, b.number, b.date.format("%d.%m.%Y")))
                    .unwrap_or_default(),
                hex::encode(e.hash),
            ]
        })
        .collect();
    table::write(
        &mut std::io::stdout().lock(),
        &[
            "№",
            "записано",
            "действует с",
            "что",
            "кто (роль)",
            "основание",
            "хеш",
        ],
        &rows,
    )
    .map_err(|e| io_failure("не удалось вывести таблицу", e))
}

/// The envelope of an event read from its canonical bytes, for the domain's decoders.
fn recorded_of(e: &CanonicalEvent) -> Result<RecordedEvent, Failure> {
    let basis = e
        .basis
        .as_ref()
        .map(|b| {
            let kind = match b.kind.as_str() {
                "order" => BasisKind::Order,
                "protocol" => BasisKind::Protocol,
                other => {
                    return Err(Failure::new(
                        "bundle_event_invalid",
                        format!(
                            "событие {}: неизвестный вид основания «{other}»",
                            e.position
                        ),
                    ))
                }
            };
            Ok(LegalBasis {
                kind,
                number: b.number.clone(),
                date: b.date,
                issuer: b.issuer.clone(),
            })
        })
        .transpose()?;
    Ok(RecordedEvent {
        position: e.position,
        stream: StreamId::parse(e.stream.clone())?,
        version: e.version,
        event_type: e.event_type.clone(),
        schema: e.schema,
        payload: e.payload.clone(),
        recorded_at: e.recorded_at,
        effective: e.effective,
        actor: Actor::new(e.actor_id.clone(), e.actor_role.clone()),
        basis,
        command_id: e.command_id,
        correlation_id: e.correlation_id,
        causation_id: e.causation_id,
        prev_hash: e.prev_hash,
        hash: e.hash,
    })
}

async fn consistency(app: &App, args: AuditConsistencyArgs) -> Result<(), Failure> {
    let key = verifier_key(&args.key)?;
    let (old, new) = (read_text(&args.old)?, read_text(&args.new)?);
    let proof = app.consistency(&old, &new, &key).await?;
    let json = serde_json::to_string_pretty(&proof).unwrap_or_default();
    if let Some(out) = &args.out {
        std::fs::write(out, format!("{json}\n"))
            .map_err(|e| io_failure(&format!("не удалось записать {}", out.display()), e))?;
    }
    println!(
        "ok: the log of {} events extends the log of {} events ({} proof hashes)",
        proof.new_size,
        proof.old_size,
        proof.proof.len()
    );
    Ok(())
}
