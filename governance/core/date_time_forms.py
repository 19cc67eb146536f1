"""Model forms that take a moment as a date and a time typed apart."""

from django.utils import timezone

from governance.core.forms import join_date_and_time


class DateAndTimeMixin:
    """``date_and_time``: the names of the date field (the model's datetime field) and
    of the time field beside it. A record being edited shows its moment in local time;
    clean() puts the two back together under the date field's name."""

    date_and_time: tuple[str, str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            date_name, time_name = self.date_and_time
            local = timezone.localtime(getattr(self.instance, date_name))
            self.initial.update({date_name: local.date(), time_name: f"{local:%H:%M}"})

    def clean(self):
        return join_date_and_time(super().clean(), *self.date_and_time)
