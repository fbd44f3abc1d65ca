//! `beatbook print KIND ID|PERIOD --out FILE.pdf --user USER`: the papers the screens
//! print with `p`, from the command line (a clerk printing the month's register, a
//! script filing agreements). Printing is audited, so it needs an account.

use super::export::password_for;
use super::output::errln;
use super::{Context, Failure};
use crate::cli::text::Cli;
use crate::i18n::Localize;
use crate::model::{Field, Id};
use crate::report::Month;
use crate::service::{AgreementAnswers, PrintKind, Service, ServiceError, Session};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum PaperKind {
    /// 人民调解协议书 of a dispute (its id)
    Agreement,
    /// 回访记录 of a visit (its id): filled in, or blank for a planned visit
    Visit,
    /// 矛盾纠纷排查化解登记表: a month (2026-11) or FROM..TO (2026-11-01..2026-11-30)
    Register,
    /// The monthly report with its charts: a month (2026-11)
    Report,
}

#[derive(Debug, clap::Args)]
pub(crate) struct PrintArgs {
    #[arg(value_enum)]
    kind: PaperKind,
    /// The dispute or visit id, or the period (register, report)
    target: String,
    /// The PDF to write (written whole or not at all, private to you)
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// Print as this account (password from BEATBOOK_PASSWORD or asked); printing is
    /// audited like a reveal
    #[arg(long, value_name = "USER")]
    user: String,
    /// Register and report: the station, by code or name (default: your own; the
    /// bureau's report for a supervisor without it)
    #[arg(long, value_name = "CODE")]
    station: Option<String>,
    /// Agreement: how the terms are performed, when not recorded yet
    #[arg(long, value_name = "TEXT")]
    manner: Option<String>,
    /// Agreement: the deadline of performance (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    due: Option<String>,
    /// Agreement: a party's missing particular, saved on the person, e.g.
    /// `--set 张三.ethnicity=汉族` (gender, ethnicity, birth_date, occupation, address,
    /// phone); may be repeated
    #[arg(long = "set", value_name = "NAME.FIELD=VALUE")]
    set: Vec<String>,
}

pub(crate) fn run(ctx: &Context, args: &PrintArgs) -> Result<(), Failure> {
    let service = ctx.open_service()?;
    let password = password_for(ctx, &args.user)?;
    let session = service.login_ready(&args.user, &password).map_err(|e| {
        Failure::new(ctx.say(Cli::ImportLogin, &[&args.user, &e.localize(ctx.lang)]))
    })?;
    let fail = |e: ServiceError| Failure::service(&e, ctx.lang);
    let station = super::report::station_arg(ctx, &service, args.station.as_deref())?;
    let kind = match args.kind {
        PaperKind::Agreement => {
            let id = parse_id(ctx, &args.target)?;
            if args.manner.is_some() || args.due.is_some() || !args.set.is_empty() {
                complete(ctx, &service, &session, id, args)?;
            }
            PrintKind::Agreement(id)
        }
        PaperKind::Visit => PrintKind::Visit(parse_id(ctx, &args.target)?),
        PaperKind::Register => {
            let (from, to) = parse_period(&args.target)
                .ok_or_else(|| Failure::usage(ctx.say(Cli::PrintBadPeriod, &[&args.target])))?;
            PrintKind::Register {
                station: station.unwrap_or(session.station()),
                from,
                to,
            }
        }
        PaperKind::Report => PrintKind::Report {
            station: station.or(match session.role() {
                crate::model::Role::Supervisor => None,
                _ => Some(session.station()),
            }),
            month: Month::parse(&args.target)
                .ok_or_else(|| Failure::usage(ctx.say(Cli::ReportBadMonth, &[&args.target])))?,
        },
    };
    let printed = service
        .print(&session, &kind, &args.out, ctx.lang)
        .map_err(fail)?;
    errln!(
        "{}",
        ctx.say(
            Cli::PrintWritten,
            &[
                &printed.path.display(),
                &printed.pages,
                &(printed.bytes / 1024).max(1),
                &printed.number.unwrap_or_default(),
            ]
        )
        .trim_end()
    );
    Ok(())
}

/// Records the manner and deadline given on the command line (the parties' particulars
/// are completed on the screen or in the person's profile).
fn complete(
    ctx: &Context,
    service: &Service,
    session: &Session,
    id: Id,
    args: &PrintArgs,
) -> Result<(), Failure> {
    let fail = |e: ServiceError| Failure::service(&e, ctx.lang);
    let ask = service.agreement_ask(session, id).map_err(fail)?;
    let mut parties: Vec<(Id, Vec<(Field, String)>)> = Vec::new();
    for item in &args.set {
        let bad = || Failure::usage(ctx.say(Cli::PrintBadSet, &[item]));
        let (target, value) = item.split_once('=').ok_or_else(bad)?;
        let (name, field) = target.rsplit_once('.').ok_or_else(bad)?;
        let field = match field.trim() {
            "gender" => Field::Gender,
            "ethnicity" => Field::Ethnicity,
            "birth_date" => Field::BirthDate,
            "occupation" => Field::Occupation,
            "address" => Field::Address,
            "phone" => Field::Phone,
            _ => return Err(bad()),
        };
        let party = ask
            .parties
            .iter()
            .find(|p| p.name == name.trim())
            .ok_or_else(bad)?;
        match parties.iter_mut().find(|(id, _)| *id == party.person) {
            Some((_, values)) => values.push((field, value.to_string())),
            None => parties.push((party.person, vec![(field, value.to_string())])),
        }
    }
    let answers = AgreementAnswers {
        manner: args.manner.clone().unwrap_or(ask.manner),
        due: args.due.clone().unwrap_or(ask.due),
        parties,
    };
    service
        .complete_agreement(session, id, ask.revision, &answers)
        .map_err(fail)?;
    Ok(())
}

fn parse_id(ctx: &Context, s: &str) -> Result<Id, Failure> {
    s.trim()
        .parse::<Id>()
        .map_err(|_| Failure::usage(ctx.say(Cli::PrintBadId, &[&s])))
}

/// `2026-11` (the whole month) or `FROM..TO`.
fn parse_period(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let s = s.trim();
    if let Some((from, to)) = s.split_once("..") {
        let from = NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").ok()?;
        let to = NaiveDate::parse_from_str(to.trim(), "%Y-%m-%d").ok()?;
        return (from <= to).then_some((from, to));
    }
    let month = Month::parse(s)?;
    Some((month.first_day(), month.last_day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_month_or_two_dates_in_order() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(
            parse_period("2026-02"),
            Some((d("2026-02-01"), d("2026-02-28")))
        );
        assert_eq!(
            parse_period("2026-11-03..2026-11-20"),
            Some((d("2026-11-03"), d("2026-11-20")))
        );
        assert_eq!(parse_period("2026-11-20..2026-11-03"), None);
        assert_eq!(parse_period("November"), None);
    }
}
