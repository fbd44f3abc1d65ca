//! Printing: one mediation agreement and a register of (up to) 500 disputes, each laid
//! out and written as PDF, with the file size. Runs on demo or seeded stores only: the
//! agreement is completed with made-up particulars when it lacks them.

use super::*;
use crate::model::{DisputeStatus, Field};
use crate::service::{AgreementAnswers, PrintKind, RegisterRow};

/// Rows of the register benchmark (issue 15: a 500-row register in under 2 s).
const REGISTER_ROWS: usize = 500;

pub(crate) fn bench_print(
    service: &Service,
    session: &Session,
    data: &std::path::Path,
    runs: usize,
) {
    if !synthetic(service) {
        skipped("print_agreement", "store is not demo/seeded data");
        return;
    }
    // Every dispute the user may read, once for both scenarios.
    let filter = RegisterFilter {
        all_statuses: true,
        ..RegisterFilter::default()
    };
    let rows = match service.dispute_register(session, &filter, RegisterSort::Risk) {
        Ok(rows) => rows,
        Err(e) => return skipped("print_agreement", &e.localize(Lang::En)),
    };
    let folder = data.join("papers");
    bench_agreement(service, session, &rows, &folder, runs);
    bench_register(service, session, &rows, &folder, runs);
}

fn bench_agreement(
    service: &Service,
    session: &Session,
    rows: &[RegisterRow],
    folder: &std::path::Path,
    runs: usize,
) {
    const NAME: &str = "print_agreement";
    let agreed = rows.iter().find_map(|r| {
        matches!(
            r.summary.status,
            DisputeStatus::Resolved | DisputeStatus::FollowingUp | DisputeStatus::Closed
        )
        .then(|| service.agreement_ask(session, r.summary.id).ok())
        .flatten()
    });
    let Some(ask) = agreed else {
        return skipped(NAME, "no dispute of the user's station with an agreement");
    };
    if !ask.complete() {
        let answers = AgreementAnswers {
            manner: "一次性支付（基准测试）".into(),
            due: String::new(),
            parties: ask
                .parties
                .iter()
                .map(|p| {
                    let values = p
                        .missing
                        .iter()
                        .map(|f| {
                            let v = match f {
                                Field::Gender => "男",
                                Field::BirthDate => "1980-01-01",
                                Field::Phone => "13800000000",
                                _ => "（基准测试）",
                            };
                            (*f, v.to_string())
                        })
                        .collect();
                    (p.person, values)
                })
                .collect(),
        };
        if let Err(e) = service.complete_agreement(session, ask.dispute, ask.revision, &answers) {
            return skipped(NAME, &e.localize(Lang::En));
        }
    }
    let out = folder.join("bench-agreement.pdf");
    let kind = PrintKind::Agreement(ask.dispute);
    time_print(service, session, NAME, &kind, &out, runs, ask.parties.len());
}

fn bench_register(
    service: &Service,
    session: &Session,
    rows: &[RegisterRow],
    folder: &std::path::Path,
    runs: usize,
) {
    const NAME: &str = "print_register";
    let mut dates: Vec<_> = rows
        .iter()
        .filter(|r| r.summary.station == session.station())
        .map(|r| r.summary.reported_on)
        .collect();
    dates.sort_unstable_by(|a, b| b.cmp(a));
    let (Some(to), Some(from)) = (
        dates.first().copied(),
        dates
            .get(REGISTER_ROWS.min(dates.len()).saturating_sub(1))
            .copied(),
    ) else {
        return skipped(NAME, "no dispute in the user's station");
    };
    let kind = PrintKind::Register {
        station: session.station(),
        from,
        to,
    };
    let rows = dates.iter().filter(|d| **d >= from).count();
    time_print(
        service,
        session,
        NAME,
        &kind,
        &folder.join("bench-register.pdf"),
        runs.min(5),
        rows,
    );
}

/// Prints `kind` `runs` times and reports the median, the pages, the bytes and `rows`
/// (parties of the agreement, disputes of the register).
fn time_print(
    service: &Service,
    session: &Session,
    name: &str,
    kind: &PrintKind,
    out: &std::path::Path,
    runs: usize,
    rows: usize,
) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        match service.print(session, kind, out, Lang::Zh) {
            Ok(p) => {
                times.push(started.elapsed());
                last = Some(p);
            }
            Err(e) => return skipped(name, &e.localize(Lang::En)),
        }
    }
    let _ = std::fs::remove_file(out);
    let Some(p) = last else { return };
    let mut line = timed(name, rows, &times);
    line["bytes"] = json!(p.bytes);
    line["pages"] = json!(p.pages);
    line["rows"] = json!(rows);
    if let PrintKind::Register { from, to, .. } = kind {
        line["period"] = json!(format!("{from}..{to}"));
    }
    emit(line);
}
