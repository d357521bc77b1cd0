"""A stored file handed to the browser by the app's own download views.

Every view first checks that the user may read the file; then this streams it from the
default storage (local disk or the object store: `.open()`, never a path or a bucket URL),
and answers 404 when the file is gone from the store.
"""

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def stored_file_response(
    file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    if not file:
        raise Http404("No file is stored.")
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        logger.warning("A stored file is missing: %s", file.name)
        raise Http404("The file is no longer stored.") from missing
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
