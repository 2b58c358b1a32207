//! unres-synth: a deterministic generator of synthetic resolutions in the seed's page layout,
//! for unres's tests, benchmarks and comparison script. It is a development tool of the
//! workspace, not part of the unres library or binary.
//!
//! The real corpus ships one resolution (`corpus/A-RES-78-46.zh.txt`); tests and benchmarks
//! of the read → parse → index → search path need thousands. This crate writes them: each
//! file is laid out exactly like the seed's PDF text (every line followed by a blank line,
//! wrapped paragraphs, page bottoms with a rule, footnotes and `https://undocs.org/ch/` link
//! lines), and its wording recombines the seed's own clauses with the domain terms of
//! `src/terms.txt` and common UN phrasing, picked with Zipf-like weights so that some
//! phrases are very frequent and many are rare.
//!
//! It also plants the traps of real text: numbers glued to the words around them that equal
//! the next footnote number (`每投资1美元`, `2600人`, `47%`, `目标6、7`, `1 330`), anywhere on
//! a line and cut by line wraps, and it breaks lines right after a marker and its space, as
//! the seed does. [`resolution_with_truth`] gives, with the text, what each paragraph truly
//! says, so that tests measure the parser against the truth and not against itself.
//!
//! Generation is a pure function of the seed and the resolution's index, so files can be
//! produced in any order or in parallel and the same seed always gives the same bytes. It
//! talks to `fastrand` for randomness, `rayon` to write files in parallel, the file system,
//! and `unres` only for the [`unres::Kind`] of its truth.

pub mod oracle;
pub mod series;

use rayon::prelude::*;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::OnceLock;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// How many resolutions the corpus holds.
    pub resolutions: usize,
    /// Seed of all randomness: the same seed gives the same bytes.
    pub seed: u64,
}

impl Default for SynthConfig {
    /// 5,000 resolutions (about 100 MB), seed 46.
    fn default() -> Self {
        SynthConfig {
            resolutions: 5000,
            seed: 46,
        }
    }
}

/// One generated resolution: file name (e.g. "A-RES-61-12.zh.txt") and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthFile {
    /// File name, `A-RES-{session}-{number}.zh.txt`.
    pub name: String,
    /// Full text in the seed's page layout.
    pub text: String,
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthStats {
    /// Number of files written.
    pub files: usize,
    /// Total bytes written.
    pub bytes: u64,
}

/// Generate resolution number `i` (0-based) of the corpus for `config` — pure function of
/// (config.seed, i), so generation can be parallel.
///
/// The resolution's session and number (`A/RES/{session}/{number}`) come from `i` and
/// `config.resolutions`: sessions 1–80 (later sessions hold more resolutions), numbers
/// unique within a session.
///
/// # Panics
///
/// If `i >= config.resolutions`.
pub fn resolution(config: &SynthConfig, i: usize) -> SynthFile {
    let (session, number) = slot(config, i);
    let mut rng = fastrand::Rng::with_seed(mix(config.seed, i as u64));
    let text = Writer::new(&mut rng, session, number).resolution_text().0;
    SynthFile {
        name: format!("A-RES-{session}-{number}.zh.txt"),
        text,
    }
}

/// What a generated resolution's paragraphs truly say: the text a parser must give back
/// (footnote markers removed) and the footnotes each paragraph cites, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthParagraph {
    /// Preamble or operative.
    pub kind: unres::Kind,
    /// Preamble: counted from 1; operative: as printed.
    pub number: u32,
    /// The paragraph's text without its markers, spaced as before layout.
    pub text: String,
    /// The footnote numbers its markers carry, in order.
    pub footnotes: Vec<u32>,
    /// The paragraph as written, markers included as their digits: the digits a parser
    /// must account for.
    pub source: String,
}

/// [`resolution`] together with the truth of its paragraphs.
pub fn resolution_with_truth(config: &SynthConfig, i: usize) -> (SynthFile, Vec<TruthParagraph>) {
    let (session, number) = slot(config, i);
    let mut rng = fastrand::Rng::with_seed(mix(config.seed, i as u64));
    let mut writer = Writer::new(&mut rng, session, number);
    writer.truth = Some(Vec::new());
    let text = writer.resolution_text();
    let file = SynthFile {
        name: format!("A-RES-{session}-{number}.zh.txt"),
        text: text.0,
    };
    (file, text.1)
}

/// Write all files into `dir` (created if missing), returning number of files and bytes
/// written. Files already in `dir` are left alone or overwritten when names collide.
pub fn write_corpus(config: &SynthConfig, dir: &Path) -> io::Result<SynthStats> {
    fs::create_dir_all(dir).map_err(|e| with_path(e, "creating the corpus directory", dir))?;
    let bytes = (0..config.resolutions)
        .into_par_iter()
        .map(|i| {
            let file = resolution(config, i);
            let path = dir.join(&file.name);
            fs::write(&path, &file.text).map_err(|e| with_path(e, "writing", &path))?;
            Ok::<u64, io::Error>(file.text.len() as u64)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(SynthStats {
        files: config.resolutions,
        bytes,
    })
}

fn with_path(e: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// Where each resolution sits: session and number.

const SESSIONS: u32 = 80;

// Session s weighs s + 10 in the corpus: later sessions adopt more disarmament resolutions.
/// Sum of the weights of sessions 1..=s.
fn weight_upto(s: u32) -> u64 {
    let s = u64::from(s);
    s * (s + 1) / 2 + 10 * s
}

/// First corpus index of session `s + 1`, i.e. cumulative capacity of sessions 1..=s.
fn session_end(n: usize, s: u32) -> usize {
    let share = n as u128 * u128::from(weight_upto(s)) / u128::from(weight_upto(SESSIONS));
    share as usize
}

/// Session and resolution number of corpus index `i`. Numbers are unique per session:
/// index `k` of a session owns the number window `[1 + k·step, k·step + step]`.
fn slot(config: &SynthConfig, i: usize) -> (u32, u32) {
    let n = config.resolutions;
    assert!(
        i < n,
        "resolution index {i} is out of range for a corpus of {n} resolutions"
    );
    let mut start = 0;
    for s in 1..=SESSIONS {
        let end = session_end(n, s);
        if i < end {
            let k = (i - start) as u32;
            let cap = (end - start) as u32;
            let step = (240 / cap).clamp(1, 6);
            let jitter = (mix(config.seed ^ 0x5e55_1015, u64::from(s) << 32 | u64::from(k))
                % u64::from(step)) as u32;
            let number = 1 + k * step + jitter;
            // The numbers series::write_series gives its series stay theirs, however large
            // the corpus (a session holds over 500 resolutions from about 22,000 on).
            let reserved = crate::series::WRITTEN_FIRST_NUMBER..crate::series::WRITTEN_LAST_NUMBER;
            let number = if number >= reserved.start {
                number + reserved.len() as u32
            } else {
                number
            };
            return (s, number);
        }
        start = end;
    }
    unreachable!("session_end(n, SESSIONS) == n")
}

/// SplitMix64 of `seed` combined with `i`: independent streams per resolution.
fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------
// Vocabulary. Lists are ordered from common to rare: picks are Zipf-like (see `zipf`).
//
// Templates hold slots in braces, expanded by `Writer::expand`:
//   {T} a term of the resolution's topic     {G} a term of src/terms.txt
//   {D} an instrument of the topic, 《…》     {A} an actor (各国, 秘书长 …)
//   {R} 第 77/71 号决议 (earlier session)      {RD} the same with its adoption date
//   {DATE} a date, {RANGE} a date range        {Y} a year
//   {S1} / {S2} the next / second-next session, 第七十九届会议
//   {ORD} an ordinal 第八次                    {N} a small number, {BIG} a large one
//   {TITLE} the resolution's title             {F} where a footnote marker may go
//   {WN} {WV} {WA} {WD} a noun, verb, adjective or adverb of general vocabulary (words.txt)
// Digits are written without spaces: `un_spacing` adds the UN's spaces around them.

/// The domain dictionary: jieba's `word freq tag` lines.
const TERMS_TXT: &str = include_str!("../../../src/text/terms.txt");

/// Terms of `src/terms.txt`, most frequent first.
fn terms() -> &'static [&'static str] {
    static TERMS: OnceLock<Vec<&'static str>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let mut rows: Vec<(&str, u64)> = TERMS_TXT
            .lines()
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                Some((it.next()?, it.next()?.parse().ok()?))
            })
            .collect();
        rows.sort_by_key(|&(_, freq)| std::cmp::Reverse(freq));
        rows.into_iter().map(|(w, _)| w).collect()
    })
}

/// General vocabulary: the 12,000 most frequent two- to four-character nouns (`N`), verbs
/// (`V`), adjectives (`A`) and adverbs (`D`) of jieba's dictionary, as `word class freq`.
const WORDS_TXT: &str = include_str!("words.txt");

/// The words of one class with their cumulative frequencies, for weighted picks.
struct WordClass {
    words: Vec<&'static str>,
    cumulative: Vec<u64>,
}

impl WordClass {
    /// A word, picked with probability proportional to its frequency.
    fn pick(&self, rng: &mut fastrand::Rng) -> &'static str {
        let total = *self.cumulative.last().expect("a word class is never empty");
        let at = rng.u64(0..total);
        self.words[self.cumulative.partition_point(|&c| c <= at)]
    }
}

/// The four word classes of `words.txt`: nouns, verbs, adjectives, adverbs.
fn word_classes() -> &'static [WordClass; 4] {
    static CLASSES: OnceLock<[WordClass; 4]> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut classes = ["N", "V", "A", "D"].map(|_| WordClass {
            words: Vec::new(),
            cumulative: Vec::new(),
        });
        for line in WORDS_TXT.lines() {
            let mut it = line.split_whitespace();
            let (Some(word), Some(class), Some(freq)) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            let Some(k) = ["N", "V", "A", "D"].iter().position(|&c| c == class) else {
                continue;
            };
            let freq: u64 = freq.parse().unwrap_or(1);
            let c = &mut classes[k];
            let sum = c.cumulative.last().copied().unwrap_or(0) + freq;
            c.words.push(word);
            c.cumulative.push(sum);
        }
        classes
    })
}

/// How many clauses of general vocabulary a corpus draws from (evenly).
const PHRASES: usize = 20_000;

