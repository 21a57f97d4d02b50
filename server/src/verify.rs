//! `metod verify`: recompute the hash chain of the whole log (and, `--against`, the tree of a
//! checkpoint signed earlier); a break exits with code 3.

use app::App;
use store::Verification;

use crate::audit::{read_text, verifier_key};
use crate::cli::VerifyArgs;
use crate::failure::Failure;

pub async fn run(app: &App, args: VerifyArgs) -> Result<(), Failure> {
    let Some(path) = args.against else {
        return report(app.verify().await?, None);
    };
    let note = read_text(&path)?;
    let key = match &args.key {
        Some(key) => verifier_key(key)?,
        None => {
            let kept = app.signed_checkpoints().await?;
            let kept = kept.iter().find(|c| c.note == note).ok_or_else(|| {
                Failure::new(
                    "verifier_key_needed",
                    "контрольная точка не из этого хранилища: укажите ключ проверки (--key)",
                )
            })?;
            eprintln!("ключ проверки взят из хранилища; аудитору следует указать свой (--key)");
            verifier_key(&kept.verifier_key)?
        }
    };
    let checked = app.verify_against(&note, &key).await?;
    let size = checked.checkpoint.size;
    report(checked.verification, Some(size))
}

fn report(verification: Verification, against: Option<u64>) -> Result<(), Failure> {
    match verification {
        Verification::Intact { events, head } => {
            match against {
                Some(size) => println!(
                    "ok: {events} events, head {}; the first {size} make the checkpoint's tree",
                    hex::encode(head)
                ),
                None => println!("ok: {events} events, head {}", hex::encode(head)),
            }
            Ok(())
        }
        Verification::Broken { position, reason } => Err(Failure::new(
            "integrity_broken",
            format!("цепочка хешей нарушена на позиции {position}: {reason}"),
        )),
    }
}
