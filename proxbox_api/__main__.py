"""``proxbox-api``: serve the sync service with uvicorn (settings from PROXBOX_API_* variables)."""

import sys

import uvicorn
from pydantic import ValidationError

from .settings import get_settings

__all__ = ['main']


def main() -> None:
    try:
        settings = get_settings()
    except ValidationError as exc:
        messages = '; '.join(str(err['msg']).removeprefix('Value error, ') for err in exc.errors())
        sys.stderr.write(f'proxbox-api: invalid settings: {messages}\n')
        raise SystemExit(2) from None
    uvicorn.run(
        'proxbox_api.api:create_app',
        factory=True,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
    )


if __name__ == '__main__':
    main()
