"""Bulk writes through the plugin's in-NetBox apply (``POST /api/plugins/proxbox/apply/``).

The same batches, groups, bounded concurrency, retries and recovery of ambiguous creates as the REST
path (``BulkWrite``); only the request and its answer differ. One request carries one batch of one
endpoint's objects; NetBox applies it in one transaction and answers ``{"results": [...]}``, one
outcome per object, in order, so a refused object never costs the batch a resend.
"""

from typing import Any

import httpx

from ._bulk import BulkWrite, Item
from ._http import api_path, decode
from .errors import NetBoxProtocolError
from .results import WriteResult

__all__ = ['APPLY_PATH', 'ApplyWrite']

APPLY_PATH = api_path('plugins/proxbox/apply')


class ApplyWrite(BulkWrite):
    """A ``BulkWrite`` whose batches go to the plugin's apply endpoint."""

    async def _send(self, pending: list[Item]) -> httpx.Response:
        async with self.sender.write_slot:
            self._check_refused()
            objects = [{k: v for k, v in item.payload.items() if k != 'changelog_message'} for item in pending]
            message = pending[0].payload.get('changelog_message', '') if pending else ''
            body = {'path': self.path, 'action': self.kind, 'objects': objects, 'changelog_message': message}
            return await self.sender.send('POST', APPLY_PATH, json=body, slot=False)

    def _record(self, pending: list[Item], response: httpx.Response, results: dict[int, WriteResult]) -> None:
        try:
            body = decode('POST', APPLY_PATH, response)
        except NetBoxProtocolError:
            body = None
        answers = body.get('results') if isinstance(body, dict) else None
        if not isinstance(answers, list) or len(answers) != len(pending):
            for item in pending:  # applied (2xx), but which objects and under which ids is unknown
                results[item.index] = WriteResult(
                    item.index, False, id=item.key, status=response.status_code,
                    error='NetBox applied the batch but its answer was unreadable; will reconcile on next sync',
                )  # fmt: skip
            return
        for item, answer in zip(pending, answers, strict=True):
            results[item.index] = _result(item, answer if isinstance(answer, dict) else {})


def _result(item: Item, answer: dict[str, Any]) -> WriteResult:
    oid = answer.get('id')
    oid = oid if isinstance(oid, int) and not isinstance(oid, bool) else item.key
    status = answer.get('status') if isinstance(answer.get('status'), int) else None
    if answer.get('ok') is True:
        return WriteResult(item.index, True, id=oid, status=status)
    error = answer.get('error')
    return WriteResult(item.index, False, id=oid, status=status, error=str(error) if error else 'refused by NetBox')
