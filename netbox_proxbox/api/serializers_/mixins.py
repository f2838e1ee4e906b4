from rest_framework import serializers

__all__ = ('WriteOnlySecretsSerializerMixin',)


class WriteOnlySecretsSerializerMixin(serializers.Serializer):
    """
    For models with `secret_fields`, which the serializer declares write_only: adds a read-only
    `secrets_set` map ({field: bool}) saying which secrets are stored, and on update treats an
    omitted or empty secret as "keep the stored one". NetBox's model validation then runs on the
    merged instance, so the API and the UI enforce the same rules.
    """

    secrets_set = serializers.SerializerMethodField(read_only=True)

    def get_secrets_set(self, obj) -> dict[str, bool]:
        return {name: bool(getattr(obj, name, '')) for name in obj.secret_fields}

    def validate(self, data):
        if self.instance is not None:
            for name in self.Meta.model.secret_fields:
                if not data.get(name):
                    data.pop(name, None)
        return super().validate(data)
