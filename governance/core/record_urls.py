"""The usual pages of one record, as URL patterns."""

from django.urls import path


def record_urls(prefix: str, stem: str, *, detail, history, update=None) -> list:
    """The pages of one record at ``<prefix>/<pk>/``: its overview (``<stem>_detail``),
    its edit form where it has one (``edit/``, ``<stem>_update``) and its history
    (``history/``, ``<stem>_history``). Put them before any pattern of the prefix that
    takes a word after the record's number, so that "edit" and "history" reach these."""
    urls = [path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{stem}_detail")]
    if update is not None:
        urls.append(path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{stem}_update"))
    urls.append(path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{stem}_history"))
    return urls
