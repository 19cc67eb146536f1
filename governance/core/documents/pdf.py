"""PDFs: readable by pypdf, with no web page code, scripts, program launches or files
hidden inside."""

import io
import re

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from governance.core.documents.text import has_markup

UNREADABLE_MESSAGE = "This file says it is a PDF but it could not be read as one."
MARKUP_MESSAGE = (
    "This PDF contains web page code (such as HTML or a script), which we do not accept. "
    "Print it to a new PDF and try again."
)
SCRIPT_MESSAGE = (
    "This PDF contains JavaScript or other code that runs when it is opened, which we do "
    "not accept. Print it to a new PDF and try again."
)
LAUNCH_MESSAGE = (
    "This PDF contains an action that starts another program, which we do not accept. "
    "Print it to a new PDF and try again."
)
ATTACHMENT_MESSAGE = (
    "This PDF has other files attached inside it, which we do not accept. Upload each "
    "file on its own."
)
PASSWORD_MESSAGE = "This PDF is protected with a password. Remove the password and try again."

# The bodies of streams hold compressed or binary data (pages, fonts, images). Web page
# code anywhere else in the file (before the first object, between objects, after
# %%EOF) is what makes a PDF that is also a web page, so that is searched for every tag
# a browser would act on.
_STREAM_BODY = re.compile(rb"(?<!end)stream(?:\r\n|\r|\n).*?endstream", re.DOTALL)
# Inside stream bodies only markers long enough that compressed data will not spell
# them by chance are searched for (on the lower-cased file).
_LONG_MARKUP = tuple(
    re.compile(pattern)
    for pattern in (rb"<(?:script|iframe|!doctype)", rb"javascript\s*:", rb"vbscript\s*:")
)

_SCRIPT_KEYS = {"/JS", "/JavaScript", "/XFA", "/RichMedia"}
_ATTACHMENT_KEYS = {"/EmbeddedFiles", "/EF"}


def check_pdf(data: bytes) -> None:
    lowered = data.lower()
    if any(pattern.search(lowered) for pattern in _LONG_MARKUP) or has_markup(
        _STREAM_BODY.sub(b" ", data)
    ):
        raise ValidationError(MARKUP_MESSAGE)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(PASSWORD_MESSAGE)
        if len(reader.pages) == 0:
            raise ValidationError(UNREADABLE_MESSAGE)
        problem = _active_content(reader)
    except ValidationError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        # AES encryption needs the cryptography package, which is not installed: such a
        # file cannot be looked inside, so it is treated as protected.
        raise ValidationError(PASSWORD_MESSAGE) from exc
    except Exception as exc:
        # pypdf reports a damaged file with many kinds of exception (its own, and
        # KeyError, ValueError, RecursionError... from the structures it walks). All of
        # them mean the same to the person uploading it.
        raise ValidationError(UNREADABLE_MESSAGE) from exc
    if problem:
        raise ValidationError(problem)


def _active_content(reader: PdfReader) -> str | None:
    """Walk every object reachable from the trailer (the objects a reader can act on)
    and name the first thing we refuse, or None."""
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            # dict.items: the raw values, so references are followed here, once each.
            for name, value in dict.items(node):
                if name in _SCRIPT_KEYS:
                    return SCRIPT_MESSAGE
                if name in _ATTACHMENT_KEYS:
                    return ATTACHMENT_MESSAGE
                if name in ("/S", "/Type"):
                    target = value.get_object() if isinstance(value, IndirectObject) else value
                    if target == "/JavaScript":
                        return SCRIPT_MESSAGE
                    if target == "/Launch":
                        return LAUNCH_MESSAGE
                    if target == "/EmbeddedFile":
                        return ATTACHMENT_MESSAGE
                pending.append(value)
        elif isinstance(node, ArrayObject):
            pending.extend(list.__iter__(node))
    return None
