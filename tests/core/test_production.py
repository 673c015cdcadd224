"""Production as it runs: DEBUG=0, collectstatic into WhiteNoise's manifest, gunicorn serving.

With the manifest storage a `{% static %}` naming a file that isn't there is a 500 on that page,
so every static reference in the templates is checked against the collected manifest too.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_PROXY="1",
        DATABASE_URL=f"sqlite:///{tmp / 'prod.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    return env, tmp


def test_every_static_file_the_templates_name_is_in_the_manifest(production_env):
    _, tmp = production_env
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())["paths"]
    named = {m for path in (ROOT / "templates").rglob("*.html") for m in STATIC_TAG.findall(path.read_text())}
    assert named, "no {% static %} found: the pattern is wrong"
    assert sorted(named - set(manifest)) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    # The TLS proxy in front tells the app the request came over https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""
    return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_the_login_page_and_whitenoise_the_hashed_css(production_env):
    env, _ = production_env
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "guro_sme/gunicorn.conf.py",
            "guro_sme.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                status, headers, body = _get(f"{base}/login/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        assert status == 200
        page = body.decode()
        assert "로그인" in page and "비밀번호" in page
        assert "Strict-Transport-Security" in headers
        css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page should name the hashed CSS of the manifest"
        status, headers, body = _get(base + css.group(1))
        assert status == 200 and headers["Content-Type"].startswith("text/css") and b".card" in body

        status, headers, _ = _get(f"{base}/firms/")
        assert status == 302 and headers["Location"].startswith("/login/")
        status, headers, _ = _get(f"{base}/no-such-page/")
        assert status in (302, 404)
    finally:
        server.terminate()
        server.wait(timeout=10)
