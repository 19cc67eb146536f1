"""What ``manage.py benchmark`` measures with: Django admin's changelist of contracts as
the yardstick for the contract list, replaying a page's SQL on a bare cursor, and a
bounded load run against gunicorn."""
