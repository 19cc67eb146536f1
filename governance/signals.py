"""Signals of the shared base that features send and higher layers receive, so a
feature need not import what depends on it."""

from django.dispatch import Signal

#: Records a contract's overall status rests on were written in bulk, without the
#: models' own save signals. Sent with ``contract_ids``.
contract_inputs_changed = Signal()
