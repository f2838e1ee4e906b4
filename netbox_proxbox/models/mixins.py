"""Behaviour shared by Proxbox models."""

__all__ = ('WriteOnlySecretsMixin',)


class WriteOnlySecretsMixin:
    """
    A model whose `secret_fields` hold credentials. They are kept out of every change-log
    snapshot (and so out of event rules and webhooks that read them); the REST API, GraphQL
    and the UI leave them out on their side.
    """

    secret_fields: tuple[str, ...] = ()

    def serialize_object(self, exclude=None):
        return super().serialize_object(exclude=[*(exclude or []), *self.secret_fields])

    def secret_is_set(self, field_name):
        return bool(getattr(self, field_name))
