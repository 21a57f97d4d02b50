//! The command-line grammar.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use projections::queries::QueryKind;

use crate::failure::Failure;

pub mod account;
pub mod personal_data;

#[derive(Debug, Parser)]
#[command(
    name = "metod",
    version,
    about = "metod: the work of municipal methodical associations as a verifiable event log"
)]
pub struct Cli {
    /// The store: sqlite://FILE (the default, sqlite://metod.db) or postgres://USER@HOST/DB.
    /// `bench store` takes it only from the command line, never from METOD_DB.
    #[arg(long, global = true, env = "METOD_DB")]
    pub db: Option<String>,

    /// A directory of extra regulation profiles (*.toml) besides the five built in.
    #[arg(long, global = true, env = "METOD_PROFILES")]
    pub profiles: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The command line as parsed, or what to do instead of running a command.
pub enum Parsed {
    /// A command to run; `command_line_db` is `--db` only when it was given on the command
    /// line, not taken from `METOD_DB` (`bench store` writes only into a store named there).
    Run {
        cli: Cli,
        command_line_db: Option<String>,
    },
    /// `--help` or `--version`: clap prints it to stdout, and the run succeeds.
    Print(clap::Error),
    /// Anything else clap refused, as the one-line failure the binary prints.
    Refused(Failure),
}

/// Parses the process's arguments. clap's own errors are several English lines; every
/// refusal becomes one line `invalid_argument: …` instead.
pub fn parse() -> Parsed {
    let matches = match one_line_errors(Cli::command()).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return refused(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return refused(e),
    };
    let command_line_db = match matches.value_source("db") {
        Some(ValueSource::CommandLine) => cli.db.clone(),
        _ => None,
    };
    Parsed::Run {
        cli,
        command_line_db,
    }
}

/// A command without its subcommand (`metod`, `metod profile`) is an error like any other,
/// not a page of help on stderr: clap's derive asks for the help there.
fn one_line_errors(mut command: clap::Command) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, one_line_errors);
    }
    command.arg_required_else_help(false)
}

/// clap's first line without its `error: `; a line that ends in a colon lists what it
/// means on the indented lines below (the missing arguments), so those join it.
fn first_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first.strip_suffix(':') {
        Some(head) => {
            let listed: Vec<&str> = lines
                .take_while(|line| line.starts_with(' ') && !line.trim().is_empty())
                .map(str::trim)
                .collect();
            format!("{head}: {}", listed.join(", "))
        }
        None => first.to_string(),
    }
}

fn refused(e: clap::Error) -> Parsed {
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return Parsed::Print(e),
        ErrorKind::UnknownArgument => "неизвестный аргумент",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::NoEquals => {
            "недопустимое значение"
        }
        ErrorKind::MissingRequiredArgument => "не указан обязательный аргумент",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "не указана команда"
        }
        ErrorKind::InvalidSubcommand => "неизвестная команда",
        ErrorKind::ArgumentConflict => "несовместимые аргументы",
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            "неверное число значений"
        }
        ErrorKind::InvalidUtf8 => "аргумент не в кодировке UTF-8",
        _ => "ошибка в аргументах",
    };
    let message = match e.kind() {
        // Its rendering is the whole help page, not a line about the error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => what.to_string(),
        _ => format!("{what}: {}", first_line(&e.render().to_string())),
    };
    Parsed::Refused(Failure::new(
        "invalid_argument",
        format!("{message}; справка: metod --help"),
    ))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store, or migrate it to this version's schema.
    Init,
    /// Recompute the hash chain of the whole log; name the first position that does not verify.
    /// With `--against`, also the tree of a checkpoint signed earlier, from the events.
    Verify(VerifyArgs),
    /// List events of the log, or of one stream.
    Events(EventsArgs),
    /// Record commands from a JSON file (`-` for stdin) through the rules; print the events.
    #[command(name = "command")]
    Submit(CommandArgs),
    /// The regulation profiles: their rules, with the clause of each.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// A document's full history: versions, steps, decisions, bases, hashes; and whether the
    /// hash chain verifies.
    Trail(TrailArgs),
    /// What waits for a person: steps to decide, documents to rework or submit, overdue first.
    Inbox(InboxArgs),
    /// One association as its page shows it: its roles, members, meetings and documents of
    /// the school year (persons by id; names are opened in the web application, journaled).
    Association(AssociationArgs),
    /// The approval engine: reactions to events and deadline timers.
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// Generate a realistic history into an empty store through the real command handlers.
    Demo(DemoArgs),
    /// Rebuild every read model from the first event of the log.
    Rebuild,
    /// An oversight question, answered as of a date and as known at a moment.
    Query(QueryArgs),
    /// Two school years side by side (e.g. `2023/24 2024/25`): associations, members, heads,
    /// meetings held against required, plans and their states, indicators, what changed.
    Compare(CompareArgs),
    /// Measure performance against a ceiling measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The HTTP server: the API over this store, the workflow and read models kept running.
    Serve(ServeArgs),
    /// Proofs for auditors: the signing key, signed checkpoints, offline bundles of a
    /// document's history and their check, consistency between two checkpoints.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Personal data (152-FZ): order its destruction; the act of destruction from the log.
    #[command(subcommand, name = "personal-data")]
    PersonalData(personal_data::PersonalDataCommand),
    /// Accounts for `metod serve`: open, disable, enable, reset a password, list; access tokens.
    #[command(subcommand)]
    Account(account::AccountCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    Table,
    Json,
    Csv,
}