/// The clauses of general vocabulary a corpus draws from: [`VARIED`]'s templates filled
/// once each, by a fixed seed, so that like real text the corpus repeats whole phrases
/// (a corpus of 5,000 resolutions uses each about 500 times) within a vocabulary as varied
/// as real text's: 51,911 distinct bigrams in 23.5 M characters at seed 46, where real UN
/// sentences recombined into 5,000 resolutions hold 51,702 in 16.4 M.
fn phrases() -> &'static [String] {
    static INVENTORY: OnceLock<Vec<String>> = OnceLock::new();
    INVENTORY.get_or_init(|| {
        let mut rng = fastrand::Rng::with_seed(0x5EED);
        (0..PHRASES)
            .map(|_| {
                let template = VARIED[rng.usize(0..VARIED.len())];
                let mut out = String::new();
                let mut rest = template;
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let close = open + rest[open..].find('}').expect("closed slot");
                    let k = ["WN", "WV", "WA", "WD"]
                        .iter()
                        .position(|&w| w == &rest[open + 1..close])
                        .expect("a word slot");
                    out.push_str(word_classes()[k].pick(&mut rng));
                    rest = &rest[close + 1..];
                }
                out.push_str(rest);
                out
            })
            .collect()
    })
}

/// A subject area: its usual terms and instruments.
struct Topic {
    terms: &'static [&'static str],
    docs: &'static [&'static str],
}

const TOPICS: [Topic; 12] = [
    Topic {
        terms: &[
            "小武器和轻武器",
            "小武器",
            "轻武器",
            "非法贸易",
            "非法中介",
            "枪支",
            "弹药",
            "非法武装团体",
            "标识",
            "记录保存",
            "追查",
            "库存管理",
            "跨界合作",
            "聚合物武器",
            "模块化武器",
            "最终用户证书",
            "非法贩运",
            "双年度会议",
            "审查大会",
            "行动纲领执行支助系统",
        ],
        docs: &[
            "《行动纲领》",
            "《国际追查文书》",
            "《武器贸易条约》",
            "《枪支议定书》",
        ],
    },
    Topic {
        terms: &[
            "常规弹药",
            "全周期管理",
            "弹药库存",
            "库存过剩",
            "简易爆炸装置",
            "常规武器",
            "库存管理",
            "意外爆炸",
            "安全和安保",
            "爆炸性武器",
        ],
        docs: &[
            "《常规弹药全周期管理全球框架》",
            "《国际弹药技术准则》",
            "《行动纲领》",
        ],
    },
    Topic {
        terms: &[
            "常规武器转让",
            "常规武器",
            "武器贸易条约",
            "转用",
            "出口管制",
            "武器禁运",
            "透明度",
            "军事支出",
            "常规武器登记册",
            "国家报告",
            "军事预算",
        ],
        docs: &[
            "《武器贸易条约》",
            "《联合国常规武器登记册》",
            "《联合国军事支出报告制度》",
        ],
    },
    Topic {
        terms: &[
            "核武器",
            "核裁军",
            "核武器国家",
            "无核武器国家",
            "核危险",
            "核威慑",
            "核武库",
            "核弹头",
            "无核武器世界",
            "人道主义后果",
            "高度戒备状态",
            "非战略核武器",
            "核军备竞赛",
            "核裁军核查",
            "消极安全保证",
        ],
        docs: &[
            "《不扩散核武器条约》",
            "《禁止核武器条约》",
            "《全面禁止核试验条约》",
        ],
    },
    Topic {
        terms: &[
            "核不扩散",
            "不扩散",
            "国际原子能机构",
            "保障监督",
            "全面保障监督协定",
            "附加议定书",
            "核材料",
            "核设施",
            "核安全",
            "核保安",
            "和平利用核能",
            "核恐怖主义",
            "裂变材料",
            "核试验",
            "核爆炸",
        ],
        docs: &[
            "《不扩散核武器条约》",
            "《全面禁止核试验条约》",
            "《制止核恐怖主义行为国际公约》",
            "《核材料实物保护公约》",
        ],
    },
    Topic {
        terms: &[
            "无核武器区",
            "无核武器地位",
            "中东无核武器区",
            "中亚无核武器区",
            "安全保证",
            "消极安全保证",
            "核武器国家",
            "议定书",
            "区域和平与安全",
        ],
        docs: &[
            "《特拉特洛尔科条约》",
            "《拉罗通加条约》",
            "《曼谷条约》",
            "《佩林达巴条约》",
            "《中亚无核武器区条约》",
            "《不扩散核武器条约》",
        ],
    },
    Topic {
        terms: &[
            "化学武器",
            "生物武器",
            "毒素武器",
            "禁止化学武器组织",
            "销毁化学武器",
            "遗留化学武器",
            "质疑性视察",
            "建立信任措施",
            "有毒化学品",
            "生物安全",
        ],
        docs: &[
            "《禁止化学武器公约》",
            "《禁止生物武器公约》",
            "《日内瓦议定书》",
        ],
    },
    Topic {
        terms: &[
            "大规模杀伤性武器",
            "非国家行为者",
            "运载工具",
            "恐怖分子",
            "导弹",
            "弹道导弹",
            "巡航导弹",
            "两用物项",
            "出口管制",
            "大规模毁灭性武器",
        ],
        docs: &[
            "《海牙行为准则》",
            "《不扩散核武器条约》",
            "《禁止化学武器公约》",
            "《禁止生物武器公约》",
        ],
    },
    Topic {
        terms: &[
            "外层空间",
            "军备竞赛",
            "外层空间活动",
            "反卫星武器",
            "空间碎片",
            "负责任行为",
            "透明度和建立信任措施",
            "外空",
            "和平利用外层空间",
            "空间物体",
        ],
        docs: &[
            "《外层空间条约》",
            "《关于登记射入外层空间物体的公约》",
            "《月球协定》",
        ],
    },
    Topic {
        terms: &[
            "杀伤人员地雷",
            "集束弹药",
            "战争遗留爆炸物",
            "地雷行动",
            "受害者援助",
            "燃烧武器",
            "爆炸性武器",
            "人口密集地区",
            "排雷",
            "雷区",
        ],
        docs: &[
            "《禁止杀伤人员地雷公约》",
            "《集束弹药公约》",
            "《特定常规武器公约》",
        ],
    },
    Topic {
        terms: &[
            "全面彻底裁军",
            "裁军谈判会议",
            "裁军审议委员会",
            "第一委员会",
            "联合国裁军研究所",
            "裁军事务厅",
            "联合国和平与裁军区域中心",
            "不限成员名额工作组",
            "政府专家组",
            "裁军教育",
            "区域裁军",
            "建立信任措施",
            "军备控制",
            "裁军与不扩散教育",
            "裁军与发展",
        ],
        docs: &[
            "《联合国宪章》",
            "《大会第十届特别会议最后文件》",
            "《裁军议程》",
        ],
    },
    Topic {
        terms: &[
            "信息通信技术",
            "网络空间",
            "新兴技术",
            "致命性自主武器系统",
            "自主武器系统",
            "人工智能",
            "性别观点",
            "环境规范",
            "贫铀",
            "两用物项",
        ],
        docs: &[
            "《联合国宪章》",
            "《2030年可持续发展议程》",
            "《大会第十届特别会议最后文件》",
        ],
    },
];

/// Recurring titles with their topic (index into `TOPICS`).
const TITLES: &[(&str, usize)] = &[
    ("小武器和轻武器非法贸易的各方面问题", 0),
    ("全面彻底裁军", 10),
    ("核裁军", 3),
    ("建立中东无核武器区", 5),
    ("防止外层空间的军备竞赛", 8),
    ("禁止化学武器公约的执行情况", 6),
    ("武器贸易条约", 2),
    ("全面禁止核试验条约", 4),
    ("杀伤人员地雷公约的执行情况", 9),
    ("减少核危险", 3),
    ("防止恐怖分子获取大规模杀伤性武器的措施", 7),
    ("军备的透明度", 2),
    ("常规弹药库存过剩问题", 1),
    ("集束弹药公约的执行情况", 9),
    ("导弹", 7),
    ("禁止生物武器公约", 6),
    ("禁止核武器条约", 3),
    ("区域裁军", 10),
    ("建立信任措施的区域和次区域办法", 10),
    ("裁军与不扩散教育", 10),
    ("妇女、裁军、不扩散和军备控制", 11),
    ("联合国裁军研究所", 10),
    ("联合国和平与裁军区域中心", 10),
    ("裁军谈判会议的报告", 10),
    ("裁军审议委员会的报告", 10),
    ("蒙古的国际安全和无核武器地位", 5),
    ("南半球和毗邻地区无核武器区", 5),
    ("非洲无核武器区条约", 5),
    ("东南亚无核武器区条约", 5),
    ("外层空间活动中的透明度和建立信任措施", 8),
    ("不首先在外层空间放置武器", 8),
    ("协助各国制止小武器非法贩运和收缴小武器", 0),
    (
        "核武器威胁或使用核武器是否合法问题国际法院的咨询意见的后续行动",
        3,
    ),
    ("核裁军核查", 3),
    ("禁止发展和制造新型大规模毁灭性武器和新的这种武器系统", 7),
    ("从国际安全角度看信息和电信领域的发展", 11),
    ("裁军和发展的关系", 10),
    ("在拟订和执行裁军和军备控制协定时遵守环境规范", 11),
    ("遵守不扩散、军备控制和裁军协定和承诺", 4),
    ("加强地中海区域的安全与合作", 10),
    ("使用含贫铀的武器和弹药的影响", 11),
    ("处理简易爆炸装置造成的威胁的对策", 1),
    ("致力于实现无核武器世界：加快履行核裁军承诺", 3),
    ("核武器的人道主义后果", 3),
    ("禁止为核武器或其他核爆炸装置生产裂变材料的条约", 4),
    ("联合国裁军研究金、训练和咨询服务方案", 10),
];

/// Agenda items under which a resolution's item is kept.
const ITEMS: &[&str] = &[
    "全面彻底裁军",
    "区域裁军和安全",
    "核裁军",
    "裁军机制",
    "审查和执行大会第十届特别会议结论性文件",
    "减少军事预算",
];

const ACTORS: &[&str] = &[
    "各国",
    "会员国",
    "所有国家",
    "有能力的国家",
    "有关国家",
    "所有会员国",
    "各国政府",
    "缔约国",
    "秘书长",
    "秘书处",
    "裁军事务厅",
    "联合国系统",
    "国际组织",
    "区域和次区域组织",
    "民间社会",
    "相关国际和区域组织",
    "核武器国家",
    "联合国裁军研究所",
    "捐助国",
    "工业界和学术界",
];

