//! A property over random interleavings, against a real hub: two CG station terminals and
//! a bureau terminal; persons' notes, addresses and phones edited on the station terminals
//! (findings written on the bureau's), rounds run, `beatbook sync` killed (SIGKILL) at a
//! random point of its round, and the chief deciding open conflicts either way, in any
//! order. After rounds on every terminal until a whole pass moves nothing: all three hold
//! the same CG records, their indexes are intact, every terminal lists exactly the hub's
//! open conflicts, and no value that was on a terminal when a round started was lost (it
//! is on a terminal, or the hub holds it: a head, a change, or a conflict's version).
//!
//! A value becomes due when a round starts on its terminal (a service round, or a killed
//! `beatbook sync` after which nothing waits); only a later edit of the same field on the
//! same terminal before that replaces it. For a kill the terminal's store is closed (the
//! folder is the child's alone, as in `kills.rs`) and opened again afterwards.

use super::kills::{sync_killed_after, sync_to_the_end};
use crate::common::assert_indexes_ok;
use crate::common::hub::{records_of, service_in, station_id, TestHub};
use beatbook::model::{Id, TargetKind, Visit};
use beatbook::service::{
    ConflictChoice, ConflictView, JoinAs, NewFinding, Service, ServiceError, Session,
};
use beatbook::store::ConflictReason;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Terminals 0 and 1 serve CG; terminal 2 is the bureau's.
const TERMINALS: usize = 3;
const BUREAU: usize = 2;
/// The shared persons edited.
const PERSONS: usize = 2;
/// Bound on the closing passes (a rounds on every terminal each).
const MAX_PASSES: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Notes,
    Address,
    Phone,
}

#[derive(Clone, Debug)]
enum Step {
    /// On a station terminal: a field of a shared person; on the bureau's: a new finding.
    Edit {
        t: usize,
        person: usize,
        field: Field,
        word: usize,
    },
    /// A round through the service.
    Sync { t: usize },
    /// `beatbook sync` on the terminal's folder, killed after `at` % of a whole round.
    Kill { t: usize, at: u64 },
    /// The chief decides the `pick`-th open conflict on a station terminal.
    Decide { t: usize, pick: usize, kept: bool },
}

const WORDS: [&str; 8] = [
    "夜间巡查",
    "邻里纠纷",
    "已搬走",
    "电话无人接",
    "复查",
    "东门3号",
    "家属代收",
    "暂住",
];

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        3 => Just(Field::Notes),
        1 => Just(Field::Address),
        1 => Just(Field::Phone),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let edit =
        (0..TERMINALS, 0..PERSONS, field(), 0..WORDS.len()).prop_map(|(t, person, field, word)| {
            Step::Edit {
                t,
                person,
                field,
                word,
            }
        });
    let sync = (0..TERMINALS).prop_map(|t| Step::Sync { t });
    let kill = (0..TERMINALS, 0..150u64).prop_map(|(t, at)| Step::Kill { t, at });
    let decide = (0..BUREAU, 0..4usize, any::<bool>()).prop_map(|(t, pick, kept)| Step::Decide {
        t,
        pick,
        kept,
    });
    prop_oneof![4 => edit, 3 => sync, 2 => kill, 3 => decide]
}

/// A terminal's data folder and, unless a `beatbook sync` has it, the store open on it.
struct Term {
    dir: tempfile::TempDir,
    service: Option<Service>,
    sessions: BTreeMap<&'static str, Session>,
}

impl Term {
    fn service(&self) -> &Service {
        self.service.as_ref().expect("the folder is open here")
    }

    fn session(&mut self, user: &'static str) -> Session {
        if let Some(s) = self.sessions.get(user) {
            return s.clone();
        }
        let s = self
            .service()
            .login_ready(user, beatbook::demo::DEMO_PASSWORD)
            .unwrap_or_else(|e| panic!("{user} logs in: {e}"));
        self.sessions.insert(user, s.clone());
        s
    }

    /// Closes the store (the folder free for another process).
    fn close(&mut self) {
        self.sessions.clear();
        self.service = None;
    }

    fn open(&mut self) {
        self.service = Some(service_in(self.dir.path()));
    }
}

/// How long a whole `beatbook sync` takes here (timed once per test process).
static ROUND: OnceLock<Duration> = OnceLock::new();

/// CG persons with no watch flag and in no dispute (editing them touches no other record).
fn plain_cg_persons(service: &Service, n: usize) -> Vec<Id> {
    let out: Vec<Id> = super::plain_cg_persons(service.store())
        .iter()
        .map(|p| p.meta.id)
        .take(n)
        .collect();
    assert_eq!(out.len(), n, "enough plain CG persons");
    out
}

