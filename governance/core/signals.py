"""Signals of the shared base that features send and higher layers receive, so a
feature need not import what depends on it."""

from django.dispatch import Signal

#: Records a contract's overall status rests on were written in bulk, without the
#: models' own save signals. Sent with ``contract_ids``.
contract_inputs_changed = Signal()

#: Records were written in bulk (``bulk_create``, ``bulk_update``, ``update``) without
#: the models' own save signals: what is built from them is out of date.
records_changed_in_bulk = Signal()
