//! `beatbook init`: the first station and its administrator, without the TUI (scripted
//! installs, headless terminals).

use super::output::outln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::model::{Officer, Station};
use crate::service::{FirstStation, ServiceError};

#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// Name of the first station, e.g. 城关派出所
    #[arg(long, value_name = "NAME")]
    station: String,

    /// Username of the administrator account (lower-case letters, digits, . _ -)
    #[arg(long, value_name = "USER")]
    admin: String,

    /// Short station code used in reports, e.g. CG
    #[arg(long, value_name = "CODE", default_value = "")]
    code: String,

    /// Name shown for the administrator [default: the username]
    #[arg(long, value_name = "NAME")]
    display_name: Option<String>,
}

pub(crate) fn run(ctx: &Context, args: &InitArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let service = ctx.open_service()?;
    if !service.needs_setup() {
        return Err(Failure::service(&ServiceError::AlreadySetUp, lang));
    }
    // Check what was typed before asking for a password, so a typo costs no prompt.
    Station::validate_name(&args.station, &args.code)
        .map_err(|e| Failure::usage(e.localize(lang)))?;
    let admin =
        Officer::validate_username(&args.admin).map_err(|e| Failure::usage(e.localize(lang)))?;
    let (password, password_again) = password(ctx, &admin)?;
    let form = FirstStation {
        station_name: args.station.clone(),
        station_code: args.code.clone(),
        admin_username: admin,
        admin_display_name: args.display_name.clone().unwrap_or_default(),
        password,
        password_again,
    };
    let (station, officer) = service
        .set_up_first_station(&form)
        .map_err(|e| Failure::service(&e, lang))?;
    tracing::info!(station = %station.name, admin = %officer.username, "first station set up");
    outln!(
        "{}",
        ctx.say(
            Cli::InitDone,
            &[&station.name, &officer.username, &officer.username]
        )
    );
    outln!(
        "{}",
        ctx.say(Cli::DataFolder, &[&ctx.paths.data_dir.display()])
    );
    let key = crate::store::keys_dir_of(&ctx.paths.store_dir()).join("archive.key");
    outln!("{}", ctx.say(Cli::KeyWhere, &[&key.display()]));
    Ok(())
}

/// Gives the data folder its bureau key and recorded audit head on its first open (at
/// `init`, `demo`, the first TUI run, or a folder an older beatbook made). A folder that
/// already held data is told once where its new key is: backups are signed with it from now
/// on and need it to be restored elsewhere. What must be told goes to `tell` (standard
/// error for a command; after the terminal is given back for the TUI).
pub(crate) fn ensure_bureau_key(
    ctx: &Context,
    store: &crate::store::Store,
    tell: &mut Vec<String>,
) -> Result<(), Failure> {
    let status = crate::store::ensure_keys(store).map_err(|e| Failure::store(&e, ctx.lang))?;
    if status.created {
        tracing::info!("bureau key created at {}", status.key_file.display());
        if !store.is_empty() {
            tell.push(ctx.say(Cli::KeyCreated, &[&status.key_file.display()]));
        }
    }
    // A chain rewritten behind beatbook's back is said at every start, not only by
    // `audit verify` (which names the entry).
    match store.check_recorded_head() {
        Ok(check) if check.is_tampered() => {
            tracing::warn!(
                ?check,
                "audit chain differs from the head recorded outside the store"
            );
            tell.push(ctx.say(Cli::AuditHeadWarning, &[]));
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("recorded audit head not checked: {e}"),
    }
    Ok(())
}

/// The password and its repetition: `BEATBOOK_PASSWORD` (scripts, tests) or typed twice
/// on the terminal without echo.
fn password(ctx: &Context, admin: &str) -> Result<(String, String), Failure> {
    if let Some(value) = std::env::var_os("BEATBOOK_PASSWORD") {
        let p = value.to_string_lossy().into_owned();
        return Ok((p.clone(), p));
    }
    let unreadable = |e: std::io::Error| {
        let reason = beatbook_i18n::io::IoReason(&e).localize(ctx.lang);
        Failure::new(ctx.say(Cli::PasswordUnreadable, &[&reason]))
    };
    let first =
        rpassword::prompt_password(ctx.say(Cli::PasswordPrompt, &[&admin])).map_err(unreadable)?;
    let again = rpassword::prompt_password(ctx.say(Cli::PasswordAgain, &[])).map_err(unreadable)?;
    Ok((first, again))
}
