"""Read the words of documents uploaded before the search box read them on upload."""

from django.core.management.base import BaseCommand

from governance.core.models.base import Document
from governance.core.services import document_text_refresh


class Command(BaseCommand):
    help = "Read the text of uploaded documents (PDF, Word, Excel, CSV) for the search box."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Read every document again, not only those with no text yet.",
        )

    def handle(self, *args, **options):
        documents = Document.objects.order_by("pk")
        if not options["all"]:
            documents = documents.filter(text="")
        read = empty = missing = 0
        for document in documents.iterator(chunk_size=200):
            try:
                found = document_text_refresh(document=document)
            except FileNotFoundError:
                missing += 1
                continue
            if found:
                read += 1
            else:
                empty += 1
        self.stdout.write(
            f"Read the text of {read} documents; {empty} had none to read "
            f"(pictures, or unreadable); {missing} files were missing from storage."
        )
