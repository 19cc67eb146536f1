#!/bin/sh
# Entrypoint of the contract governance image. The first argument picks the role:
#   migrate apply database migrations, then exit (the compose stack's one-shot service)
#   web     serve the site with gunicorn on port 8000
#   worker  run the Celery worker, which carries out background tasks
#   beat    run the Celery beat scheduler; run exactly one, or scheduled jobs run twice
#   other   run that command as given (e.g. `python manage.py createsuperuser`)
# Arguments after web, worker or beat are passed on to gunicorn or celery.
set -eu

role="${1:-}"

case "$role" in
    migrate)
        shift
        exec python manage.py migrate --noinput "$@"
        ;;
    web)
        shift
        exec gunicorn governance.wsgi:application \
            --bind 0.0.0.0:8000 --workers 3 --access-logfile - "$@"
        ;;
    worker)
        shift
        exec celery -A governance worker --loglevel=info "$@"
        ;;
    beat)
        shift
        # The schedule file records when each periodic task last ran; /app/var is the
        # only folder the app user may write to.
        exec celery -A governance beat --loglevel=info \
            --schedule /app/var/beat/celerybeat-schedule "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
