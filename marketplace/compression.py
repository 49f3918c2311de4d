"""Compressed answers: Flask-Compress does pages and API answers (Brotli when the browser takes
it, else gzip; the types in ``COMPRESS_MIMETYPES``).

Static files leave Flask as a stream of the open file, which Flask-Compress would compress
only by replacing the stream, leaving the file open. The text ones are small (Leaflet is the
largest, ~150 KB), so they are read whole first and compressed like a page; the file is closed
with the response. Other streams (the audit log's CSV export) stay uncompressed.
"""

from flask import Flask, Response, request

from marketplace.extensions import compress


def init_app(app: Flask) -> None:
    # First registered, so Flask-Compress runs after every other after_request and compresses
    # the body they finished.
    compress.init_app(app)
    compressible = set(app.config["COMPRESS_MIMETYPES"])

    @app.after_request
    def read_static_text_whole(response: Response) -> Response:
        if (request.endpoint == "static" and response.status_code == 200
                and response.mimetype in compressible):
            response.direct_passthrough = False
            response.make_sequence()  # reads the file; closing it is left to the response
        return response
