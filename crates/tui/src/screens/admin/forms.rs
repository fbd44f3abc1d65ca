//! The administrator's forms: new station, new account, role, transfer, temporary
//! password and backup. Saving calls the service; a refusal keeps what was typed and points at the
//! field it names.

use crate::app::{App, Message, Overlay};
use crate::screens::admin::list as admin;
use crate::screens::form::{FormState, Purpose};
use crate::text::T;
use crate::widgets::form::{Form, FormField};
use beatbook_i18n::{Bi, Lang, Localize};
use beatbook_model::{Field, Id, Officer, Role};
use beatbook_service::{NewOfficer, ServiceError};
use std::path::Path;

/// What saving an administrator's form does.
#[derive(Clone, Debug)]
pub enum AdminPurpose {
    NewStation,
    NewAccount {
        stations: Vec<Id>,
    },
    Role {
        officer: Id,
        revision: u64,
    },
    Station {
        officer: Id,
        revision: u64,
        stations: Vec<Id>,
    },
    Reset {
        officer: Id,
        revision: u64,
    },
    /// Writes a backup archive to the path typed.
    Backup,
}

fn push(app: &mut App, form: Form, purpose: AdminPurpose) {
    app.overlays.push(Overlay::Form(Box::new(FormState {
        form,
        purpose: Purpose::Admin(purpose),
    })));
}

fn roles() -> Vec<Bi> {
    Role::ALL.iter().map(|r| Bi::of(r)).collect()
}

fn station_labels(stations: &[(Id, String)]) -> Vec<Bi> {
    stations
        .iter()
        .map(|(_, name)| Bi::new(name.clone(), name.clone()))
        .collect()
}

fn who(o: &Officer) -> String {
    format!("{}  {}", o.username, o.display_name)
}

pub fn open_new_station(app: &mut App) {
    let form = Form::new(
        T::NewStationTitle.bi(),
        vec![
            FormField::text(Field::StationName, "", true),
            FormField::text(Field::StationCode, "", true),
        ],
    );
    push(app, form, AdminPurpose::NewStation);
}

/// The new-account form, with the station of the selected row chosen.
pub fn open_new_account(app: &mut App, stations: Vec<(Id, String)>, preselect: Option<Id>) {
    let selected = preselect.and_then(|id| stations.iter().position(|(s, _)| *s == id));
    let form = Form::new(
        T::NewAccountTitle.bi(),
        vec![
            FormField::text(Field::Username, "", true),
            FormField::text(Field::DisplayName, "", true),
            FormField::choice(Field::Role, roles(), Some(0), true),
            FormField::choice(Field::Station, station_labels(&stations), selected, true),
            FormField::secret(Field::Password),
            FormField::secret(Field::PasswordAgain),
            // issue 10 — the account's particulars, optional.
            FormField::text(Field::PoliceNumber, "", false),
            FormField::text(Field::Phone, "", false),
        ],
    );
    let ids = stations.into_iter().map(|(id, _)| id).collect();
    push(app, form, AdminPurpose::NewAccount { stations: ids });
}

pub fn open_role(app: &mut App, o: &Officer) {
    let current = Role::ALL.iter().position(|r| *r == o.role);
    let form = Form::new(
        T::ChangeRoleTitle.bi(),
        vec![FormField::choice(Field::Role, roles(), current, true)],
    )
    .with_subtitle(who(o));
    let purpose = AdminPurpose::Role {
        officer: o.meta.id,
        revision: o.meta.revision,
    };
    push(app, form, purpose);
}

pub fn open_station(app: &mut App, o: &Officer, stations: Vec<(Id, String)>) {
    let current = stations.iter().position(|(id, _)| *id == o.meta.station);
    let form = Form::new(
        T::ChangeStationTitle.bi(),
        vec![FormField::choice(
            Field::Station,
            station_labels(&stations),
            current,
            true,
        )],
    )
    .with_subtitle(who(o));
    let purpose = AdminPurpose::Station {
        officer: o.meta.id,
        revision: o.meta.revision,
        stations: stations.into_iter().map(|(id, _)| id).collect(),
    };
    push(app, form, purpose);
}

pub fn open_reset(app: &mut App, o: &Officer) {
    let form = Form::new(
        T::ResetPasswordTitle.bi(),
        vec![
            FormField::secret(Field::Password),
            FormField::secret(Field::PasswordAgain),
        ],
    )
    .with_subtitle(who(o));
    let purpose = AdminPurpose::Reset {
        officer: o.meta.id,
        revision: o.meta.revision,
    };
    push(app, form, purpose);
}

/// The backup form: one path, prefilled with a dated file in the data folder.
pub fn open_backup(app: &mut App, suggested: &Path) {
    let form = Form::new(
        T::BackupTitle.bi(),
        vec![FormField::text(
            Field::ArchivePath,
            &suggested.display().to_string(),
            true,
        )],
    )
    .with_subtitle(T::BackupSubtitle.get(app.lang).to_string());
    push(app, form, AdminPurpose::Backup);
}

/// Writes the archive; the status line says where and how big. Runs on the UI thread, so
/// no write of this process can happen while the trees are read (see
/// `Store::backup_to_file`).
fn save_backup(app: &mut App, session: &beatbook_service::Session, path: &str) {
    let result = if path.trim().is_empty() {
        Err(beatbook_model::ValidationError::Required(Field::ArchivePath).into())
    } else {
        app.service.backup_to(session, Path::new(path.trim()))
    };
    match result {
        Ok(summary) => {
            app.overlays.pop();
            app.message = Some(Message::success(backup_written(
                summary.bytes,
                summary.header.total_entries(),
                summary.compaction_worthwhile(),
                path.trim(),
            )));
        }
        Err(e) => {
            let text = e.localize(app.lang);
            if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
                state.form.error = Some(text);
                state.form.focus_field(Field::ArchivePath);
            }
            app.message = Some(Message::error(&e));
        }
    }
}

