"""Uploads go to a temporary file as they arrive, and stop at the size limit.

Django keeps a file under ``FILE_UPLOAD_MAX_MEMORY_SIZE`` in memory and writes
larger ones to a temporary file; careties uses the temporary file for every
upload (a 200 MB Client Level Data file never sits in a worker's memory) and
stops reading a request body once it passes ``CARETIES_MAX_UPLOAD_BYTES``, so a
too-large file costs neither memory nor disk beyond the limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


def max_upload_bytes() -> int:
    return int(getattr(settings, "CARETIES_MAX_UPLOAD_BYTES", 1024 * 2**20))


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """``TemporaryFileUploadHandler`` that gives up past the limit and says so on the request."""

    received = 0
    too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Raising here would escape the parser; the first file refuses instead.
        self.too_large = bool(content_length and content_length > max_upload_bytes() + 2**16)

    def new_file(self, *args, **kwargs):
        if self.too_large:
            self._refuse()
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self._refuse()
        return super().receive_data_chunk(raw_data, start)

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.careties_upload_too_large = True
        # The rest of the body is read and dropped (nothing kept), so the page can answer.
        raise StopUpload(connection_reset=False)