/// Verbs opening preambular paragraphs.
const PRE_VERBS: &[&str] = &[
    "回顾",
    "重申",
    "强调",
    "确认",
    "注意到",
    "认识到",
    "又回顾",
    "又强调",
    "表示注意到",
    "欣见",
    "深信",
    "铭记",
    "念及",
    "意识到",
    "关切地注意到",
    "满意地注意到",
    "又确认",
    "考虑到",
    "申明",
    "肯定",
    "欢迎",
    "着重指出",
    "重点指出",
    "深为关切",
    "还回顾",
    "又重申",
    "表示关切",
    "认为",
    "相信",
    "承认",
    "赞赏",
    "再次申明",
    "又认识到",
    "严重关切",
    "坚信",
    "希望",
    "又注意到",
];

/// Verbs opening operative paragraphs.
const OP_VERBS: &[&str] = &[
    "鼓励各国",
    "促请所有国家",
    "请秘书长",
    "强调",
    "重申",
    "确认",
    "着重指出",
    "决定",
    "鼓励",
    "又鼓励各国",
    "吁请",
    "促请",
    "欢迎",
    "请",
    "又请秘书长",
    "认可",
    "敦促",
    "邀请",
    "赞赏",
    "表示注意到",
    "支持",
    "呼吁",
    "再次呼吁",
    "请秘书处",
    "强烈敦促",
    "注意到",
    "欣见",
    "又强调",
    "请会员国",
    "鼓励有能力的国家",
];

/// Clauses that can follow a verb. Mostly the seed's own, with its subject matter turned
/// into slots, then common UN wording. None starts with a digit: after `，` a number glued
/// to the comma would read as a footnote marker.
const HEAD: &[&str] = &[
    "必须继续全面执行{D}{F}",
    "各国需要加强努力",
    "国际合作和援助是全面有效执行{D}的一个重要方面",
    "{A}继续全面执行{D}{F}",
    "必须全面有效执行{D}和{D}",
    "各国需要加倍努力",
    "民间社会在协助各国执行{D}方面作出的努力",
    "秘书长的报告{F}",
    "{A}在{T}领域加强国际合作",
    "国际合作与援助对于全面有效执行{D}仍然至关重要",
    "{D}对这方面国际努力的重大贡献",
    "{G}对于维护国际和平与安全的重要性",
    "建设本国有效执行{D}和{D}的能力",
    "{A}履行其根据{D}承担的义务",
    "各国承诺将{D}作为在国际社会活动中采取措施从各个方面防止、打击和消除{T}非法贸易的主要框架",
    "{T}对国际和平与安全构成的威胁",
    "在区域、次区域和国家各级自愿分享和采用最佳做法",
    "{A}考虑尽早加入{D}{F}",
    "必须在{G}方面取得切实进展",
    "{D}各次后续会议通过的成果的执行情况",
    "有必要加强妇女对{D}相关决策和执行进程的参与",
    "各国有必要将性别问题纳入执行工作的主流",
    "{A}在{T}方面交流信息和最佳做法",
    "秘书处开发的网络工具",
    "大会在{R}中决定设立一个{T}专门研究金培训方案",
    "关于{D}执行情况的自愿国家报告除其他外可以为衡量执行进展提供基线",
    "为支持执行{D}正在进行的区域和次区域努力",
    "尚未签署或批准{D}的国家尽早签署和批准该条约",
    "根据国家主权及其相关国际义务",
    "各国政府对于从各个方面防止、打击和消除{T}负有首要责任",
    "{T}非法中介活动是国际社会应紧急处理的一个严重问题",
    "{A}采取一切必要措施防止{T}落入恐怖分子手中",
    "在{T}制造、技术和设计方面的发展变化导致在进行有效标识、记录保存和追查方面出现新的挑战和潜在的机会",
    "必须及时利用在{T}制造、技术和设计方面出现的机会并应对相关挑战",
    "于{RANGE}为审议{D}的全面和有效执行情况而在纽约举行的{ORD}双年度会议圆满结束",
    "{ORD}各国双年度会议建议{ORD}审查大会讨论设立一个不限成员名额技术专家组的问题",
    "将{T}纳入{D}{F}的范围",
    "有效的常规武器转让国家控制系统有助于从各个方面防止和消除{T}的非法贸易",
    "大会{RD}所设不限成员名额工作组的最后报告{F}未经表决获得通过",
    "{G}是一个自愿合作框架",
    "要解决{T}的各方面问题",
    "{A}为{G}方面的努力提供自愿捐款",
    "鉴于除其他外{T}对受影响国家造成的不良人道主义和社会经济后果",
    "迫切需要根据{D}维护和加强国家管制",
    "旨在成功执行{D}的各项有关举措",
    "各国执行{RD}所设政府专家组报告中的建议{F}",
    "于{RANGE}在纽约举行的{ORD}审查大会的成果",
    "妇女必须平等、充分和有效地参与同{D}有关的所有决策和执行进程",
    "{A}就{T}问题征求会员国的意见",
    "国际社会在国际合作和援助方面采取的举措仍然至关重要",
    "尚未建立有效协调机制的有关国家有必要建立这一机制",
    "各国除其他机制外",
    "各国酌情在秘书处的协助下",
    "{A}在{Y}年之前提交关于{T}的报告",
    "各国在自愿基础上更多地利用国家报告",
    "有能力的国家、相关国际和区域组织以及民间社会与其他国家开展合作",
    "各国视需要巩固国家、次区域和区域一级的跨界合作",
    "为建设有效执行{D}的国家能力而开展一切努力",
    "已决定在联合国经常预算内设立一个关于{T}的常设专门研究金培训方案",
    "各国在自愿基础上提交关于{D}执行情况的国家报告",
    "{D}第{N}条所载的各项义务",
    "有能力的国家通过一个可应请求发放的自愿赞助基金",
    "设立拯救生命实体基金",
    "有能力的有关国家及相关国际和区域组织召开区域会议",
    "民间社会、工业界和相关组织加强合作",
    "各国必须承诺酌情查明参与非法制造、买卖、储存、转让、拥有和资助获取非法{T}的团体和个人",
    "秘书处在现有资源范围内",
    "秘书处报告联合国系统为执行{D}提供的支持",
    "会员国在{ORD}审查大会上讨论设立一个不限成员名额技术专家组的问题",
    "秘书长就本决议的执行情况向大会{S1}提出报告",
    "{T}造成的人道主义后果",
    "于{DATE}在日内瓦举行的{D}缔约国{ORD}会议",
    "{D}缔约国{ORD}审议大会的最后文件{F}",
    "迄今已有{N}个国家批准{D}",
    "{A}已销毁{BIG}枚{T}",
    "裁军谈判会议在{Y}年届会期间就{T}问题进行的讨论",
    "{A}在{T}领域的透明度和建立信任措施",
    "{G}与{G}之间的密切联系",
    "国际原子能机构在{T}方面的作用",
    "{A}根据{RD}提交的资料{F}",
    "大会{RD}和以往关于{TITLE}的各项决议",
    "在{G}方面取得的进展",
    "{ORD}审查大会成果文件所载的建议",
    "联合国在{G}领域的核心作用",
    "{A}在执行{D}方面面临的挑战",
    "政府专家组关于{T}的报告{F}",
    "秘书长根据{R}提交的报告{F}",
    "{A}积极参与{T}问题的讨论",
    "区域和次区域组织在{T}方面发挥的重要作用",
    "{A}收缴和销毁了{BIG}件{T}",
    "秘书长关于{T}的报告第{N}段所载的建议{F}",
    "大会第{N}届特别会议最后文件所载的有关规定",
];

/// Clauses that continue a paragraph after a comma.
const TAIL: &[&str] = &[
    "包括在现有资源范围内",
    "并确认{D}对这方面国际努力的重大贡献",
    "以及会议通过的成果文件{F}",
    "建立信任和提高透明度",
    "特别是{T}方面的最新发展",
    "同时考虑到各国和各区域不同的情况、能力和优先事项",
    "以加强与执行{D}有关领域的技术知识和专门知识",
    "特别是加强发展中国家的此类知识",
    "并有助于查明国际援助与合作的需求和机会",
    "以协商一致方式拟订商定建议",
    "并根据需要加强规范性框架以及执法机构之间的合作",
    "从而加强{D}的执行工作",
    "提高国际合作和援助的效力",
    "包括检索数据库和{T}管制执行工作模块简编",
    "以及会员国开发的各种工具",
    "可用于评估{D}的执行进展情况",
    "为交流信息和采取行动提供依据",
    "包括把需求与现有资源和专门知识进行对接",
    "并赞赏这方面已经取得的进展",
    "包括在处理与{T}有关的供求因素方面取得的进展",
    "有助于全面、有效地执行{D}",
    "因此应成为一项长期努力",
    "以应对与{T}转移和非法贸易有关的持续挑战",
    "包括聚合物武器和模块化武器以及使用3D打印技术生产的枪支",
    "重点包括以具体方式实现国际合作、确定专家组的范围、目标、参与和模式",
    "其中概述了{T}方面的最新发展情况",
    "并介绍了{ORD}各国双年度会议的主要成果",
    "并注意到{G}是一个自愿合作框架",
    "其中载有一系列政治承诺",
    "以加强和促进上述报告附件所载的现有{G}举措",
    "并消除{G}方面的现有差距",
    "就要在国家、区域和国际各级作出协调一致的努力来防止、打击和消除{T}的非法制造、中介、转让和流通",
    "而{T}在世界许多地区的肆意扩散产生多种人道主义和社会经济后果",
    "在个人、地方、国家、区域和国际各级对和平、和解、安全、安保、稳定和可持续发展构成严重威胁",
    "以防止、打击和消除{T}的非法贸易",
    "包括将这些武器转移给非法贸易、非法武装团体、恐怖分子以及其他未经授权的接受方",
    "对政府持有的{T}库存进行安全、可靠、全面和有效的管理",
    "以防止、打击和消除这些武器的转移",
    "除其他外在国家报告中提供本国联系机构的名称和联系资料",
    "并在适用情况下提供关于本国用以表明生产国和(或)进口国的标识做法的资料",
    "包括联合国、其他国际组织、区域和次区域组织和民间社会的举措",
    "并促请所有会员国为继续在国家、区域和全球各级执行{D}作出贡献",
    "并在之前于{RANGE}在纽约举行筹备委员会会议",
    "以实现《2030年可持续发展议程》目标16和具体目标16.4{F}",
    "以防止未经授权的接受者",
    "包括罪犯和恐怖分子获得{T}",
    "同时意识到需要确保国际合作与援助措施的适足性、可及性、有效性和可持续性",
    "包括酌情改进供资安排、技术转让及适当的培训和支助方案",
    "以及强有力的国家自主权",
    "并且是对各国以及区域和全球各级执行工作的补充",
    "以便将各国的需求同现有资源相匹配",
    "并在这方面鼓励各国酌情使用行动纲领执行支助系统",
    "考虑连贯一致地确定有哪些需求、优先事项、国家计划和方案需要由有能力的国家及区域和国际组织提供国际合作和援助",
    "制定各种备选方案",
    "以提高现有国际援助框架的效力",
    "支持有效执行{D}和{D}",
    "在秘书处内建立一个结构化程序",
    "处理根据{D}提出的援助请求",
    "供会员国在{ORD}审查大会上审议并采取适当后续行动{F}",
    "将其作为交流援助需求以及应对这类需求的现有资源和机制信息的一个工具",
    "并鼓励有能力提供这类援助的国家利用这些国家报告",
    "应请求协助编写关于{D}执行情况的国家综合报告",
    "从各个方面解决{T}非法贸易这一共同问题",
    "同时充分尊重各国对其边境的主权",
    "充分利用与其合作带来的惠益",
    "包括{ORD}审查大会成果文件所强调的努力",
    "以加强特别是发展中国家直接负责执行{D}的政府官员的技术和实际知识及专长",
    "将于{Y}年开始每年实施",
    "为期四周",
    "分别在四个区域进行面对面培训",
    "在此之前将开设一门自学在线预备课程",
    "每个区域有{N}名研究员参加",
    "并请秘书长落实这项决定",
    "就此向大会{S2}提出报告",
    "然后定期采取后续行动{F}",
    "注意到各国将提交关于{D}执行情况的国家报告",
    "鼓励有能力采用秘书处裁军事务厅提供的报告模板的国家采用该报告模板",
    "借此提高报告提交率和报告的效用",
    "并对会议的讨论作出实质性贡献",
    "向原本无法出席关于{D}的会议的国家提供财政援助",
    "确保为受{T}影响最大国家采取协调一致的全面措施持续提供资金",
    "并鼓励有能力的国家向该基金提供自愿捐款",
    "审议和推动{D}的执行工作",
    "包括为关于{D}的会议进行准备",
    "在国家和区域两级同各国一道促进{D}的执行工作",
    "并根据适当的国内法对此类团体和个人采取行动{F}",
    "根据现有可信信息",
    "包括会员国提交和(或)提供的信息",
    "编写一份全面分析报告",
    "说明在执行{D}方面的趋势、挑战和机遇方面取得的进展",
    "以便提交{ORD}审查大会审议和采取适当的后续行动",
    "将在一次或多次非正式会议上与会员国分享该分析报告的结论和建议{F}",
    "包括在有效利用现有资源方面的经验教训和最佳做法",
    "并在即将举行的关于{D}的会议上进行介绍",
    "以便利会议的讨论",
    "同时铭记{G}的重要性",
    "特别是在{T}领域",
    "并为此目的加强国际合作",
    "以期在{Y}年之前取得切实成果",
    "并欢迎{A}为此作出的努力",
    "包括通过{G}",
    "并呼吁{A}予以充分合作",
    "以促进{G}",
    "从而为实现{G}作出贡献",
    "涉及约{BIG}名受益者",
];

/// Clauses that carry a number glued to the text (see [`TRAPS`]); one clause in eight.
/// Clauses in general vocabulary, so that the corpus's wording is as varied as real text's:
/// the seed's clauses alone, however recombined, hold a few thousand distinct bigrams where
/// real corpora hold tens of thousands. None starts with a digit or a subject.
const VARIED: &[&str] = &[
    "{WV}{WN}的{WN}",
    "在{WN}和{WN}方面{WV}{WN}",
    "{WD}{WV}{WA}的{WN}",
    "{WN}和{WN}的{WN}",
    "{WV}{WN}、{WN}和{WN}",
    "为{WV}{WN}而{WV}{WN}",
    "对{WN}的{WN}{WD}{WV}",
    "以{WA}的方式{WV}{WN}",
    "通过{WN}{WV}{WN}的{WN}",
    "{WA}{WN}{WV}{WN}",
    "在{WA}{WN}中{WV}{WN}的{WN}",
    "特别是{WN}和{WN}的{WN}",
    "{WD}{WV}{WN}与{WN}之间的{WN}",
    "并{WV}有关{WN}的{WA}{WN}",
    "包括{WN}、{WN}、{WN}和{WN}",
    "同时{WV}{WN}对{WN}的{WN}",
];

/// Of every [`VARIED_OF`] clauses after a paragraph's first (traps aside), this many are
/// in general vocabulary ([`phrases`]); the others keep the seed's wording and its terms.
const VARIED_SHARE: u32 = 4;
/// See [`VARIED_SHARE`].
const VARIED_OF: u32 = 5;

const TRAP_CLAUSES: &[&str] = &["注意到{GN}", "其中{GN}", "包括{GN}的情况", "并指出{GN}"];

/// Numbers glued to the text that are not footnote markers, as real UN sentences hold them:
/// `#` is a number glued on both sides (most often the next footnote number), `@` a larger
/// one, `¦` a place where a line may break inside a number. They come at any place of a
/// line, and the layout may cut a line right after one or inside one.
const TRAPS: &[&str] = &[
    "每投资#美元可带来更多回报",
    "雇员总数达到#¦600人",
    "部招聘人数的#%来自发展中国家",
    "目标(即目标#、@、9、11)的进展",
    "严重急性呼吸综合征冠状病毒#与其他病毒",
    "影响#：制止暴力",
    "已销毁#,915,213枚弹药",
    "共有# 330个武器",
    "已有#\u{A0}330名研究员",
    "第#¦届会议",
    "#级事件有所增加",
    "COVID-19疫情期间的#项措施",
    "目标#、@和@的执行情况",
    "投入#¦5亿美元",
    "每年投入#",
    "#D打印技术",
    "附件#所载的建议",
    "#个区域中心",
];

// ---------------------------------------------------------------------------------------
// Picking and number formats.

/// A Zipf-like index in `0..n`: a scale `2^e` is picked uniformly among `head..=log2(n)`,
/// then an index below it, so index `r` comes up with probability roughly proportional to
/// `1/(r+1)`, except that the first `2^head` indexes share the top rank. Integer-only,
/// hence the same on every platform.
fn zipf(rng: &mut fastrand::Rng, n: usize, head: u32) -> usize {
    let bits = usize::BITS - n.leading_zeros();
    let limit = (1u64 << rng.u32(head.min(bits)..=bits)).min(n as u64);
    rng.u64(0..limit) as usize
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[zipf(rng, list.len(), 1)]
}

/// A term of `src/terms.txt`, by its frequency rank with a broad head (the sixteen most
/// frequent share the top rank), so that no single term appears in every file.
fn any_term(rng: &mut fastrand::Rng) -> &'static str {
    let terms = terms();
    terms[zipf(rng, terms.len(), 4)]
}

/// Whether an operative verb already names who is to act (鼓励各国, 请秘书长).
fn names_actor(verb: &str) -> bool {
    ["各国", "国家", "秘书长", "秘书处", "会员国"]
        .iter()
        .any(|a| verb.ends_with(a))
}

/// Whether a clause template starts with who acts, so that it cannot follow such a verb.
fn subject_led(template: &str) -> bool {
    [
        "{A}",
        "各国",
        "秘书",
        "有能力",
        "会员国",
        "民间社会",
        "尚未",
        "国际社会",
        "区域和次区域",
        "联合国",
        "政府专家组",
        "裁军谈判会议",
        "国际原子能机构",
        "大会",
        "妇女",
    ]
    .iter()
    .any(|p| template.starts_with(p))
}

/// A Chinese numeral for 1..=999: 七十八, 一百零五.
fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let d = |k: u32| D[k as usize];
    match n {
        0..=9 => d(n).to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { d(n % 10) }),
        20..=99 => format!(
            "{}十{}",
            d(n / 10),
            if n.is_multiple_of(10) { "" } else { d(n % 10) }
        ),
        _ => {
            let rest = match n % 100 {
                0 => String::new(),
                r @ 1..=9 => format!("零{}", d(r)),
                r @ 10..=19 => format!("一{}", zh_number(r)),
                r => zh_number(r),
            };
            format!("{}百{}", d(n / 100 % 10), rest)
        }
    }
}

/// `1330` as `1 330`, the space a no-break space until the text is laid out.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Writing one resolution.

/// A footnote: its text and the symbols its link lines show.
struct Note {
    text: String,
    symbols: Vec<String>,
}

/// The page being filled.
struct Page {
    /// Body lines on it so far.
    lines: u32,
    /// Body lines it holds before its bottom.
    budget: u32,
    /// Footnote markers on it.
    notes: Vec<u32>,
    /// Resolutions cited in its text, as symbols.
    cites: Vec<String>,
    /// The next line opens a page below a visible page bottom (or opens the document).
    top: bool,
    /// It is the first page.
    first: bool,
}

/// At most this many clauses make a paragraph (about eight lines).
const MAX_CLAUSES: u32 = 10;

/// Writes one resolution, drawing everything from its own random stream.
struct Writer<'r> {
    rng: &'r mut fastrand::Rng,
    session: u32,
    number: u32,
    title: &'static str,
    topic: &'static Topic,
    /// The committee report the resolution was adopted on, linked on the first page.
    report: String,
    notes: Vec<Note>,
    /// The paragraph being written should carry a footnote marker.
    want_note: bool,
    /// The topic is small arms or conventional arms, whose 2001 conference report is cited.
    conventional: bool,
    /// The instrument last named in the template being expanded.
    last_doc: Option<&'static str>,
    /// When asked for: the truth of each paragraph written so far.
    truth: Option<Vec<TruthParagraph>>,
}

impl<'r> Writer<'r> {
    fn new(rng: &'r mut fastrand::Rng, session: u32, number: u32) -> Self {
        let (title, topic) = TITLES[zipf(rng, TITLES.len(), 3)];
        let report = format!("A/{session}/{}", rng.u32(380..=460));
        Writer {
            rng,
            session,
            number,
            title,
            topic: &TOPICS[topic],
            conventional: topic <= 2,
            report,
            notes: Vec::new(),
            want_note: false,
            last_doc: None,
            truth: None,
        }
    }

    /// Records what a paragraph (normalized, markers as private characters) truly says.
    fn record_truth(&mut self, kind: unres::Kind, number: u32, text: &str) {
        let Some(truth) = self.truth.as_mut() else {
            return;
        };
        // An operative paragraph's printed number is not part of its text.
        let text = match kind {
            unres::Kind::Operative => text.split_once(". ").map_or(text, |(_, body)| body),
            _ => text,
        };
        let mut clean = String::with_capacity(text.len());
        let mut source = String::with_capacity(text.len());
        let mut footnotes = Vec::new();
        for c in text.chars() {
            if is_marker(c) {
                let n = c as u32 - MARKER_BASE;
                footnotes.push(n);
                let _ = write!(source, "{n}");
            } else if c == NBSP {
                clean.push(' ');
                source.push(' ');
            } else if !(c == CITE || c == BREAKABLE) {
                clean.push(c);
                source.push(c);
            }
        }
        truth.push(TruthParagraph {
            kind,
            number,
            text: clean,
            footnotes,
            source,
        });
    }

