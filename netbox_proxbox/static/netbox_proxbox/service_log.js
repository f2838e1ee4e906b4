// Follows proxbox-api's log through NetBox (Server-Sent Events, resumable with Last-Event-ID).
(function () {
  'use strict';

  const log = document.getElementById('proxbox-log');
  if (!log) {
    return;
  }
  const state = document.getElementById('proxbox-log-state');
  const problem = document.getElementById('proxbox-log-problem');
  const follow = document.getElementById('proxbox-log-follow');
  const MAX_LINES = 5000;
  const source = new EventSource(log.dataset.streamUrl);

  source.addEventListener('log', (message) => {
    const line = JSON.parse(message.data);
    const row = document.createElement('div');
    row.className = 'proxbox-log-line level-' + line.level.toLowerCase();
    if (line.level === 'ERROR' || line.level === 'CRITICAL') row.classList.add('text-danger');
    if (line.level === 'WARNING') row.classList.add('text-warning');
    row.textContent = line.time + ' ' + line.level.padEnd(8) + ' ' + line.logger + ': ' + line.message;
    log.append(row);
    while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
    if (follow.checked) log.scrollTop = log.scrollHeight;
    problem.classList.add('d-none');
    state.textContent = 'live';
  });
  source.addEventListener('problem', (message) => {
    const data = JSON.parse(message.data);
    problem.textContent = data.message + (data.fix ? ' — ' + data.fix : '');
    problem.classList.remove('d-none');
    state.textContent = 'retrying…';
  });
  source.onopen = () => { state.textContent = 'live'; };
  source.onerror = () => { state.textContent = 'reconnecting…'; };
})();
