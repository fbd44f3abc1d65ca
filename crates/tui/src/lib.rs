//! The terminal user interface: keymaps, screens and the event loop. It talks only to the
//! service layer, never to the store.

pub mod action;
pub mod app;
pub mod keymap;
pub mod opening;
pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;

use anyhow::Context;
use app::App;
use beatbook_core::config::{ConfigError, Paths};
use beatbook_i18n::Lang;
use beatbook_service::{Service, Session};
use keymap::Keymap;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::Terminal;
use std::time::{Duration, Instant};

/// Loads the keymap the user asked for: `--keymap NAME|PATH` over the shipped default,
/// then the user's `keymap.toml` in the config folder. Called before anything else starts,
/// so a broken file is reported with its line before the terminal is taken over.
pub fn load_keymap(choice: Option<&str>, paths: &Paths) -> Result<Keymap, ConfigError> {
    Keymap::load(choice, Some(&paths.user_keymap_file()))
}

/// Runs the TUI until the user quits; restores the terminal on every exit path, panics
/// included (ratatui's init installs the hook).
///
/// `open` opens the store and makes the service: it runs on its own thread while the
/// login screen is already up (see [`opening`]), so nothing that grows with the store
/// stands between the launch and the first screen. Its refusal (a folder in use, a
/// newer store) is returned as it is, once the terminal is given back.
pub fn run<E: Send>(
    open: impl FnOnce() -> Result<Service, E> + Send,
    lang: Lang,
    mut keymap: Keymap,
) -> anyhow::Result<Result<(), E>> {
    std::thread::scope(|scope| {
        let opening = scope.spawn(open);
        let deadline = Instant::now() + opening::QUICK_OPEN;
        while !opening.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut terminal = ratatui::try_init().context("cannot take over the terminal")?;
        let _ = execute!(std::io::stdout(), EnableBracketedPaste);
        let early = if opening.is_finished() {
            Ok(opening::Early::new(lang))
        } else {
            opening::type_while_opening(&mut terminal, lang, &mut keymap, || opening.is_finished())
        };
        // Quitting while the store opens still waits for it: an open can be a migration.
        let opened = opening.join();
        let result = match (early, opened) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(_)) => Err(anyhow::anyhow!("the store could not be opened")),
            (Ok(_), Ok(Err(refused))) => Ok(Err(refused)),
            (Ok(early), Ok(Ok(_))) if early.quit => Ok(Ok(())),
            (Ok(early), Ok(Ok(service))) => run_app(&mut terminal, &service, keymap, early).map(Ok),
        };
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
        result
    })
}

/// The app over an open store, until the user quits.
fn run_app(
    terminal: &mut ratatui::DefaultTerminal,
    service: &Service,
    keymap: Keymap,
    early: opening::Early,
) -> anyhow::Result<()> {
    std::thread::scope(|scope| {
        // The person search index is built beside the screens after each login, for
        // what that account may search, not at the first search.
        let (logins, logged_in) = std::sync::mpsc::channel::<Session>();
        scope.spawn(move || {
            for session in logged_in {
                if let Err(e) = service.prepare_person_search(&session) {
                    tracing::warn!("person search index not prepared: {e}");
                }
            }
        });
        // With a hub, rounds run on their own thread; the screens only read the status.
        let worker = match service.start_sync_worker() {
            Ok(worker) => worker,
            Err(e) => {
                tracing::warn!("background sync not started: {e}");
                None
            }
        };
        let tick = if worker.is_some() {
            Duration::from_secs(1)
        } else {
            Duration::from_secs(30)
        };
        let mut app = App::after_opening(service, keymap, early, Some(logins));
        app.follow_sync();
        let result = event_loop(terminal, &mut app, tick);
        drop(worker);
        // Dropping the app closes the login channel: the search thread ends.
        drop(app);
        result
    })
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    tick: Duration,
) -> anyhow::Result<()> {
    while !app.should_quit() {
        terminal.draw(|frame| app.draw(frame))?;
        app.after_draw();
        // Wake up now and then so the date in the status bar and Today's buckets follow
        // the clock past midnight, and (with a hub) the sync state and pulled records.
        if !event::poll(tick)? {
            app.on_tick();
            continue;
        }
        match event::read()? {
            Event::Key(key) => app.on_key(key),
            Event::Paste(text) => app.on_paste(&text),
            _ => {}
        }
    }
    Ok(())
}

/// Builds the screen a login lands on for `session` (Today with its alerts and
/// approvals, or the administrator's list) and returns how many visits Today lists, for
/// `beatbook bench`'s `login_to_today`.
pub fn bench_first_screen(
    service: &Service,
    session: &Session,
    lang: Lang,
) -> anyhow::Result<usize> {
    let keymap = Keymap::shipped_default()?;
    let app = App::logged_in(service, lang, keymap, session.clone());
    Ok(app.today_rows())
}

/// Median time to draw the Today screen of `session` at 120×40, with the number of rows
/// it lists (for `beatbook bench`). Drawing is what every key press costs once the list is
/// loaded.
pub fn bench_redraw(
    service: &Service,
    session: &Session,
    lang: Lang,
) -> anyhow::Result<(usize, Duration)> {
    let keymap = Keymap::shipped_default()?;
    let app = App::logged_in(service, lang, keymap, session.clone());
    let rows = app.today_rows();
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    let mut times = Vec::with_capacity(50);
    for _ in 0..50 {
        let start = Instant::now();
        terminal.draw(|frame| app.draw(frame))?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok((rows, times[times.len() / 2]))
}

/// Opens the dispute register of `session` as the screen does (rows, the parties of the
/// rows around the selection named) and returns how many rows it lists, for `beatbook
/// bench`'s `dispute_register`.
pub fn bench_register_open(service: &Service, session: &Session) -> anyhow::Result<usize> {
    let mut register = screens::disputes::register::RegisterState::default();
    register.reload(service, session)?;
    Ok(register.rows.len())
}

/// Opens the register and types one letter into its filter, which names every row's
/// parties (once per load); returns how many rows pass, for `beatbook bench`'s
/// `register_first_filter`.
pub fn bench_register_first_filter(
    service: &Service,
    session: &Session,
    letter: &str,
) -> anyhow::Result<usize> {
    let mut register = screens::disputes::register::RegisterState::default();
    register.reload(service, session)?;
    register.text.insert_str(letter);
    register.apply_text(service, session)?;
    Ok(register.rows.len())
}
