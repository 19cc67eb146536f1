"""URLs of each person's calendar feed and its page on their account."""

from django.urls import path

from governance.calendars.views import AccountCalendarView, CalendarFeedView

urlpatterns = [
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar_feed"),
    path("account/calendar/", AccountCalendarView.as_view(), name="account_calendar"),
]
