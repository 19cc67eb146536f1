"""The shared base every feature's pages are declared with.

A feature declares its model, selector, filterset, columns and form; these classes do
the rest the same way everywhere: permission (403), object scope (404), filters, sorting,
pagination, CSV export, tabs, history, documents, and writes through services.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from governance.core.concurrency import (
    StaleRecord,
    add_version_field,
    check_unchanged,
    show_stale,
    take_version,
)
from governance.core.exports import counted, csv_lines, listing_pdf, shown_text
from governance.core.forms import DocumentUploadForm
from governance.core.history import history_entries
from governance.core.models.base import Document
from governance.core.models.exports import ExportFormat
from governance.core.navigation import record_url
from governance.core.pdf import render_pdf
from governance.core.permissions import permission_name
from governance.core.services import document_upload
from governance.core.services.exports import export_request
from governance.core.tables import Column
from governance.core.xlsx import XLSX_CONTENT_TYPE, Sheet, workbook_bytes, workbook_save


class ModelPermissionMixin:
    """Refuses (403) a signed-in user whose roles lack the model permission for
    ``permission_action``. Anonymous users never get here: the login middleware
    sends them to sign in first."""

    model: type[models.Model]
    permission_action = "view"

    def has_permission(self) -> bool:
        return self.request.user.has_perm(permission_name(self.model, self.permission_action))

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_object_permission(self) -> bool:
        """Whether the user is someone who may take this page's step on its record at
        all, once the record is found. A page whose service names who may act (beyond
        the model permission and the record's scope) asks the service here, so a form
        the user could never submit is refused (403) on GET as on POST. Whether the
        record's state still allows the step is left to the service, which says why."""
        return True

    def can(self, action: str, model: type[models.Model] | None = None) -> bool:
        return self.request.user.has_perm(permission_name(model or self.model, action))


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def post_versioned(view, form, act: Callable, done: Callable) -> HttpResponse:
    """A posted form that changes a record through its service: ``act(seen)``, given the
    version of the record the form was drawn from, runs in one transaction and
    ``done(result)`` answers. A record changed since is 409, the form shown again with
    what changed; a service's refusal is 400, its messages on the form."""
    if form.is_valid():
        seen = take_version(form)
        try:
            with transaction.atomic():
                result = act(seen)
        except StaleRecord as stale:
            show_stale(form, stale)
            return view.render_to_response(view.get_context_data(form=form), status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return done(result)
    return view.render_to_response(view.get_context_data(form=form), status=400)


class ObjectListView(ModelPermissionMixin, TemplateView):
    """selector(user) -> FilterSet(request.GET) -> sorted, paginated table; the same
    rows as CSV, PDF or (where offered) a spreadsheet with ``?export=csv|pdf|xlsx``.

    An export of more rows than the setting allows for its format is prepared in the
    background: the list page offers it as a button that starts a job (a POST), and
    the job, run for the same person with the same filters, calls ``write_export``."""

    template_name = "governance/object_list.html"
    selector: Callable | None = None
    filterset_class = None
    columns: list[Column] = []
    default_sort = ""
    paginate_by = 25
    title = ""
    create_url_name = ""
    #: The list's spreadsheet import, offered to those who may add its records.
    import_url_name = ""
    empty_message = "No records match."

    #: Offer the list as a spreadsheet (``?export=xlsx``) as well.
    xlsx_export = False

    #: A PDF lists at most this many rows; the CSV export has them all.
    pdf_row_limit = 50_000

    def get_queryset(self):
        if self.selector is not None:
            return type(self).selector(self.request.user)
        return self.model.objects.restrict(self.request.user, "view")

    def sortable(self) -> dict[str, str]:
        return {col.sort: col.sort for col in self.columns if col.sort}

    def current_sort(self) -> str:
        requested = self.request.GET.get("sort", "")
        return requested if requested.lstrip("-") in self.sortable() else self.default_sort

    def default_ordering(self) -> list | None:
        """The order when the reader has not chosen a column; None: ``default_sort``.
        Lists of deadlines put the missed ones first this way."""
        return None

    def filtered(self):
        queryset = self.get_queryset()
        filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        rows = filterset.qs if filterset.is_valid() or not filterset.is_bound else queryset.none()
        chosen = self.request.GET.get("sort", "").lstrip("-") in self.sortable()
        default = None if chosen else self.default_ordering()
        sort = self.current_sort()
        if default:
            rows = rows.order_by(*default, "pk")
        elif sort:
            rows = rows.order_by(sort, "pk")
        return filterset, rows

    # -- Exports -----------------------------------------------------------------------

    #: Relations read by the exported columns only (``in_table=False``): joined for an
    #: export, so the page's own query stays narrow (PostgreSQL plans a join of many
    #: tables under a LIMIT slowly).
    export_related: tuple[str, ...] = ()

    def export_rows(self, rows):
        return rows.select_related(*self.export_related) if self.export_related else rows

    def export_formats(self) -> list[str]:
        formats = [ExportFormat.CSV, ExportFormat.PDF]
        if self.xlsx_export:
            formats.append(ExportFormat.XLSX)
        return formats

    @staticmethod
    def immediate_export_limit(export_format: str) -> int:
        """The most rows an export of this format is sent at once; more are prepared in
        the background."""
        return settings.EXPORT_IMMEDIATE_MAX_ROWS[export_format]

    def export_query(self) -> str:
        """The query string of the list as shown: its filters and sort."""
        query = self.request.GET.copy()
        for name in ("export", "page"):
            query.pop(name, None)
        return query.urlencode()

    def export_filename(self, export_format: str) -> str:
        stamp = timezone.localdate().isoformat()
        name = slugify(self.get_title()) or self.model._meta.model_name
        return f"{name}-{stamp}.{export_format}"

    def get(self, request, *args, **kwargs):
        filterset, rows = self.filtered()
        export_format = request.GET.get("export")
        if export_format in self.export_formats():
            count = rows.count()
            if count > self.immediate_export_limit(export_format):
                messages.info(
                    request,
                    f"This list has {count} rows, too many to send at once. Choose the "
                    "export again below and it will be prepared for you.",
                )
                query = self.export_query()
                return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
            return self.export_now(export_format, filterset, rows)
        return super().get(request, *args, filterset=filterset, rows=rows, **kwargs)

    def post(self, request, *args, **kwargs):
        """Start preparing an export in the background, then show its progress."""
        export_format = request.POST.get("export", "")
        if export_format not in self.export_formats():
            return HttpResponseBadRequest("Choose CSV, PDF or a spreadsheet to export.")
        query = self.export_query()
        try:
            job, created = export_request(
                user=request.user,
                list_name=request.resolver_match.view_name,
                query=query,
                export_format=export_format,
                title=self.get_title(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        if not created:
            messages.info(request, "This export is already being prepared.")
        return HttpResponseRedirect(job.get_absolute_url())

    def export_now(self, export_format: str, filterset, rows):
        rows = self.export_rows(rows)
        if export_format == ExportFormat.CSV:
            response = StreamingHttpResponse(
                csv_lines(self.columns, rows.iterator(chunk_size=1000)),
                content_type="text/csv; charset=utf-8",
            )
        elif export_format == ExportFormat.XLSX:
            response = HttpResponse(
                workbook_bytes(self.xlsx_sheets(rows)), content_type=XLSX_CONTENT_TYPE
            )
        else:
            return self.export_pdf_now(filterset, rows)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_filename(export_format)}"'
        )
        return response

    def table_columns(self) -> list[Column]:
        return [col for col in self.columns if col.in_table]

    def xlsx_sheets(self, rows) -> list[Sheet]:
        """The spreadsheet's sheets: the list itself; a list may add more."""
        return [
            Sheet(
                title=self.get_title(),
                headers=[col.label for col in self.columns],
                rows=([col.raw(obj) for col in self.columns] for obj in rows.iterator(2000)),
            )
        ]

    def pdf_reference(self) -> str:
        return f"{self.get_title()} list, {timezone.localdate().isoformat()}"

    def export_pdf_now(self, filterset, rows):
        """The filtered list as a read-only PDF table, for auditors and meeting papers:
        the columns the page shows, as it shows them."""
        columns = self.table_columns()
        return render_pdf(
            request=self.request,
            template_name="pdf/object_list.html",
            context={
                "title": self.get_title(),
                "filters": filterset.active_filters(),
                "headers": [col.label for col in columns],
                "rows": [[shown_text(col, obj) for col in columns] for obj in rows],
            },
            reference=self.pdf_reference(),
            filename=self.export_filename(ExportFormat.PDF),
        )

    def write_export(
        self, export_format: str, target, *, progress: Callable[[int, int], None]
    ) -> int:
        """Write the list, as the request's user sees it, to the binary file ``target``
        (a background export); returns the number of rows in the list."""
        filterset, rows = self.filtered()
        rows = self.export_rows(rows)
        total = rows.count()
        progress(0, total)

        def done(count: int) -> None:
            progress(min(count, total), total)

        if export_format == ExportFormat.CSV:
            text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
            text.writelines(csv_lines(self.columns, rows.iterator(chunk_size=2000), done))
            text.detach()
        elif export_format == ExportFormat.XLSX:
            sheets = self.xlsx_sheets(rows)
            sheets[0].rows = counted(sheets[0].rows, done)
            workbook_save(sheets, target)
        else:
            listing_pdf(
                target=target,
                title=self.get_title(),
                reference=self.pdf_reference(),
                user=self.request.user,
                columns=self.table_columns(),
                rows=rows[: self.pdf_row_limit].iterator(chunk_size=2000),
                total=total,
                filters=filterset.active_filters(),
                progress=done,
            )
        return total

    def active_filters(self, filterset) -> list[dict]:
        filters = []
        for name, label, value in filterset.active_filters():
            query = self.request.GET.copy()
            query.pop(name, None)
            query.pop("page", None)
            filters.append({"label": label, "value": value, "remove_url": f"?{query.urlencode()}"})
        return filters

    def get_title(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural).capitalize()

    def export_links(self, count: int) -> list[dict]:
        """The list's exports: a link for one sent at once, a button for one prepared in
        the background."""
        query = self.request.GET.copy()
        query.pop("page", None)
        labels = {
            ExportFormat.CSV: "Export this row as CSV"
            if count == 1
            else f"Export these {count:,} rows as CSV",
            ExportFormat.PDF: "Download as PDF",
            ExportFormat.XLSX: "Download as a spreadsheet (XLSX)",
        }
        links = []
        for export_format in self.export_formats():
            query["export"] = export_format
            links.append(
                {
                    "format": export_format,
                    "label": labels[export_format],
                    "background": count > self.immediate_export_limit(export_format),
                    "url": f"?{query.urlencode()}",
                }
            )
        return links

    def row_url(self, obj) -> str:
        """Where a row's linked cell leads: the record's page, unless the list is a view
        of records some users see on pages of their own."""
        return obj.get_absolute_url()

    def get_context_data(self, *, filterset, rows, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        sort = self.current_sort()
        shown = self.table_columns()
        headers = []
        for col in shown:
            state = ""
            if col.sort and sort.lstrip("-") == col.sort:
                state = "descending" if sort.startswith("-") else "ascending"
            next_sort = None
            if col.sort:
                next_sort = f"-{col.sort}" if state == "ascending" else col.sort
            headers.append({"column": col, "aria_sort": state or "none", "next_sort": next_sort})
        table = [
            [
                {
                    "text": col.text(obj),
                    "html": col.html(obj) if col.html else "",
                    "url": self.row_url(obj) if col.link else "",
                    "numeric": col.numeric or col.money,
                }
                for col in shown
            ]
            for obj in page.object_list
        ]
        context.update(
            title=self.get_title(),
            filterset=filterset,
            active_filters=self.active_filters(filterset),
            page=page,
            headers=headers,
            table=table,
            create_url=reverse(self.create_url_name)
            if self.create_url_name and self.can("add")
            else "",
            import_url=reverse(self.import_url_name)
            if self.import_url_name and self.can("add")
            else "",
            empty_message=self.empty_message,
            model_name=self.model._meta.verbose_name,
            exports=self.export_links(page.paginator.count),
        )
        return context


def object_or_404(queryset, **unique):
    """The row of ``queryset`` matching ``unique`` (a primary or other unique key), or 404.

    Not ``get_object_or_404``: ``QuerySet.get()`` adds ``LIMIT 21``, and with any LIMIT
    PostgreSQL plans a wide ``select_related`` join for a fast start, which takes ten times
    as long as running it (about 20 ms against 2 ms for a contract's ten tables)."""
    found = list(queryset.filter(**unique).order_by())
    if not found:
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.")
    return found[0]


@dataclass(frozen=True)
class Tab:
    label: str
    url_name: str  # takes the object's pk
    permission: str | None = None  # shown only to users holding it
    # Records with many tabs group them: the page shows the sections, then the tabs of the
    # current section. Consecutive tabs naming the same section form it.
    section: str = ""


def record_tabs(name: str, *between: Tab, documents: bool = False) -> list[Tab]:
    """A record's tabs: Overview first, then ``between``, then Documents (with
    ``documents``) and History, at the URL names ``<name>_detail``, ``<name>_documents``
    and ``<name>_history`` (``name`` as "disputes:dispute")."""
    return [
        Tab("Overview", f"{name}_detail"),
        *between,
        *([Tab("Documents", f"{name}_documents")] if documents else []),
        Tab("History", f"{name}_history"),
    ]


def tab_sections(tabs: list[dict]) -> list[dict]:
    """The visible tabs grouped into their sections, in order: each section links to its
    first tab and is current when one of its tabs is."""
    sections: list[dict] = []
    for tab in tabs:
        if not sections or sections[-1]["label"] != tab["section"]:
            sections.append({"label": tab["section"], "url": tab["url"], "tabs": []})
        sections[-1]["tabs"].append(tab)
    for section in sections:
        section["active"] = any(tab["active"] for tab in section["tabs"])
    return sections


class ObjectMixin(ModelPermissionMixin):
    """Finds the object among the rows the user may take ``object_action`` on (404
    otherwise) and lays out the detail page's tabs."""

    object_action = "view"
    tabs: list[Tab] = []
    object = None

    def get_object(self):
        queryset = self.model.objects.restrict(self.request.user, self.object_action)
        return object_or_404(self.prepare_queryset(queryset), pk=self.kwargs["pk"])

    def prepare_queryset(self, queryset):
        """Add select_related/prefetch_related for the page."""
        return queryset

    def dispatch(self, request, *args, **kwargs):
        # Permission first (403), then scope (404), then who may act on it (403).
        if not self.has_permission():
            raise PermissionDenied
        self.object = self.get_object()
        if not self.has_object_permission():
            raise PermissionDenied
        return super(ModelPermissionMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.request.resolver_match.view_name
        tabs = [
            {
                "label": tab.label,
                "url": record_url(tab.url_name, self.object.pk),
                "active": tab.url_name == current,
                "section": tab.section,
            }
            for tab in self.tabs
            if tab.permission is None or self.request.user.has_perm(tab.permission)
        ]
        context.update(
            object=self.object,
            model_label=str(self.model._meta.verbose_name).capitalize(),
            tabs=tabs,
            tab_sections=tab_sections(tabs) if any(tab["section"] for tab in tabs) else [],
            can_change=self.model.objects.restrict(self.request.user, "change")
            .filter(pk=self.object.pk)
            .exists(),
        )
        return context


class ObjectDetailView(ObjectMixin, TemplateView):
    """The overview tab; ``template_name`` holds the model's summary."""


class ObjectHistoryView(ObjectMixin, TemplateView):
    template_name = "governance/object_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=history_entries(self.object), **kwargs)


class ObjectDocumentsView(ObjectMixin, TemplateView):
    """Lists the record's documents; users who may change the record upload here."""

    template_name = "governance/object_documents.html"

    def may_upload(self) -> bool:
        return self.can("add", Document) and (
            self.model.objects.restrict(self.request.user, "change")
            .filter(pk=self.object.pk)
            .exists()
        )

    def get_context_data(self, form=None, **kwargs):
        documents = Document.objects.for_object(self.object).select_related("uploaded_by")
        may_upload = self.may_upload()
        return super().get_context_data(
            documents=documents,
            form=form or (DocumentUploadForm() if may_upload else None),
            may_upload=may_upload,
            max_upload_mb=settings.DOCUMENT_MAX_UPLOAD_MB,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may_upload():
            raise PermissionDenied
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = document_upload(
                    attached_to=self.object,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{document} uploaded.")
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DocumentDownloadView(View):
    """Serves a document only to users who may see the record it belongs to."""

    def get(self, request, pk):
        document = get_object_or_404(
            Document.objects.restrict(request.user, "view").select_related("content_type"),
            pk=pk,
        )
        parent_model = document.content_type.model_class()
        visible = parent_model.objects.restrict(request.user, "view")
        if not visible.filter(pk=document.object_id).exists():
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_filename,
            content_type=document.media_type,
        )


class ObjectFormView(ModelPermissionMixin, TemplateView):
    """Create (no pk) or edit (pk) a record through a service.

    ``create_service(actor=, reason=, **cleaned_data)`` and
    ``update_service(instance=, actor=, reason=, **cleaned_data)`` hold the rules; a
    ValidationError they raise is shown on the form and nothing is saved.
    """

    template_name = "governance/object_form.html"
    form_class = None
    create_service: Callable | None = None
    update_service: Callable | None = None
    object = None

    @property
    def editing(self) -> bool:
        return "pk" in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        self.permission_action = "change" if "pk" in kwargs else "add"
        if not self.has_permission():
            raise PermissionDenied
        self.load_objects()
        if not self.has_object_permission():
            raise PermissionDenied
        return super(ModelPermissionMixin, self).dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Find the record being edited among those the user may change (404 otherwise)."""
        if self.editing:
            self.object = get_object_or_404(
                self.model.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"]
            )
            # Named before the form copies submitted values onto the instance.
            self.object_label = str(self.object)

    def create(self, form, reason: str):
        return type(self).create_service(
            actor=self.request.user, reason=reason, **self.service_fields(form)
        )

    def update(self, form, reason: str):
        # The form has copied its values onto the instance; start from the stored row so
        # the service sees exactly what changes.
        instance = type(self.object)._base_manager.get(pk=self.object.pk)
        return type(self).update_service(
            instance=instance, actor=self.request.user, reason=reason, **self.service_fields(form)
        )

    def get_form_kwargs(self) -> dict:
        kwargs = {"require_reason": self.editing}
        if self.editing:
            kwargs["instance"] = self.object
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def get_versioned_form(self):
        """The form, carrying the version of the record it edits (none when adding)."""
        form = self.get_form()
        return add_version_field(form, self.object) if self.editing else form

    def get_title(self) -> str:
        name = self.model._meta.verbose_name
        return (
            f"Edit {self.object_label}"
            if self.editing
            else f"Add {'an' if name[0] in 'aeiou' else 'a'} {name}"
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_versioned_form()))

    def service_fields(self, form) -> dict:
        return {k: v for k, v in form.cleaned_data.items() if k != "change_reason"}

    def post(self, request, *args, **kwargs):
        form = self.get_versioned_form()

        def act(seen):
            reason = form.cleaned_data.get("change_reason", "")
            if not self.editing:
                return self.create(form, reason)
            check_unchanged(self.object, seen)
            return self.update(form, reason)

        return post_versioned(self, form, act, self.success)

    def success(self, result):
        if self.editing:
            changed = result
            if changed:
                messages.success(self.request, f"{self.object_label} updated.")
            else:
                messages.info(self.request, "Nothing was changed.")
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, f"{result} added.")
        return HttpResponseRedirect(result.get_absolute_url())

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.editing else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), object=self.object, cancel_url=self.get_cancel_url())
        return context


class ObjectPdfView(ObjectMixin, View):
    """A PDF of one record, from ``pdf_template_name``."""

    pdf_template_name = ""

    def get_pdf_context(self) -> dict:
        return {"object": self.object}

    def get_reference(self) -> str:
        return f"{self.model._meta.verbose_name.title()} {self.object.pk}"

    def get(self, request, *args, **kwargs):
        return render_pdf(
            request=request,
            template_name=self.pdf_template_name,
            context=self.get_pdf_context(),
            reference=self.get_reference(),
            filename=f"{slugify(str(self.object))}.pdf",
        )


class ChildFormView(ObjectFormView):
    """Adds a record that belongs to another (an option, a variation, an SLA to a
    contract). The parent comes from the URL's ``parent_pk`` among the parents the user
    may change (404 otherwise) and is passed to the service as ``parent_field``."""

    parent_model: type[models.Model]
    parent_field = "contract"
    #: The URL name of the parent's tab that a cancelled add returns to (the parent's
    #: own page when empty).
    parent_tab = ""
    parent = None

    def load_objects(self) -> None:
        super().load_objects()
        if "parent_pk" in self.kwargs:
            self.parent = get_object_or_404(
                self.parent_model.objects.restrict(self.request.user, "change"),
                pk=self.kwargs["parent_pk"],
            )
        elif self.object is not None:
            self.parent = getattr(self.object, self.parent_field)

    def create(self, form, reason: str):
        return type(self).create_service(
            **{self.parent_field: self.parent},
            actor=self.request.user,
            reason=reason,
            **self.service_fields(form),
        )

    def get_cancel_url(self) -> str:
        if self.editing or not self.parent_tab:
            return super().get_cancel_url() or self.parent.get_absolute_url()
        return reverse(self.parent_tab, args=[self.parent.pk])

    def get_title(self) -> str:
        return super().get_title() if self.editing else f"{super().get_title()} for {self.parent}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.parent, **kwargs)


class ObjectActionView(ObjectMixin, TemplateView):
    """One step of a record's life (approve, exercise, activate...): a short form that
    confirms the step and asks for its details, then ``service(<object_field>=obj,
    actor=user, **cleaned_data)``. A ValidationError from the service is shown on the
    form and nothing changes."""

    template_name = "governance/object_action.html"
    form_class = None
    service: Callable | None = None
    object_field = "instance"
    title = ""
    submit_label = "Confirm"
    description = ""
    success_message = ""
    warning = False

    def get_form_kwargs(self) -> dict:
        kwargs = {}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
            kwargs["files"] = self.request.FILES
        return kwargs

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def get_versioned_form(self):
        """The form, carrying the version of the record the step is taken on."""
        return add_version_field(self.get_form(), self.object)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_versioned_form()))

    def service_kwargs(self, form) -> dict:
        return dict(form.cleaned_data)

    def get_service(self) -> Callable:
        # Read from the class so a plain function is not bound as a method.
        return type(self).service

    def post(self, request, *args, **kwargs):
        form = self.get_versioned_form()

        def act(seen):
            check_unchanged(self.object, seen)
            return self.get_service()(
                **{self.object_field: self.object},
                actor=request.user,
                **self.service_kwargs(form),
            )

        def done(result):
            message = self.get_success_message(result)
            if message:
                messages.success(request, message)
            return HttpResponseRedirect(self.get_success_url())

        return post_versioned(self, form, act, done)

    def get_success_message(self, result) -> str:
        """What the banner says once the step is taken; ``result`` is what the service
        returned."""
        return self.success_message

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            submit_label=self.submit_label,
            description=self.description,
            warning=self.warning,
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )
