# Run by scripts/stack.sh inside `netbox shell`: ensure the admin user and one API token.
# Prints the token's plaintext (v2, "nbt_<key>.<token>") on the last line. Idempotent: the
# token saved by the previous run is reused while it still exists.
import os
from pathlib import Path

from users.models import Token, User

name = os.environ['PROXBOX_ADMIN_USER']
password = os.environ['PROXBOX_ADMIN_PASSWORD']
saved = Path(os.environ['NETBOX_ROOT']).parent / 'admin-token'

user = User.objects.filter(username=name).first()
if user is None:
    user = User.objects.create_superuser(username=name, email=f'{name}@example.invalid', password=password)

plain = saved.read_text().strip() if saved.exists() else ''
key = plain.removeprefix('nbt_').split('.', 1)[0] if plain.startswith('nbt_') else ''
if not (key and Token.objects.filter(user=user, key=key).exists()):
    token = Token(user=user, description='Proxbox development stack')
    token.save()
    plain = f'nbt_{token.key}.{token.token}'
print(plain)
