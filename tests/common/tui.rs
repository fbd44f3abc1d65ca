//! The TUI as the whole-app tests drive it: keys replayed into an [`App`], screens drawn
//! on a `TestBackend` and read back as text. One source for what every TUI test needs,
//! so that a change of how the app takes keys or draws is followed in one place.

use beatbook::i18n::Lang;
use beatbook::service::{Service, Session};
use beatbook::tui::app::App;
use beatbook::tui::keymap::Keymap;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

/// The keymap the app ships with (no user file).
pub fn keymap() -> Keymap {
    Keymap::shipped_default().expect("keymap")
}

/// The app already logged in as `session` (no login screen).
pub fn app<'s>(service: &'s Service, lang: Lang, session: &Session) -> App<'s> {
    App::logged_in(service, lang, keymap(), session.clone())
}

/// The app from its login screen, logged in by keys as `user` with `password`; fails
/// with the app's message when the login does not take.
pub fn login<'s>(service: &'s Service, lang: Lang, user: &str, password: &str) -> App<'s> {
    let mut app = App::new(service, lang, keymap());
    type_str(&mut app, user);
    key(&mut app, KeyCode::Tab);
    type_str(&mut app, password);
    key(&mut app, KeyCode::Enter);
    assert!(
        app.session().is_some(),
        "login as {user} failed: {:?}",
        app.message()
    );
    app
}

/// One key without modifiers.
pub fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// One character typed.
pub fn ch(app: &mut App, c: char) {
    key(app, KeyCode::Char(c));
}

/// Ctrl with a character (Ctrl-S saves a form).
pub fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Every character of `text` typed, one key each (no key names: see [`press`]).
pub fn type_str(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

/// Tab pressed `n` times (the next list, or the next field).
pub fn tabs(app: &mut App, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Tab);
    }
}

/// Replays a key string such as `"officer<Tab>demo1234<Enter>"`: see [`parse_keys`].
pub fn press(app: &mut App, keys: &str) {
    for ev in parse_keys(keys) {
        app.on_key(ev);
    }
}

/// The keys of a key string: plain characters are typed as they are; a name in angle
/// brackets is one key: `<Tab>`, `<S-Tab>` (or `<BackTab>`), `<Enter>`, `<Esc>`,
/// `<Backspace>` (`<BS>`), `<Delete>` (`<Del>`), `<Up>`, `<Down>`, `<Left>`, `<Right>`,
/// `<Home>`, `<End>`, `<PgUp>`, `<PgDn>`, `<F1>`..`<F12>`; `<C-…>` holds Ctrl with a
/// character or a named key (`<C-s>`, `<C-Down>`); `<lt>` is a literal `<`.
///
/// An unknown name, or a `<` that is never closed, panics naming it: a typo in a test
/// must fail the test, not type something else.
pub fn parse_keys(keys: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c != '<' {
            out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("key string {keys:?}: `<` without `>` in {rest:?}"));
        let name = &rest[1..end];
        out.push(
            named_key(name)
                .unwrap_or_else(|| panic!("key string {keys:?}: unknown key name <{name}>")),
        );
        rest = &rest[end + 1..];
    }
    out
}

/// The key a name in angle brackets stands for, if it names one.
fn named_key(name: &str) -> Option<KeyEvent> {
    if let Some(chord) = name.strip_prefix("C-") {
        let mut chars = chord.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named_key(chord)?.code,
        };
        return Some(KeyEvent::new(code, KeyModifiers::CONTROL));
    }
    let code = match name {
        "lt" => KeyCode::Char('<'),
        "Tab" => KeyCode::Tab,
        // Shift-Tab arrives as BackTab with Shift held (crossterm's report).
        "S-Tab" | "BackTab" => return Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Backspace" | "BS" => KeyCode::Backspace,
        "Delete" | "Del" => KeyCode::Delete,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        _ => {
            let n: u8 = name.strip_prefix('F')?.parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            KeyCode::F(n)
        }
    };
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The app drawn once on a `w`×`h` test terminal (its cursor and cells can be read).
pub fn terminal(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    terminal
}

