"""Compressed answers: Flask-Compress does pages and API answers (Brotli when the browser takes
it, else gzip; the types in ``COMPRESS_MIMETYPES``).

Two exceptions:

- A page for someone logged in leaves uncompressed. It carries their CSRF token and personal
  data next to what a visitor typed (a search, a name), which is what BREACH needs to read a
  secret from the size of compressed answers. Those pages are small (≤ 16 KB); styles, scripts,
  public pages and the API, where the bytes are, stay compressed.
- Static files leave Flask as a stream of the open file, which Flask-Compress would compress
  only by replacing the stream, leaving the file open. The text ones are small (Leaflet is the
  largest, ~150 KB), so they are read whole first and compressed like a page; the file is closed
  with the response. Other streams (the audit log's CSV export) stay uncompressed.
"""

from flask import Flask, Response, request
from flask_login import current_user

from marketplace.extensions import compress


def init_app(app: Flask) -> None:
    app.config["COMPRESS_REGISTER"] = False  # registered below, with the exceptions
    compress.init_app(app)
    compressible = set(app.config["COMPRESS_MIMETYPES"])

    # Registered first, so it runs after every other after_request and compresses the body they
    # finished.
    @app.after_request
    def compressed(response: Response) -> Response:
        if response.mimetype == "text/html" and current_user.is_authenticated:
            response.vary.add("Cookie")
            return response
        return compress.after_request(response)

    @app.after_request
    def read_static_text_whole(response: Response) -> Response:
        if (request.endpoint == "static" and response.status_code == 200
                and response.mimetype in compressible):
            response.direct_passthrough = False
            response.make_sequence()  # reads the file; closing it is left to the response
        return response
