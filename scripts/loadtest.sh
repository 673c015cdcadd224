#!/usr/bin/env bash
# `make loadtest`: gunicorn (4 workers, production settings) on PostgreSQL with the scale-1 bench
# data, driven by locust headless: 50 simulated staff, members and managers for 60 s, then it stops.
# The first run creates and seeds the database (a few minutes); later runs reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${LOADTEST_DB:-guro_sme_loadtest}
SCALE=${LOADTEST_SCALE:-1}
USERS=${LOADTEST_USERS:-50}
SECONDS_TO_RUN=${LOADTEST_SECONDS:-60}
PORT=${LOADTEST_PORT:-8150}
OUT=${LOADTEST_OUT:-loadtest}

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$DB"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
.venv/bin/python manage.py migrate --noinput -v0
if ! .venv/bin/python manage.py shell -c "from guro_sme.models import Firm; raise SystemExit(0 if Firm.objects.filter(name__startswith='(벤치)').exists() else 1)"; then
  echo "==> Seeding scale $SCALE into $DB (once)"
  .venv/bin/python manage.py seed_bench --scale "$SCALE"
fi

# Production settings on loopback: no TLS here, so no HTTPS redirect and no Secure-only cookies.
export DEBUG=0 SECRET_KEY=loadtest-only-key-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 COOKIES_SECURE=0 CONN_MAX_AGE=60 STATIC_ROOT="$PWD/staticfiles"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn -c guro_sme/gunicorn.conf.py guro_sme.wsgi --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
# The master warms up the fund ledger before the workers start (guro_sme/gunicorn.conf.py).
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break; sleep 0.5; done

.venv/bin/locust -f scripts/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate 10 --run-time "${SECONDS_TO_RUN}s" --stop-timeout 5 \
  --csv "$OUT" --only-summary --exit-code-on-error 1