    /// The resolution's text, and the truth of its paragraphs when asked for.
    fn resolution_text(mut self) -> (String, Vec<TruthParagraph>) {
        let text = self.resolution();
        (text, self.truth.take().unwrap_or_default())
    }

    fn resolution(&mut self) -> String {
        let s = self.session;
        // Shape: `bulk` (triangular in 60..=1000) sets both the paragraph counts and the
        // clauses per paragraph, so sizes spread to the right: mostly 5–55 KB, 20 KB on
        // average for the default corpus.
        let bulk = 60 + (self.rng.u32(0..=1000) + self.rng.u32(0..=1000)) * 47 / 100;
        let preamble = (5 + 25 * bulk / 1000 + self.rng.u32(0..=4))
            .saturating_sub(2)
            .clamp(5, 30);
        let operative = (5 + 55 * bulk / 1000 + self.rng.u32(0..=6))
            .saturating_sub(3)
            .clamp(5, 60);
        let verbosity = 2 + 10 * bulk / 1000 + self.rng.u32(0..=2);
        let footnotes = if self.rng.u32(0..10) == 0 {
            0
        } else {
            self.rng.u32(1..=20)
        };
        let paragraphs = preamble + operative;
        let sub_at = (self.rng.u32(0..10) == 0).then(|| 1 + self.rng.u32(0..operative - 2));

        let mut out = String::with_capacity(24 * 1024);
        let mut page = Page {
            lines: 0,
            budget: self.rng.u32(14..=18),
            notes: Vec::new(),
            cites: Vec::new(),
            top: true,
            first: true,
        };
        // The title line is the one text line not followed by a blank line.
        let title = un_spacing(&format!("{s}/{}. {}", self.number, self.title));
        self.put(&mut out, &mut page, &title, UNBOUNDED);
        out.pop();
        self.put(&mut out, &mut page, "", 0);
        self.put(&mut out, &mut page, "", 0);
        self.put(&mut out, &mut page, "大会，", FIRST_PREAMBLE);

        for k in 0..preamble {
            self.want_note = self.notes.len() < 20 && self.rng.u32(0..paragraphs) < footnotes;
            let mut raw;
            if k == 0 && s > 1 && self.rng.u32(0..10) < 7 {
                // The seed's opening: 回顾其 2022 年 12 月 7 日第 77/71 号决议及以往…
                raw = String::from(pick(self.rng, &["回顾", "回顾其", "重申", "又回顾"]));
                let opening = if raw.ends_with('其') {
                    "{RD}及以往所有有关{TITLE}的决议"
                } else {
                    "其{RD}及以往所有有关{TITLE}的决议"
                };
                self.clauses(&mut raw, opening, verbosity, '，');
            } else {
                raw = String::from(pick(self.rng, PRE_VERBS));
                let first = self.template(HEAD, &[], false);
                self.clauses(&mut raw, first, verbosity, '，');
            }
            if self.want_note {
                self.marker(&mut raw);
            }
            let text = un_spacing(&raw);
            self.record_truth(unres::Kind::Preamble, k + 1, &text);
            self.put(&mut out, &mut page, &text, FIRST_PREAMBLE);
        }

        let report_last = self.rng.u32(0..10) < 6;
        let item_last = self.rng.bool();
        for n in 1..=operative {
            let label = format!("{n}. ");
            let budget = FIRST_OPERATIVE + width_of(&label);
            let last = n == operative;
            let mut raw = label;
            if last {
                // The last paragraph opens the last page when the page holds footnotes, as
                // in the seed: the closing lines never share a page with a page bottom.
                if !page.notes.is_empty() {
                    self.end_page(&mut out, &mut page);
                }
                self.want_note = false;
                let text = if item_last {
                    "决定在大会{S1}临时议程题为“{ITEM}”的项目下列入题为“{TITLE}”的分项。"
                } else {
                    "决定将题为“{TITLE}”的项目列入大会{S1}临时议程。"
                };
                self.expand(text, &mut raw);
            } else if n + 1 == operative && report_last {
                self.want_note = false;
                self.expand("请秘书长就本决议的执行情况向大会{S1}提出报告；", &mut raw);
            } else {
                self.want_note = self.notes.len() < 20 && self.rng.u32(0..paragraphs) < footnotes;
                let verb = pick(self.rng, OP_VERBS);
                let after_actor = names_actor(verb);
                raw.push_str(verb);
                if sub_at == Some(n) {
                    // Sub-paragraphs written inline: `请秘书长：(a) …；(b) …；`.
                    raw.push('：');
                    let subs = 2 + self.rng.u32(0..4) as usize;
                    for letter in ('a'..='z').take(subs) {
                        if raw.chars().next_back().is_some_and(is_marker) {
                            raw.push(' ');
                        }
                        let _ = write!(raw, "({letter}) ");
                        let head = self.template(HEAD, &[], after_actor);
                        self.clauses(&mut raw, head, 1, '；');
                    }
                } else {
                    let head = self.template(HEAD, &[], after_actor);
                    self.clauses(&mut raw, head, verbosity, '；');
                }
                if self.want_note {
                    self.marker(&mut raw);
                }
            }
            let text = un_spacing(&raw);
            self.record_truth(unres::Kind::Operative, n, &text);
            self.put(&mut out, &mut page, &text, budget);
        }

        // Closing lines, exactly as the seed ends.
        let (year, month, day, meeting) = self.adoption();
        let _ = write!(
            out,
            " \n\n{year} 年 {month} 月 {day} 日 \n\n第 {meeting} 次全体会议 \n\n \n\n\n"
        );
        out
    }

    /// Date and plenary meeting of adoption: December of the session's first year mostly.
    fn adoption(&mut self) -> (u32, u32, u32, u32) {
        let year = 1945 + self.session;
        match self.rng.u32(0..100) {
            0..=84 => (year, 12, self.rng.u32(1..=22), self.rng.u32(35..=90)),
            85..=92 => (year, 11, self.rng.u32(1..=30), self.rng.u32(25..=70)),
            _ => (
                year + 1,
                self.rng.u32(1..=9),
                self.rng.u32(1..=28),
                self.rng.u32(60..=110),
            ),
        }
    }

    /// A clause template from `list`: Zipf-like with a flattened head, mostly not one of
    /// `used` again, and not led by a subject when the verb before it names one.
    fn template(
        &mut self,
        list: &[&'static str],
        used: &[&str],
        after_actor: bool,
    ) -> &'static str {
        let mut template = list[zipf(self.rng, list.len(), 2)];
        for _ in 0..6 {
            if !(used.contains(&template) || after_actor && subject_led(template)) {
                break;
            }
            template = list[zipf(self.rng, list.len(), 2)];
        }
        template
    }

    /// Writes `first` then more clauses into `raw`, separated by `，` and closed by `end`.
    /// A marker due after a clause's punctuation is followed by a space unless it ends.
    fn clauses(&mut self, raw: &mut String, first: &str, verbosity: u32, end: char) {
        let extra = u32::from(self.rng.u32(0..8) == 0) * 3;
        let count = (1 + self.rng.u32(0..=verbosity) + extra).min(MAX_CLAUSES);
        let mut used = Vec::with_capacity(count as usize);
        for c in 0..count {
            let template = match c {
                0 => first,
                _ if self.rng.u32(0..8) == 0 => pick(self.rng, TRAP_CLAUSES),
                _ if self.rng.u32(0..VARIED_OF) < VARIED_SHARE => {
                    let p = &phrases()[self.rng.usize(0..PHRASES)];
                    raw.push_str(p);
                    ""
                }
                _ if self.rng.u32(0..4) == 0 => self.template(HEAD, &used, false),
                _ => self.template(TAIL, &used, false),
            };
            used.push(template);
            let note_after = self.expand(template, raw);
            let last = c + 1 == count;
            raw.push(if last { end } else { '，' });
            if note_after {
                self.marker(raw);
                if !last {
                    raw.push(' ');
                }
            }
        }
    }

