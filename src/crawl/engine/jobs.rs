//! Fetch jobs: one robots.txt or page request (with its redirects and
//! retries) run as a tokio task, and the pure decisions about its outcome.
use super::*;

pub(super) fn kind_of(entry: &Entry) -> PageKind {
    match entry.kind.as_str() {
        "sitemap" | "sitemap-guess" => PageKind::Sitemap,
        _ => PageKind::Page,
    }
}

pub(super) fn failure_kind(status: u16) -> Option<FailureKind> {
    match status {
        429 => Some(FailureKind::TooManyRequests),
        500..=599 => Some(FailureKind::ServerError),
        _ => None,
    }
}

/// Fetches robots.txt: redirects within the crawl's hosts followed (at
/// most [`MAX_REDIRECTS`]), retries as for pages. `Err` when the host
/// could not be reached.
pub(super) async fn robots_job<F: Fetch>(
    ctx: &Ctx<F>,
    host: &str,
    url: Url,
) -> Result<FetchedPage, String> {
    let mut entry = Entry {
        url: url.to_string(),
        kind: "robots".into(),
        depth: 0,
        state: State::Queued,
        etag: None,
        last_modified: None,
        hash: None,
        page_id: None,
        error: None,
        hops: 0,
    };
    let mut host = host.to_string();
    // Redirects to another of the crawl's hosts (http → https, the www.
    // twin) are followed too; the gate spaces every hop on its own host.
    for _ in 0..=MAX_REDIRECTS {
        match page_job(ctx, &host, &entry, &Robots::AllowAll).await {
            PageOutcome::Fetched { page, .. } => return Ok(page),
            PageOutcome::Redirected { page, target, hops } => {
                entry.hops = hops;
                if entry.url == target.as_str() {
                    return Ok(as_missing(page));
                }
                host = crate::crawl::url::host(&target).to_string();
                entry.url = target.to_string();
            }
            // A robots.txt that redirects off the crawl or loops counts
            // as none (like a 404).
            PageOutcome::Failed {
                page: Some(p),
                reason,
            } if (300..500).contains(&p.status) && !reason.starts_with("too large") => {
                return Ok(as_missing(p));
            }
            PageOutcome::Failed { page: Some(p), .. } if p.status >= 500 || p.status == 429 => {
                return Ok(p);
            }
            PageOutcome::Failed { reason, .. } | PageOutcome::Skipped { reason } => {
                return Err(reason);
            }
        }
    }
    Err("robots.txt: too many redirects".into())
}

pub(super) fn as_missing(mut page: FetchedPage) -> FetchedPage {
    page.status = 404;
    page.body.clear();
    page
}

// Short-lived, one per request: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
pub(super) enum Step {
    Again(Option<Duration>),
    Done(PageOutcome),
}

/// Fetches one frontier URL: redirects on the same host followed (each
/// hop spaced by the gate), retries with backoff, then the links read.
pub(super) async fn page_job<F: Fetch>(
    ctx: &Ctx<F>,
    host: &str,
    entry: &Entry,
    robots: &Robots,
) -> PageOutcome {
    let Ok(start) = Url::parse(&entry.url) else {
        return PageOutcome::Failed {
            page: None,
            reason: "not a valid URL".into(),
        };
    };
    let accept = match entry.kind.as_str() {
        "sitemap" | "sitemap-guess" => Accept::Sitemap,
        "attachment" => Accept::Any,
        "robots" => Accept::Robots,
        _ => Accept::Page,
    };
    let cfg = &ctx.config;
    let mut url = start.clone();
    let conditional = entry.page_id.is_some();
    let mut etag = entry.etag.clone().filter(|_| conditional);
    let mut last_modified = entry.last_modified.clone().filter(|_| conditional);
    // Hops taken before this URL (a redirect from another host) count
    // toward the limit too (issue 10).
    let mut tries = Tries {
        hops: entry.hops,
        ..Tries::default()
    };
    let policy = Policy {
        scope: &ctx.scope,
        backoff_base: cfg.backoff_base,
        timeout: cfg.timeout,
    };
    loop {
        ctx.gate.acquire(host).await;
        let req = FetchRequest {
            url: url.clone(),
            etag: etag.clone(),
            last_modified: last_modified.clone(),
            accept,
            max_body: if accept == Accept::Robots {
                robots::MAX_ROBOTS_BYTES * 2
            } else {
                cfg.max_body
            },
            timeout: cfg.timeout,
        };
        let result = ctx.fetcher.fetch(&req).await;
        let step = decide(
            &policy,
            &start,
            &mut url,
            robots,
            result,
            &mut tries,
            fastrand::f64(),
            std::time::SystemTime::now(),
        );
        let pause = match &step {
            Step::Again(p) => *p,
            Step::Done(_) => None,
        };
        ctx.gate.release(host, pause);
        match step {
            Step::Again(_) => {
                // A new URL (redirect) is asked without validators.
                if url != start {
                    etag = None;
                    last_modified = None;
                }
            }
            Step::Done(PageOutcome::Fetched {
                page, final_url, ..
            }) => {
                return read_links(entry, page, final_url);
            }
            Step::Done(outcome) => return outcome,
        }
    }
}

/// What one URL's requests have used so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Tries {
    /// Redirect hops, those before this URL included.
    pub(super) hops: u32,
    /// Retries after 429/5xx and connection failures.
    pub(super) retries: u32,
    /// Retries after timeouts.
    pub(super) timeouts: u32,
}

/// What [`decide`] needs of the crawl's configuration.
pub(super) struct Policy<'a> {
    pub(super) scope: &'a Scope,
    pub(super) backoff_base: Duration,
    pub(super) timeout: Duration,
}

