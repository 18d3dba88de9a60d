//! The corpus suite's held-out-layout run (issue 10): a random seed each
//! time, printed so a failure can be replayed with `LAYOUT_SEED=<seed>`.
use super::{score_crawl, template};

#[test]
fn random_layout_seed() {
    let seed = std::env::var("LAYOUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("held-out layouts: seed {seed} (replay with LAYOUT_SEED={seed})");
    eprintln!("held-out layouts: seed {seed} (replay with LAYOUT_SEED={seed})");
    let articles = template::articles();
    let site = template::site(seed, &articles);
    let s = score_crawl(&site, &articles);
    eprintln!("{}", s.summary(seed, site.family));
    assert!(s.passes(), "seed {seed}: {}", s.summary(seed, site.family));
}
