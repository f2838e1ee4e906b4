"""Building a client over a ``FakeNetBox`` with recorded (not slept) backoff."""

from typing import Any

from proxbox_api.netbox import NetBoxClient, NetBoxClientOptions

from .fake_netbox import FakeNetBox

TOKEN_V2 = 'nbt_AbCdEf012345.Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA98765432'
TOKEN_V1 = '0123456789abcdef0123456789abcdef01234567'
URL = 'https://netbox.lab'
MESSAGE = 'proxbox sync run 42'


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make(fake: FakeNetBox, token: str = TOKEN_V2, **options: Any) -> tuple[NetBoxClient, Sleeps]:
    sleeps = Sleeps()
    opts = NetBoxClientOptions(**{'max_retries': 3, 'backoff_base': 1.0, 'backoff_max': 8.0, **options})
    return NetBoxClient(URL, token, options=opts, transport=fake.transport(), sleep=sleeps), sleeps


def sites(*names: str) -> list[dict[str, Any]]:
    return [{'name': name, 'slug': name} for name in names]
