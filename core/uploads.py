"""Checks on uploaded evidence: size, extension and the file's actual content must agree.

The content is recognised from its first bytes (magic numbers). A pure-Python check for this
short allowlist is simpler and more exact than libmagic, which would add a system dependency.
"""

import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

# extension → (content type sent on download, content family recognised from the bytes)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "png": ("image/png", "png"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


# The file picker's filter: every allowed extension, and image/* so that a phone offers its camera
# (a phone's photo arrives as JPEG; the bytes are checked on arrival all the same).
ACCEPT = ",".join(["image/*", *(f".{extension}" for extension in ALLOWED)])


def stored_name(folder: str, filename: str) -> str:
    """Where an uploaded file is stored: a generated name under ``folder/<year>/<month>/`` keeping
    only the extension; the uploaded name is kept as metadata, never as a path. The models' upload_to
    callables (named in their migrations) call this."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def accepted_help() -> str:
    """What an evidence field says it accepts: the types and the size limit."""
    return _("可上传 PDF、图片（JPG、PNG）、Word 或 Excel 文件，单个文件不超过 %(limit)s；手机上可直接拍照。") % {
        "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)
    }


def sniff(uploaded) -> str | None:
    """The content family of a file from its bytes, or None when it is none of the allowed ones."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # the legacy Word/Excel container
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "docx"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def check_evidence(uploaded) -> str:
    """Validate an upload; return the content type to store. Raises ValidationError at the file field."""
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {
                "file": _("文件过大（%(size)s），单个文件不能超过 %(limit)s。")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError({"file": _("文件是空的。")}, code="empty")
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            {
                "file": _("不支持的文件类型“.%(ext)s”。可上传 PDF、图片（JPG、PNG）、Word 或 Excel 文件。")
                % {"ext": extension or _("无扩展名")}
            },
            code="bad_extension",
        )
    content_type, family = ALLOWED[extension]
    if sniff(uploaded) != family:
        raise ValidationError(
            {"file": _("文件内容与扩展名“.%(ext)s”不符，请上传真实的 %(ext)s 文件。") % {"ext": extension}},
            code="content_mismatch",
        )
    return content_type


def checked_uploads(files, field: str = "files") -> list[tuple]:
    """Check every upload before any is stored: (upload, content type) pairs, or the first refusal
    at ``field`` (the form's multi-file field)."""
    checked = []
    for uploaded in files:
        try:
            checked.append((uploaded, check_evidence(uploaded)))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
    return checked


def stored_fields(uploaded, content_type: str, by) -> dict:
    """What every stored upload keeps beside what it belongs to: the file, its uploaded name (as
    metadata only, see ``stored_name``), the checked content type, its size and who uploaded it."""
    return {
        "file": uploaded,
        "original_name": uploaded.name[:255],
        "content_type": content_type,
        "size": uploaded.size,
        "uploaded_by": by,
    }
