//! `beatbook hub …` and `beatbook sync`: setting up the bureau hub, enrolling terminals,
//! joining one, and a sync round from the command line.
//!
//! Secrets never travel as arguments (any user can read a process's arguments): an
//! enrolment is written to a private file (`add-terminal --out`) or printed once, and read
//! back from a file (`join --credential`), `BEATBOOK_HUB_SECRET`, or the terminal without
//! echo. An administrator's own database password comes from `PGPASSWORD` or the address.

use super::output::outln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::service::{JoinAs, ServiceError};
use beatbook_hub::{Credential, HubAddress, HubError, Progress};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub(crate) struct HubArgs {
    #[command(subcommand)]
    command: HubCommand,
}

#[derive(Debug, clap::Subcommand)]
enum HubCommand {
    /// Create the hub's tables and roles in a PostgreSQL database (as its owner)
    Init {
        #[command(flatten)]
        at: Where,
        /// Upload every record of the data folder (--data) as the hub's first content: the
        /// bureau's data from before the hub. Terminals then join and pull it.
        #[arg(long)]
        upload: bool,
    },
    /// Set up a hub holding the demo bureau and enrol two terminals of 城关派出所 (CG) and
    /// one bureau terminal, their enrolments written into a folder
    Demo {
        #[command(flatten)]
        at: Where,
        /// Folder for the enrolment files (private to this user)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Enrol a terminal: its own database role, and a one-time secret
    AddTerminal {
        #[command(flatten)]
        at: Where,
        #[command(flatten)]
        scope: ScopeArgs,
        /// A note on the terminal (e.g. "front desk")
        #[arg(long, default_value = "")]
        label: String,
        /// Write the enrolment to this file (private to its user) instead of printing it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Join this data folder to a hub with an enrolment, then sync
    Join {
        #[command(flatten)]
        at: Where,
        #[command(flatten)]
        scope: ScopeArgs,
        /// The enrolment file written by add-terminal --out (else BEATBOOK_HUB_SECRET, or asked)
        #[arg(long, value_name = "FILE")]
        credential: Option<PathBuf>,
    },
    /// Where this terminal stands with its hub
    Status,
    /// Time sync rounds and many terminals at once against a hub set up in an empty
    /// database (JSON lines, like `beatbook bench`)
    Bench {
        #[command(flatten)]
        at: Where,
        /// Runs of each timed round (the median is reported)
        #[arg(long, value_name = "N", default_value_t = 20)]
        runs: usize,
        /// Terminals pushing and pulling at once
        #[arg(long, value_name = "N", default_value_t = 28)]
        terminals: usize,
        /// How long they run
        #[arg(long, value_name = "SECS", default_value_t = 60)]
        seconds: u64,
    },
}

#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
struct ScopeArgs {
    /// A terminal of the station with this code
    #[arg(long, value_name = "CODE")]
    station: Option<String>,
    /// A bureau (supervisor) terminal: reads every station
    #[arg(long)]
    bureau: bool,
}

impl ScopeArgs {
    fn join_as(&self) -> JoinAs {
        match &self.station {
            Some(code) => JoinAs::Station(code.clone()),
            None => JoinAs::Bureau,
        }
    }
}

fn hub_failure(e: &HubError, ctx: &Context) -> Failure {
    tracing::warn!("hub: {e}");
    Failure::new(e.localize(ctx.lang))
}

fn address(ctx: &Context, url: &str, ca: Option<&std::path::Path>) -> Result<HubAddress, Failure> {
    let address = HubAddress::parse(url).map_err(|e| Failure::usage(e.localize(ctx.lang)))?;
    Ok(match ca {
        Some(ca) => address.with_ca(ca),
        None => address,
    })
}

/// Where the hub is: its address, and for a hub over the network the bureau's CA.
#[derive(clap::Args)]
struct Where {
    /// postgresql://user@host/db or "host=/socket/folder dbname=db"
    #[arg(value_name = "URL")]
    url: String,
    /// The bureau's CA certificate (PEM): required for a hub over the network (TLS)
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
}

/// The command line is logged (`beatbook.log`): an administrator's password written into
/// the address never is.
impl std::fmt::Debug for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = HubAddress::parse(&self.url)
            .map(|a| a.to_string())
            .unwrap_or_else(|_| "(an address)".into());
        f.debug_struct("Where")
            .field("url", &shown)
            .field("ca", &self.ca)
            .finish()
    }
}

impl Where {
    fn address(&self, ctx: &Context) -> Result<HubAddress, Failure> {
        address(ctx, &self.url, self.ca.as_deref())
    }
}

