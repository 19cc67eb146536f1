"""The pages of every spreadsheet import: the import page (what the columns mean, the
template to download, the upload), and the preview, which lists every row's errors or
asks to confirm. A feature adds them with ``import_urls``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from governance.core.forms import GovukForm
from governance.core.imports import Importer, ImportFileError, read_table
from governance.core.models.imports import ImportBatch, ImportStatus
from governance.core.permissions import permission_name
from governance.core.xlsx import XLSX_CONTENT_TYPE


class ImportUploadForm(GovukForm):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV file or an Excel spreadsheet (XLSX) with the template's columns.",
        error_messages={
            "required": "Choose the spreadsheet to import.",
            "empty": "The file is empty. Fill in the template and upload it again.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {limit} MB. Split it into smaller files and import each."
            )
        return upload


class ImportPageMixin:
    """Who may import: whoever may add the import's records (403 otherwise; anonymous
    users are sent to sign in by the login middleware). Which rows they may add, such
    as risks of contracts they run, the feature's service decides row by row."""

    importer_class: type[Importer] | None = None
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        model = self.importer_class.model
        if not request.user.has_perm(permission_name(model, "add")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def url(self, suffix: str, *args) -> str:
        namespace = self.request.resolver_match.namespace
        name = f"{self.url_name}_{suffix}"
        return reverse(f"{namespace}:{name}" if namespace else name, args=args)

    def list_url(self) -> str:
        return reverse(self.importer_class.list_url_name)

    def page_context(self) -> dict:
        importer = self.importer_class
        return {
            "importer": importer,
            "title": importer.title,
            "list_url": self.list_url(),
            "import_url": self.url("import"),
            "template_xlsx_url": self.url("import_template", "xlsx"),
            "template_csv_url": self.url("import_template", "csv"),
            "max_rows": settings.IMPORT_MAX_ROWS,
            "max_upload_mb": settings.IMPORT_MAX_UPLOAD_MB,
            "columns": [
                {"column": column, "description": importer.describe(column)}
                for column in importer.columns
            ],
        }


class ImportView(ImportPageMixin, TemplateView):
    """The import page: the columns, the template, and the upload. A file that cannot
    be imported at all (not a spreadsheet, the wrong columns, too many rows) is refused
    here, and nothing is kept."""

    template_name = "governance/import_start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.page_context(), **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ImportUploadForm()))

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            file_name = upload.name.rsplit("/", 1)[-1][:255]
            try:
                table = read_table(data, file_name, sheet_name=self.importer_class.sheet_name)
                self.importer_class(actor=request.user, file_name=file_name).check_headers(
                    table.headers
                )
            except ImportFileError as problem:
                form.add_error("file", problem.message)
            else:
                batch = ImportBatch.objects.create(
                    importer=self.importer_class.key,
                    uploaded_by=request.user,
                    file_name=file_name,
                    content=data,
                )
                return HttpResponseRedirect(self.url("import_preview", batch.token))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportTemplateView(ImportPageMixin, View):
    """The template: the import's columns, empty, as XLSX (with a sheet saying what
    each column takes) or CSV."""

    def get(self, request, file_format: str, *args, **kwargs):
        importer = self.importer_class(actor=request.user, file_name="")
        name = slugify(importer.title) or importer.key
        if file_format == "xlsx":
            response = HttpResponse(importer.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        elif file_format == "csv":
            response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
        else:
            raise Http404("Templates come as xlsx or csv.")
        response["Content-Disposition"] = f'attachment; filename="{name}-template.{file_format}"'
        return response


class ImportPreviewView(ImportPageMixin, TemplateView):
    """Every row checked through the feature's service and nothing kept: the errors,
    row by row, or a button to import them all. Confirming runs the same again in one
    transaction and keeps the rows only if none has an error."""

    template_name = "governance/import_preview.html"

    def get_batch(self) -> ImportBatch:
        return get_object_or_404(
            ImportBatch.objects.filter(
                uploaded_by=self.request.user,
                importer=self.importer_class.key,
                status=ImportStatus.PREVIEWED,
            ),
            token=self.kwargs["token"],
        )

    def run(self, batch: ImportBatch, *, commit: bool):
        importer = self.importer_class(actor=self.request.user, file_name=batch.file_name)
        try:
            table = read_table(
                bytes(batch.content), batch.file_name, sheet_name=importer.sheet_name
            )
            return importer.run(table, commit=commit), ""
        except ImportFileError as problem:
            return None, problem.message

    def render_result(self, batch, result, problem, status=200):
        context = self.get_context_data(
            **self.page_context(),
            batch=batch,
            result=result,
            file_problem=problem,
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        result, problem = self.run(batch, commit=False)
        return self.render_result(batch, result, problem)

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        result, problem = self.run(batch, commit=True)
        if problem or result.errors or not result.rows:
            return self.render_result(batch, result, problem, status=400)
        batch.status = ImportStatus.IMPORTED
        batch.imported_at = timezone.now()
        batch.rows_imported = len(result.imported)
        batch.content = b""  # the records hold the data now
        batch.save()
        importer = self.importer_class
        count = len(result.imported)
        noun = importer.noun if count == 1 else importer.noun_plural
        messages.success(request, f"{count} {noun} imported from {batch.file_name}.")
        return HttpResponseRedirect(self.list_url())


def import_urls(route: str, importer_class: type[Importer], url_name: str) -> list:
    """The import's pages under ``route`` (such as ``risks/import``), named
    ``<url_name>_import``, ``<url_name>_import_template`` and ``<url_name>_import_preview``."""
    options = {"importer_class": importer_class, "url_name": url_name}
    return [
        path(f"{route}/", ImportView.as_view(**options), name=f"{url_name}_import"),
        path(
            f"{route}/template.<str:file_format>",
            ImportTemplateView.as_view(**options),
            name=f"{url_name}_import_template",
        ),
        path(
            f"{route}/<uuid:token>/",
            ImportPreviewView.as_view(**options),
            name=f"{url_name}_import_preview",
        ),
    ]
