// @ts-check
// The release-note review panel. Everything but the notes themselves is built with textContent;
// the notes arrive as HTML rendered by markdown-it with raw HTML disabled, and the page's CSP
// runs no script but this one.
(function () {
  // @ts-ignore: provided by VS Code
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** @type {any} */
  let view;
  let canPlan = false;
  let transitMs = 0;
  const filters = { riskyOnly: false, /** @type {string | null} */ risk: null };

  /**
   * @param {string} tag
   * @param {Record<string, string>} [attrs]
   * @param {(Node | string)[]} [children]
   */
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children || []) e.append(c);
    return e;
  }

  /** @param {string} risk @param {string} [why] */
  function chip(risk, why) {
    const label = view.labels[risk] || risk;
    const title = why ? `${label}: ${why}` : label;
    return el('span', { class: `chip risk-${risk}`, title, 'aria-label': `Risk: ${title}` }, [label]);
  }

  /** @param {string} version */
  function versionId(version) {
    return `v-${version.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  }

  /** @param {any} item @param {any} v */
  function renderItem(item, v) {
    const body = el('div', { class: 'note' });
    body.innerHTML = item.html;
    const loc = el('button', { class: 'location link', title: 'Open the source of this note', 'aria-label': `Open source ${item.location}` }, [item.location]);
    loc.addEventListener('click', () => vscode.postMessage({ type: 'openSource', version: v.version, index: item.index }));
    const meta = el('div', { class: 'item-meta' }, [...item.risks.map((/** @type {string} */ r) => chip(r, item.why && item.why[r]))]);
    if (item.heading) meta.append(el('span', { class: 'heading' }, [item.heading]));
    if (item.prerelease) meta.append(el('span', { class: 'heading' }, [`from ${item.prerelease}`]));
    meta.append(loc);
    const li = el('li', { class: `item${item.risks.length ? ' risky' : ''}`, 'data-risks': item.risks.join(' ') }, [meta, body]);
    return li;
  }

  /** @param {HTMLDetailsElement} details @param {any} v */
  function fillItems(details, v) {
    if (details.dataset.filled) return;
    if (!v.items) {
      // Notes of versions that start closed are rendered by the extension when first opened.
      if (!details.dataset.requested) {
        details.dataset.requested = '1';
        details.append(el('p', { class: 'status loading' }, ['Loading…']));
        vscode.postMessage({ type: 'renderVersion', version: v.version });
      }
      return;
    }
    details.querySelector('.loading')?.remove();
    details.dataset.filled = '1';
    const list = el('ol', { class: 'items' });
    if (v.items.length === 0) list.append(el('li', { class: 'empty' }, ['No release notes for this version.']));
    for (const item of v.items) list.append(renderItem(item, v));
    details.append(list);
    applyFilters(details);
  }

  /** @param {any} v */
  function renderVersion(v) {
    const summary = el('summary', { 'aria-label': `${v.version}, ${v.itemCount} items${v.risks.length ? `, risks: ${v.risks.map((/** @type {string} */ r) => view.labels[r]).join(', ')}` : ''}` }, [
      el('span', { class: 'version-name' }, [v.version]),
      el('span', { class: 'version-meta' }, [
        [v.date, v.tag && v.tag !== v.version ? `tag ${v.tag}` : '', v.prereleases.length ? `includes ${v.prereleases.join(', ')}` : '', `${v.itemCount} item${v.itemCount === 1 ? '' : 's'}`]
          .filter(Boolean)
          .join(' · '),
      ]),
      ...v.risks.map(chip),
    ]);
    const details = /** @type {HTMLDetailsElement} */ (el('details', { class: `version${v.risks.length ? ' risky' : ''}`, id: versionId(v.version), 'data-risks': v.risks.join(' ') }, [summary]));
    // Versions with flagged items start open; the rest render their items when opened.
    if (v.risks.length) {
      details.open = true;
      fillItems(details, v);
    }
    details.addEventListener('toggle', () => details.open && fillItems(details, v));
    return details;
  }

  function renderTimeline() {
    const nav = el('nav', { class: 'timeline', 'aria-label': 'Versions, oldest to newest' });
    const versions = [...view.versions].reverse();
    versions.forEach((/** @type {any} */ v, /** @type {number} */ i) => {
      const b = el('button', {
        class: `tick${v.risks.length ? ' risky' : ''}`,
        title: `${v.version}${v.risks.length ? `: ${v.risks.map((/** @type {string} */ r) => view.labels[r]).join(', ')}` : ''}`,
        'aria-label': `Version ${v.version}${v.risks.length ? `, ${v.risks.length} kinds of risk` : ''}`,
        tabindex: i === versions.length - 1 ? '0' : '-1',
      }, [el('span', { class: 'tick-label' }, [v.version]), el('span', { class: 'markers' }, v.risks.map((/** @type {string} */ r) => el('span', { class: `marker risk-${r}` })))]);
      b.addEventListener('click', () => reveal(v.version));
      b.addEventListener('keydown', (e) => {
        const buttons = /** @type {HTMLElement[]} */ ([...nav.querySelectorAll('button')]);
        const at = buttons.indexOf(b);
        const to = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : -2;
        if (to === -2 || !buttons[to]) return;
        e.preventDefault();
        b.tabIndex = -1;
        buttons[to].tabIndex = 0;
        buttons[to].focus();
      });
      nav.append(b);
    });
    return nav;
  }

  /** @param {string} version */
  function reveal(version) {
    const details = /** @type {HTMLDetailsElement | null} */ (document.getElementById(versionId(version)));
    if (!details) return;
    details.open = true;
    details.scrollIntoView({ block: 'start' });
    /** @type {HTMLElement} */ (details.querySelector('summary')).focus();
  }

  /** @param {ParentNode} root */
  function applyFilters(root) {
    const match = (/** @type {string} */ risks) => (filters.risk ? risks.split(' ').includes(filters.risk) : !filters.riskyOnly || risks !== '');
    for (const item of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('li.item'))) item.hidden = !match(item.dataset.risks || '');
    if (root === document) {
      for (const v of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('details.version'))) v.hidden = !match(v.dataset.risks || '');
    }
    const count = document.getElementById('filter-state');
    if (count) count.textContent = filters.risk ? `Showing ${view.labels[filters.risk]} only` : filters.riskyOnly ? 'Showing flagged items only' : '';
  }

  function render() {
    const started = performance.now();
    const items = view.versions.reduce((/** @type {number} */ n, /** @type {any} */ v) => n + v.itemCount, 0);
    const flagged = view.flagged;

    const riskyOnly = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'risky-only' }));
    riskyOnly.checked = filters.riskyOnly;
    riskyOnly.addEventListener('change', () => {
      filters.riskyOnly = riskyOnly.checked;
      applyFilters(document);
    });
    const copy = el('button', { class: 'button secondary', id: 'copy' }, ['Copy as Markdown']);
    copy.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
    const expand = el('button', { class: 'button secondary' }, ['Expand all']);
    expand.addEventListener('click', () => {
      for (const d of /** @type {NodeListOf<HTMLDetailsElement>} */ (document.querySelectorAll('details.version'))) d.open = true;
    });
    const collapse = el('button', { class: 'button secondary' }, ['Collapse all']);
    collapse.addEventListener('click', () => {
      for (const d of /** @type {NodeListOf<HTMLDetailsElement>} */ (document.querySelectorAll('details.version'))) d.open = false;
    });
    const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Review actions' }, [
      el('label', { class: 'toggle' }, [riskyOnly, ' Risky only']),
      expand,
      collapse,
      copy,
    ]);
    if (canPlan) {
      const plan = el('button', { class: 'button', id: 'create-plan' }, ['Create Upgrade Plan']);
      plan.addEventListener('click', () => vscode.postMessage({ type: 'createPlan' }));
      toolbar.append(plan);
    }

    const summary = el('div', { class: 'summary', role: 'group', 'aria-label': 'Risks found' });
    if (view.summary.length === 0) summary.append(el('span', { class: 'nothing' }, ['Nothing flagged in these release notes.']));
    for (const s of view.summary) {
      const b = el('button', { class: `chip risk-${s.risk} filter`, 'aria-pressed': String(filters.risk === s.risk), title: `Show only: ${s.label}` }, [`${s.label} `, el('strong', {}, [String(s.count)])]);
      b.addEventListener('click', () => {
        filters.risk = filters.risk === s.risk ? null : s.risk;
        for (const other of summary.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === b && filters.risk === s.risk));
        applyFilters(document);
      });
      summary.append(b);
    }

    const header = el('header', {}, [
      el('h1', {}, [`Release notes ${view.from} → ${view.to}`]),
      el('p', { class: 'source' }, [`${view.source} · ${view.versions.length} version${view.versions.length === 1 ? '' : 's'} · ${items} items · ${flagged} flagged`]),
      toolbar,
      summary,
      el('p', { id: 'filter-state', class: 'filter-state', 'aria-live': 'polite' }),
    ]);
    if (view.engines.length) {
      header.append(el('p', { class: 'engines' }, ['Engine versions: ', view.engines.map((/** @type {any} */ e) => `${e.name} ${e.from ?? '(not listed)'} → ${e.to ?? '(not listed)'}`).join(' · ')]));
    }
    if (view.problems.length) {
      header.append(el('details', { class: 'problems' }, [el('summary', {}, [`${view.problems.length} note${view.problems.length === 1 ? '' : 's'} about reading the sources`]), el('ul', {}, view.problems.map((/** @type {string} */ p) => el('li', {}, [p])))]));
    }
    header.append(renderTimeline());

    const list = el('section', { class: 'versions', 'aria-label': 'Versions, newest first' }, view.versions.map(renderVersion));
    app.replaceChildren(header, list);
    applyFilters(document);
    vscode.postMessage({ type: 'rendered', ms: performance.now() - started, versions: view.versions.length, transitMs });
  }

  // Links inside notes open in the browser through the extension (http and https only).
  app.addEventListener('click', (e) => {
    const a = /** @type {HTMLElement} */ (e.target).closest('a');
    if (!a) return;
    e.preventDefault();
    const href = a.getAttribute('href');
    if (href) vscode.postMessage({ type: 'openLink', href });
  });

  // j / k move between versions, like a mail reader.
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || (e.key !== 'j' && e.key !== 'k')) return;
    const summaries = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('details.version:not([hidden]) > summary')]);
    const at = summaries.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    const next = summaries[e.key === 'j' ? at + 1 : Math.max(0, at - 1)];
    if (next) {
      next.focus();
      next.scrollIntoView({ block: 'nearest' });
    }
  });

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'review') {
      transitMs = Date.now() - Number(msg.sentAt);
      view = msg.view;
      canPlan = !!msg.canPlan;
      // A risk picked for the last review may not occur in this one; "Risky only" carries over.
      filters.risk = null;
      render();
    } else if (msg.type === 'loading') {
      app.replaceChildren(el('p', { class: 'status' }, [String(msg.message)]));
    } else if (msg.type === 'versionItems' && view) {
      const v = view.versions.find((/** @type {any} */ x) => x.version === msg.version);
      const details = /** @type {HTMLDetailsElement | null} */ (document.getElementById(versionId(String(msg.version))));
      if (!v || !details || !Array.isArray(msg.items)) return;
      v.items = msg.items;
      fillItems(details, v);
    } else if (msg.type === 'copied') {
      const b = document.getElementById('copy');
      if (b) {
        b.textContent = 'Copied';
        setTimeout(() => (b.textContent = 'Copy as Markdown'), 1500);
      }
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