    /// Expands the slots of `template` into `out`. Returns whether a footnote marker is due
    /// right after the punctuation that follows (a `{F}` ending the template fired).
    fn expand(&mut self, template: &str, out: &mut String) -> bool {
        self.last_doc = None;
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("closed slot");
            let slot = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if slot == "F" {
                if self.want_note && self.rng.u32(0..3) > 0 {
                    if rest.is_empty() {
                        return true;
                    }
                    self.marker(out);
                    out.push(' ');
                }
                continue;
            }
            self.slot(slot, out);
        }
        out.push_str(rest);
        false
    }

    fn slot(&mut self, slot: &str, out: &mut String) {
        let s = self.session;
        match slot {
            "T" => {
                let term = if self.rng.u32(0..7) > 0 {
                    pick(self.rng, self.topic.terms)
                } else {
                    any_term(self.rng)
                };
                out.push_str(term);
            }
            "G" => out.push_str(any_term(self.rng)),
            "WN" | "WV" | "WA" | "WD" => {
                let k = ["WN", "WV", "WA", "WD"].iter().position(|&w| w == slot);
                out.push_str(word_classes()[k.expect("matched above")].pick(self.rng));
            }
            "D" => {
                // `{D}和{D}` names two different instruments.
                let mut doc = pick(self.rng, self.topic.docs);
                while self.last_doc == Some(doc) {
                    doc = self.topic.docs[self.rng.u64(0..self.topic.docs.len() as u64) as usize];
                }
                self.last_doc = Some(doc);
                out.push_str(doc);
            }
            "A" => out.push_str(pick(self.rng, ACTORS)),
            "TITLE" => out.push_str(self.title),
            "ITEM" => out.push_str(pick(self.rng, ITEMS)),
            "R" | "RD" => match self.earlier() {
                Some(e) => {
                    if slot == "RD" {
                        let day = self.rng.u32(1..=20);
                        let _ = write!(out, "{}年12月{day}日", 1945 + e);
                    }
                    let n = 1 + zipf(self.rng, 260, 0);
                    let _ = write!(out, "第{CITE}{e}/{n}号决议");
                }
                None => out.push_str("以往各项决议"),
            },
            "DATE" => {
                let year = (1945 + s - self.rng.u32(0..=2)).max(1946);
                let (m, d) = (self.rng.u32(1..=12), self.rng.u32(1..=28));
                let _ = write!(out, "{year}年{m}月{d}日");
            }
            "RANGE" => {
                let year = 1945 + s + self.rng.u32(0..=1);
                let (m, d) = (self.rng.u32(1..=11), self.rng.u32(1..=26));
                if self.rng.u32(0..10) < 3 {
                    let d2 = self.rng.u32(1..=5);
                    let _ = write!(out, "{year}年{m}月{d}日至{}月{d2}日", m + 1);
                } else {
                    let d2 = (d + self.rng.u32(1..=11)).min(30);
                    let _ = write!(out, "{year}年{m}月{d}日至{d2}日");
                }
            }
            "Y" => {
                let _ = write!(out, "{}", 1945 + s + self.rng.u32(0..=3));
            }
            "S1" => {
                let _ = write!(out, "第{}届会议", zh_number(s + 1));
            }
            "S2" => {
                let _ = write!(out, "第{}届会议", zh_number(s + 2));
            }
            "ORD" => {
                let _ = write!(out, "第{}次", zh_number(1 + zipf(self.rng, 10, 0) as u32));
            }
            "N" => {
                let _ = write!(out, "{}", 2 + zipf(self.rng, 150, 0));
            }
            "GN" => {
                // A number glued to the text, most often equal to the next footnote number.
                let n = if self.rng.u32(0..4) > 0 {
                    self.notes.len() as u32 + 1
                } else {
                    1 + self.rng.u32(0..30)
                };
                let trap = pick(self.rng, TRAPS);
                for c in trap.chars() {
                    match c {
                        '#' => {
                            let _ = write!(out, "{GLUE}{n}{GLUE}");
                        }
                        '@' => {
                            let _ = write!(out, "{GLUE}{}{GLUE}", n + 1 + self.rng.u32(0..3));
                        }
                        '¦' => out.push(BREAKABLE),
                        c => out.push(c),
                    }
                }
            }
            "BIG" => {
                let digits = self.rng.u32(4..=8);
                let n = self.rng.u64(10u64.pow(digits - 1)..10u64.pow(digits));
                if digits >= 7 && self.rng.bool() {
                    let _ = write!(out, "{}万", grouped(n / 10_000));
                } else {
                    out.push_str(&grouped(n));
                }
            }
            other => unreachable!("unknown slot {{{other}}}"),
        }
    }

    /// An earlier session, most often the one before; none for the first session.
    fn earlier(&mut self) -> Option<u32> {
        let s = self.session;
        (s > 1).then(|| s - 1 - zipf(self.rng, (s - 1).min(30) as usize, 0) as u32)
    }

    /// Appends the next footnote's marker and writes the footnote.
    fn marker(&mut self, out: &mut String) {
        let n = self.notes.len() as u32 + 1;
        let note = self.note();
        self.notes.push(note);
        out.push(char::from_u32(MARKER_BASE + n).expect("private-use character"));
        self.want_note = false;
    }

    /// A footnote as the UN writes them: a report, a resolution, a conference document,
    /// the Treaty Series, or 同上 (ibid.) right after another footnote.
    fn note(&mut self) -> Note {
        let s = self.session;
        let year = 1945 + s;
        let e = self.earlier().unwrap_or(s);
        let para = 1 + zipf(self.rng, 120, 0);
        let n = self.rng.u32(60..=640);
        let (text, symbols) = match self.rng.u32(0..100) {
            0..=7 if !self.notes.is_empty() => (format!("同上，第{para}段。"), vec![]),
            23..=32 => (format!("见A/{e}/{n}，第{para}段。"), vec![format!("A/{e}/{n}")]),
            33..=44 if e < s => {
                let r = 1 + zipf(self.rng, 260, 0);
                (format!("第{e}/{r}号决议。"), vec![format!("A/RES/{e}/{r}")])
            }
            45..=49 if e < s => {
                let r = 1 + zipf(self.rng, 260, 0);
                (format!("第{e}/{r}号决议，附件。"), vec![format!("A/RES/{e}/{r}")])
            }
            50..=55 => (
                format!("见A/{e}/{n}和A/{e}/{n}/Corr.1。"),
                vec![format!("A/{e}/{n}"), format!("A/{e}/{n}/Corr.1")],
            ),
            56..=61 => {
                let l = 1 + self.rng.u32(0..70);
                (format!("A/C.1/{s}/L.{l}。"), vec![format!("A/C.1/{s}/L.{l}")])
            }
            62..=66 => {
                let k = self.rng.u32(1..=999);
                (format!("S/{year}/{k}。"), vec![format!("S/{year}/{k}")])
            }
            67..=74 => {
                let conf = [192, 229, 230, 217, 235, 236][zipf(self.rng, 6, 0)];
                let k = self.rng.u32(1..=40);
                (
                    format!("见A/CONF.{conf}/{k}，第{para}段。"),
                    vec![format!("A/CONF.{conf}/{k}")],
                )
            }
            75..=79 if year >= 2003 => {
                let y = year - self.rng.u32(0..=2);
                (
                    format!("A/CONF.192/BMS/{y}/1，附件。"),
                    vec![format!("A/CONF.192/BMS/{y}/1")],
                )
            }
            80..=86 => {
                let (vol, no) = (self.rng.u32(1..=3300), self.rng.u32(1..=60_000));
                (format!("联合国，《条约汇编》，第{vol}卷，第{no}号。"), vec![])
            }
            87..=92 => {
                let k = 1 + zipf(self.rng, 50, 0);
                (
                    format!("《大会正式记录，第{}届会议，补编第{k}号》(A/{e}/{k})。", zh_number(e)),
                    vec![format!("A/{e}/{k}")],
                )
            }
            93..=95 => {
                let (d, c) = (self.rng.u32(501..=560), self.rng.u32(1..=3));
                (
                    format!("见第{e}/{d}号决定及A/{e}/{n}和A/{e}/{n}/Corr.{c}，附件。"),
                    vec![format!("A/{e}/{n}"), format!("A/{e}/{n}/Corr.{c}")],
                )
            }
            96..=99 if year > 2001 && self.conventional => (
                format!(
                    "《联合国小武器和轻武器非法贸易各方面问题大会的报告，2001年7月9日至20日，纽约》(A/CONF.192/15)，第四章，第{para}段。"
                ),
                vec!["A/CONF.192/15".to_string()],
            ),
            // A report of the session; also where a case above does not fit the session.
            _ => (format!("A/{s}/{n}。"), vec![format!("A/{s}/{n}")]),
        };
        Note {
            text: un_spacing(&text),
            symbols,
        }
    }

    // -----------------------------------------------------------------------------------
    // Layout.

    /// Lays out one paragraph (already normalized) onto pages. `first` is the width budget
    /// of its first line; an empty `text` is the seed's lone-space line.
    fn put(&mut self, out: &mut String, page: &mut Page, text: &str, first: u32) {
        let rng = &mut *self.rng;
        let lines = wrap(text, first, || {
            if rng.u32(0..4) == 0 {
                CONTINUATION_WIDE
            } else {
                CONTINUATION
            }
        });
        let count = lines.len();
        for (k, line) in lines.into_iter().enumerate() {
            if page.lines >= page.budget {
                self.end_page(out, page);
            }
            if line.text.is_empty() {
                out.push(' ');
            } else {
                out.push_str(match (page.top, k == 0) {
                    (true, true) => "  ",
                    (true, false) | (false, true) => " ",
                    (false, false) => "",
                });
                out.push_str(&line.text);
                if k + 1 == count {
                    out.push(' ');
                }
            }
            out.push_str("\n\n");
            page.top = false;
            page.lines += 1;
            page.notes.extend(line.notes);
            page.cites.extend(line.cites);
        }
    }

    /// Ends the page: a visible page bottom when footnote markers are on it, otherwise an
    /// invisible break.
    fn end_page(&mut self, out: &mut String, page: &mut Page) {
        if !page.notes.is_empty() {
            self.page_bottom(out, page);
            page.top = true;
        }
        page.lines = 0;
        page.budget = self.rng.u32(20..=24);
        page.notes.clear();
        page.cites.clear();
        page.first = false;
    }

    /// The rule, the page's footnotes, then its link lines: the first page's committee
    /// report, the resolutions cited in its text, then the symbols of its footnotes.
    fn page_bottom(&mut self, out: &mut String, page: &mut Page) {
        out.push_str(RULE);
        out.push_str("\n\n");
        let mut links: Vec<&str> = Vec::new();
        if page.first {
            links.push(&self.report);
        }
        links.extend(page.cites.iter().map(String::as_str));
        for &n in &page.notes {
            let note = &self.notes[n as usize - 1];
            let lines = wrap(&format!("{n} {}", note.text), NOTE_WIDTH - 1, || NOTE_WIDTH);
            let count = lines.len();
            for (k, line) in lines.into_iter().enumerate() {
                if k == 0 {
                    out.push(' ');
                }
                out.push_str(&line.text);
                if k + 1 == count {
                    out.push(' ');
                }
                out.push_str("\n\n");
            }
            links.extend(note.symbols.iter().map(String::as_str));
        }
        let mut seen: Vec<&str> = Vec::with_capacity(links.len());
        for link in links {
            if !seen.contains(&link) {
                seen.push(link);
                out.push_str(LINK_PREFIX);
                out.push_str(link);
                out.push('\n');
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text layout: spacing, tokens, line wrapping.

/// The rule above a page's footnotes: 18 underscores and a space.
const RULE: &str = "__________________ ";
/// How link lines start.
const LINK_PREFIX: &str = "https://undocs.org/ch/";
/// Footnote marker `n` is written as this code point plus `n` until laid out.
const MARKER_BASE: u32 = 0xE100;
/// Written before a cited resolution's `77/71`, so that its page links to it.
const CITE: char = '\u{E001}';
/// The thousands separator inside `1 330`: a space at which lines never break.
const NBSP: char = '\u{A0}';
/// Glues a number to the text around it: no UN spacing on either side (`每投资1美元`).
const GLUE: char = '\u{E002}';
/// A place inside a number where a line may break (`2` / `600人`), as in real PDF text.
const BREAKABLE: char = '\u{E003}';

// Widths in half-units: a Chinese character 4, a Latin character 2, a space 1 (spaces are
// narrow in the PDFs the seed comes from).
const WIDE: u32 = 4;
const SPACE: u32 = 1;
/// A preamble paragraph's first line: 32 characters after the indent.
const FIRST_PREAMBLE: u32 = 128;
/// An operative paragraph's first line: 31 characters after its number.
const FIRST_OPERATIVE: u32 = 124;
/// A continuation line: 34 characters, sometimes 35.
const CONTINUATION: u32 = 136;
const CONTINUATION_WIDE: u32 = 140;
/// A line that never wraps (the title).
const UNBOUNDED: u32 = 10_000;
/// Footnote lines (smaller type): 44 characters.
const NOTE_WIDTH: u32 = 176;
/// How far a Latin token may overrun a line before it moves to the next.
const LATIN_SLACK: u32 = 4;

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_graphic() || c == NBSP
}

fn is_marker(c: char) -> bool {
    (MARKER_BASE + 1..MARKER_BASE + 0x400).contains(&(c as u32))
}

/// The UN's spacing: a space between a Chinese character and a Latin letter or digit,
/// either way round (`2022 年 12 月`, `第 77/71 号`). Punctuation gets none (`《2030 年`,
/// `》(A/CONF.192/15)`); markers are glued to the text before them.
fn un_spacing(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 8);
    let mut prev: Option<char> = None;
    let mut glued = false;
    for c in raw.chars() {
        match c {
            GLUE => {
                glued = true;
                continue;
            }
            CITE => {
                out.push(c);
                continue;
            }
            BREAKABLE => {
                out.push(c);
                prev = Some(c);
                continue;
            }
            _ => {}
        }
        if let Some(p) = prev {
            if !glued
                && ((is_han(p) && c.is_ascii_alphanumeric())
                    || (p.is_ascii_alphanumeric() && is_han(c)))
            {
                out.push(' ');
            }
        }
        glued = false;
        out.push(c);
        prev = Some(c);
    }
    out
}

fn width_of(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            ' ' => SPACE,
            c if is_latin(c) => 2,
            _ => WIDE,
        })
        .sum()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A Chinese character or other full-width sign.
    Wide,
    /// Opening punctuation: never ends a line.
    Open,
    /// Closing punctuation: never starts a line.
    Close,
    /// A run of Latin characters (a number, a symbol): never broken.
    Latin,
    Space,
    /// A footnote marker: stays with the text before it and the word after it.
    Marker,
}