/// The questions `metod query` asks, with the line `--help` says of each.
fn query_kinds() -> impl TypedValueParser<Value = QueryKind> {
    let names = QueryKind::ALL.map(|kind| PossibleValue::new(kind.name()).help(query_help(kind)));
    PossibleValuesParser::new(names).try_map(|name| name.parse::<QueryKind>())
}

fn query_help(kind: QueryKind) -> &'static str {
    match kind {
        QueryKind::Hierarchy => "The tree with heads, secretaries, curators and member counts",
        QueryKind::Meetings => "Associations that held fewer meetings than their profile requires",
        QueryKind::Late => {
            "Documents late or stuck: at whose step, since when, how many days overdue"
        }
        QueryKind::Eligibility => "Heads and curators who do not meet their profile's rule",
        QueryKind::MemberDb => "Associations whose member database was not updated by its day",
        QueryKind::Indicators => {
            "The effectiveness indicators (001 §4.1, 003 §VI) per association and per district"
        }
        QueryKind::Retention => {
            "Documents and protocols within and past their keeping period (000 §4.8, §10.6)"
        }
        QueryKind::Unpublished => {
            "Final documents not yet published where the profile says (001 §1.3: the plan)"
        }
        QueryKind::Programmes => {
            "Teachers' individual programmes of the school year, coordinated or not (004 §8-§9)"
        }
        QueryKind::Monitoring => {
            "Monitorings of the effectiveness of methodical work per school year (004 §10)"
        }
    }
}