/// The screen as the test backend prints it (a wide character's second cell shows as a
/// space): what the snapshots hold.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    terminal(app, w, h).backend().to_string()
}

/// The screen as lines of text, a wide character counted once (its second cell is the
/// terminal's continuation, not a space): for comparing columns and finding text.
pub fn lines(app: &App, w: u16, h: u16) -> Vec<String> {
    let terminal = terminal(app, w, h);
    let buf = terminal.backend().buffer();
    (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..w {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf.cell((x, y)).map(|c| c.symbol()).unwrap_or(" ");
                line.push_str(sym);
                skip = sym.width().saturating_sub(1);
            }
            line
        })
        .collect()
}

/// The screen as [`lines`] joined: text to search with a wide character counted once.
pub fn screen_text(app: &App, w: u16, h: u16) -> String {
    lines(app, w, h).join("\n")
}

/// The app's message line in `lang` (empty when there is none).
pub fn message(app: &App, lang: Lang) -> String {
    app.message()
        .map(|m| m.text.get(lang).to_string())
        .unwrap_or_default()
}

/// The whole screen and the text of the highlighted list row (the cells drawn in the
/// selection colour, without spaces), if a row is highlighted.
pub fn draw_with_highlight(app: &App, w: u16, h: u16) -> (String, Option<String>) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let mut highlighted = None;
    // The last two lines are the message and the status bar (blue too).
    for y in 0..h.saturating_sub(2) {
        let row: Vec<_> = (0..w).map(|x| &buffer[(x, y)]).collect();
        if row.iter().filter(|c| c.bg == Color::Blue).count() > usize::from(w) / 2 {
            // Spaces dropped: a wide character's second cell reads as one.
            let text: String = row.iter().map(|c| c.symbol()).collect();
            highlighted = Some(text.replace(' ', ""));
        }
    }
    (terminal.backend().to_string(), highlighted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn key_strings_type_characters_and_name_keys() {
        assert_eq!(
            parse_keys("ab<Tab>张<Enter>"),
            [
                plain(KeyCode::Char('a')),
                plain(KeyCode::Char('b')),
                plain(KeyCode::Tab),
                plain(KeyCode::Char('张')),
                plain(KeyCode::Enter),
            ]
        );
        assert_eq!(
            parse_keys("<S-Tab><BackTab>"),
            [KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT); 2]
        );
        assert_eq!(
            parse_keys("<Esc><Up><Down><Left><Right><Home><End><PgUp><PgDn><BS><Del>"),
            [
                KeyCode::Esc,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Backspace,
                KeyCode::Delete,
            ]
            .map(plain)
        );
        assert_eq!(
            parse_keys("<F1><F5><F12>"),
            [KeyCode::F(1), KeyCode::F(5), KeyCode::F(12)].map(plain)
        );
        assert_eq!(
            parse_keys("<C-s><C-Down>"),
            [
                KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                KeyEvent::new(KeyCode::Down, KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(
            parse_keys("a<lt>b>"),
            [
                plain(KeyCode::Char('a')),
                plain(KeyCode::Char('<')),
                plain(KeyCode::Char('b')),
                plain(KeyCode::Char('>')),
            ]
        );
        assert_eq!(parse_keys(""), []);
    }

    #[test]
    #[should_panic(expected = "unknown key name <Entre>")]
    fn a_misspelt_key_name_fails() {
        parse_keys("x<Entre>");
    }

    #[test]
    #[should_panic(expected = "unknown key name <F13>")]
    fn a_function_key_beyond_f12_fails() {
        parse_keys("<F13>");
    }

    #[test]
    #[should_panic(expected = "without `>`")]
    fn an_unclosed_name_fails() {
        parse_keys("a<Tab");
    }
}