struct Token<'a> {
    text: &'a str,
    kind: Piece,
    width: u32,
    /// The footnote number of a marker.
    note: u32,
    /// A cited resolution's `session/number`.
    cite: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 3 + 4);
    let mut cite = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        let (kind, width, note) = if c == CITE {
            cite = true;
            continue;
        } else if c == BREAKABLE {
            continue;
        } else if c == ' ' {
            (Piece::Space, SPACE, 0)
        } else if is_marker(c) {
            let n = c as u32 - MARKER_BASE;
            (Piece::Marker, 2 * n.to_string().len() as u32, n)
        } else if is_latin(c) {
            while let Some(&(j, d)) = chars.peek() {
                if !is_latin(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let width = 2 * text[i..end].chars().count() as u32;
            let kind = match &text[i..end] {
                "(" => Piece::Open,
                ")" => Piece::Close,
                _ => Piece::Latin,
            };
            (kind, width, 0)
        } else if "《（“‘「『〔【".contains(c) {
            (Piece::Open, WIDE, 0)
        } else if "，。；：、）》”’」』〕】！？".contains(c) {
            (Piece::Close, WIDE, 0)
        } else {
            (Piece::Wide, WIDE, 0)
        };
        let is_cite = cite && kind == Piece::Latin;
        if kind == Piece::Latin {
            cite = false;
        }
        out.push(Token {
            text: &text[i..end],
            kind,
            width,
            note,
            cite: is_cite,
        });
    }
    out
}

/// One wrapped line, without the leading or trailing space the layout adds.
#[derive(Default)]
struct Line {
    text: String,
    notes: Vec<u32>,
    cites: Vec<String>,
}

