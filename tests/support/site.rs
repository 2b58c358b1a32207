//! The site the server's tests, the front-door tests and the browser test ask: a corpus
//! folder and its index, kept for the test binary's life. The seed with its 79th-session version and a file of
//! hostile text ([`seed_site`]), or 150 generated resolutions with two series
//! ([`synth_site`]). Only the files and the index: the server's state opened on them
//! belongs to the suite (`tests/suite/http.rs`), since this module is compiled into every
//! test binary.

use std::path::PathBuf;
use std::sync::OnceLock;

pub use super::SEED;
/// Its 79th-session version: the next member of its series.
pub const NEXT: &str = "tests/fixtures/series/A-RES-79-40.zh.txt";

/// A resolution whose title and paragraphs hold markup, script and `javascript:` URLs: a
/// page must show them as text.
pub const HOSTILE: &str = r#"A/RES/78/99
78/99. 敌意测试<script>window.__xss=1</script>决议
大会，
回顾敌意文本甲<script>window.__xss=1</script>的内容，
注意到敌意文本乙<img src=x onerror="window.__xss=2">的内容，
1. 强调敌意文本丙"'><b>粗体</b><svg onload="window.__xss=5">的内容；
2. 欢迎敌意文本丁 javascript:window.__xss=3 的内容；
3. 决定敌意文本戊<a href="javascript:window.__xss=4">链接</a>的内容。
2023 年 12 月 4 日
第 42 次全体会议
"#;

/// A corpus folder and its index, kept for the test binary's life.
pub struct Site {
    _root: tempfile::TempDir,
    pub corpus: PathBuf,
    pub dir: PathBuf,
}

impl Site {
    /// Writes `files` (name, text) into a fresh corpus folder and indexes it.
    pub fn build(files: &[(String, String)]) -> Site {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        for (name, text) in files {
            std::fs::write(corpus.join(name), text).unwrap();
        }
        Site::index(root, corpus)
    }

    fn index(root: tempfile::TempDir, corpus: PathBuf) -> Site {
        let dir = root.path().join("index");
        unres::build_index(
            &dir,
            std::slice::from_ref(&corpus),
            &unres::BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        Site {
            _root: root,
            corpus,
            dir,
        }
    }

    pub fn index_now(&self) -> unres::Index {
        unres::open_index(&self.dir).unwrap()
    }
}

/// The seed, its next version and the hostile file.
pub fn seed_files() -> Vec<(String, String)> {
    vec![
        ("A-RES-78-46.zh.txt".into(), read(SEED)),
        ("A-RES-79-40.zh.txt".into(), read(NEXT)),
        ("A-RES-78-99.zh.txt".into(), HOSTILE.into()),
    ]
}

/// A file of the repository, as text.
pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The seed, its next version and the hostile file, indexed once.
pub fn seed_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site::build(&seed_files()))
}

/// 150 generated resolutions and two series of twenty sessions.
pub fn synth_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        let config = unres_synth::SynthConfig {
            resolutions: 150,
            seed: 11,
        };
        unres_synth::write_corpus(&config, &corpus).unwrap();
        unres_synth::series::write_series(&corpus, 2, 11).unwrap();
        Site::index(root, corpus)
    })
}
