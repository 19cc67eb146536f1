"""PNG and JPEG images: decoded and saved again, so only the picture is stored."""

import io

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from governance.core.documents.kinds import JPEG, PNG, DocumentKind

_PILLOW_FORMATS = {PNG: {"PNG"}, JPEG: {"JPEG", "MPO"}}  # MPO: a phone's JPEG with a depth map
_SAVE_FORMAT = {PNG: "PNG", JPEG: "JPEG"}


def _too_large_message() -> str:
    millions = Image.MAX_IMAGE_PIXELS // 1_000_000
    return (
        f"This image is too large: it has more than {millions} million pixels. Save a "
        "smaller copy and try again."
    )


def reencode_image(data: bytes, kind: DocumentKind) -> bytes:
    """The picture in ``data`` saved afresh as ``kind``.

    Nothing but the pixels is carried over: no EXIF (camera, place, time), no XMP, no
    comments or text chunks, nothing appended after the image. The colour profile is
    kept, because without it colours shift, and PNG transparency is kept because it is
    part of the picture. A photo's EXIF rotation is applied first so it still shows the
    right way up without it.
    """
    unreadable = ValidationError(
        f"This file says it is a {kind.label} but it could not be read as one."
    )
    try:
        # open() reads only the header, so the size is known before anything is decoded.
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _PILLOW_FORMATS[kind]:
                raise unreadable
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise ValidationError(_too_large_message())
            image.load()
            picture = ImageOps.exif_transpose(image) if kind == JPEG else image.copy()
    except Image.DecompressionBombError as exc:
        raise ValidationError(_too_large_message()) from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise unreadable from exc
    keep = {
        name: picture.info[name]
        for name in ("icc_profile", "transparency")
        if name in picture.info and not (name == "transparency" and kind == JPEG)
    }
    picture.info = {}
    output = io.BytesIO()
    options = {"quality": 90} if kind == JPEG else {}
    try:
        picture.save(output, format=_SAVE_FORMAT[kind], **keep, **options)
    except (OSError, ValueError) as exc:
        raise unreadable from exc
    return output.getvalue()
