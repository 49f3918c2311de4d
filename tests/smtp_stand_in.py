"""A small SMTP server for tests: it accepts mail, or answers every message with a temporary
failure (451) the way a mail server that is down for maintenance does."""

from __future__ import annotations

import socketserver
import threading
from email import policy
from email.parser import BytesParser


class StandInSmtp:
    def __init__(self) -> None:
        self.received: list = []
        self.failing = False
        stand_in = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self) -> None:
                self.reply("220 stand-in ESMTP")
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 stand-in")
                    elif command.startswith("DATA"):
                        self.reply("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        if stand_in.failing:
                            self.reply("451 4.3.0 try again later")
                        else:
                            stand_in.received.append(
                                BytesParser(policy=policy.default).parsebytes(data))
                            self.reply("250 2.0.0 queued")
                    elif command.startswith("QUIT"):
                        self.reply("221 bye")
                        return
                    else:  # MAIL FROM, RCPT TO, RSET, NOOP
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandInSmtp:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
