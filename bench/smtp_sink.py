"""A local SMTP sink for bench/load.sh: accepts every message on 127.0.0.1 and keeps only what the script needs.

Messages to addresses that start with "capture-" are parsed and "<recipient> <code>" is appended to the capture file;
every other message is accepted and dropped unparsed, so the sink costs as little CPU as possible under send load.
Usage: python3 smtp_sink.py PORT CAPTURE_FILE
"""
import asyncio
import email
import email.policy
import re
import sys

from aiosmtpd.smtp import SMTP

CODE = re.compile(r"^\s*(\d{6})\s*$", re.MULTILINE)


class Capture:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        rcpt = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        if rcpt.startswith("capture-"):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            text = message.get_body(preferencelist=("plain",)).get_content()
            found = CODE.search(text)
            if found:
                self.out.write(f"{rcpt} {found.group(1)}\n")
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    handler = Capture(path)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="bench-sink"), host="127.0.0.1", port=port))
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
