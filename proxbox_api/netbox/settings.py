"""The NetBox client's batching, concurrency, paging and retry policy.

A plain frozen pydantic model: the service's single ``pydantic-settings`` object embeds it, and
tests build it directly.
"""

from pydantic import BaseModel, ConfigDict, Field

__all__ = ['NetBoxClientOptions']


class NetBoxClientOptions(BaseModel):
    """How the client reads and writes. The defaults suit one NetBox ingesting ~50-100 objects/s."""

    model_config = ConfigDict(frozen=True, extra='forbid')

    batch_size: int = Field(default=100, ge=1, le=1000, description='Objects per bulk POST/PATCH/DELETE.')
    write_concurrency: int = Field(default=2, ge=1, le=64, description='Bulk writes in flight at once, per client.')
    read_concurrency: int = Field(default=4, ge=1, le=64, description='Page reads in flight at once, per client.')
    page_size: int = Field(default=1000, ge=1, le=10000, description="List page size (NetBox's MAX_PAGE_SIZE: 1000).")
    max_retries: int = Field(default=3, ge=0, le=10, description='Retries of a request or batch after 5xx/429/network.')
    backoff_base: float = Field(default=1.0, ge=0, description='First retry delay in seconds; doubles per retry.')
    backoff_max: float = Field(default=30.0, ge=0, description='Upper bound of one computed retry delay in seconds.')
    retry_after_max: float = Field(default=120.0, ge=0, description="Upper bound on a server's Retry-After, seconds.")
    slim_answers: bool = Field(
        default=True, description='Ask NetBox to leave read-only links, counts and config context out of bulk answers.'
    )
