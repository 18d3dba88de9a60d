//! The orchestrator's side of a finished job: storing fetches, recording
//! failures, enqueuing links, committing and indexing as the crawl goes.
use super::*;

impl<F: Fetch> Engine<'_, F> {
    pub(super) fn handle(&mut self, out: JobOutput) -> Result<(), Error> {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.since_commit += 1;
        match out {
            JobOutput::Robots {
                origin,
                url,
                result,
            } => {
                let host = self
                    .origins
                    .get(&origin)
                    .map(|o| o.host.clone())
                    .unwrap_or_default();
                self.busy.remove(&host);
                self.robots_done(&origin, &url, result)
            }
            JobOutput::Page {
                entry,
                origin,
                outcome,
            } => {
                let host = self
                    .origins
                    .get(&origin)
                    .map(|o| o.host.clone())
                    .unwrap_or_default();
                self.busy.remove(&host);
                self.progress.fetched += 1;
                self.report.fetched += 1;
                self.page_done(&entry, outcome)
            }
        }
    }

    pub(super) fn robots_done(
        &mut self,
        origin: &str,
        url: &Url,
        result: Result<FetchedPage, String>,
    ) -> Result<(), Error> {
        let (row, robots) = match result {
            Ok(page) => {
                let mut body = page.body.clone();
                body.truncate(robots::MAX_ROBOTS_BYTES);
                let r = Robots::from_response(page.status, &body, robots::AGENT);
                let row = PageRow {
                    url: url.to_string(),
                    final_url: Some(page.url.to_string()).filter(|f| f != url.as_str()),
                    kind: PageKind::Robots,
                    status: Some(page.status),
                    headers: page.header_lines(),
                    fetched_at: page.fetched_at,
                    hash: Some(store::content_hash(&body)),
                    body: Some(body),
                    error: (!r.is_usable()).then(|| format!("HTTP {}", page.status)),
                };
                (row, r)
            }
            Err(reason) => (
                PageRow {
                    url: url.to_string(),
                    final_url: None,
                    kind: PageKind::Robots,
                    status: None,
                    headers: String::new(),
                    fetched_at: now_ms(),
                    body: None,
                    hash: None,
                    error: Some(reason),
                },
                Robots::Unavailable,
            ),
        };
        self.store.insert_page(&row)?;
        if robots.is_usable() {
            self.robots_ready(origin, robots)?;
        } else {
            self.add_origin(origin).robots = RobotsState::Unavailable;
            self.report.deferred_hosts += 1;
            let reason = format!(
                "robots.txt unavailable ({}): the host's URLs stay queued for a later crawl",
                row.error.as_deref().unwrap_or("unknown")
            );
            (self.on_event)(Event::HostDeferred {
                origin,
                reason: &reason,
            });
        }
        Ok(())
    }

    pub(super) fn finish(
        &mut self,
        entry: &Entry,
        state: State,
        page_id: Option<i64>,
        error: Option<String>,
        reindex: bool,
    ) -> Result<(), Error> {
        let due = now_ms();
        self.store.finish(
            &entry.url,
            &Outcome {
                state,
                page_id,
                checked_at: due,
                etag: None,
                last_modified: None,
                hash: None,
                error,
                reindex,
            },
        )?;
        self.progress.queued = self.progress.queued.saturating_sub(1);
        Ok(())
    }

    pub(super) fn fail(
        &mut self,
        entry: &Entry,
        page: Option<&FetchedPage>,
        reason: String,
    ) -> Result<(), Error> {
        let row = PageRow {
            url: entry.url.clone(),
            final_url: None,
            kind: kind_of(entry),
            status: page.map(|p| p.status),
            headers: page.map(FetchedPage::header_lines).unwrap_or_default(),
            fetched_at: page.map(|p| p.fetched_at).unwrap_or_else(now_ms),
            body: None,
            hash: None,
            error: Some(reason.clone()),
        };
        self.store.insert_page(&row)?;
        // A page that was good before keeps its document and is tried
        // again when due; anything else failed for good.
        let state = if entry.page_id.is_some() {
            State::Done
        } else {
            State::Failed
        };
        self.finish(entry, state, None, Some(reason.clone()), false)?;
        self.report.failed += 1;
        self.progress.errors += 1;
        if self.report.failures.len() < MAX_FAILURES_KEPT {
            self.report
                .failures
                .push((entry.url.clone(), reason.clone()));
        }
        (self.on_event)(Event::Failed {
            url: &entry.url,
            reason: &reason,
        });
        Ok(())
    }

    pub(super) fn page_done(&mut self, entry: &Entry, outcome: PageOutcome) -> Result<(), Error> {
        let guess = entry.kind == "sitemap-guess";
        match outcome {
            PageOutcome::Skipped { reason } => {
                self.finish(entry, State::Skipped, None, Some(reason), false)?;
                self.report.skipped += 1;
            }
            PageOutcome::Failed { page, reason } => {
                if guess {
                    self.finish(entry, State::Skipped, None, Some(reason), false)?;
                    self.report.skipped += 1;
                } else {
                    self.fail(entry, page.as_ref(), reason)?;
                }
            }
            PageOutcome::Redirected { page, target, hops } => {
                let row = PageRow {
                    url: entry.url.clone(),
                    final_url: Some(target.to_string()),
                    kind: kind_of(entry),
                    status: Some(page.status),
                    headers: page.header_lines(),
                    fetched_at: page.fetched_at,
                    body: None,
                    hash: None,
                    error: None,
                };
                self.store.insert_page(&row)?;
                self.finish(entry, State::Done, None, None, false)?;
                self.store
                    .set_outcome(&entry.url, "redirected", Some(target.as_str()), None, 0)?;
                let kind = if entry.kind == "attachment" {
                    "attachment"
                } else {
                    &entry.kind
                };
                let kind = kind.to_string();
                self.enqueue(&target, &kind, entry.depth, Some(&entry.url), true)?;
                self.store.set_hops(target.as_str(), hops)?;
            }
            PageOutcome::Fetched {
                page,
                final_url,
                links,
                attachments,
                sitemap,
            } => self.fetched(entry, page, final_url, links, attachments, sitemap)?,
        }
        Ok(())
    }

    pub(super) fn fetched(
        &mut self,
        entry: &Entry,
        page: FetchedPage,
        final_url: Url,
        links: Vec<Url>,
        attachments: Vec<(Url, String)>,
        sitemap: Option<sitemap::Sitemap>,
    ) -> Result<(), Error> {
        let now = now_ms();
        let due = now;
        let status = page.status;
        let final_str = (final_url.as_str() != entry.url).then(|| final_url.to_string());
        if let Some(f) = &final_str {
            self.store
                .mark_alias(f, &origin_of(&final_url), entry.depth, due, now)?;
        }
        let mut row = PageRow {
            url: entry.url.clone(),
            final_url: final_str,
            kind: kind_of(entry),
            status: Some(status),
            headers: page.header_lines(),
            fetched_at: page.fetched_at,
            body: None,
            hash: None,
            error: None,
        };
        if page.body_skipped {
            let ct = page.header("content-type").unwrap_or("?").to_string();
            row.error = Some(format!("unsupported content type {ct}"));
            self.store.insert_page(&row)?;
            self.finish(entry, State::Skipped, None, row.error.clone(), false)?;
            self.report.skipped += 1;
            return Ok(());
        }
        if status == 304 {
            self.store.insert_page(&row)?;
            self.finish(entry, State::Done, None, None, false)?;
            self.report.not_modified += 1;
            return Ok(());
        }
        if (200..300).contains(&status) {
            let hash = store::content_hash(&page.body);
            let unchanged = entry.hash.as_deref() == Some(hash.as_str());
            row.hash = Some(hash.clone());
            if !unchanged {
                row.body = Some(page.body);
            }
            let id = self.store.insert_page(&row)?;
            let is_page = entry.kind == "page";
            self.store.finish(
                &entry.url,
                &Outcome {
                    state: State::Done,
                    page_id: (!unchanged).then_some(id),
                    checked_at: due,
                    etag: page
                        .headers
                        .iter()
                        .find(|(k, _)| k == "etag")
                        .map(|(_, v)| v.clone()),
                    last_modified: page
                        .headers
                        .iter()
                        .find(|(k, _)| k == "last-modified")
                        .map(|(_, v)| v.clone()),
                    hash: Some(hash),
                    error: None,
                    reindex: !unchanged && is_page,
                },
            )?;
            self.progress.queued = self.progress.queued.saturating_sub(1);
            if unchanged {
                self.report.unchanged += 1;
            } else if entry.page_id.is_some() {
                self.report.changed += 1;
            } else {
                self.report.new += 1;
            }
            if !unchanged && is_page {
                self.since_index += 1;
            }
            for (u, name) in &attachments {
                self.store.add_attachment(&entry.url, u.as_str(), name)?;
                if self.ctx.config.attachments {
                    self.enqueue(u, "attachment", entry.depth + 1, Some(&entry.url), false)?;
                }
            }
            for u in &links {
                self.enqueue(u, "page", entry.depth + 1, Some(&entry.url), false)?;
            }
            if let Some(sm) = sitemap {
                let kind = if sm.is_index { "sitemap" } else { "page" };
                for s in &sm.urls {
                    if let Some(u) = crate::crawl::url::parse(s) {
                        self.enqueue(&u, kind, entry.depth + 1, Some(&entry.url), false)?;
                    }
                }
            }
            if self.since_index >= crate::crawl::INDEX_EVERY && !self.ctx.config.no_index {
                self.index_now()?;
            }
            return Ok(());
        }
        if (status == 404 || status == 410) && entry.page_id.is_some() {
            // Gone: out of the index, history kept.
            self.store.insert_page(&row)?;
            self.finish(
                entry,
                State::Gone,
                None,
                Some(format!("HTTP {status}")),
                true,
            )?;
            self.report.gone += 1;
            return Ok(());
        }
        let reason = format!("HTTP {status}");
        if entry.kind == "sitemap-guess" {
            row.error = Some(reason.clone());
            self.store.insert_page(&row)?;
            self.finish(entry, State::Skipped, None, Some(reason), false)?;
            self.report.skipped += 1;
            return Ok(());
        }
        self.fail(entry, Some(&page), reason)
    }

    /// Queues a discovered URL if the crawl wants it. `redirect`: the
    /// target of a redirect, which filters do not apply to.
    pub(super) fn enqueue(
        &mut self,
        u: &Url,
        kind: &str,
        depth: u32,
        referrer: Option<&str>,
        redirect: bool,
    ) -> Result<(), Error> {
        let cfg = &self.ctx.config;
        if !redirect && (cfg.max_depth.is_some_and(|m| depth > m) || !cfg.wants(u.as_str())) {
            return Ok(());
        }
        if !self.ctx.scope.allows(u) {
            return Ok(());
        }
        let origin = origin_of(u);
        if self
            .store
            .enqueue(u.as_str(), &origin, kind, depth, referrer, now_ms())?
        {
            self.progress.queued += 1;
            self.add_origin(&origin).exhausted = false;
        }
        Ok(())
    }

    pub(super) fn maybe_commit(&mut self, force: bool) -> Result<(), Error> {
        if self.since_commit > 0
            && (force
                || self.since_commit >= COMMIT_EVERY
                || self.last_commit.elapsed() >= COMMIT_INTERVAL)
        {
            self.store.commit()?;
            self.store.begin()?;
            self.since_commit = 0;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    pub(super) fn emit_progress(&mut self, force: bool) {
        if force || self.last_progress.elapsed() >= Duration::from_millis(200) {
            self.progress.elapsed = self.started.elapsed();
            let p = self.progress.clone();
            (self.on_event)(Event::Progress(&p));
            self.last_progress = Instant::now();
        }
    }

    /// Indexes what changed so far (long crawls: every
    /// [`crate::crawl::INDEX_EVERY`] pages).
    pub(super) fn index_now(&mut self) -> Result<(), Error> {
        self.store.commit()?;
        (self.on_event)(Event::Indexing);
        let r = crate::ingest::pages::index_pending(self.dd, &mut self.store)
            .map_err(|e| Error::Ingest(Box::new(e)))?;
        self.report.pages.add(&r);
        self.since_index = 0;
        self.store.begin()?;
        Ok(())
    }

    pub(super) fn conclude(mut self) -> Result<Report, Error> {
        if !self.ctx.config.no_index {
            (self.on_event)(Event::Indexing);
            let r = crate::ingest::pages::index_pending(self.dd, &mut self.store)
                .map_err(|e| Error::Ingest(Box::new(e)))?;
            self.report.pages.add(&r);
        }
        self.report.queued = self.store.queued_count(None)?;
        self.report.elapsed = self.started.elapsed();
        Ok(self.report)
    }
}