pub(crate) fn run(ctx: &Context, args: &HubArgs) -> Result<(), Failure> {
    match &args.command {
        HubCommand::Init { at, upload } => {
            let address = at.address(ctx)?;
            beatbook_hub::init(&address).map_err(|e| hub_failure(&e, ctx))?;
            outln!("{}", ctx.say(Cli::HubInitDone, &[&address]));
            if *upload {
                let store = ctx.open_store()?;
                upload_store(ctx, &address, &store)?;
            }
            Ok(())
        }
        HubCommand::Demo { at, out } => demo(ctx, at.address(ctx)?, out),
        HubCommand::AddTerminal {
            at,
            scope,
            label,
            out,
        } => {
            let address = at.address(ctx)?;
            let hub_scope = match &scope.station {
                Some(code) => beatbook_hub::Scope::Station { code: code.clone() },
                None => beatbook_hub::Scope::Bureau,
            };
            let enrolled = beatbook_hub::add_terminal(&address, &hub_scope, label)
                .map_err(|e| hub_failure(&e, ctx))?;
            let text = enrolled.credential.enrolment();
            let role = &enrolled.credential.role;
            match out {
                Some(file) => {
                    beatbook_hub::folder::write_private(file, format!("{text}\n").as_bytes())
                        .map_err(|e| hub_failure(&e, ctx))?;
                    outln!(
                        "{}",
                        ctx.say(Cli::HubTerminalAddedFile, &[role, &file.display()])
                    );
                }
                None => {
                    outln!("{}", ctx.say(Cli::HubTerminalAdded, &[role]));
                    outln!("{text}");
                }
            }
            let scope_flag = match &scope.station {
                Some(code) => format!("--station {code}"),
                None => "--bureau".to_string(),
            };
            outln!(
                "{}",
                ctx.say(
                    Cli::HubJoinHint,
                    &[&format!(
                        "beatbook hub join '{}' {scope_flag}{}",
                        address.for_terminals(),
                        ca_flag(&address)
                    )]
                )
            );
            Ok(())
        }
        HubCommand::Join {
            at,
            scope,
            credential,
        } => {
            let address = at.address(ctx)?;
            let credential = read_credential(ctx, credential.as_deref())?;
            let service = ctx.open_service()?;
            let started = Instant::now();
            let mut bar = RoundBar::new(ctx);
            let summary = service
                .join_hub(&address, &credential, &scope.join_as(), &mut |p| {
                    bar.tell(p)
                })
                .map_err(|e| service_failure(&e, ctx))?;
            bar.finish();
            outln!("{}", ctx.say(Cli::HubJoined, &[&address]));
            tell_summary(ctx, &summary, started);
            Ok(())
        }
        HubCommand::Bench {
            at,
            runs,
            terminals,
            seconds,
        } => {
            let address = at.address(ctx)?;
            super::bench::hub::run(
                &address,
                std::sync::Arc::clone(&ctx.clock),
                (*runs).max(1),
                (*terminals).max(1),
                *seconds,
            )
            .map_err(Failure::new)
        }
        HubCommand::Status => {
            let service = ctx.open_service()?;
            let link = service.hub_link().map_err(|e| service_failure(&e, ctx))?;
            let Some(link) = link else {
                outln!("{}", ctx.say(Cli::HubNotJoined, &[]));
                return Ok(());
            };
            let status = service.sync_status();
            let station = if link.station.is_empty() {
                ctx.say(Cli::HubBureau, &[])
            } else {
                link.station.clone()
            };
            outln!(
                "{}",
                ctx.say(
                    Cli::HubStatus,
                    &[
                        &link.address,
                        &link.terminal,
                        &station,
                        &status.waiting,
                        &status.conflicts
                    ]
                )
            );
            Ok(())
        }
    }
}

/// Uploads a whole store into an empty hub, with a progress line.
fn upload_store(
    ctx: &Context,
    address: &HubAddress,
    store: &crate::store::Store,
) -> Result<(), Failure> {
    let started = Instant::now();
    let mut bar = RoundBar::new(ctx);
    let n = beatbook_hub::upload(address, store, &mut |p| bar.tell(p))
        .map_err(|e| hub_failure(&e, ctx))?;
    bar.finish();
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    outln!("{}", ctx.say(Cli::HubUploaded, &[&n, &secs]));
    Ok(())
}

