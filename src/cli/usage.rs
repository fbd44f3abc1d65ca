//! Command-line usage errors and help in the user's language.
//!
//! clap writes its own errors in English. Under `--lang zh` an officer who mistypes an
//! option must still read what was wrong and what to do, so the kind of clap's error
//! and the argument it names are told in Chinese from the `i18n::cli` table. English
//! keeps clap's own text (with its usage line and suggestions). `--help` stays clap's
//! English reference, followed under zh by a line pointing to the README.

use crate::cli::text::Cli;
use crate::i18n::Lang;
use clap::error::{ContextKind, ErrorKind};
use std::ffi::OsString;

/// The language asked for, read before the arguments are parsed (a usage error has no
/// parsed `--lang`): `--lang X` or `--lang=X` among the raw arguments, then
/// `BEATBOOK_LANG`, then the locale in `LANG`.
pub(crate) fn early_lang(args: &[OsString]) -> Lang {
    let mut explicit = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = iter.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            explicit = iter.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            explicit = Some(v.to_string());
        }
    }
    let explicit = explicit.or_else(|| std::env::var("BEATBOOK_LANG").ok());
    let locale = std::env::var("LANG").ok();
    Lang::choose(explicit.as_deref(), locale.as_deref())
}

/// What was wrong with the command line and what to do, in `lang`: the argument or
/// value at fault, the values allowed, clap's suggestion, and where to read more.
pub(crate) fn describe(e: &clap::Error, lang: Lang) -> String {
    let ctx = |kind: ContextKind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => Cli::UsageUnknownArgument.fill(lang, &[&arg]),
        ErrorKind::InvalidSubcommand => {
            Cli::UsageUnknownCommand.fill(lang, &[&ctx(ContextKind::InvalidSubcommand)])
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            Cli::UsageBadValue.fill(lang, &[&arg, &ctx(ContextKind::InvalidValue)])
        }
        ErrorKind::MissingRequiredArgument => Cli::UsageMissingArgument.fill(lang, &[&arg]),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Cli::UsageMissingCommand.get(lang).to_string()
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            Cli::UsageValueCount.fill(lang, &[&arg])
        }
        ErrorKind::ArgumentConflict => {
            Cli::UsageConflict.fill(lang, &[&arg, &ctx(ContextKind::PriorArg)])
        }
        ErrorKind::NoEquals => Cli::UsageNoEquals.fill(lang, &[&arg, &arg]),
        ErrorKind::InvalidUtf8 => Cli::UsageNotUtf8.get(lang).to_string(),
        _ => Cli::UsageOther.get(lang).to_string(),
    };
    let valid = ctx(ContextKind::ValidValue);
    if !valid.is_empty() {
        text.push_str(&Cli::UsageValidValues.fill(lang, &[&valid]));
    }
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .map(ctx)
    .into_iter()
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        text.push_str(&Cli::UsageDidYouMean.fill(lang, &[&s]));
    }
    text.push_str(Cli::UsageSeeHelp.get(lang));
    text
}

/// Whether clap's "error" is really the help or version text it was asked for.
pub(crate) fn is_help_or_version(e: &clap::Error) -> bool {
    matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Debug, Parser)]
    struct Demo {
        #[arg(long, value_name = "N")]
        runs: Option<usize>,
        #[arg(long, value_parser = ["md", "csv"])]
        format: Option<String>,
    }

    fn err(args: &[&str]) -> clap::Error {
        Demo::try_parse_from(args).expect_err("a usage error")
    }

    #[test]
    fn usage_errors_name_the_argument_in_chinese() {
        let _ = Demo::command();
        let unknown = describe(&err(&["x", "--rusn", "3"]), Lang::Zh);
        assert!(
            unknown.contains("--rusn") && unknown.contains("不认识"),
            "{unknown}"
        );
        assert!(unknown.contains("--runs"), "suggestion kept: {unknown}");
        let bad = describe(&err(&["x", "--runs", "abc"]), Lang::Zh);
        assert!(
            bad.contains("--runs") && bad.contains("abc") && bad.contains("无效"),
            "{bad}"
        );
        let choice = describe(&err(&["x", "--format", "pdf"]), Lang::Zh);
        assert!(choice.contains("md, csv"), "{choice}");
        let missing = describe(&err(&["x", "--runs"]), Lang::Zh);
        assert!(missing.contains("--runs"), "{missing}");
        for text in [unknown, bad, choice, missing] {
            assert!(
                !text.contains("error:") && !text.contains("Usage"),
                "{text}"
            );
        }
    }

    #[test]
    fn early_lang_reads_the_raw_flag() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            early_lang(&args(&["b", "--lang", "zh", "--bogus"])),
            Lang::Zh
        );
        assert_eq!(early_lang(&args(&["b", "--bogus", "--lang=zh"])), Lang::Zh);
        assert_eq!(early_lang(&args(&["b", "--lang", "en"])), Lang::En);
    }
}
