//! The page of `unres serve` in headless Chromium, driven over WebDriver (chromedriver and
//! fantoccini): a query typed shows its hits and the session chart, a hit opens its
//! resolution, the resolution opens its diff against the previous member, the back button
//! walks back through the views, and corpus text holding markup and script stays text.
//! The page's ES modules are checked loaded. Screenshots of the search and the diff, and of
//! every view wide and narrow (390 px) go to `target/screenshots/`, where no view may be
//! wider than the window.
//!
//! Without Chromium and chromedriver the test says how to install them and passes; with
//! `CI=true` it fails instead (the CI script installs them). `CHROME_BIN` and `CHROMEDRIVER`
//! name them when they are not on the PATH.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL: &str =
    "apt-get install chromium chromium-driver fonts-noto-cjk (or set CHROME_BIN and CHROMEDRIVER)";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Without the browser: a note on a developer's machine, a failure in CI.
fn unavailable(why: &str) {
    if in_ci() {
        panic!("browser test: {why}; CI needs it: {INSTALL}");
    }
    eprintln!("browser test skipped: {why}; to run it: {INSTALL}");
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

fn tool(var: &str, names: &[&str]) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => on_path(names),
    }
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver(driver: &Path) -> Option<(Driver, String)> {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let guard = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((guard, format!("http://127.0.0.1:{port}")))
}

fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `script` until it returns something other than null or false.
async fn until(c: &Client, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if !(v.is_null() || v == Value::Bool(false)) {
            return v;
        }
        if Instant::now() > deadline {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let body = c
                .execute("return document.body.innerText.slice(0, 600)", vec![])
                .await
                .unwrap_or_default();
            panic!("timed out waiting for {what} at {url}; the page says: {body}");
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

#[test]
fn the_page_in_a_browser() {
    let Some(chrome) = tool(
        "CHROME_BIN",
        &["chromium", "chromium-browser", "google-chrome"],
    ) else {
        return unavailable("no Chromium found");
    };
    let Some(driver) = tool("CHROMEDRIVER", &["chromedriver"]) else {
        return unavailable("no chromedriver found");
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(drive(&chrome, &driver));
}

async fn drive(chrome: &Path, driver: &Path) {
    // The server, on a free port, over the seed, its next version and the hostile file.
    let site = crate::http::seed_site();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::serve::run(
        listener,
        site.served.clone(),
        crate::serve::Options::default(),
        async {
            let _ = stopped.await;
        },
        |_| {},
    ));

    let Some((_driver, webdriver)) = start_driver(driver) else {
        return unavailable("chromedriver did not start");
    };
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chrome,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--no-first-run",
                "--lang=zh-CN",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = match ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&webdriver)
        .await
    {
        Ok(c) => c,
        Err(e) => return unavailable(&format!("Chromium did not start ({e})")),
    };
    let shots = screenshots();

    // Typing a query shows its hits and the chart, and puts the query in the URL.
    c.goto(&format!("{base}/")).await.unwrap();
    let q = c.wait().for_element(Locator::Css("#q")).await.unwrap();
    until(
        &c,
        "the home page",
        "return document.querySelector('#home .syntax') !== null",
    )
    .await;
    modules_loaded(&c).await;
    q.send_keys("小武器").await.unwrap();
    until(
        &c,
        "the hits",
        "return document.querySelectorAll('#hits li.hit').length >= 10",
    )
    .await;
    until(&c, "the chart", "return document.querySelectorAll('#chart [data-session]').length >= 2 && !document.querySelector('#chart').hidden").await;
    let url = c.current_url().await.unwrap();
    assert!(url.query().unwrap_or_default().contains("q="), "{url}");
    let total = js(&c, "return document.querySelector('#total').textContent").await;
    assert!(total.as_str().unwrap().contains("条"), "{total}");
    // A comparison with the previous session is offered only where there is one: 78/46
    // stands first in its series, 79/40 follows it.
    let offered = js(&c, "const hits = Array.from(document.querySelectorAll('#hits li.hit')); const of = (s) => hits.filter(li => li.dataset.symbol === s).map(li => li.querySelector('a.to-diff') !== null); return [of('A/RES/78/46'), of('A/RES/79/40')]").await;
    let offered: Vec<Vec<bool>> = serde_json::from_value(offered).unwrap();
    assert!(
        !offered[0].is_empty() && offered[0].iter().all(|&o| !o),
        "78/46 has no earlier member: {offered:?}"
    );
    assert!(
        offered[1].iter().all(|&o| o),
        "79/40 follows 78/46: {offered:?}"
    );
    let mut timings = vec![typed_to_hits(&c).await];
    c.screenshot()
        .await
        .map(|png| std::fs::write(shots.join("search.png"), png).unwrap())
        .unwrap();

    // More queries typed, for the time from the debounce to the hits shown.
    for text in [
        "行动纲领",
        "国际追查文书",
        "妇女 决策",
        "輕武器",
        "小武器 -妇女",
    ] {
        let q = c.find(Locator::Css("#q")).await.unwrap();
        q.clear().await.unwrap();
        js(
            &c,
            "delete document.body.dataset.typedToHitsMs; return true",
        )
        .await;
        q.send_keys(text).await.unwrap();
        until(
            &c,
            text,
            "return document.body.dataset.typedToHitsMs !== undefined",
        )
        .await;
        timings.push(typed_to_hits(&c).await);
    }
    timings.sort_by(f64::total_cmp);
    eprintln!(
        "browser: hits shown {:.1} ms (median; {:.1}–{:.1} ms) after the debounce fired, over {} typed queries",
        timings[timings.len() / 2],
        timings[0],
        timings[timings.len() - 1],
        timings.len()
    );

    // A shared URL opens with its hits shown.
    c.goto(&format!(
        "{base}/?q=%E5%B0%8F%E6%AD%A6%E5%99%A8&session=70-78"
    ))
    .await
    .unwrap();
    until(
        &c,
        "the hits of a shared URL",
        "return document.querySelectorAll('#hits li.hit').length >= 10",
    )
    .await;
    let value = js(
        &c,
        "return [document.querySelector('#q').value, document.querySelector('#f-session').value]",
    )
    .await;
    assert_eq!(value, json!(["小武器", "70-78"]));
    let sessions = js(&c, "return Array.from(document.querySelectorAll('#hits li.hit')).every(li => li.dataset.symbol.startsWith('A/RES/78/'))").await;
    assert_eq!(sessions, Value::Bool(true));

    // A hit opens its resolution; the resolution opens its diff with the previous member.
    c.goto(&format!("{base}/?q=%E5%B0%8F%E6%AD%A6%E5%99%A8&session=79"))
        .await
        .unwrap();
    until(&c, "hits of 79/40", "return document.querySelector('#hits li.hit[data-symbol=\"A/RES/79/40\"] a.to-resolution')").await;
    c.find(Locator::Css(
        "#hits li.hit[data-symbol=\"A/RES/79/40\"] a.to-resolution",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until(&c, "the resolution", "return !document.querySelector('#resolution').hidden && document.querySelectorAll('#resolution .record').length > 50").await;
    let head = js(
        &c,
        "return document.querySelector('#resolution .doc-symbol').textContent",
    )
    .await;
    assert_eq!(head, "A/RES/79/40");
    let prev = js(&c, "return document.querySelector('#prev').textContent").await;
    assert!(prev.as_str().unwrap().contains("A/RES/78/46"), "{prev}");
    c.find(Locator::Css("#diff-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(&c, "the diff", "return !document.querySelector('#diff').hidden && document.querySelectorAll('#diff .diff-row').length > 0").await;
    let title = js(
        &c,
        "return document.querySelector('#diff .doc-symbol').textContent",
    )
    .await;
    assert_eq!(title, "A/RES/78/46 → A/RES/79/40");
    let marks = js(&c, "return [document.querySelectorAll('#diff .diff-row.changed').length, document.querySelectorAll('#diff ins').length, document.querySelectorAll('#diff del').length]").await;
    let marks: Vec<u64> = marks
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(
        marks.iter().all(|&n| n > 0),
        "changed rows, insertions, deletions: {marks:?}"
    );
    // 78/46 has no earlier member: the page offers no diff of it.
    let links = js(
        &c,
        "return Array.from(document.querySelectorAll('#diff .doc-nav a')).map(a => a.textContent)",
    )
    .await;
    assert!(!links.to_string().contains("与其上一届比较"), "{links}");
    c.screenshot()
        .await
        .map(|png| std::fs::write(shots.join("diff.png"), png).unwrap())
        .unwrap();

    // Back: the resolution, then the search with its hits and its query.
    c.back().await.unwrap();
    until(&c, "the resolution again", "return !document.querySelector('#resolution').hidden && document.querySelector('#resolution .doc-symbol') && document.querySelector('#resolution .doc-symbol').textContent === 'A/RES/79/40'").await;
    c.back().await.unwrap();
    until(&c, "the search again", "return !document.querySelector('#search-view').hidden && document.querySelectorAll('#hits li.hit').length > 0 && document.querySelector('#q').value === '小武器'").await;

    // Hostile corpus text stays text: in hits, in the resolution view, in titles.
    c.goto(&format!("{base}/?q=%E6%95%8C%E6%84%8F%E6%96%87%E6%9C%AC"))
        .await
        .unwrap();
    until(
        &c,
        "the hostile hits",
        "return document.querySelectorAll('#hits li.hit').length === 5",
    )
    .await;
    let hits_text = js(&c, "return document.querySelector('#hits').textContent").await;
    let hits_text = hits_text.as_str().unwrap();
    for literal in [
        "<script>window.__xss=1</script>",
        "<img src=x onerror=\"window.__xss=2\">",
        "\"'><b>粗体</b>",
        "javascript:window.__xss=3",
        "<a href=\"javascript:window.__xss=4\">链接</a>",
    ] {
        assert!(
            hits_text.contains(literal),
            "{literal} not shown as text: {hits_text}"
        );
    }
    let injected = "return [document.querySelectorAll('main script, main img, main b, main iframe, main [onerror], main [onload], main a[href^=\"javascript\"], main svg:not(#chart svg)').length, window.__xss === undefined]";
    assert_eq!(js(&c, injected).await, json!([0, true]));
    // Every hit shown in full.
    js(
        &c,
        "document.querySelectorAll('#hits button.more').forEach(b => b.click()); return true",
    )
    .await;
    assert_eq!(js(&c, injected).await, json!([0, true]));
    c.goto(&format!("{base}/?view=resolution&symbol=A/RES/78/99"))
        .await
        .unwrap();
    until(
        &c,
        "the hostile resolution",
        "return document.querySelectorAll('#resolution .record').length === 5",
    )
    .await;
    let title = js(
        &c,
        "return document.querySelector('#resolution .doc-title').textContent",
    )
    .await;
    assert_eq!(title, "敌意测试<script>window.__xss=1</script>决议");
    assert_eq!(js(&c, injected).await, json!([0, true]));
    let doc_title = js(&c, "return document.title").await;
    assert!(doc_title.as_str().unwrap().contains("A/RES/78/99"));

    // Every view, wide then narrow (a phone's 390 px): nothing wider than the window, a
    // screenshot of each.
    every_view(&c, &base, &shots, "wide").await;
    c.set_window_size(390, 844).await.unwrap();
    let width = js(&c, "return window.innerWidth").await;
    assert_eq!(width, json!(390), "the narrow window");
    every_view(&c, &base, &shots, "narrow").await;
    c.set_window_size(1280, 900).await.unwrap();

    broad_totals(&c).await;
    c.close().await.unwrap();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// A query matching more records than a first page counts (at least 1,000): once the
/// chart has counted every match by session, the total is shown exact, as `limit=0` counts.
async fn broad_totals(c: &Client) {
    let site = crate::http::synth_site();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::serve::run(
        listener,
        site.served.clone(),
        crate::serve::Options::default(),
        async {
            let _ = stopped.await;
        },
        |_| {},
    ));
    let count = crate::http::get(&site.router(), "/api/search?q=%E7%9A%84&limit=0")
        .await
        .json()["total"]
        .as_u64()
        .unwrap();
    assert!(count > 1000, "{count}");
    c.goto(&format!("{base}/?q=%E7%9A%84")).await.unwrap();
    until(c, "the chart of 的", "return !document.querySelector('#chart').hidden && document.querySelector('#total').textContent.startsWith('共')").await;
    let total = js(
        c,
        "return document.querySelector('#total .count').textContent",
    )
    .await;
    let shown: String = total
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(shown, count.to_string(), "{total}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

/// The time the page took from the debounce firing to the hits shown, in ms.
async fn typed_to_hits(c: &Client) -> f64 {
    let v = until(
        c,
        "the typing time",
        "return document.body.dataset.typedToHitsMs || false",
    )
    .await;
    v.as_str().unwrap().parse().unwrap()
}

/// The page's modules loaded: the entry wired the page, every module under `/js/` was
/// fetched, and the kinds to filter by came from the library (`/js/model.js`).
async fn modules_loaded(c: &Client) {
    until(
        c,
        "the entry module",
        "return document.documentElement.dataset.ready === 'true'",
    )
    .await;
    let fetched = js(c, "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/js/')).sort()").await;
    let fetched: Vec<String> = serde_json::from_value(fetched).unwrap();
    for module in [
        "api",
        "chart",
        "diff",
        "dom",
        "form",
        "history",
        "home",
        "model",
        "refs",
        "resolution",
        "search",
        "state",
        "status",
    ] {
        let path = format!("/js/{module}.js");
        assert!(fetched.contains(&path), "{path} not loaded: {fetched:?}");
    }
    let kinds = js(c, "return Array.from(document.querySelectorAll('#f-kind option')).map(o => [o.value, o.textContent])").await;
    let expected: Vec<(String, String)> = std::iter::once((String::new(), "全部".to_string()))
        .chain(
            unres::Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.chinese().to_string())),
        )
        .collect();
    assert_eq!(kinds, json!(expected));
}

/// Each view of the seed opened at its URL, checked for content wider than the window,
/// and shot to `target/screenshots/VIEW-SIZE.png`.
async fn every_view(c: &Client, base: &str, shots: &Path, size: &str) {
    for (name, path, ready) in [
        (
            "home",
            "/",
            "document.querySelector('#home .stats') && !document.querySelector('#chart').hidden",
        ),
        (
            "search",
            "/?q=%E5%B0%8F%E6%AD%A6%E5%99%A8&collapse=true",
            "document.querySelectorAll('#hits li.hit').length > 0 && !document.querySelector('#chart').hidden",
        ),
        (
            "resolution",
            "/?view=resolution&symbol=A/RES/79/40&ref=op.3",
            "document.querySelectorAll('#resolution .record.target').length === 1",
        ),
        (
            "diff",
            "/?view=diff&new=A/RES/79/40",
            "document.querySelectorAll('#diff .diff-row').length > 0",
        ),
        (
            "history",
            "/?view=history&symbol=A/RES/79/40&ref=op.1",
            "document.querySelectorAll('#history .version').length > 0",
        ),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        until(c, &format!("the {name} view ({size})"), &format!("return {ready}")).await;
        // The widest element reaching past the window's right edge, if any.
        let past = js(c, "const w = document.documentElement.clientWidth; const out = Array.from(document.querySelectorAll('body *')).filter(e => e.getClientRects().length && e.getBoundingClientRect().right > w + 1).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')); return [document.documentElement.scrollWidth <= w, out.slice(0, 5)]").await;
        assert_eq!(past[0], json!(true), "{name} ({size}) is wider than the window: {past}");
        let error = js(c, "return document.querySelector('#error').hidden").await;
        assert_eq!(error, json!(true), "{name} ({size}) shows an error");
        c.screenshot()
            .await
            .map(|png| std::fs::write(shots.join(format!("{name}-{size}.png")), png).unwrap())
            .unwrap();
    }
}
