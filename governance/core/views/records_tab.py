"""A record's tab that lists records of another kind, such as a contract's meetings."""


class RecordsTab:
    """Open to those who may see the record and may view records of ``records_model``.
    Goes before the record's tabs mixin."""

    records_model = None

    def has_permission(self):
        return super().has_permission() and self.can("view", self.records_model)