/// What the test knows must not be lost.
#[derive(Default)]
struct Model {
    /// Per terminal: the newest value written to each (record, field) that no round has
    /// started on since (a later edit of the same field replaces it before it was due).
    pending: [BTreeMap<(String, Field), (usize, String)>; TERMINALS],
    /// Values that were on a terminal when a round took its changes: (terminal, step, value).
    due: Vec<(usize, usize, String)>,
}

impl Model {
    fn pushed(&mut self, t: usize) {
        for (_, (step, value)) in std::mem::take(&mut self.pending[t]) {
            self.due.push((t, step, value));
        }
    }
}

/// Every string in a JSON value, however deep.
fn strings(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// Runs one interleaving and checks the property; panics (with the steps and what each
/// did) when it does not hold.
fn run(steps: &[Step]) {
    let Some(hub) = TestHub::with_demo() else {
        return;
    };
    let started = Instant::now();
    let mut terms: Vec<Term> = [
        JoinAs::Station("CG".into()),
        JoinAs::Station("CG".into()),
        JoinAs::Bureau,
    ]
    .into_iter()
    .map(|join| {
        let t = hub.terminal(join);
        Term {
            dir: t.dir,
            service: Some(t.service),
            sessions: BTreeMap::new(),
        }
    })
    .collect();
    let round = *ROUND.get_or_init(|| {
        terms[0].close();
        let timed = Instant::now();
        sync_to_the_end(terms[0].dir.path());
        let took = timed.elapsed();
        terms[0].open();
        eprintln!("hub property: a whole `beatbook sync` takes {took:?}");
        took
    });
    let cg_id = station_id(terms[0].service().store(), "CG");
    let persons = plain_cg_persons(terms[0].service(), PERSONS);
    let visit = terms[BUREAU]
        .service()
        .store()
        .all::<Visit>()
        .map(|v| v.expect("visit"))
        .find(|v| v.meta.station.to_string() == cg_id)
        .expect("a CG visit")
        .meta
        .id;

    let mut model = Model::default();
    let mut log: Vec<String> = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let did = match *step {
            Step::Edit {
                t,
                person,
                field,
                word,
            } if t == BUREAU => {
                let _ = (person, field);
                let description = format!("督导{}第{n}条", WORDS[word]);
                let supervisor = terms[t].session("supervisor");
                let finding = terms[t]
                    .service()
                    .create_finding(
                        &supervisor,
                        &NewFinding {
                            target: TargetKind::Visit,
                            target_id: visit,
                            problem: Some("deadline_missed".into()),
                            description: description.clone(),
                            deadline: "+10".into(),
                        },
                    )
                    .unwrap_or_else(|e| panic!("step {n}: finding: {e:?}"));
                model.pending[t].insert(
                    (finding.meta.id.to_string(), Field::Notes),
                    (n, description.clone()),
                );
                format!("finding {description:?}")
            }
            Step::Edit {
                t,
                person,
                field,
                word,
            } => {
                let id = persons[person];
                let value = match field {
                    Field::Notes => format!("{}备注{n}", WORDS[word]),
                    Field::Address => format!("{}路{n}号", WORDS[word]),
                    Field::Phone => format!("1765{:03}{:04}", word, n),
                };
                let user = if t == 0 { "officer" } else { "cg.zhaolei" };
                let session = terms[t].session(user);
                let service = terms[t].service();
                let (mut draft, revision) = service
                    .person_draft(&session, id)
                    .unwrap_or_else(|e| panic!("step {n}: person draft: {e:?}"));
                match field {
                    Field::Notes => draft.notes = value.clone(),
                    Field::Address => draft.address = value.clone(),
                    Field::Phone => draft.phone = value.clone(),
                }
                service
                    .update_person(&session, id, revision, &draft)
                    .unwrap_or_else(|e| panic!("step {n}: person saved: {e:?}"));
                model.pending[t].insert((id.to_string(), field), (n, value.clone()));
                format!("person {person} {field:?} = {value:?}")
            }
            Step::Sync { t } => {
                let summary = terms[t]
                    .service()
                    .sync_now(&mut |_| {})
                    .unwrap_or_else(|e| panic!("step {n}: round on terminal {t}: {e:?}"));
                model.pushed(t);
                format!("{summary:?}")
            }
            Step::Kill { t, at } => {
                terms[t].close();
                let after = round * at as u32 / 100;
                let ended = sync_killed_after(terms[t].dir.path(), after);
                terms[t].open();
                let waiting = terms[t].service().sync_status().waiting;
                // A round that took everything this terminal had: its values were due.
                if waiting == 0 {
                    model.pushed(t);
                }
                format!(
                    "after {after:?}: {}, {waiting} waiting",
                    if ended { "had ended" } else { "killed" }
                )
            }
            Step::Decide { t, pick, kept } => {
                let chief = terms[t].session("chief");
                let open: Vec<ConflictView> = terms[t]
                    .service()
                    .conflicts(&chief)
                    .expect("conflicts readable")
                    .into_iter()
                    .filter(|c| c.may_decide)
                    .collect();
                if open.is_empty() {
                    "no conflict".to_string()
                } else {
                    let c = &open[pick % open.len()];
                    let choice = if kept && c.reason == ConflictReason::Revision {
                        ConflictChoice::Kept
                    } else {
                        ConflictChoice::Hub
                    };
                    match terms[t].service().resolve_conflict(&chief, &c.key, &choice) {
                        Ok(()) => {
                            // Keeping the set-aside version writes its values over the
                            // fields listed, which the chief saw as they are now: an edit
                            // of those made here since is replaced by a person's decision,
                            // not lost unseen.
                            if choice == ConflictChoice::Kept {
                                for f in &c.fields {
                                    let field = match f.name.as_str() {
                                        "notes" => Some(Field::Notes),
                                        "address" => Some(Field::Address),
                                        "phone" => Some(Field::Phone),
                                        _ => None,
                                    };
                                    if let Some(field) = field {
                                        model.pending[t].remove(&(c.record.to_string(), field));
                                    }
                                }
                            }
                            format!("{} {:?} on {:?}", c.key, choice, c.record)
                        }
                        Err(e @ ServiceError::ConflictWholeOnly) => format!("{e:?}"),
                        Err(e) => panic!("step {n}: deciding {} {choice:?}: {e:?}", c.key),
                    }
                }
            }
        };
        log.push(format!("{n:>2} {step:?} -> {did}"));
    }
    let steps_took = started.elapsed();

    // Rounds on every terminal until a whole pass moves nothing.
    let mut quiet = false;
    for pass in 0..MAX_PASSES {
        let mut moved = 0;
        for (t, term) in terms.iter().enumerate() {
            let s = term
                .service()
                .sync_now(&mut |_| {})
                .unwrap_or_else(|e| panic!("closing pass {pass}: round on {t}: {e:?}"));
            moved += s.pushed + s.pulled + s.resolved + s.conflicts + s.merged;
            log.push(format!("   pass {pass} terminal {t}: {s:?}"));
        }
        for t in 0..TERMINALS {
            model.pushed(t);
        }
        if moved == 0 {
            quiet = true;
            break;
        }
    }
    let log = log.join("\n");
    assert!(quiet, "rounds still move after {MAX_PASSES} passes:\n{log}");

    // Every terminal holds the same CG records, intact, nothing waiting.
    let scope = [cg_id.as_str()];
    let reference = records_of(terms[0].service().store(), &scope);
    for (t, term) in terms.iter().enumerate() {
        let records = records_of(term.service().store(), &scope);
        if records != reference {
            let differ: Vec<_> = reference
                .keys()
                .chain(records.keys())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .filter(|k| reference.get(*k) != records.get(*k))
                .map(|k| {
                    format!(
                        "{k}:\n  0: {:?}\n  {t}: {:?}",
                        reference.get(k),
                        records.get(k)
                    )
                })
                .collect();
            panic!(
                "terminal {t}'s CG records differ from terminal 0's:\n{}\n{log}",
                differ.join("\n")
            );
        }
        assert_indexes_ok(term.service().store());
        assert_eq!(
            term.service().sync_status().waiting,
            0,
            "terminal {t}:\n{log}"
        );
    }

    // Every terminal lists exactly the hub's open conflicts, under the same keys.
    let mut sql = hub.sql();
    let open: BTreeSet<i64> = sql
        .query("SELECT id FROM conflicts WHERE resolved_at IS NULL", &[])
        .expect("open conflicts")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut keys_seen: Option<BTreeSet<String>> = None;
    for (t, term) in terms.iter_mut().enumerate() {
        let kept = term.service().sync_conflicts().expect("conflicts");
        let hub_ids: BTreeSet<i64> = kept
            .iter()
            .map(|c| {
                c.hub_id
                    .unwrap_or_else(|| panic!("terminal {t}: a conflict of its own: {c:?}\n{log}"))
            })
            .collect();
        assert_eq!(
            hub_ids, open,
            "terminal {t} keeps the hub's open conflicts:\n{log}"
        );
        let reader = if t == BUREAU { "supervisor" } else { "chief" };
        let session = term.session(reader);
        let listed: BTreeSet<String> = term
            .service()
            .conflicts(&session)
            .expect("conflicts readable")
            .into_iter()
            .map(|c| c.key)
            .collect();
        let stored: BTreeSet<String> = kept.iter().map(|c| c.key.clone()).collect();
        assert_eq!(
            listed, stored,
            "terminal {t}: the {reader} is shown every conflict:\n{log}"
        );
        match &keys_seen {
            None => keys_seen = Some(listed),
            Some(first) => assert_eq!(&listed, first, "terminal {t} lists other keys:\n{log}"),
        }
    }

    // Nothing lost: every value due is on a terminal or reached the hub.
    let mut found = BTreeSet::new();
    for term in &terms {
        for json in records_of(term.service().store(), &scope).values() {
            strings(&serde_json::from_str(json).expect("json"), &mut found);
        }
    }
    for query in [
        "SELECT mine FROM conflicts",
        "SELECT head FROM conflicts",
        "SELECT body FROM changes",
        "SELECT body FROM records",
    ] {
        for row in sql.query(query, &[]).expect(query) {
            if let Some(v) = row.get::<_, Option<Value>>(0) {
                strings(&v, &mut found);
            }
        }
    }
    let lost: Vec<_> = model
        .due
        .iter()
        .filter(|(_, _, value)| !found.contains(value))
        .collect();
    assert!(
        lost.is_empty(),
        "values lost (terminal, step, value): {lost:?}\n{log}"
    );
    if std::env::var_os("BB_PROPERTY_LOG").is_some() {
        eprintln!("{log}");
    }
    eprintln!(
        "hub property: {} steps in {steps_took:?}, {:?} in all; {} values due, {} conflicts open",
        steps.len(),
        started.elapsed(),
        model.due.len(),
        open.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        max_shrink_iters: 24,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_edits_rounds_kills_and_decisions_converge_and_lose_nothing(
        steps in proptest::collection::vec(step(), 4..40)
    ) {
        run(&steps);
    }
}

/// A variant of what the property found (next test), cut down by hand: an address changed
/// on terminal 2 after a notes conflict reached it, then the chief on terminal 2 keeps the
/// version set aside before the next round. Before 35dd472 the decision wrote that version
/// whole over the record as held here, so the new address (no field of the conflict, not
/// shown to the chief) was gone without a trace: never pushed, on no terminal, nowhere at
/// the hub.
#[test]
fn an_edit_made_after_a_conflict_arrived_survives_keeping_the_version_set_aside() {
    use Field::*;
    run(&[
        Step::Edit {
            t: 0,
            person: 0,
            field: Notes,
            word: 0,
        },
        Step::Edit {
            t: 1,
            person: 0,
            field: Notes,
            word: 1,
        },
        Step::Sync { t: 0 },
        Step::Sync { t: 1 },
        Step::Edit {
            t: 1,
            person: 0,
            field: Address,
            word: 2,
        },
        Step::Decide {
            t: 1,
            pick: 0,
            kept: true,
        },
        Step::Sync { t: 1 },
    ]);
}

/// The case the property found (run 8 of 8 before 35dd472, minimal input 32 steps), cut
/// down by hand: terminal 1's notes are set aside (the hub took terminal 2's), the officer
/// on terminal 1 writes the notes again, the chief there keeps the version set aside before
/// the next round. The conflict once showed the set-aside and the hub's notes, never the
/// ones on the record, and the decision wrote over them unseen. Now the screen shows the
/// notes as they stand (`tui_conflicts`), and keeping the set-aside version replaces them
/// by a person's decision; the run checks everything else still converges and is kept.
#[test]
fn an_edit_of_the_clashing_field_made_after_the_conflict_arrived_is_replaced_only_by_a_decision() {
    use Field::*;
    run(&[
        Step::Edit {
            t: 0,
            person: 0,
            field: Notes,
            word: 0,
        },
        Step::Edit {
            t: 1,
            person: 0,
            field: Notes,
            word: 1,
        },
        Step::Sync { t: 1 },
        Step::Sync { t: 0 },
        Step::Edit {
            t: 0,
            person: 0,
            field: Notes,
            word: 2,
        },
        Step::Decide {
            t: 0,
            pick: 0,
            kept: true,
        },
        Step::Sync { t: 0 },
    ]);
}
