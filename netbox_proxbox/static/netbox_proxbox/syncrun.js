// Live progress of a Proxbox sync run: follows the run's Server-Sent Events (the whole run from
// its first event, so reloading the page rebuilds everything) and draws each stage with a progress
// bar, the errors with what to fix, and at the end the summary with links to what changed.
(function () {
  'use strict';

  const root = document.getElementById('proxbox-run');
  if (!root) {
    return;
  }
  const $ = (id) => document.getElementById(id);
  const dryRun = root.dataset.dryRun === 'true';
  const COLUMNS = dryRun
    ? ['created', 'updated', 'deleted', 'marked', 'unchanged', 'conflict', 'kept', 'skipped']
    : ['created', 'updated', 'deleted', 'marked', 'unchanged', 'conflict', 'failed'];
  const STATUS_COLORS = {
    pending: 'secondary', running: 'primary', completed: 'success', partial: 'warning', failed: 'danger',
    cancelled: 'orange',
  };
  const stages = {};
  let finished = false;
  let eventCount = 0;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function setStatus(status, label) {
    const badge = $('proxbox-run-status');
    badge.className = 'badge text-bg-' + (STATUS_COLORS[status] || 'secondary');
    badge.textContent = label || status;
    badge.dataset.status = status;
  }

  function stage(name) {
    if (!stages[name]) {
      const row = el('div', { class: 'mb-3 proxbox-stage', 'data-stage': name });
      const head = el('div', { class: 'd-flex justify-content-between' });
      head.append(el('strong', {}, name), el('span', { class: 'text-muted proxbox-stage-detail' }, ''));
      const outer = el('div', { class: 'progress', role: 'progressbar', 'aria-label': name });
      const bar = el('div', { class: 'progress-bar progress-bar-striped progress-bar-animated', style: 'width: 100%' });
      outer.append(bar);
      row.append(head, outer);
      $('proxbox-stages').append(row);
      stages[name] = { row: row, bar: bar, detail: head.lastChild, total: null };
    }
    return stages[name];
  }

  function setProgress(item, done, total) {
    if (!total) {
      return;
    }
    const percent = Math.min(100, Math.round((100 * done) / total));
    item.bar.classList.remove('progress-bar-animated');
    item.bar.style.width = percent + '%';
    item.bar.textContent = percent + '%';
    item.detail.textContent = done + ' / ' + total;
  }

  function countsText(data) {
    const parts = [];
    if (data.guests !== undefined) parts.push(data.guests + ' guests');
    if (data.endpoints !== undefined) parts.push(data.endpoints + ' endpoint(s)');
    if (data.writes !== undefined) parts.push(data.writes + ' planned writes');
    if (data.failed) parts.push(data.failed + ' failed');
    return parts.join(', ');
  }

  function addMessage(kind, data) {
    const box = el('div', { class: 'alert alert-' + kind + ' mb-2 proxbox-' + (kind === 'danger' ? 'error' : 'warning') });
    box.append(el('div', {}, data.message || JSON.stringify(data)));
    if (data.fix) {
      const fix = el('div', { class: 'mt-1' });
      fix.append(el('strong', {}, 'What to do: '), document.createTextNode(data.fix));
      box.append(fix);
    }
    $('proxbox-errors').append(box);
  }

  function changelogLink(kind) {
    const url = root.dataset.changelogUrl + (kind ? '&changed_object_type=' + encodeURIComponent(kind.split('#')[0]) : '');
    return el('a', { href: url }, 'changes');
  }

  function summary(data) {
    const counts = data.by_type || {};
    const table = $('proxbox-summary-table');
    const head = el('tr');
    head.append(el('th', {}, 'Object type'));
    COLUMNS.forEach((column) => head.append(el('th', { class: 'text-end' }, column)));
    if (!dryRun) head.append(el('th'));
    table.tHead.replaceChildren(head);
    const body = table.tBodies[0];
    body.replaceChildren();
    const totals = COLUMNS.map(() => 0);
    Object.keys(counts).sort().forEach((kind) => {
      const row = el('tr', { 'data-kind': kind });
      row.append(el('td', {}, kind));
      COLUMNS.forEach((column, index) => {
        const value = counts[kind][column] || 0;
        totals[index] += value;
        row.append(el('td', { class: 'text-end', 'data-column': column }, value));
      });
      if (!dryRun) {
        const cell = el('td');
        const changed = ['created', 'updated', 'deleted', 'marked'].some((c) => counts[kind][c]);
        if (changed) cell.append(changelogLink(kind));
        row.append(cell);
      }
      body.append(row);
    });
    const foot = el('tr', { class: 'fw-bold' });
    foot.append(el('td', {}, 'Total'));
    totals.forEach((value, index) => foot.append(el('td', { class: 'text-end', 'data-column': COLUMNS[index] }, value)));
    if (!dryRun) foot.append(el('td'));
    table.tFoot.replaceChildren(foot);
    const line = [];
    if (data.duration !== undefined) line.push('took ' + Number(data.duration).toFixed(1) + ' s');
    if (data.writes !== undefined && !dryRun) line.push(data.writes + ' writes');
    if (!dryRun && data.writes) {
      const all = changelogLink(null);
      all.textContent = 'all changes of this run';
      $('proxbox-summary-links').replaceChildren(all);
    }
    if (dryRun && root.dataset.planUrl && data.status === 'completed') {
      $('proxbox-summary-links').replaceChildren(el('a', { href: root.dataset.planUrl, class: 'btn btn-primary', id: 'proxbox-view-plan' }, 'Review the plan'));
    }
    $('proxbox-summary-text').textContent = line.join(', ');
    $('proxbox-summary').classList.remove('d-none');
  }

  function logEvent(id, name, data) {
    eventCount += 1;
    $('proxbox-event-count').textContent = eventCount;
    const row = el('tr', { 'data-event-id': id });
    const text = JSON.stringify(data);
    row.append(el('td', { class: 'text-muted' }, id), el('td', {}, name), el('td', { class: 'font-monospace small' }, text.length > 300 ? text.slice(0, 300) + '…' : text));
    $('proxbox-events').append(row);
  }

  const handlers = {
    run_started: (data) => {
      setStatus('running', 'Running');
      $('proxbox-run-endpoints').textContent = (data.endpoints || []).join(', ');
    },
    stage_started: (data) => {
      const item = stage(data.stage);
      item.total = data.total || null;
      item.detail.textContent = data.total ? '0 / ' + data.total : 'working…';
    },
    progress: (data) => setProgress(stage(data.stage), data.done, data.total || stage(data.stage).total),
    stage_finished: (data) => {
      const item = stage(data.stage);
      item.bar.className = 'progress-bar bg-success';
      item.bar.style.width = '100%';
      item.bar.textContent = '';
      const text = countsText(data);
      item.detail.textContent = (text ? text + ' · ' : '') + Number(data.duration || 0).toFixed(1) + ' s';
    },
    warning: (data) => addMessage('warning', data),
    error: (data) => addMessage('danger', data),
    run_finished: (data) => {
      finished = true;
      Object.values(stages).forEach((item) => {
        if (item.bar.classList.contains('progress-bar-animated')) {
          item.bar.className = 'progress-bar bg-secondary';
          item.detail.textContent = 'not finished';
        }
      });
      setStatus(data.status, data.status);
      summary(data);
      const controls = $('proxbox-run-controls');
      if (controls) controls.classList.add('d-none');
      root.dataset.finished = 'true';
    },
  };

  setStatus(root.dataset.status, root.dataset.statusLabel);
  const source = new EventSource(root.dataset.eventsUrl);
  Object.keys(handlers).forEach((name) => {
    source.addEventListener(name, (message) => {
      const data = JSON.parse(message.data);
      logEvent(message.lastEventId, name, data);
      handlers[name](data);
      if (finished) {
        source.close();
      }
    });
  });
  source.onerror = () => {
    if (!finished) {
      $('proxbox-run-connection').textContent = 'reconnecting…';
    }
  };
  source.onopen = () => {
    $('proxbox-run-connection').textContent = '';
  };
})();