/// What to do after one request: follow a redirect, retry (after a
/// pause), or stop with an outcome. A pure function of its arguments: the
/// jitter of the backoff and the clock (for `Retry-After` dates) are passed
/// in, and `url` and `tries` are the only state it changes.
#[allow(clippy::too_many_arguments)]
pub(super) fn decide(
    policy: &Policy<'_>,
    start: &Url,
    url: &mut Url,
    robots: &Robots,
    result: Result<FetchedPage, Error>,
    tries: &mut Tries,
    jitter: f64,
    now: std::time::SystemTime,
) -> Step {
    let Tries {
        hops,
        retries,
        timeouts,
    } = tries;
    match result {
        Ok(page) if (300..400).contains(&page.status) && page.status != 304 => {
            let Some(loc) = page.header("location").map(str::to_string) else {
                return Step::Done(PageOutcome::Failed {
                    reason: format!("HTTP {} without Location", page.status),
                    page: Some(page),
                });
            };
            *hops += 1;
            if *hops > MAX_REDIRECTS {
                return Step::Done(PageOutcome::Failed {
                    reason: format!("too many redirects (more than {MAX_REDIRECTS})"),
                    page: Some(page),
                });
            }
            let Some(target) = crate::crawl::url::resolve(url, &loc) else {
                return Step::Done(PageOutcome::Failed {
                    reason: format!(
                        "redirect to a URL that is not http(s): {}",
                        loc.chars().take(200).collect::<String>()
                    ),
                    page: Some(page),
                });
            };
            if !policy.scope.allows(&target) {
                return Step::Done(PageOutcome::Failed {
                    reason: format!(
                        "redirect to a host outside the crawl: {}",
                        crate::crawl::url::host(&target)
                    ),
                    page: Some(page),
                });
            }
            if target.origin() != start.origin() {
                return Step::Done(PageOutcome::Redirected {
                    page,
                    target,
                    hops: *hops,
                });
            }
            if !robots.allowed(&target) {
                return Step::Done(PageOutcome::Skipped {
                    reason: format!("redirect to {target}, disallowed by robots.txt"),
                });
            }
            *url = target;
            Step::Again(None)
        }
        Ok(page) => match failure_kind(page.status) {
            Some(kind) => {
                let retry_after = matches!(page.status, 429 | 503)
                    .then(|| page.header("retry-after"))
                    .flatten()
                    .and_then(|v| backoff::parse_retry_after(v, now));
                if retry_after.is_some_and(|d| d > backoff::MAX_RETRY_AFTER) {
                    return Step::Done(PageOutcome::Failed {
                        reason: format!(
                            "HTTP {}: asked to retry after {}s, more than the {}s allowed",
                            page.status,
                            retry_after.unwrap_or_default().as_secs(),
                            backoff::MAX_RETRY_AFTER.as_secs()
                        ),
                        page: Some(page),
                    });
                }
                if backoff::should_retry(kind, *retries) {
                    let wait =
                        backoff::backoff(*retries, policy.backoff_base, backoff::CAP, jitter);
                    *retries += 1;
                    Step::Again(Some(wait.max(retry_after.unwrap_or_default())))
                } else {
                    Step::Done(PageOutcome::Failed {
                        reason: format!("HTTP {} after {} retries", page.status, *retries),
                        page: Some(page),
                    })
                }
            }
            None => Step::Done(PageOutcome::Fetched {
                page,
                final_url: url.clone(),
                links: Vec::new(),
                attachments: Vec::new(),
                sitemap: None,
            }),
        },
        Err(Error::Timeout(_)) => {
            if backoff::should_retry(FailureKind::Timeout, *timeouts) {
                *timeouts += 1;
                Step::Again(Some(backoff::backoff(
                    0,
                    policy.backoff_base,
                    backoff::CAP,
                    jitter,
                )))
            } else {
                Step::Done(PageOutcome::Failed {
                    page: None,
                    reason: format!(
                        "timed out after {:?} (retried {} time)",
                        policy.timeout, *timeouts
                    ),
                })
            }
        }
        Err(Error::Connection(e)) => {
            if backoff::should_retry(FailureKind::Connection, *retries) {
                let wait = backoff::backoff(*retries, policy.backoff_base, backoff::CAP, jitter);
                *retries += 1;
                Step::Again(Some(wait))
            } else {
                Step::Done(PageOutcome::Failed {
                    page: None,
                    reason: format!("connection failed after {} retries: {e}", *retries),
                })
            }
        }
        Err(e @ Error::TooLarge { .. }) => Step::Done(PageOutcome::Failed {
            page: None,
            reason: e.to_string(),
        }),
        Err(e) => Step::Done(PageOutcome::Failed {
            page: None,
            reason: e.to_string(),
        }),
    }
}

/// Reads the links of a fetched page (or the URLs of a sitemap).
pub(super) fn read_links(entry: &Entry, page: FetchedPage, final_url: Url) -> PageOutcome {
    let mut links = Vec::new();
    let mut attachments = Vec::new();
    let mut sm = None;
    if (200..300).contains(&page.status) && !page.body.is_empty() && !page.body_skipped {
        let ct = page
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let xml = ct.contains("xml")
            || page.body.trim_ascii_start().starts_with(b"<?xml")
            || page.body.starts_with(&[0x1f, 0x8b]);
        if entry.kind.starts_with("sitemap") && xml {
            sm = Some(sitemap::parse(&page.body));
        } else if entry.kind != "attachment" && !ct.starts_with("text/plain") {
            let html = crate::extract::decode(&page.body, page.header("content-type"));
            let l = links::extract(&html, &final_url);
            links = l.follow;
            attachments = l.attachments;
        }
    }
    PageOutcome::Fetched {
        page,
        final_url,
        links,
        attachments,
        sitemap: sm,
    }
}
