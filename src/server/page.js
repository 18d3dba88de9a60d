// vanban: the researcher page. Plain JavaScript, no build step, nothing
// loaded from elsewhere.
//
// All crawled content is untrusted. The DOM is built with createElement and
// textContent only; the one piece of server HTML, a hit's snippet (text
// escaped, matches in <mark>), is not parsed as HTML either: it is split on
// the literal <mark> and </mark> tags and every other character becomes
// text. Links are made only to http(s) URLs and to this page.
//
// The state lives in the address bar (?q=&kind=&issuer=&year=&from=&to=
// &sort=&page= for a search, plus doc=ID for a document), so every view can
// be shared and the back button works.
"use strict";

(function () {
  const PAGE_SIZE = 10;
  const MAX_OFFSET = 10000;
  const SEARCH_KEYS = ["q", "kind", "issuer", "year", "from", "to", "sort", "page", "status"];

  // What a citing document does with the cited one, in words.
  const RELATIONS = {
    basis: "Căn cứ",
    implements: "Thực hiện",
    reviews: "Sơ kết/Tổng kết",
    replaces: "Thay thế",
    amends: "Sửa đổi, bổ sung",
    repeals: "Bãi bỏ",
    guides: "Hướng dẫn",
    replaced_by: "Bị thay thế bởi",
    amended_by: "Được sửa đổi bởi",
    repealed_by: "Bị bãi bỏ bởi",
    guided_by: "Được hướng dẫn bởi",
    suspends: "Đình chỉ",
    suspended_by: "Bị đình chỉ bởi",
    corrects: "Đính chính",
    consolidates: "Hợp nhất",
    terminates: "Chấm dứt hiệu lực",
    terminated_by: "Bị chấm dứt hiệu lực bởi",
    consolidated_by: "Được hợp nhất bởi",
    mentions: "Dẫn chiếu",
  };

  // Validity states (issue 12), in the order of the facet.
  const STATES = {
    in_force: "Còn hiệu lực",
    partly_expired: "Hết hiệu lực một phần",
    expired: "Hết hiệu lực",
    replaced: "Đã bị thay thế",
    repealed: "Đã bãi bỏ",
    suspended: "Ngưng hiệu lực",
    not_yet_in_force: "Chưa có hiệu lực",
    unknown: "Chưa rõ",
  };
  const stateWords = (s) => STATES[s] || s;
  const byStateOrder = ([a], [b]) => Object.keys(STATES).indexOf(a) - Object.keys(STATES).indexOf(b);

  // A badge for a state worth a researcher's notice (not "in force").
  function stateBadge(state) {
    if (!state || state === "in_force" || state === "unknown") return null;
    return el("span", { class: `state state-${state}`, text: stateWords(state) });
  }

  const $ = (id) => document.getElementById(id);

  // ---- small DOM helpers (text only) ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Decodes the five entities the server escapes, and numeric ones.
  function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|quot|apos|amp|#39);/g, (m, e) => {
      switch (e) {
        case "lt": return "<";
        case "gt": return ">";
        case "quot": return "\"";
        case "apos": case "#39": return "'";
        case "amp": return "&";
      }
      const n = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      try { return String.fromCodePoint(n); } catch (_) { return m; }
    });
  }

  // Appends a snippet: text, and <mark> for matches; nothing else survives.
  function appendSnippet(parent, html) {
    let marked = false;
    for (const part of String(html).split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>") { marked = true; continue; }
      if (part === "</mark>") { marked = false; continue; }
      if (!part) continue;
      const text = decodeEntities(part);
      parent.append(marked ? el("mark", { text }) : document.createTextNode(text));
    }
    return parent;
  }

  function safeHttpUrl(raw, base) {
    try {
      const u = base ? new URL(raw, base) : new URL(raw);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (_) {
      return null;
    }
  }

  function externalLink(href, text) {
    return el("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", text });
  }

  function formatDate(iso) {
    if (!iso) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
  }

  function relationWords(rel) {
    return RELATIONS[rel] || rel || "Dẫn chiếu";
  }

  // ---- state in the address bar ----

  function currentParams() {
    return new URLSearchParams(location.search);
  }

  function searchParamsOf(params) {
    const out = new URLSearchParams();
    for (const k of SEARCH_KEYS) {
      const v = params.get(k);
      if (v) out.set(k, v);
    }
    return out;
  }

  function hrefOf(params) {
    const s = params.toString();
    return s ? `/?${s}` : "/";
  }

  // A link to a document that keeps the search, for the way back.
  function docHref(id) {
    const p = searchParamsOf(currentParams());
    p.set("doc", id);
    return hrefOf(p);
  }

  function navigate(href, replace) {
    if (replace) history.replaceState(null, "", href);
    else history.pushState(null, "", href);
    render();
    window.scrollTo(0, 0);
  }

  function navLink(href, text, cls) {
    return el("a", { href, "data-nav": true, class: cls, text });
  }

  // Changes some search parameters and goes back to page 1.
  function setSearch(changes) {
    const p = searchParamsOf(currentParams());
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === "") p.delete(k);
      else p.set(k, v);
    }
    if (!("page" in changes)) p.delete("page");
    navigate(hrefOf(p));
  }

  // ---- fetching ----

  let generation = 0; // drops answers to requests overtaken by newer ones

  async function getJson(url) {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await resp.json(); } catch (_) { body = null; }
    if (!resp.ok) {
      const err = new Error((body && body.error && body.error.message) || `HTTP ${resp.status}`);
      err.code = body && body.error && body.error.code;
      err.status = resp.status;
      throw err;
    }
    return body;
  }

  function showError(err) {
    const box = $("error");
    let msg = err.message || String(err);
    if (err.code === "no_index") msg = "Chưa có dữ liệu: hãy nhập văn bản (vanban ingest) hoặc thu thập (vanban crawl) trước.";
    else if (err.code === "busy" || err.code === "timeout") msg = "Máy chủ đang bận, vui lòng thử lại sau giây lát.";
    else if (err.code === "not_found") msg = "Không tìm thấy văn bản này.";
    else if (err.status === 400) msg = `Truy vấn không hợp lệ: ${msg}`;
    box.textContent = msg;
    box.hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
  }

  // ---- search view ----

  function renderFacet(id, key, counts, selected, order, label) {
    const name = label || ((v) => v);
    const list = document.querySelector(`#${id} .facet-list`);
    clear(list);
    let entries = Object.entries(counts || {});
    if (selected && !entries.some(([v]) => v === selected)) entries.push([selected, 0]);
    entries.sort(order);
    const limit = 12;
    const shown = entries.length > limit + 2 ? entries.slice(0, limit) : entries;
    for (const [value, n] of shown) {
      const active = value === selected;
      const btn = el("button", {
        type: "button",
        class: active ? "facet-value active" : "facet-value",
        "aria-pressed": active ? "true" : "false",
        title: active ? "Bỏ chọn" : name(value),
      }, el("span", { class: "facet-name", text: name(value) }), el("span", { class: "count", text: String(n) }));
      btn.addEventListener("click", () => setSearch({ [key]: active ? null : value }));
      list.append(el("li", null, btn));
    }
    if (shown.length < entries.length) {
      const more = el("button", { type: "button", class: "link-button", text: `Xem thêm ${entries.length - shown.length}…` });
      more.addEventListener("click", () => {
        const rest = entries.slice(shown.length);
        more.parentNode.remove();
        renderFacetRest(list, key, rest, selected, name);
      });
      list.append(el("li", null, more));
    }
    if (!entries.length) list.append(el("li", { class: "empty", text: "—" }));
  }

  function renderFacetRest(list, key, entries, selected, name) {
    for (const [value, n] of entries) {
      const active = value === selected;
      const btn = el("button", { type: "button", class: active ? "facet-value active" : "facet-value", "aria-pressed": active ? "true" : "false", title: name(value) },
        el("span", { class: "facet-name", text: name(value) }), el("span", { class: "count", text: String(n) }));
      btn.addEventListener("click", () => setSearch({ [key]: active ? null : value }));
      list.append(el("li", null, btn));
    }
  }

  const byCount = ([a, x], [b, y]) => (y - x) || a.localeCompare(b, "vi");
  const byYearDesc = ([a], [b]) => Number(b) - Number(a);

  function renderHit(hit) {
    const meta = [];
    if (hit.number) meta.push(el("span", { class: "number", text: hit.number }));
    if (hit.kind) meta.push(el("span", { text: hit.kind }));
    if (hit.date) meta.push(el("span", { text: formatDate(hit.date) }));
    if (hit.issuers && hit.issuers.length) meta.push(el("span", { text: hit.issuers.join("; ") }));
    const badge = stateBadge(hit.status);
    if (badge) meta.push(badge);
    const metaLine = el("p", { class: "hit-meta" });
    meta.forEach((m, i) => {
      if (i) metaLine.append(" · ");
      metaLine.append(m);
    });
    return el("li", { class: "hit" },
      el("h3", { class: "hit-title" }, navLink(docHref(hit.id), hit.title || "(không có tiêu đề)")),
      meta.length ? metaLine : null,
      hit.snippet ? appendSnippet(el("p", { class: "snippet" }), hit.snippet) : null,
      el("p", { class: "hit-source", text: hit.source }));
  }

  function renderPager(total, page) {
    const pager = $("pager");
    clear(pager);
    const last = Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1));
    if (last <= 1) return;
    const params = searchParamsOf(currentParams());
    const link = (p, text, label) => {
      const q = new URLSearchParams(params);
      if (p > 1) q.set("page", String(p)); else q.delete("page");
      const a = navLink(hrefOf(q), text, p === page ? "current" : "");
      if (p === page) a.setAttribute("aria-current", "page");
      if (label) a.setAttribute("aria-label", label);
      return a;
    };
    if (page > 1) pager.append(link(page - 1, "‹ Trước", "Trang trước"));
    const pages = new Set([1, last]);
    for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= last) pages.add(p);
    let prev = 0;
    for (const p of [...pages].sort((a, b) => a - b)) {
      if (p - prev > 1) pager.append(el("span", { class: "gap", text: "…" }));
      pager.append(link(p, String(p), `Trang ${p}`));
      prev = p;
    }
    if (page < last) pager.append(link(page + 1, "Sau ›", "Trang sau"));
  }

  function renderActiveFilters(p) {
    const box = $("active-filters");
    clear(box);
    const labels = { kind: "Loại", issuer: "Cơ quan", year: "Năm", from: "Từ", to: "Đến", status: "Hiệu lực" };
    for (const k of Object.keys(labels)) {
      const v = p.get(k);
      if (!v) continue;
      const shown = k === "from" || k === "to" ? formatDate(v) : k === "status" ? stateWords(v) : v;
      const b = el("button", { type: "button", class: "chip", title: "Bỏ lọc này" },
        `${labels[k]}: ${shown} ✕`);
      b.addEventListener("click", () => setSearch({ [k]: null }));
      box.append(b);
    }
  }

  // What the engine understood (issue 11): a query decoded from Telex or
  // VNI, the document number parts read, and a did-you-mean link (never
  // applied by itself).
  function renderUnderstood(data) {
    const box = $("understood");
    clear(box);
    if (data.interpreted_as) {
      box.append(el("span", { class: "interpreted" }, "Đã hiểu là: ", el("strong", {}, data.interpreted_as)));
    }
    if (data.understood) {
      if (box.firstChild) box.append(" · ");
      box.append(el("span", { class: "lookup" }, "Tìm văn bản: ", data.understood));
    }
    if (data.did_you_mean) {
      if (box.firstChild) box.append(" · ");
      const p = searchParamsOf(currentParams());
      p.set("q", data.did_you_mean);
      p.delete("page");
      const a = navLink(hrefOf(p), data.did_you_mean, "did-you-mean");
      box.append(el("span", {}, "Có phải bạn muốn tìm: ", a, "?"));
    }
  }

  async function showSearch(p) {
    $("doc-view").hidden = true;
    $("search-view").hidden = false;
    const q = p.get("q") || "";
    $("q").value = q;
    $("from").value = p.get("from") || "";
    $("to").value = p.get("to") || "";
    const hasFilter = ["kind", "issuer", "year", "from", "to", "status"].some((k) => p.get(k));
    // With no words, list the newest documents.
    const sort = p.get("sort") || (q.trim() ? "relevance" : "date");
    $("sort").value = sort;
    const page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
    const offset = Math.min((page - 1) * PAGE_SIZE, MAX_OFFSET);
    const api = new URLSearchParams();
    for (const k of ["q", "kind", "issuer", "year", "from", "to", "status"]) if (p.get(k)) api.set(k, p.get(k));
    api.set("sort", sort);
    api.set("offset", String(offset));
    api.set("limit", String(PAGE_SIZE));
    document.title = q ? `${q} · Tra cứu văn bản` : "Tra cứu văn bản · vanban";
    renderActiveFilters(p);
    const mine = ++generation;
    $("results").setAttribute("aria-busy", "true");
    let data;
    try {
      data = await getJson(`/api/search?${api}`);
    } catch (err) {
      if (mine !== generation) return;
      $("results").removeAttribute("aria-busy");
      clear($("results"));
      clear($("pager"));
      $("summary").textContent = "";
      showError(err);
      return;
    }
    if (mine !== generation) return;
    hideError();
    $("results").removeAttribute("aria-busy");
    const results = $("results");
    clear(results);
    results.start = offset + 1;
    for (const hit of data.hits) results.append(renderHit(hit));
    const ms = Math.max(0, Math.round(data.took_ms));
    if (data.total === 0) {
      $("summary").textContent = q || hasFilter ? "Không tìm thấy văn bản phù hợp." : "Chưa có văn bản nào.";
    } else {
      const from = offset + 1;
      const to = offset + data.hits.length;
      $("summary").textContent = `${data.total.toLocaleString("vi-VN")} văn bản · ${from}–${to} · ${ms} ms`;
    }
    renderUnderstood(data);
    const f = data.facets || {};
    renderFacet("facet-kind", "kind", f.kind, p.get("kind"), byCount);
    renderFacet("facet-issuer", "issuer", f.issuer, p.get("issuer"), byCount);
    renderFacet("facet-year", "year", f.year, p.get("year"), byYearDesc);
    renderFacet("facet-status", "status", f.status, p.get("status"), byStateOrder, stateWords);
    renderPager(data.total, page);
  }

  // ---- document view ----

  function metaRow(dl, label, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.append(el("dt", { text: label }));
    const dd = el("dd");
    if (value instanceof Node) dd.append(value);
    else dd.textContent = Array.isArray(value) ? value.join("; ") : String(value);
    dl.append(dd);
  }

  function refLabel(r) {
    return r.kind ? `${r.kind} số ${r.number}` : r.number;
  }

  // Outgoing citations, one line per (number, relation).
  function renderOutgoing(refs) {
    const seen = new Set();
    const list = el("ul", { class: "refs" });
    for (const r of refs) {
      const k = `${r.key}|${r.relation}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const li = el("li", { class: "ref" }, el("span", { class: `rel rel-${r.relation}`, text: relationWords(r.relation) }), " ");
      const ids = r.target_ids || [];
      if (ids.length) {
        ids.forEach((id, i) => {
          if (i) li.append(", ");
          li.append(navLink(docHref(id), ids.length > 1 ? `${refLabel(r)} (${i + 1})` : refLabel(r), "cites-link"));
        });
      } else {
        li.append(el("span", { class: "external", text: refLabel(r) }), " ");
        const p = new URLSearchParams();
        p.set("q", `cites:${r.number}`);
        li.append(navLink(hrefOf(p), "văn bản cùng dẫn chiếu", "small"));
      }
      const extra = [];
      if (r.date) extra.push(`ngày ${formatDate(r.date)}`);
      if (r.issuer) extra.push(r.issuer);
      if (r.term) extra.push(`khóa ${r.term}`);
      if (r.subject) extra.push(r.subject);
      if (extra.length) li.append(el("span", { class: "ref-extra", text: ` · ${extra.join(" · ")}` }));
      list.append(li);
    }
    return { list, count: seen.size };
  }

  function renderIncoming(incoming) {
    const list = el("ul", { class: "refs" });
    for (const c of incoming) {
      const li = el("li", { class: "ref" },
        el("span", { class: `rel rel-${c.relation}`, text: relationWords(c.relation) }), " ",
        navLink(docHref(c.id), c.title || c.number || c.id, "cited-by-link"));
      const extra = [];
      if (c.number) extra.push(c.number);
      if (c.date) extra.push(formatDate(c.date));
      if (extra.length) li.append(el("span", { class: "ref-extra", text: ` · ${extra.join(" · ")}` }));
      list.append(li);
    }
    return list;
  }

  // The body as text, with each resolved citation a link to its target.
  // Citation spans are UTF-8 byte offsets into the body.
  function renderBody(body, refs) {
    const box = el("div", { class: "body" });
    const spans = (refs || [])
      .filter((r) => r.target_ids && r.target_ids.length && r.end > r.start)
      .sort((a, b) => a.start - b.start);
    if (!spans.length || typeof TextEncoder === "undefined") {
      box.textContent = body;
      return box;
    }
    const bytes = new TextEncoder().encode(body);
    const dec = new TextDecoder();
    let pos = 0;
    for (const r of spans) {
      if (r.start < pos || r.end > bytes.length) continue;
      box.append(document.createTextNode(dec.decode(bytes.subarray(pos, r.start))));
      const a = navLink(docHref(r.target_ids[0]), dec.decode(bytes.subarray(r.start, r.end)), "inline-cite");
      a.title = `${relationWords(r.relation)}: ${r.number}`;
      box.append(a);
      pos = r.end;
    }
    box.append(document.createTextNode(dec.decode(bytes.subarray(pos))));
    return box;
  }

  async function showDocument(id, p) {
    const view = $("doc-view");
    const mine = ++generation;
    let d;
    try {
      d = await getJson(`/api/documents/${encodeURIComponent(id)}`);
    } catch (err) {
      if (mine !== generation) return;
      $("search-view").hidden = true;
      clear(view);
      view.hidden = false;
      view.append(backLink(p));
      showError(err);
      return;
    }
    if (mine !== generation) return;
    hideError();
    $("search-view").hidden = true;
    clear(view);
    view.hidden = false;
    document.title = `${d.title || d.number || "Văn bản"} · Tra cứu văn bản`;
    $("q").value = p.get("q") || "";

    const head = el("header", { class: "doc-head" }, backLink(p), el("h1", { id: "doc-title", text: d.title || "(không có tiêu đề)" }));
    const dl = el("dl", { class: "meta" });
    metaRow(dl, "Số hiệu", d.number);
    metaRow(dl, "Loại văn bản", d.kind);
    metaRow(dl, "Cơ quan ban hành", d.issuers);
    metaRow(dl, "Ngày ban hành", formatDate(d.issued));
    metaRow(dl, "Ngày đăng", formatDate(d.published));
    metaRow(dl, "Người ký", d.signers);
    renderStatusRows(dl, d.status);
    const src = safeHttpUrl(d.source);
    metaRow(dl, "Nguồn", src ? externalLink(src, d.source) : d.source);
    if (d.attachments && d.attachments.length) {
      const ul = el("ul", { class: "attachments" });
      for (const a of d.attachments) {
        const href = a.url ? safeHttpUrl(a.url, safeHttpUrl(d.source) || undefined) : null;
        const name = a.name || a.url || "Tệp đính kèm";
        ul.append(el("li", null, href ? externalLink(href, name) : el("span", { text: a.url && a.url !== name ? `${name} (${a.url})` : name })));
      }
      metaRow(dl, "Tệp đính kèm", ul);
    }
    for (const [k, v] of Object.entries(d.metadata || {})) {
      metaRow(dl, k, typeof v === "string" ? v : JSON.stringify(v));
    }
    head.append(dl);

    const out = renderOutgoing(d.refs || []);
    const cites = el("section", { class: "panel cites", id: "cites" },
      el("h2", { text: `Văn bản được dẫn chiếu (${out.count})` }),
      out.count ? out.list : el("p", { class: "empty", text: "Văn bản này không dẫn chiếu số hiệu nào." }));
    const citedBy = el("section", { class: "panel cited-by", id: "cited-by" },
      el("h2", { text: `Văn bản dẫn chiếu đến (${d.cited_by_count || 0})` }),
      (d.cited_by || []).length ? renderIncoming(d.cited_by) : el("p", { class: "empty", text: d.key ? "Chưa có văn bản nào dẫn chiếu đến văn bản này." : "Văn bản không có số hiệu." }));
    const text = el("section", { class: "fulltext" }, el("h2", { text: "Toàn văn" }), renderBody(d.body || "", d.refs));
    const timeline = renderTimeline(d.history || []);
    view.append(head, el("div", { class: "doc-grid" }, text, el("aside", { class: "graph" }, timeline, cites, citedBy)));
  }

  // ---- status and history (issue 12) ----

  // The statements behind a status: "Thay thế · 09-CT/TU · 10/04/2018".
  function statementList(edges) {
    const ul = el("ul", { class: "statements" });
    for (const e of edges) {
      const who = e.number || "văn bản khác";
      const li = el("li", null,
        el("span", { class: `rel rel-${e.relation}`, text: relationWords(e.relation) + (e.partial ? " (một phần)" : "") }), " ",
        e.id ? navLink(docHref(e.id), who) : el("span", { text: who }),
        e.date ? el("span", { class: "ref-extra", text: ` · ${formatDate(e.date)}` }) : null);
      if (e.evidence) li.append(el("q", { class: "evidence", text: e.evidence }));
      ul.append(li);
    }
    return ul;
  }

  function renderStatusRows(dl, st) {
    if (!st) return;
    const badge = el("span", { class: `state state-${st.state}`, text: stateWords(st.state) });
    const box = el("span", { class: "status-value" }, badge);
    if (st.conflicting) box.append(el("span", { class: "ref-extra", text: " · các văn bản nói khác nhau" }));
    metaRow(dl, "Hiệu lực", box);
    metaRow(dl, "Ngày có hiệu lực", formatDate(st.effective));
    metaRow(dl, "Ngày hết hiệu lực", formatDate(st.expires));
    if (st.by && st.by.length) metaRow(dl, "Do văn bản", statementList(st.by));
    if (st.amended_by && st.amended_by.length) metaRow(dl, "Sửa đổi, bổ sung", statementList(st.amended_by));
  }

  // The later documents relating to this one, year by year: a bar per
  // year with one segment per relation kind, then the documents.
  function renderTimeline(history) {
    const section = el("section", { class: "panel timeline", id: "timeline" },
      el("h2", { text: `Lịch sử (${history.length})` }));
    if (!history.length) {
      section.append(el("p", { class: "empty", text: "Chưa có văn bản nào sau đó liên quan đến văn bản này." }));
      return section;
    }
    const years = new Map();
    for (const h of history) {
      const y = h.date ? h.date.slice(0, 4) : "—";
      if (!years.has(y)) years.set(y, []);
      years.get(y).push(h);
    }
    const most = Math.max(...[...years.values()].map((l) => l.length));
    const list = el("ol", { class: "years" });
    for (const [y, entries] of years) {
      const byRel = new Map();
      for (const h of entries) byRel.set(h.relation, (byRel.get(h.relation) || 0) + 1);
      const bar = el("span", { class: "bar", role: "img", "aria-label": [...byRel].map(([r, n]) => `${relationWords(r)}: ${n}`).join(", ") });
      bar.style.width = `${Math.max(8, Math.round((100 * entries.length) / most))}%`;
      for (const [r, n] of byRel) {
        const seg = el("span", { class: `seg rel-${r}`, title: `${relationWords(r)}: ${n}` });
        seg.style.flexGrow = String(n);
        bar.append(seg);
      }
      const docs = el("ul", { class: "refs" });
      for (const h of entries) {
        docs.append(el("li", { class: "ref" },
          el("span", { class: `rel rel-${h.relation}`, text: relationWords(h.relation) }), " ",
          navLink(docHref(h.id), h.number || h.id, "history-link"),
          h.date ? el("span", { class: "ref-extra", text: ` · ${formatDate(h.date)}` }) : null));
      }
      list.append(el("li", { class: "year" }, el("span", { class: "y", text: y }), bar, docs));
    }
    section.append(list);
    return section;
  }

  function backLink(p) {
    const s = searchParamsOf(p);
    const a = navLink(hrefOf(s), s.toString() ? "← Kết quả tìm kiếm" : "← Trang tìm kiếm", "back");
    return el("nav", { class: "crumbs" }, a);
  }

  // ---- wiring ----

  function render() {
    const p = currentParams();
    const doc = p.get("doc");
    if (doc) showDocument(doc, p);
    else showSearch(p);
  }

  function init() {
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const p = searchParamsOf(currentParams());
      const q = $("q").value.trim();
      if (q) p.set("q", q); else p.delete("q");
      p.delete("page");
      navigate(hrefOf(p));
    });
    $("sort").addEventListener("change", () => setSearch({ sort: $("sort").value }));
    $("from").addEventListener("change", () => setSearch({ from: $("from").value }));
    $("to").addEventListener("change", () => setSearch({ to: $("to").value }));
    $("clear-filters").addEventListener("click", () => setSearch({ kind: null, issuer: null, year: null, from: null, to: null }));
    // Links inside the page navigate without a reload (new tabs still work).
    document.addEventListener("click", (e) => {
      const a = e.target.closest && e.target.closest("a[data-nav]");
      if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(a.getAttribute("href"));
    });
    window.addEventListener("popstate", render);
    // Filters start folded on a phone.
    if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) $("filters").open = false;
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
