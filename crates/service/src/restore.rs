//! Restoring a backup archive: an administrator's act, on the store being replaced or, into
//! an empty data folder, on the archive's own accounts. Whoever can write the data folder
//! could swap files by hand anyway; what this refuses is beatbook itself replacing a
//! station's records on behalf of someone who is not its administrator, or with an archive
//! the bureau key does not vouch for.

use super::accounts::{dummy_hash, verify_password};
use super::{Clock, Forbidden, Service, ServiceError};
use beatbook_core::config::Settings;
use beatbook_model::Role;
use beatbook_store::{
    folder_key, Actor, ArchiveError, BureauKey, Change, Compacted, ReplacedStore, RestoreAuthority,
    RestoreOptions, RestoreOutcome, Store,
};
use std::path::Path;
use std::sync::Arc;

/// What `beatbook restore` asks for.
pub struct RestoreRequest<'a> {
    pub archive: &'a Path,
    pub store_dir: &'a Path,
    pub force: bool,
    pub accept_unsigned: bool,
    /// `--key FILE`: a copy of the bureau key (restoring on another machine).
    pub key_file: Option<&'a Path>,
    pub username: &'a str,
    pub password: &'a str,
}

/// Restores `req.archive` into `req.store_dir` on behalf of an administrator; the restore
/// is audited in the restored store.
pub fn restore_archive(
    req: &RestoreRequest<'_>,
    clock: Arc<dyn Clock>,
    settings: Settings,
) -> Result<RestoreOutcome, ServiceError> {
    let now = clock.now().with_timezone(&chrono::Utc);
    let given = match req.key_file {
        Some(path) => Some(BureauKey::load(path).map_err(ArchiveError::from)?),
        None => None,
    };
    let key = match given {
        Some(k) => Some(k),
        None => folder_key(req.store_dir).map_err(ArchiveError::from)?,
    };
    let current = ReplacedStore::find(req.store_dir, req.force)?;
    let opts = RestoreOptions {
        force: req.force,
        accept_unsigned: req.accept_unsigned,
        key: key.as_ref(),
        key_given: req.key_file.is_some(),
        now,
        compacting: false,
    };
    let check_archive = |store: &Store| admin_of(store, req.username, req.password);
    let (current, authority) = match current {
        Some(ReplacedStore::Open(store)) if !store.is_empty() => {
            if !req.force {
                return Err(ArchiveError::TargetNotEmpty(req.store_dir.to_path_buf()).into());
            }
            let service = Service::new(store, clock, settings);
            let refused = format!(
                "restore from {} refused: not an administrator",
                req.archive.display()
            );
            let actor = administrator(&service, req.username, req.password, "restore", refused)
                .map_err(|e| match e {
                    // Told in the restore's own words (whose administrator is meant).
                    ServiceError::Forbidden(Forbidden::AdminOnly) => {
                        ArchiveError::NotAdministrator.into()
                    }
                    other => other,
                })?;
            (
                Some(ReplacedStore::Open(service.store)),
                RestoreAuthority::Current(actor),
            )
        }
        // An empty folder, or (with --force) a store sled refuses to open: no account of it
        // can be asked, so the archive's administrator and the bureau key decide.
        other => (other, RestoreAuthority::Archive(&check_archive)),
    };
    Ok(beatbook_store::restore(
        req.archive,
        req.store_dir,
        current,
        authority,
        &opts,
    )?)
}

/// What `beatbook compact` asks for.
pub struct CompactRequest<'a> {
    pub store_dir: &'a Path,
    /// Where the archive of the store as it was is written (and stays, as a backup).
    pub archive: &'a Path,
    pub username: &'a str,
    pub password: &'a str,
}

/// Rewrites the store compactly (see [`beatbook_store::compact`]) on behalf of one of its
/// administrators; audited in the rewritten store as `compact`, a refusal as
/// `compact.refused`.
pub fn compact_store(
    req: &CompactRequest<'_>,
    clock: Arc<dyn Clock>,
    settings: Settings,
) -> Result<Compacted, ServiceError> {
    let now = clock.now().with_timezone(&chrono::Utc);
    let key = folder_key(req.store_dir).map_err(ArchiveError::from)?;
    let store = Store::open(req.store_dir)?;
    let service = Service::new(store, clock, settings);
    let refused = format!(
        "compact of {} refused: not an administrator",
        req.store_dir.display()
    );
    let actor = administrator(&service, req.username, req.password, "compact", refused)?;
    Ok(beatbook_store::compact(
        service.store,
        req.store_dir,
        req.archive,
        actor,
        key.as_ref(),
        now,
    )?)
}

/// Logs `username` in on the store `service` holds and returns them as the actor of
/// `action` when they are an administrator; anyone else is refused (`AdminOnly`), the
/// refusal audited as `<action>.refused` with `refused` as its detail.
fn administrator(
    service: &Service,
    username: &str,
    password: &str,
    action: &str,
    refused: String,
) -> Result<Actor, ServiceError> {
    let session = service.login_ready(username, password)?;
    if session.role() != Role::Admin {
        let change = Change::new(
            &format!("{action}.refused"),
            &session.actor(),
            service.now_utc(),
        )
        .station(session.station())
        .detail(refused);
        service.store.commit(&change)?;
        return Err(ServiceError::Forbidden(Forbidden::AdminOnly));
    }
    Ok(session.actor())
}

/// The archive's active administrator `username` if `password` is theirs. One answer for
/// every refusal, so it tells nothing about which accounts exist.
fn admin_of(store: &Store, username: &str, password: &str) -> Result<Actor, ArchiveError> {
    let name = username.trim().to_lowercase();
    match store.officer_by_username(&name)? {
        Some(o)
            if o.role == Role::Admin && o.active && verify_password(&o.password_hash, password) =>
        {
            Ok(Actor {
                id: o.meta.id,
                name: o.username,
            })
        }
        Some(_) => Err(ArchiveError::NotAdministrator),
        None => {
            // As long as a wrong password: timing does not tell which accounts exist.
            verify_password(dummy_hash(), password);
            Err(ArchiveError::NotAdministrator)
        }
    }
}
