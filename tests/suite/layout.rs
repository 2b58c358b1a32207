//! The shape of the source, checked: no import cycle among the modules of the library, of
//! the binary (the command line and the server), of the test suite or of the page, no
//! function over 80 lines, no file over 600 lines in src/ (the page's scripts included) or
//! 800 in tests/. A module depends on another
//! when it names it (`crate::a::b`, `super::b`, or a child it declares); comments do not
//! count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FN_LINES: usize = 80;
const MAX_FILE_LINES: usize = 600;

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/search/collapse/mod.rs` → `search::collapse`; `src/lib.rs` → ``.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The code without its comments (line comments, doc comments) and string literals.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.split("//").next().unwrap_or("");
            let mut out = String::new();
            let mut in_str = false;
            for c in l.chars() {
                if c == '"' {
                    in_str = !in_str;
                } else if !in_str {
                    out.push(c);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `code` (of module `me`) names, resolved to the longest known module.
fn dependencies(me: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let parent = me.rsplit_once("::").map_or("", |(p, _)| p).to_string();
    let path_re =
        regex::Regex::new(r"\b(crate|super|[a-z_][a-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
            .unwrap();
    let mut out = BTreeSet::new();
    for cap in path_re.captures_iter(code) {
        let base = match &cap[1] {
            "crate" => String::new(),
            "super" => parent.clone(),
            child => {
                let c = if me.is_empty() {
                    child.to_string()
                } else {
                    format!("{me}::{child}")
                };
                if !known.contains(&c) {
                    continue;
                }
                c
            }
        };
        let mut best: Option<String> = None;
        let mut path = base.clone();
        if known.contains(&path) && !path.is_empty() {
            best = Some(path.clone());
        }
        for seg in cap[2].split("::").filter(|s| !s.is_empty()) {
            path = if path.is_empty() {
                seg.to_string()
            } else {
                format!("{path}::{seg}")
            };
            if known.contains(&path) {
                best = Some(path.clone());
            }
        }
        if let Some(b) = best.filter(|b| b != me) {
            out.insert(b);
        }
    }
    out
}

/// A cycle in the graph, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut c = stack[at..].to_vec();
                    c.push(next.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// Whether `f` is a file of the binary's crate (main.rs and its front ends: the command
/// line and the server) rather than of the library.
fn of_the_binary(f: &Path) -> bool {
    f.starts_with("src/cli") || f.starts_with("src/serve") || f.ends_with("main.rs")
}

fn library_graph() -> BTreeMap<String, BTreeSet<String>> {
    crate_graph(|f| !of_the_binary(f))
}

fn binary_graph() -> BTreeMap<String, BTreeSet<String>> {
    crate_graph(of_the_binary)
}

/// The modules of the crate whose files `mine` picks in src/, each with the modules it
/// depends on (the crate root, which declares them all, left out).
fn crate_graph(mine: impl Fn(&Path) -> bool) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.retain(|f| mine(f));
    let known: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    files
        .iter()
        .filter(|f| !f.ends_with("lib.rs") && !f.ends_with("main.rs"))
        .map(|f| {
            let me = module_of(f);
            let code = code_of(&std::fs::read_to_string(f).unwrap());
            let deps = dependencies(&me, &code, &known);
            (me, deps)
        })
        .collect()
}

#[test]
fn no_module_of_the_library_depends_on_itself_through_others() {
    let graph = library_graph();
    assert!(graph.len() > 30, "{} modules found", graph.len());
    assert!(
        graph["search::records"].contains("search::compile"),
        "the dependency reader misses `use crate::…` paths"
    );
    if let Some(c) = cycle(&graph) {
        panic!("import cycle: {}", c.join(" → "));
    }
}

#[test]
fn no_module_of_the_binary_depends_on_itself_through_others() {
    let graph = binary_graph();
    assert!(graph.len() > 15, "{} modules found", graph.len());
    assert!(
        graph["cli"].contains("cli::serve") && graph["serve::router"].contains("serve::api"),
        "the dependency reader misses the binary's paths: {graph:?}"
    );
    assert!(
        !graph.contains_key("search") && !graph.contains_key("api"),
        "the library's modules are not the binary's"
    );
    if let Some(c) = cycle(&graph) {
        panic!("import cycle: {}", c.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    assert_eq!(cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&graph), None);
}

/// Functions longer than [`MAX_FN_LINES`]: `(file, line, name, lines)`.
fn long_functions(path: &Path, text: &str) -> Vec<(String, usize, String, usize)> {
    let fn_re =
        regex::Regex::new(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?fn\s+(\w+)").unwrap();
    let lines: Vec<String> = code_of(text).lines().map(str::to_string).collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(cap) = fn_re.captures(line) else {
            continue;
        };
        let (mut depth, mut opened) = (0i32, false);
        for (j, l) in lines.iter().enumerate().skip(i) {
            depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
            opened |= l.contains('{');
            if (!opened && l.trim_end().ends_with(';')) || (opened && depth <= 0) {
                let n = j - i + 1;
                if n > MAX_FN_LINES {
                    out.push((path.display().to_string(), i + 1, cap[5].to_string(), n));
                }
                break;
            }
        }
    }
    out
}

#[test]
fn no_function_or_file_in_src_is_too_long() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            problems.push(format!("{}: {n} lines", f.display()));
        }
        for (file, line, name, n) in long_functions(f, &text) {
            problems.push(format!("{file}:{line}: fn {name} has {n} lines"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let long = "fn f() {\n".to_string() + &"    x();\n".repeat(MAX_FN_LINES) + "}\n";
    assert_eq!(long_functions(Path::new("x.rs"), &long).len(), 1);
}

/// Every file under `dir` whose name ends with `ext`.
fn files_ending(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_ending(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

#[test]
fn no_test_file_is_too_long() {
    const MAX_TEST_FILE_LINES: usize = 800;
    let mut files = Vec::new();
    files_ending(Path::new("tests"), ".rs", &mut files);
    assert!(files.len() > 20, "{} test files found", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_TEST_FILE_LINES).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// The suite's modules (tests/suite/**, and the support and ask modules it includes),
/// each with the modules of the suite it names.
fn suite_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new("tests/suite"), &mut files);
    rust_files(Path::new("tests/support"), &mut files);
    files.push(PathBuf::from("tests/ask/mod.rs"));
    let name = |f: &Path| -> String {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" {
            f.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        } else {
            stem
        }
    };
    let known: BTreeSet<String> = files.iter().map(|f| name(f)).collect();
    files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .map(|f| {
            let me = name(f);
            let code = code_of(&std::fs::read_to_string(f).unwrap());
            // Every module of the suite is a child of its root: `crate::x` and `super::x`
            // both name `x`.
            let code = code.replace("super::", "crate::");
            (me.clone(), dependencies("", &code, &known))
        })
        .map(|(me, mut deps)| {
            deps.remove(&me);
            (me, deps)
        })
        .collect()
}

#[test]
fn no_test_module_depends_on_itself_through_others() {
    let graph = suite_graph();
    assert!(graph.len() > 20, "{} modules found", graph.len());
    assert!(
        graph.values().filter(|d| d.contains("common")).count() > 10
            && graph["common"].contains("support"),
        "the dependency reader misses `crate::common` paths: {graph:?}"
    );
    if let Some(c) = cycle(&graph) {
        panic!("import cycle among the tests: {}", c.join(" → "));
    }
}

/// The page's script modules: each file with the modules it imports (`./x.js`).
fn page_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new("src/serve/assets");
    let mut files = Vec::new();
    files_ending(root, ".js", &mut files);
    let import =
        regex::Regex::new(r#"(?m)^\s*(?:import|export)\b[^;]*?['"](\.{1,2}/[^'"]+)['"]"#).unwrap();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let here = f.parent().unwrap();
            let deps = import
                .captures_iter(&text)
                .map(|c| {
                    let mut p = here.to_path_buf();
                    for seg in c[1].split('/') {
                        match seg {
                            "." => {}
                            ".." => {
                                p.pop();
                            }
                            s => p.push(s),
                        }
                    }
                    p.strip_prefix(root).unwrap().display().to_string()
                })
                .collect();
            (f.strip_prefix(root).unwrap().display().to_string(), deps)
        })
        .collect()
}

#[test]
fn the_page_is_small_modules_without_cycles() {
    const MAX_PAGE_FILE_LINES: usize = 600;
    let graph = page_graph();
    assert!(
        graph.len() >= 5,
        "the page's script is {} files",
        graph.len()
    );
    // A module the server writes at start (from the library's values) is served, not kept.
    let served = std::fs::read_to_string("src/serve/assets.rs").unwrap();
    for (file, deps) in &graph {
        let n = std::fs::read_to_string(Path::new("src/serve/assets").join(file))
            .unwrap()
            .lines()
            .count();
        assert!(n <= MAX_PAGE_FILE_LINES, "{file}: {n} lines");
        for d in deps {
            assert!(
                graph.contains_key(d) || served.contains(&format!("\"/{d}\"")),
                "{file} imports {d}, which is not there"
            );
        }
    }
    assert!(
        graph.values().map(BTreeSet::len).sum::<usize>() >= graph.len() - 1,
        "the import reader misses the page's imports: {graph:?}"
    );
    if let Some(c) = cycle(&graph) {
        panic!("import cycle in the page: {}", c.join(" → "));
    }
}
