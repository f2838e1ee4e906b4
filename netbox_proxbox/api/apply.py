"""
The in-NetBox apply (the sync's fast write path):

    GET  /api/plugins/proxbox/apply/   -> {version, actions, models, max_objects}: the capability proxbox-api looks for
    POST /api/plugins/proxbox/apply/   {path, action, objects, changelog_message}
                                       -> 200 {results: [{index, ok, id, error, status}]}, one per object, in order

`path` is the NetBox REST list endpoint the objects would be sent to, `action` create, update or delete,
`objects` what that endpoint's bulk POST, PATCH or DELETE would take. Both need add, change or
delete permission on some object type the apply writes; a POST needs the model
permission for the action (403 for the whole request otherwise, as the REST API answers), and a
write-enabled token; object permissions are enforced per object.
"""

from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from users.models import Token

from ..apply import APPLY_MODELS, ApplyError, apply_batch, model_for_path
from ..apply.batch import ACTIONS

__all__ = ('APPLY_VERSION', 'MAX_OBJECTS', 'ApplyView')

APPLY_VERSION = 1
MAX_OBJECTS = 1000  # the sync's largest batch (SyncOptions.batch_size)
_MAX_MESSAGE = 200  # core.ObjectChange.message


def capability():
    return {
        'version': APPLY_VERSION,
        'actions': list(ACTIONS),
        'models': sorted(APPLY_MODELS),
        'max_objects': MAX_OBJECTS,
    }


def _write_permissions():
    for label in APPLY_MODELS:
        app_label, model = label.split('.')
        for action in ACTIONS.values():
            yield f'{app_label}.{action}_{model}'


def _bad(detail, http_status=status.HTTP_400_BAD_REQUEST):
    return Response({'detail': detail}, status=http_status)


class ApplyView(APIView):
    """Apply one batch of the sync's writes inside NetBox, in one transaction."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get_view_name(self):
        return 'Proxbox apply'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.auth, Token) and not request.auth.write_enabled:
            self.permission_denied(request, 'This token is not write-enabled.')
        if not any(request.user.has_perm(perm) for perm in _write_permissions()):
            self.permission_denied(request, 'Needs add, change or delete permission on an object type the sync writes.')

    def get(self, request):
        return Response(capability())

    def post(self, request):
        if isinstance(request.auth, Token) and not request.auth.write_enabled:
            return _bad('This token is not write-enabled.', status.HTTP_403_FORBIDDEN)
        body = request.data if isinstance(request.data, dict) else {}
        objects, message = body.get('objects'), body.get('changelog_message', '')
        if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
            return _bad(f'objects must be a list of at most {MAX_OBJECTS} objects')
        if not isinstance(message, str) or len(message) > _MAX_MESSAGE:
            return _bad(f'changelog_message must be a string of at most {_MAX_MESSAGE} characters')
        try:
            model = model_for_path(body.get('path'))
            results = apply_batch(request, model, body.get('action'), objects, message)
        except ApplyError as exc:
            return _bad(exc.detail, exc.status)
        return Response({'results': [result.to_json() for result in results]})
