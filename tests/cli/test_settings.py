"""pxb's settings: flags over ``PROXBOX_*`` environment over the config file; both token forms;
errors that name the source of a bad value and never contain the token."""

import ssl
from pathlib import Path

import pytest

from proxbox_cli.errors import ConfigError
from proxbox_cli.settings import NetBoxToken, load_settings
from proxmox_sim.server.tls import self_signed

V2 = 'nbt_AbCdEf012345.' + 'x' * 40
V1 = '0123456789abcdef0123456789abcdef01234567'


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


class TestPrecedence:
    """A flag beats the environment, which beats the file; each value remembers where it came from."""

    def test_flags_then_environment_then_file(self, tmp_path: Path) -> None:
        config = _write(tmp_path / 'c.toml', f'netbox_url = "https://file/"\nnetbox_token = "{V1}"\ntimeout = 5\n')
        environ = {'PROXBOX_NETBOX_URL': 'https://env/', 'PROXBOX_TIMEOUT': '7', 'PROXBOX_CONFIG': str(config)}
        loaded = load_settings({'timeout': 9.0}, environ=environ)
        assert loaded.settings.netbox_url == 'https://env/'
        assert loaded.settings.timeout == 9.0
        assert loaded.settings.token.header == f'Token {V1}'
        assert loaded.sources == {'netbox_url': 'PROXBOX_NETBOX_URL', 'netbox_token': str(config),
                                  'timeout': 'command line'}  # fmt: skip

    def test_the_file_alone_is_enough(self, tmp_path: Path) -> None:
        config = _write(
            tmp_path / 'c.toml', f'netbox_url = "http://nb:8000"\nnetbox_token = "{V2}"\nverify_tls = false\n'
        )
        settings = load_settings(config_file=config, environ={}).settings
        assert settings.netbox_url == 'http://nb:8000/' and settings.verify_tls is False and settings.tls() is False

    def test_empty_environment_variables_do_not_count(self, tmp_path: Path) -> None:
        config = _write(tmp_path / 'c.toml', f'netbox_url = "http://file"\nnetbox_token = "{V2}"\n')
        loaded = load_settings(config_file=config, environ={'PROXBOX_NETBOX_URL': ''})
        assert loaded.settings.netbox_url == 'http://file/'

    def test_environment_booleans(self) -> None:
        environ = {'PROXBOX_NETBOX_URL': 'http://nb', 'PROXBOX_NETBOX_TOKEN': V2, 'PROXBOX_VERIFY_TLS': 'false'}
        assert load_settings(environ=environ, config_file=None).settings.verify_tls is False

    def test_default_config_file_may_be_missing(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr('proxbox_cli.settings.default_config_path', lambda: tmp_path / 'nope.toml')
        loaded = load_settings(environ={'PROXBOX_NETBOX_URL': 'http://nb', 'PROXBOX_NETBOX_TOKEN': V2})
        assert loaded.path == tmp_path / 'nope.toml'


class TestToken:
    """v2 tokens go out as ``Bearer nbt_<key>.<token>``, v1 as ``Token <40>``, with or without a prefix."""

    @pytest.mark.parametrize(
        ('given', 'header'),
        [(V2, f'Bearer {V2}'), (f'Bearer {V2}', f'Bearer {V2}'), (f'  {V2}\n', f'Bearer {V2}'),
         (V1, f'Token {V1}'), (f'Token {V1}', f'Token {V1}')],
    )  # fmt: skip
    def test_forms(self, given: str, header: str) -> None:
        token = NetBoxToken.parse(given)
        assert token.header == header
        assert V2 not in repr(token) and V1 not in repr(token)

    @pytest.mark.parametrize('bad', ['nbt_nodot' + 'y' * 30, 'short-secret', V1 + 'Z', 'nbt_a.b-cdefgh'])
    def test_malformed_tokens_are_refused_without_echo(self, bad: str) -> None:
        environ = {'PROXBOX_NETBOX_URL': 'http://nb', 'PROXBOX_NETBOX_TOKEN': bad}
        with pytest.raises(ConfigError) as caught:
            load_settings(environ=environ, config_file=None)
        message = str(caught.value)
        assert 'netbox_token (from PROXBOX_NETBOX_TOKEN): not a NetBox API token' in message
        assert bad not in message


class TestErrors:
    """Each problem is a ConfigError saying what to fix."""

    def test_missing_settings_say_how_to_set_them(self, tmp_path: Path) -> None:
        config = _write(tmp_path / 'c.toml', '')
        with pytest.raises(ConfigError) as caught:
            load_settings(config_file=config, environ={})
        assert str(caught.value).splitlines() == [
            f'netbox_url is not set: pass --netbox-url, set PROXBOX_NETBOX_URL, or add it to {config}',
            f'  netbox_token is not set: pass --token, set PROXBOX_NETBOX_TOKEN, or add it to {config}',
        ]

    @pytest.mark.parametrize(
        ('text', 'expected'),
        [('netbox_url = "ftp://x"', 'netbox_url (from {path}): must start with http:// or https://'),
         ('timeout = 0', 'timeout (from {path}): Input should be greater than 0'),
         ('ca_bundle = "/no/such.pem"', 'ca_bundle (from {path}): no such file: /no/such.pem'),
         ('tiemout = 3', 'config file {path}: unknown setting tiemout'),
         ('netbox_url = ', 'config file {path} is not valid TOML')],
    )  # fmt: skip
    def test_bad_values_name_their_source(self, tmp_path: Path, text: str, expected: str) -> None:
        config = _write(tmp_path / 'c.toml', f'netbox_token = "{V2}"\n{text}\n')
        with pytest.raises(ConfigError) as caught:
            load_settings(config_file=config, environ={})
        assert expected.format(path=config) in str(caught.value)
        assert V2 not in str(caught.value)

    def test_a_named_config_file_must_exist(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match='config file .*missing.toml does not exist'):
            load_settings(environ={'PROXBOX_CONFIG': str(tmp_path / 'missing.toml')})

    def test_a_token_file_readable_by_others_is_a_warning(self, tmp_path: Path) -> None:
        config = _write(tmp_path / 'c.toml', f'netbox_url = "http://nb"\nnetbox_token = "{V2}"\n', mode=0o644)
        loaded = load_settings(config_file=config, environ={})
        assert loaded.warnings == (f'config file {config} holds the token and is readable by others; '
                                   f'run: chmod 600 {config}',)  # fmt: skip

    def test_ca_bundle_builds_a_context_trusting_it(self, tmp_path: Path) -> None:
        cert, _ = self_signed(tmp_path)
        environ = {'PROXBOX_NETBOX_URL': 'https://nb', 'PROXBOX_NETBOX_TOKEN': V2, 'PROXBOX_CA_BUNDLE': str(cert)}
        context = load_settings(environ=environ, config_file=None).settings.tls()
        assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
        assert len(context.get_ca_certs()) == 1
