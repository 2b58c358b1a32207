//! A newer index: a commit by another writer is served once the server looks, with no
//! request failing meanwhile, and a changed corpus is indexed and served.

use super::search_uri;
use crate::http::{get, Server};
use crate::serve::{Options, Served};
use crate::support::site::{read, Site, NEXT, SEED};
use axum::http::StatusCode;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_by_another_writer_is_served_after_it_and_no_request_fails() {
    let built = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let site = Server::open(&built);
    let r = site.router();
    let newer = search_uri("", "symbol=A/RES/79/40");
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    assert_eq!(site.served.refresh().unwrap(), None, "nothing changed yet");

    // Another writer adds a file and commits while requests keep coming.
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let (corpus, dir) = (site.corpus.clone(), site.dir.clone());
    let writer = std::thread::spawn(move || {
        unres::build_index(&dir, &[corpus], &unres::BuildOptions::default(), &|_, _| {}).unwrap()
    });
    let mut asked = 0;
    while !writer.is_finished() || asked < 20 {
        for uri in [
            search_uri("小武器", ""),
            "/api/resolution?symbol=A/RES/78/46".into(),
            "/api/stats".into(),
        ] {
            let got = get(&r, &uri).await;
            assert_eq!(
                got.status,
                StatusCode::OK,
                "{uri} during the update: {}",
                String::from_utf8_lossy(&got.body)
            );
        }
        asked += 1;
    }
    assert!(writer.join().unwrap().committed);
    // Served as it was until the server looks...
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    let said = site.served.refresh().unwrap();
    assert!(said.is_some_and(|s| s.contains("newer commit")));
    // ...then the new commit.
    assert!(get(&r, &newer).await.json()["total"].as_u64().unwrap() > 0);
    assert_eq!(site.served.refresh().unwrap(), None);
}

#[tokio::test]
async fn a_changed_corpus_is_indexed_and_served() {
    let site = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let served = Arc::new(Served::new(site.index_now(), vec![site.corpus.clone()]));
    let r = crate::serve::router(served.clone(), &Options::default());
    served.refresh().unwrap();
    let newer = search_uri("", "symbol=A/RES/79/40");
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let said = served.refresh().unwrap().expect("an update");
    assert!(said.contains("1 file read"), "{said}");
    assert!(get(&r, &newer).await.json()["total"].as_u64().unwrap() > 0);
    assert_eq!(served.refresh().unwrap(), None);
}