/// What the status line says after a backup: where it went, or, when the store takes
/// far more disk than its entries (half-full pages, which also cost memory and start-up
/// time), that `beatbook compact` would give it back. That line has no room for the path
/// as well; the form showed it a moment before.
fn backup_written(bytes: u64, entries: u64, compaction_due: bool, path: &str) -> Bi {
    let mb = format!("{:.1}", bytes as f64 / 1_048_576.0);
    if compaction_due {
        return T::BackupWrittenCompactDue.bi_fill(&[&mb]);
    }
    T::BackupWritten.bi_fill(&[&path, &mb, &entries])
}

/// A message in both languages with a role filled in each language's words.
fn role_message(username: &str, role: Role) -> Bi {
    let fill = |lang: Lang| T::RoleChanged.fill(lang, &[&username, &role.localize(lang)]);
    Bi::new(fill(Lang::Zh), fill(Lang::En))
}

pub fn save(app: &mut App, purpose: AdminPurpose) {
    let Some(session) = app.session.clone() else {
        return;
    };
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return;
    };
    let form = state.form.clone();
    if let AdminPurpose::Backup = purpose {
        save_backup(app, &session, &form.text(Field::ArchivePath));
        return;
    }
    let service = app.service;
    let lang = app.lang;
    let chosen = |ids: &[Id]| {
        form.choice(Field::Station)
            .and_then(|i| ids.get(i).copied())
    };
    let result: Result<(Bi, Id), ServiceError> = match purpose {
        AdminPurpose::NewStation => service
            .create_station(
                &session,
                &form.text(Field::StationName),
                &form.text(Field::StationCode),
            )
            .map(|s| {
                let text = T::StationCreated.bi_fill(&[&s.name, &s.code]);
                (text, s.meta.id)
            }),
        AdminPurpose::NewAccount { stations } => {
            let password = form.text(Field::Password);
            let again = form.text(Field::PasswordAgain);
            // The repetition is a typing check of this form; the service checks the rest.
            let typed = Officer::validate_new_password(&password, Some(&again));
            match (typed, chosen(&stations)) {
                (Err(e), _) => Err(e.into()),
                (Ok(()), None) => {
                    Err(beatbook_model::ValidationError::Required(Field::Station).into())
                }
                (Ok(()), Some(station)) => service
                    .create_officer_with(
                        &session,
                        &NewOfficer {
                            station,
                            username: form.text(Field::Username),
                            display_name: form.text(Field::DisplayName),
                            role: form
                                .choice(Field::Role)
                                .and_then(|i| Role::ALL.get(i).copied())
                                .unwrap_or(Role::Officer),
                            password,
                        },
                        &beatbook_service::AccountParticulars {
                            police_number: form.text(Field::PoliceNumber),
                            phone: form.text(Field::Phone),
                        },
                    )
                    .map(|o| (T::AccountCreated.bi_fill(&[&o.username]), o.meta.id)),
            }
        }
        AdminPurpose::Role { officer, revision } => {
            match form.choice(Field::Role).and_then(|i| Role::ALL.get(i)) {
                None => Err(beatbook_model::ValidationError::Required(Field::Role).into()),
                Some(role) => service
                    .change_role(&session, officer, revision, *role)
                    .map(|o| (role_message(&o.username, o.role), officer)),
            }
        }
        AdminPurpose::Station {
            officer,
            revision,
            stations,
        } => match chosen(&stations) {
            None => Err(beatbook_model::ValidationError::Required(Field::Station).into()),
            Some(station) => service
                .change_station(&session, officer, revision, station)
                .map(|o| {
                    let name = service
                        .stations()
                        .ok()
                        .and_then(|all| all.into_iter().find(|s| s.meta.id == station))
                        .map(|s| s.name)
                        .unwrap_or_default();
                    (T::StationChanged.bi_fill(&[&o.username, &name]), officer)
                }),
        },
        AdminPurpose::Reset { officer, revision } => service
            .reset_password(
                &session,
                officer,
                revision,
                &form.text(Field::Password),
                &form.text(Field::PasswordAgain),
            )
            .map(|o| (T::PasswordResetMsg.bi_fill(&[&o.username]), officer)),
        AdminPurpose::Backup => return,
    };
    match result {
        Ok((text, select)) => {
            app.overlays.pop();
            admin::reload(app, Some(select));
            app.message = Some(Message::success(text));
        }
        Err(e) => {
            let field = e.field();
            if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
                state.form.error = Some(e.localize(lang));
                if let Some(f) = field {
                    state.form.focus_field(f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backup_written;
    use beatbook_i18n::Lang;
    use unicode_width::UnicodeWidthStr;

    /// The status line is one row: at 80 columns (one for its leading space) the advice
    /// to compact must be read whole, with a store of thousands of megabytes.
    #[test]
    fn the_backup_line_names_compact_when_due_and_fits_80_columns() {
        let due = backup_written(1_871_000_000, 3_663_512, true, "/a/long/path/b.bbk");
        let plain = backup_written(1_871_000_000, 3_663_512, false, "/a/long/path/b.bbk");
        for lang in [Lang::Zh, Lang::En] {
            let text = due.get(lang);
            assert!(text.contains("beatbook compact"), "{text}");
            assert!(text.contains("1784.3"), "{text}");
            assert!(text.width() <= 79, "{} columns: {text}", text.width());
            assert!(plain.get(lang).contains("/a/long/path/b.bbk"));
            assert!(!plain.get(lang).contains("compact"));
        }
    }
}
