//! The command line as people type it: in `unres search`, an argument that starts with `-`
//! followed by anything other than an ASCII letter or another `-` (`-妇女`, `-"3D 打印"`,
//! `-20`) is query text, not an option, while every real option still works anywhere on
//! the line. clap alone would read `-妇女` as the unknown short options `-妇`, `-女`.
//!
//! [`rewrite`] puts the options first (each with its value, as the clap definition says it
//! takes one) and the query words after a `--`, in the order typed, so that clap sees them
//! as plain values.

use clap::Command;
use std::ffi::{OsStr, OsString};

/// Is this argument query text by the rule (a `-` not followed by an ASCII letter or `-`)?
/// A lone `-` is query text too (the query parser then says it excludes nothing).
pub fn is_bare_exclusion(arg: &OsStr) -> bool {
    let Some(s) = arg.to_str() else {
        return false;
    };
    let mut chars = s.chars();
    if chars.next() != Some('-') {
        return false;
    }
    match chars.next() {
        None => true,
        Some(c) => !(c.is_ascii_alphabetic() || c == '-'),
    }
}

/// Rewrites the arguments of `unres search` (the other subcommands are left as they are):
/// options and their values first, then `--`, then the query words in the order typed.
pub fn rewrite(cmd: &Command, args: Vec<OsString>) -> Vec<OsString> {
    // The subcommand is the first argument after the program's name that is not an option.
    let Some(sub_at) = args
        .iter()
        .skip(1)
        .position(|a| !a.to_string_lossy().starts_with('-'))
        .map(|p| p + 1)
    else {
        return args;
    };
    let Some(sub) = args[sub_at]
        .to_str()
        .and_then(|name| cmd.find_subcommand(name))
    else {
        return args;
    };
    if sub.get_name() != "search" {
        return args;
    }
    let takes_value = |arg: &OsStr| -> bool {
        let Some(s) = arg.to_str() else {
            return false;
        };
        if let Some(long) = s.strip_prefix("--") {
            if long.contains('=') {
                return false;
            }
            return sub
                .get_arguments()
                .find(|a| a.get_long() == Some(long))
                .is_some_and(|a| a.get_action().takes_values());
        }
        let mut shorts = s.chars().skip(1);
        match (shorts.next(), shorts.next()) {
            (Some(c), None) => sub
                .get_arguments()
                .find(|a| a.get_short() == Some(c))
                .is_some_and(|a| a.get_action().takes_values()),
            _ => false,
        }
    };
    let mut out: Vec<OsString> = args[..=sub_at].to_vec();
    let mut words: Vec<OsString> = Vec::new();
    let mut rest = args[sub_at + 1..].iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            words.extend(rest.by_ref().cloned());
            break;
        }
        let option = arg.to_string_lossy().starts_with('-') && !is_bare_exclusion(arg);
        if !option {
            words.push(arg.clone());
            continue;
        }
        out.push(arg.clone());
        if takes_value(arg) {
            if let Some(value) = rest.next() {
                out.push(value.clone());
            }
        }
    }
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    fn cmd() -> Command {
        Command::new("unres")
            .subcommand(
                Command::new("search")
                    .arg(Arg::new("query").num_args(0..))
                    .arg(Arg::new("limit").long("limit"))
                    .arg(Arg::new("count").long("count").action(ArgAction::SetTrue)),
            )
            .subcommand(Command::new("show").arg(Arg::new("symbol")))
    }

    fn run(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        rewrite(&cmd(), args)
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn the_rule() {
        for text in ["-妇女", "-\"3D 打印\"", "-2023", "-", "-（", "-Ａ"] {
            assert!(is_bare_exclusion(OsStr::new(text)), "{text}");
        }
        for option in ["--count", "-h", "-V", "--", "小武器", "-x妇女"] {
            assert!(!is_bare_exclusion(OsStr::new(option)), "{option}");
        }
    }

    #[test]
    fn options_anywhere_and_words_in_order() {
        assert_eq!(
            run(&["unres", "search", "小武器", "-妇女", "--count"]),
            ["unres", "search", "--count", "--", "小武器", "-妇女"]
        );
        assert_eq!(
            run(&[
                "unres",
                "search",
                "-妇女",
                "--limit",
                "5",
                "小武器",
                "--count"
            ]),
            [
                "unres",
                "search",
                "--limit",
                "5",
                "--count",
                "--",
                "-妇女",
                "小武器"
            ]
        );
        assert_eq!(
            run(&["unres", "search", "--limit=5", "a", "--", "--count"]),
            ["unres", "search", "--limit=5", "--", "a", "--count"]
        );
        assert_eq!(
            run(&["unres", "search", "--count"]),
            ["unres", "search", "--count"]
        );
        assert_eq!(run(&["unres", "show", "-x"]), ["unres", "show", "-x"]);
        assert_eq!(run(&["unres", "--help"]), ["unres", "--help"]);
    }
}