/// A point of both time axes.
#[derive(Debug, Clone, Args)]
pub struct TimeArgs {
    /// Valid time: what was true on this date (ГГГГ-ММ-ДД), as known now. Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Transaction time: as the system knew it at this moment (RFC 3339, or a date meaning
    /// the end of that day).
    #[arg(long)]
    pub known_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoScale {
    /// A town: two districts, about 120 teachers.
    Small,
    /// A large city: about 200 organizations and 15,000 teachers.
    City,
    /// Ten cities' worth.
    Region,
}

impl DemoScale {
    /// The generator's scale of this name.
    pub fn generated(self) -> demo::Scale {
        match self {
            DemoScale::Small => demo::Scale::Small,
            DemoScale::City => demo::Scale::City,
            DemoScale::Region => demo::Scale::Region,
        }
    }
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The regulation profile of the generated municipality.
    #[arg(long, default_value = "novokuznetsk")]
    pub profile: String,
    #[arg(long, value_enum, default_value_t = DemoScale::Small)]
    pub scale: DemoScale,
    /// School years to generate, the last of them 2025/26.
    #[arg(long, default_value_t = 3)]
    pub years: u32,
    /// The same seed gives the same history.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first school year, e.g. 2023/24.
    pub first: String,
    /// The second school year, e.g. 2024/25.
    pub second: String,
    /// Transaction time: as the system knew it at this moment (RFC 3339, or a date meaning
    /// the end of that day).
    #[arg(long)]
    pub known_at: Option<String>,
    /// Only this district (its id or title).
    #[arg(long)]
    pub district: Option<String>,
    /// Only this subject.
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[arg(value_parser = query_kinds())]
    pub name: QueryKind,
    #[command(flatten)]
    pub time: TimeArgs,
    /// Only this district (its id or title).
    #[arg(long)]
    pub district: Option<String>,
    /// Only this subject.
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Only this stream.
    #[arg(long)]
    pub stream: Option<String>,
    /// Start at this position of the log.
    // Bounded by what the databases' signed 64-bit positions can hold.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub from: u64,
    /// At most this many events.
    #[arg(
        long,
        default_value_t = 100,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=i64::MAX as u64)
    )]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CommandArgs {
    /// Who acts: `operator` (enters paper records) or `person:<uuid>`.
    #[arg(long = "as", value_name = "ACTOR")]
    pub acting: String,
    /// The JSON file with one command or an array of commands; `-` reads stdin.
    #[arg(long)]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// The profiles known: built in, and from --profiles.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Every rule of one profile with its clause.
    Show {
        name: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub struct TrailArgs {
    /// The document's id.
    pub document: String,
    #[command(flatten)]
    pub time: TimeArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    /// Whose inbox: `person:<uuid>`.
    #[arg(long = "as", value_name = "ACTOR")]
    pub acting: String,
    #[command(flatten)]
    pub time: TimeArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AssociationArgs {
    /// The association's id.
    pub association: String,
    #[command(flatten)]
    pub time: TimeArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// React to new events and record missed deadlines, until caught up (or continuously).
    Run {
        /// Keep running: again whenever the log grows or the poll interval passes.
        #[arg(long)]
        follow: bool,
        /// Seconds between passes when nothing is appended (with --follow).
        #[arg(long, default_value_t = 60)]
        poll_seconds: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Appends into a fresh store, beside a raw insert of the same rows into a bare table.
    Store(BenchStoreArgs),
    /// On a store with history (`metod demo`): rebuild beside decode-only, as-of answers
    /// beside a replay from the first event, every oversight question.
    ReadModels(BenchReadModelsArgs),
    /// On a fresh log of a million events: appends with the Merkle tree beside appends
    /// without it, inclusion and consistency proofs, signing a checkpoint, checking a bundle.
    Audit(BenchAuditArgs),
    /// The HTTP server on a loopback port over a generated city, N sessions logged in, beside
    /// the same operations in-process: throughput, p50/p99 per kind, errors, peak memory.
    Serve(crate::bench::serve::BenchServeArgs),
}

#[derive(Debug, Args)]
pub struct BenchAuditArgs {
    /// How many events the log gets.
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Events per append.
    #[arg(long, default_value_t = 1_000)]
    pub batch: u64,
    /// Proofs and signatures timed, each.
    #[arg(long, default_value_t = 1_000)]
    pub samples: u32,
    /// Events in the bundle whose check is timed.
    #[arg(long, default_value_t = 20_000)]
    pub bundle: u64,
    /// The seed of the random positions and sizes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the report as JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BenchReadModelsArgs {
    /// Timed answers per question (random past dates).
    #[arg(long, default_value_t = 100)]
    pub samples: u32,
    /// Replays of the whole log to compare the as-of hierarchy with.
    #[arg(long, default_value_t = 3)]
    pub replays: u32,
    /// Rounds of decode-only and full rebuild, taken in turn; the report gives the median
    /// of each, the lower middle one for an even count (on a shared 2-core machine one
    /// round can be off by half).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub rounds: u32,
    /// The seed of the sample dates (and, with --scales, of the generated histories).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the report as JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Measure at each of these scales in turn (e.g. small,city,region) and report every
    /// figure side by side with its growth: each scale's history is generated once by the
    /// demo and kept under --data, then measured there instead of the store of --db.
    #[arg(long, value_enum, value_delimiter = ',', requires = "data")]
    pub scales: Vec<DemoScale>,
    /// Where the generated histories are kept: a directory (a SQLite file per scale) or a
    /// PostgreSQL URL (a database per scale, named after this URL's, created when missing).
    #[arg(long)]
    pub data: Option<String>,
    /// With --scales: the regulation profile of the generated histories.
    #[arg(long, default_value = "novokuznetsk")]
    pub profile: String,
    /// With --scales: the school years each history spans.
    #[arg(long, default_value_t = 10)]
    pub years: u32,
}

#[derive(Debug, Args)]
pub struct BenchStoreArgs {
    /// How many events to append in batches.
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Events per append (one transaction each).
    #[arg(long, default_value_t = 1_000)]
    pub batch: u64,
    /// How many single-event durable appends to time for the latency figures.
    #[arg(long, default_value_t = 1_000)]
    pub single: u64,
    /// Write the report as JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A checkpoint signed earlier (a file): the first events of the log must still make its
    /// tree.
    #[arg(long, value_name = "CHECKPOINT")]
    pub against: Option<PathBuf>,
    /// The verifier key to trust (a file, or the key itself); without it, the key kept with
    /// the checkpoint in this store.
    #[arg(long, value_name = "VERIFIER", requires = "against")]
    pub key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// The checkpoints' signing key.
    #[command(subcommand)]
    Key(AuditKeyCommand),
    /// Sign the log's current size and root (a C2SP checkpoint) and keep it; print the note.
    Checkpoint(AuditCheckpointArgs),
    /// The checkpoints signed so far.
    Checkpoints(AuditCheckpointsArgs),
    /// Write the offline bundle of a document's history: its events and those its decisions
    /// cite, each with its inclusion proof, the checkpoint and the verifier key.
    Prove(AuditProveArgs),
    /// Check a bundle with no database and no network; print the history it proves.
    Check(AuditCheckArgs),
    /// Prove that the log at checkpoint NEW extends the log at checkpoint OLD.
    Consistency(AuditConsistencyArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuditKeyCommand {
    /// Make a new Ed25519 signing key (file mode 0600) and print its verifier key.
    New(AuditKeyNewArgs),
}

#[derive(Debug, Args)]
pub struct AuditKeyNewArgs {
    /// Where to write the signing key; never overwritten.
    #[arg(long, env = "METOD_AUDIT_KEY", value_name = "FILE")]
    pub key: PathBuf,
    /// The key's name, the origin of the log it signs; without it, `metod/<profile>` of the
    /// municipality registered in the store.
    #[arg(long)]
    pub origin: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditCheckpointArgs {
    /// The signing key file.
    #[arg(long, env = "METOD_AUDIT_KEY", value_name = "FILE")]
    pub key: PathBuf,
    /// Also write the signed note to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditCheckpointsArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AuditProveArgs {
    /// The document's id (uuid).
    pub document: String,
    /// The checkpoint to prove against (a file); without it, the newest signed.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The verifier key of that checkpoint (a file, or the key itself), when it is not one
    /// this store keeps.
    #[arg(long, value_name = "VERIFIER")]
    pub key: Option<String>,
    /// The bundle's directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct AuditCheckArgs {
    /// The bundle's directory.
    pub dir: PathBuf,
    /// The verifier key to trust (a file, or the key itself); without it, the bundle's own
    /// verifier.key, and the output says so.
    #[arg(long, value_name = "VERIFIER")]
    pub key: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditConsistencyArgs {
    /// The older checkpoint (a file).
    pub old: PathBuf,
    /// The newer checkpoint (a file).
    pub new: PathBuf,
    /// The verifier key of both (a file, or the key itself).
    #[arg(long, value_name = "VERIFIER")]
    pub key: String,
    /// Write the proof (metod-consistency-v1) to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (port 0: any free port, printed on the first line). Loopback by
    /// default: put a TLS reverse proxy in front to serve others.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// How often the background looks at the log when nothing wakes it earlier, ms.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(10..))]
    pub poll_ms: u64,
    /// Mark the session cookie Secure: the server is reached over TLS (a reverse proxy in
    /// front terminates it).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Sign a checkpoint of the log with this key at a fixed interval when the log has grown
    /// (`metod audit key new`; also from METOD_AUDIT_KEY).
    #[arg(long, env = "METOD_AUDIT_KEY", value_name = "FILE")]
    pub audit_key: Option<std::path::PathBuf>,
    /// The interval of those checkpoints, in seconds.
    #[arg(long, default_value_t = 3_600, value_parser = clap::value_parser!(u64).range(1..))]
    pub checkpoint_secs: u64,
    /// Serve a demonstration: a fresh SQLite store in a temporary directory with a generated
    /// town (`metod demo --scale small`), one account per kind of user (printed with their
    /// password); --db and METOD_DB are not used, and the store goes when the server stops.
    #[arg(long)]
    pub demo: bool,
}