/// Greedy line wrapping within width budgets: `first` for the first line, `next()` for
/// each following one. A space at a break disappears (the seed's `使用` / `3D 打印`), so no
/// line starts with a space, and only a paragraph's last line or a line ending with a marker
/// and its space (the seed's `行动纲领》，1 ` / `并确认`) ends with one. Lines may be cut
/// anywhere between Chinese characters, between a number and the word glued to it, at a
/// marked place inside a number, never inside another Latin token, never before closing
/// punctuation or a marker, and never after opening punctuation.
fn wrap(text: &str, first: u32, mut next: impl FnMut() -> u32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    let (mut width, mut budget) = (0, first);
    let (mut empty, mut space, mut after_marker) = (true, false, false);
    // The last token on the line: a lone Chinese character, and where it starts.
    let (mut last_wide, mut last_start, mut on_line) = (false, 0, 0);
    // Where the last marker written on the line ends: its space stays at a break.
    let mut marker_end = usize::MAX;
    for t in tokens(text) {
        if t.kind == Piece::Space {
            space = !empty;
            continue;
        }
        let need = width + if space { SPACE } else { 0 } + t.width;
        // After a marker and its space the line may break, keeping the space at its end
        // (the seed's `行动纲领》，1 ` / `并确认`).
        let fits = need <= budget
            || matches!(t.kind, Piece::Close | Piece::Marker)
            || (t.kind == Piece::Latin && need <= budget + LATIN_SLACK)
            || (after_marker && !space);
        let dangling_open = t.kind == Piece::Open && need + WIDE > budget && !after_marker;
        if !empty && (!fits || dangling_open) {
            // A plain number never opens a wrapped line after a dropped space: joined back,
            // `已销毁` + `3 847 657 枚` reads as footnote marker 3. The character before
            // the number goes down with it (`3D` may open a line, as in the seed).
            let carry = space && last_wide && on_line > 1 && t.kind == Piece::Latin && {
                t.text.chars().all(|c| c.is_ascii_digit() || c == NBSP)
            };
            let carried = carry.then(|| {
                let carried = line.text.split_off(last_start);
                line.text.truncate(line.text.trim_end_matches(' ').len());
                if line.text.len() == marker_end {
                    line.text.push(' ');
                }
                carried
            });
            if after_marker && space {
                line.text.push(' ');
            }
            lines.push(std::mem::take(&mut line));
            (width, on_line, marker_end) = (0, 0, usize::MAX);
            budget = next();
            if let Some(carried) = carried {
                line.text = carried;
                line.text.push(' ');
                (width, on_line) = (WIDE + SPACE, 1);
            }
        } else if space {
            line.text.push(' ');
            width += SPACE;
        }
        space = false;
        last_start = line.text.len();
        match t.kind {
            Piece::Marker => {
                let _ = write!(line.text, "{}", t.note);
                line.notes.push(t.note);
                marker_end = line.text.len();
            }
            Piece::Latin => {
                line.text
                    .extend(t.text.chars().map(|c| if c == NBSP { ' ' } else { c }));
                if t.cite {
                    line.cites.push(format!("A/RES/{}", t.text));
                }
            }
            _ => line.text.push_str(t.text),
        }
        width += t.width;
        empty = false;
        after_marker = t.kind == Piece::Marker;
        last_wide = t.kind == Piece::Wide;
        on_line += 1;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_TEXT: &str = include_str!("../../../corpus/A-RES-78-46.zh.txt");

    fn config(resolutions: usize, seed: u64) -> SynthConfig {
        SynthConfig { resolutions, seed }
    }

    /// Leading digits of `s` followed by `. `: an operative paragraph's number.
    fn operative_number(s: &str) -> Option<u32> {
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        (digits > 0 && s[digits..].starts_with(". "))
            .then(|| s[..digits].parse().ok())
            .flatten()
    }

    /// Footnote markers in a body line (with its trailing space): digits glued to a Chinese
    /// character or closing punctuation before them, followed by a space.
    fn markers(line: &str) -> Vec<u32> {
        let chars: Vec<char> = line.chars().collect();
        let mut found = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !chars[k].is_ascii_digit() {
                k += 1;
                continue;
            }
            let start = k;
            while k < chars.len() && chars[k].is_ascii_digit() {
                k += 1;
            }
            let glued = start > 0
                && (is_han(chars[start - 1]) || "，。；：）》”".contains(chars[start - 1]));
            // A space follows a marker; a number glued to what follows, ending a wrapped
            // line, or followed by a thousands group (`1 330`) is text.
            let spaced = chars.get(k) == Some(&' ');
            let digits_after = chars
                .iter()
                .skip(k + 1)
                .take(4)
                .take_while(|c| c.is_ascii_digit())
                .count();
            let group = spaced && digits_after == 3;
            if glued && spaced && !group && k - start <= 3 {
                let number: String = chars[start..k].iter().collect();
                found.push(number.parse().expect("digits"));
            }
        }
        found
    }

    fn at(body: &[&str], i: usize, what: &str) -> String {
        format!(
            "line {}: {what}: {:?}",
            i + 1,
            body.get(i).unwrap_or(&"<end>")
        )
    }

    /// Checks the seed's page layout. `marker_breaks` allows what the seed does once (its
    /// line 14): a wrapped line ending in a footnote marker and its space.
    fn check_layout(text: &str, marker_breaks: bool) -> Result<(), String> {
        let lines: Vec<&str> = text.split('\n').collect();
        let n = lines.len();
        if n < 30 {
            return Err(format!("only {n} lines"));
        }
        let tail = &lines[n - 10..];
        let closing = tail[0] == " "
            && tail[1].is_empty()
            && tail[2].ends_with(" 日 ")
            && tail[2].chars().take(4).all(|c| c.is_ascii_digit())
            && tail[3].is_empty()
            && tail[4].starts_with("第 ")
            && tail[4].ends_with(" 次全体会议 ")
            && tail[5].is_empty()
            && tail[6] == " "
            && tail[7..].iter().all(|l| l.is_empty());
        if !closing {
            return Err(format!("closing lines are {tail:?}"));
        }
        let body = &lines[..n - 10];
        let title = body[0]
            .strip_prefix("  ")
            .and_then(|t| t.strip_suffix(' '))
            .ok_or("title line")?;
        let (symbol, name) = title.split_once(". ").ok_or("title has no `N/M. `")?;
        let (s, m) = symbol.split_once('/').ok_or("title symbol")?;
        if s.parse::<u32>().is_err() || m.parse::<u32>().is_err() || name.starts_with(' ') {
            return Err(format!("title line {:?}", body[0]));
        }
        if body[1..7] != [" ", "", " ", "", " 大会， ", ""] {
            return Err(format!("header lines {:?}", &body[1..7]));
        }

        let (mut next_marker, mut next_note, mut next_op) = (1u32, 1u32, 1u32);
        let mut page_notes: Vec<u32> = Vec::new();
        // Whether the previous body line ended a paragraph, and with a marker.
        let (mut ended, mut ended_with_marker) = (true, false);
        let mut top = false;
        let mut i = 7;
        while i < body.len() {
            let line = body[i];
            if line == RULE {
                if body.get(i + 1) != Some(&"") {
                    return Err(at(body, i, "rule not followed by a blank line"));
                }
                i += 2;
                if page_notes.is_empty() {
                    return Err(at(body, i, "page bottom without markers on its page"));
                }
                for &m in &page_notes {
                    let head = format!(" {m} ");
                    if m != next_note || !body[i].starts_with(&head) {
                        return Err(at(
                            body,
                            i,
                            &format!("expected footnote {m} (next is {next_note})"),
                        ));
                    }
                    if m == 1 && body[i][head.len()..].starts_with("同上") {
                        return Err(at(body, i, "同上 in the first footnote"));
                    }
                    next_note += 1;
                    loop {
                        let note_line = body[i];
                        if body.get(i + 1) != Some(&"") {
                            return Err(at(body, i, "footnote line not followed by a blank line"));
                        }
                        i += 2;
                        if note_line.ends_with(' ') {
                            break;
                        }
                        if body[i].starts_with(' ') || body[i].ends_with("  ") {
                            return Err(at(body, i, "footnote continuation line"));
                        }
                    }
                }
                page_notes.clear();
                while i < body.len() && body[i].starts_with(LINK_PREFIX) {
                    let symbol = &body[i][LINK_PREFIX.len()..];
                    if symbol.is_empty() || symbol.contains(char::is_whitespace) {
                        return Err(at(body, i, "link line"));
                    }
                    i += 1;
                }
                if body.get(i).is_none_or(|l| l.is_empty()) {
                    return Err(at(body, i, "no page top after a page bottom"));
                }
                top = true;
                continue;
            }
            if line.starts_with(LINK_PREFIX) {
                return Err(at(body, i, "link line outside a page bottom"));
            }
            if body.get(i + 1) != Some(&"") {
                return Err(at(body, i, "text line not followed by a blank line"));
            }
            if line.trim().is_empty() || width_of(line) > CONTINUATION_WIDE + 20 {
                return Err(at(body, i, "empty or overlong text line"));
            }
            let lead = line.len() - line.trim_start_matches(' ').len();
            let expected = match (top, ended) {
                (true, true) => 2,
                (true, false) | (false, true) => 1,
                (false, false) => 0,
            };
            let continues = marker_breaks && ended && ended_with_marker && lead + 1 == expected;
            if lead != expected && !continues {
                return Err(at(
                    body,
                    i,
                    &format!("{lead} leading spaces, expected {expected}"),
                ));
            }
            let content = &line[lead..];
            if ended && !continues {
                match operative_number(content) {
                    Some(op) if op == next_op => next_op += 1,
                    Some(op) => {
                        return Err(at(body, i, &format!("operative {op}, expected {next_op}")))
                    }
                    None if next_op > 1 => return Err(at(body, i, "preamble after operatives")),
                    None => {}
                }
            }
            for m in markers(content) {
                // Other numbers shaped like markers are quantities (`投入65 亿美元`); the
                // one after the expected marker means a marker went missing.
                if m == next_marker + 1 {
                    return Err(at(body, i, &format!("marker {m}, expected {next_marker}")));
                }
                if m != next_marker {
                    continue;
                }
                next_marker += 1;
                page_notes.push(m);
            }
            ended = line.ends_with(' ');
            if ended {
                let text = line.strip_suffix(' ').expect("ends with a space");
                let number = text.trim_end_matches(|c: char| c.is_ascii_digit());
                ended_with_marker = number.len() < text.len();
                let mid_paragraph_marker = marker_breaks && ended_with_marker;
                if text.ends_with(' ')
                    || !(number.ends_with(['，', '；', '。']) || mid_paragraph_marker)
                {
                    return Err(at(body, i, "paragraph end"));
                }
            }
            top = false;
            i += 2;
        }
        if !ended || !body[i - 2].ends_with("。 ") {
            return Err("the last paragraph does not end with `。 `".into());
        }
        if !page_notes.is_empty() || next_note != next_marker {
            return Err(format!(
                "markers up to {next_marker}, footnotes up to {next_note}"
            ));
        }
        if next_op < 3 {
            return Err("fewer than two operative paragraphs".into());
        }
        Ok(())
    }

    #[test]
    fn the_layout_check_accepts_the_seed_and_sees_its_one_marker_break() {
        check_layout(SEED_TEXT, true).unwrap();
        let strict = check_layout(SEED_TEXT, false).unwrap_err();
        assert!(strict.starts_with("line 16: "), "{strict}");
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_in_any_order() {
        let c = config(40, 46);
        let forward: Vec<SynthFile> = (0..40).map(|i| resolution(&c, i)).collect();
        let mut backward: Vec<SynthFile> = (0..40).rev().map(|i| resolution(&c, i)).collect();
        backward.reverse();
        assert_eq!(forward, backward);
    }

    #[test]
    fn write_corpus_writes_the_same_bytes_twice() {
        let c = config(12, 7);
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let nested = two.path().join("new/dir");
        let first = write_corpus(&c, one.path()).unwrap();
        let second = write_corpus(&c, &nested).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.files, 12);
        let mut total = 0;
        for i in 0..12 {
            let file = resolution(&c, i);
            let bytes = fs::read(one.path().join(&file.name)).unwrap();
            assert_eq!(bytes, file.text.as_bytes());
            assert_eq!(bytes, fs::read(nested.join(&file.name)).unwrap());
            total += bytes.len() as u64;
        }
        assert_eq!(first.bytes, total);
    }

    #[test]
    fn a_different_seed_gives_different_bytes() {
        for i in 0..5 {
            let a = resolution(&config(50, 46), i);
            let b = resolution(&config(50, 47), i);
            assert_ne!(a.text, b.text, "resolution {i}");
        }
    }

    #[test]
    fn numbers_are_unique_within_a_session_and_sessions_span_1_to_80() {
        for c in [
            SynthConfig::default(),
            config(1, 3),
            config(79, 3),
            config(30_000, 9),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for i in 0..c.resolutions {
                let (s, n) = slot(&c, i);
                assert!((1..=80).contains(&s) && n >= 1);
                assert!(seen.insert((s, n)), "A/RES/{s}/{n} twice in {c:?}");
            }
            if c.resolutions >= 5000 {
                assert_eq!(seen.first().unwrap().0, 1);
                assert_eq!(seen.last().unwrap().0, 80);
            }
        }
        let file = resolution(&SynthConfig::default(), 0);
        assert!(file.name.starts_with("A-RES-1-") && file.name.ends_with(".zh.txt"));
    }

    #[test]
    #[should_panic(expected = "out of range")]
    fn an_index_past_the_corpus_panics() {
        resolution(&config(3, 1), 3);
    }

    #[test]
    fn every_sampled_resolution_follows_the_seed_layout() {
        let c = SynthConfig::default();
        for i in (0..c.resolutions).step_by(23) {
            let file = resolution(&c, i);
            if let Err(e) = check_layout(&file.text, true) {
                panic!("{}: {e}", file.name);
            }
        }
    }

    #[test]
    fn cited_resolutions_come_from_earlier_sessions() {
        let c = SynthConfig::default();
        for i in (0..c.resolutions).step_by(97) {
            let file = resolution(&c, i);
            let own: u32 = file.name.split('-').nth(2).unwrap().parse().unwrap();
            let joined: String = file.text.lines().collect();
            let mut rest = joined.as_str();
            while let Some(at) = rest.find("号决议") {
                let before = rest[..at].trim_end();
                let symbol = &before[before
                    .trim_end_matches(|c: char| c.is_ascii_digit() || c == '/')
                    .len()..];
                if let Some((s, _)) = symbol.split_once('/') {
                    let s: u32 = s.parse().unwrap();
                    assert!(s < own, "{}: 第 {symbol} 号决议", file.name);
                }
                rest = &rest[at + "号决议".len()..];
            }
        }
    }

    #[test]
    fn fifty_resolutions_average_between_10_and_40_kb() {
        let c = config(50, 46);
        let sizes: Vec<usize> = (0..50).map(|i| resolution(&c, i).text.len()).collect();
        let average = sizes.iter().sum::<usize>() / sizes.len();
        assert!(
            (10_000..=40_000).contains(&average),
            "average {average} bytes"
        );
    }

    #[test]
    fn the_un_spacing_goes_around_latin_digits_only() {
        let raw = format!("于2022年6月27日第{CITE}77/71号决议，《2030年议程》(A/78/1)，使用3D打印");
        assert_eq!(
            un_spacing(&raw),
            format!(
                "于 2022 年 6 月 27 日第{CITE} 77/71 号决议，《2030 年议程》(A/78/1)，使用 3D 打印"
            )
        );
        assert_eq!(grouped(1330), "1\u{A0}330");
        assert_eq!(grouped(43_800_000), "43\u{A0}800\u{A0}000");
        assert_eq!(zh_number(78), "七十八");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(105), "一百零五");
        assert_eq!(zh_number(110), "一百一十");
    }

    #[test]
    fn wrapping_keeps_numbers_whole_and_drops_the_space_at_a_break() {
        let text = un_spacing(&"使用3D打印技术生产的枪支，".repeat(12));
        let lines = wrap(&text, FIRST_PREAMBLE, || CONTINUATION);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(!line.text.starts_with(' ') && !line.text.ends_with(' '));
            assert!(!line.text.starts_with("D") && !line.text.ends_with('3'));
        }
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn a_plain_number_never_opens_a_wrapped_line() {
        let text = un_spacing(&format!("秘书长已销毁3{NBSP}847{NBSP}657枚会员国，").repeat(20));
        for first in 60..140 {
            for line in wrap(&text, first, || CONTINUATION).iter().skip(1) {
                assert!(
                    !line.text.starts_with(|c: char| c.is_ascii_digit()),
                    "{}",
                    line.text
                );
                assert!(!line.text.starts_with(' ') && !line.text.ends_with(' '));
            }
        }
    }

    #[test]
    fn a_marker_stays_between_its_text_and_the_next_word() {
        let mut raw = String::from("表示注意到秘书长的报告，");
        raw.push(char::from_u32(MARKER_BASE + 5).unwrap());
        raw.push_str(" 其中概述了小武器和轻武器非法贸易方面的最新发展情况");
        for first in 40..80 {
            let lines = wrap(&un_spacing(&raw), first, || 44);
            let joined: String = lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("|");
            assert!(!joined.contains("5|") && !joined.contains("|5"), "{joined}");
        }
    }

    #[test]
    #[ignore = "writes the default corpus (about 100 MB); run with --release -- --ignored --nocapture"]
    fn time_the_default_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let start = std::time::Instant::now();
        let stats = write_corpus(&SynthConfig::default(), dir.path()).unwrap();
        eprintln!(
            "{} files, {} bytes in {:.2?}",
            stats.files,
            stats.bytes,
            start.elapsed()
        );
    }
}
