"""
The in-NetBox apply: a batch of the sync's REST-shaped writes (what it would POST, PATCH or DELETE on
one of NetBox's bulk endpoints) applied inside NetBox, in one database transaction, keeping what the
REST path guarantees: the model's validation (`full_clean()`, its `clean()` rules, custom-field rules
and `CUSTOM_VALIDATORS`), object permissions (constrained ones included), every `post_save`/`m2m_changed`
receiver (counters, a VM's disk total, denormalised scope fields, config-context caches), one change
record per object and action, the events event rules see, the global search cache and the IP address
lock. What it saves against REST is the per-object work the REST path repeats: request and answer
rendering, DRF field parsing (related objects are fetched once per batch), a change record written and
then rewritten for tags, and a search-cache flush per object (one per batch here).
"""

from .batch import APPLY_MODELS, ApplyError, apply_batch, model_for_path

__all__ = ('APPLY_MODELS', 'ApplyError', 'apply_batch', 'model_for_path')
