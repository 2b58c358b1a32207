//! Shell completions and man pages, generated from the command line's definition: they name
//! the options the binary has.

use crate::common::*;

fn run(args: &[&str]) -> String {
    let dir = tempdir();
    let out = unres(dir.path()).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_for_each_shell_name_the_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&["completions", shell]);
        for option in ["by-resolution", "sort", "index", "completions"] {
            assert!(script.contains(option), "{shell}: {option}");
        }
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("newest"), "{shell}: the values of --sort");
        }
    }
}

#[test]
fn man_pages_for_the_command_and_each_subcommand() {
    let page = run(&["man"]);
    assert!(
        page.starts_with(".ie") && page.contains(".TH unres 1"),
        "{page}"
    );
    assert!(page.contains("unres\\-search(1)"));
    let search = run(&["man", "search"]);
    assert!(search.contains(".TH unres-search 1"), "{search}");
    assert!(search.contains("\\-\\-by\\-resolution") && search.contains("newest"));
    let dir = tempdir();
    let out = unres(dir.path()).args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