/// `hub demo URL --out DIR`: a hub with the demo bureau (loaded into a throw-away store,
/// uploaded, deleted) and three enrolments, with the commands that join them.
fn demo(ctx: &Context, address: HubAddress, out: &std::path::Path) -> Result<(), Failure> {
    let hub = |e: HubError| hub_failure(&e, ctx);
    std::fs::create_dir_all(out).map_err(|e| {
        hub(HubError::File {
            path: out.to_path_buf(),
            source: e,
        })
    })?;
    beatbook_hub::init(&address).map_err(hub)?;
    outln!("{}", ctx.say(Cli::HubInitDone, &[&address]));
    let source = tempfile::Builder::new()
        .prefix("beatbook-hub-demo")
        .tempdir()
        .map_err(|e| {
            hub(HubError::File {
                path: std::env::temp_dir(),
                source: e,
            })
        })?;
    {
        let store =
            crate::store::Store::open(source.path()).map_err(|e| Failure::store(&e, ctx.lang))?;
        let service = crate::service::Service::new(
            store,
            std::sync::Arc::clone(&ctx.clock),
            ctx.settings.clone(),
        );
        crate::demo::load_demo(&service).map_err(|e| Failure::service(&e, ctx.lang))?;
        upload_store(ctx, &address, service.store())?;
        beatbook_hub::mark_demo(&address).map_err(hub)?;
    }
    let terminals = [
        (
            "cg-1",
            beatbook_hub::Scope::Station { code: "CG".into() },
            "--station CG",
        ),
        (
            "cg-2",
            beatbook_hub::Scope::Station { code: "CG".into() },
            "--station CG",
        ),
        ("bureau", beatbook_hub::Scope::Bureau, "--bureau"),
    ];
    for (name, scope, flag) in terminals {
        let enrolled = beatbook_hub::add_terminal(&address, &scope, name).map_err(hub)?;
        let file = out.join(format!("{name}.enrol"));
        beatbook_hub::folder::write_private(
            &file,
            format!("{}\n", enrolled.credential.enrolment()).as_bytes(),
        )
        .map_err(hub)?;
        let folder = out.join(name);
        outln!(
            "beatbook --data '{}' hub join '{}' {flag} --credential '{}'{}",
            folder.display(),
            address.for_terminals(),
            file.display(),
            ca_flag(&address)
        );
    }
    outln!("{}", ctx.say(Cli::HubDemoNext, &[]));
    Ok(())
}

/// ` --ca 'FILE'` when the address has a CA certificate, for the commands shown.
fn ca_flag(address: &HubAddress) -> String {
    address
        .ca()
        .map(|ca| format!(" --ca '{}'", ca.display()))
        .unwrap_or_default()
}

/// `beatbook sync`: one round, a progress line, a summary.
pub(crate) fn sync(ctx: &Context) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    let started = Instant::now();
    let mut bar = RoundBar::new(ctx);
    let summary = service
        .sync_now(&mut |p| bar.tell(p))
        .map_err(|e| service_failure(&e, ctx))?;
    bar.finish();
    tell_summary(ctx, &summary, started);
    Ok(())
}

fn service_failure(e: &ServiceError, ctx: &Context) -> Failure {
    Failure::service(e, ctx.lang)
}

pub(crate) fn tell_summary(ctx: &Context, s: &beatbook_hub::RoundSummary, started: Instant) {
    let secs = format!("{:.1}", started.elapsed().as_secs_f64());
    outln!(
        "{}",
        ctx.say(Cli::SyncDone, &[&s.pushed, &s.pulled, &s.waiting, &secs])
    );
    if s.merged > 0 {
        outln!("{}", ctx.say(Cli::SyncMerged, &[&s.merged]));
    }
    if s.resolved > 0 {
        outln!("{}", ctx.say(Cli::SyncResolved, &[&s.resolved]));
    }
    if s.decided_elsewhere > 0 {
        outln!(
            "{}",
            ctx.say(Cli::SyncDecidedElsewhere, &[&s.decided_elsewhere])
        );
    }
    let conflicts = s.conflicts + s.pull_conflicts;
    if conflicts > 0 {
        outln!("{}", ctx.say(Cli::SyncConflicts, &[&conflicts]));
    }
}

/// The enrolment: from `--credential FILE`, `BEATBOOK_HUB_SECRET`, or asked without echo.
fn read_credential(ctx: &Context, file: Option<&std::path::Path>) -> Result<Credential, Failure> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Failure::new(
                HubError::File {
                    path: path.to_path_buf(),
                    source: e,
                }
                .localize(ctx.lang),
            )
        })?,
        None => match std::env::var("BEATBOOK_HUB_SECRET") {
            Ok(text) => text,
            Err(_) => {
                rpassword::prompt_password(ctx.say(Cli::HubSecretPrompt, &[])).map_err(|e| {
                    let reason = beatbook_i18n::io::IoReason(&e).localize(ctx.lang);
                    Failure::new(ctx.say(Cli::HubSecretUnreadable, &[&reason]))
                })?
            }
        },
    };
    Credential::from_enrolment(&text).ok_or_else(|| Failure::usage(ctx.say(Cli::HubBadSecret, &[])))
}

/// A one-line progress report on standard error while a round runs.
struct RoundBar {
    bar: indicatif::ProgressBar,
    lang: crate::i18n::Lang,
}

impl RoundBar {
    fn new(ctx: &Context) -> RoundBar {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        RoundBar {
            bar,
            lang: ctx.lang,
        }
    }

    fn tell(&mut self, p: Progress) {
        let text = match p {
            Progress::Pushed(n) => Cli::SyncPushing.fill(self.lang, &[&n]),
            Progress::Pulled(n) => Cli::SyncPulling.fill(self.lang, &[&n]),
        };
        self.bar.set_message(text);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
