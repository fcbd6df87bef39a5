"""A local SMTP sink for bench/load.sh: plain asyncio, no dependencies, 127.0.0.1 only.

It speaks just enough SMTP for MailKit (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps only what the script needs:
messages to addresses that start with "capture-" are parsed and "<recipient> <code>" is appended to CAPTURE_FILE; every
other message is accepted and dropped unparsed, so the sink costs little CPU under send load. Every half second
CAPTURE_FILE.count holds how many messages have arrived, for the delivery rate.
Usage: python3 smtp_sink.py PORT CAPTURE_FILE
"""
import asyncio
import email
import email.policy
import re
import sys

CODE = re.compile(r"^\s*(\d{6})\s*$", re.MULTILINE)


class Sink:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)
        self.stats = path + ".count"
        self.count = 0

    def write_count(self):
        with open(self.stats, "w") as f:
            f.write(f"{self.count}\n")
        asyncio.get_running_loop().call_later(0.5, self.write_count)

    def capture(self, rcpt, data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        found = CODE.search(message.get_body(preferencelist=("plain",)).get_content())
        if found:
            self.out.write(f"{rcpt} {found.group(1)}\n")

    async def session(self, reader, writer):
        writer.write(b"220 bench-sink ESMTP\r\n")
        rcpt = ""
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    writer.write(b"250-bench-sink\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    rcpt = ""
                    writer.write(b"250 OK\r\n")
                elif verb == b"RCPT":
                    rcpt = rcpt or line[8:].strip().strip(b"<>").decode("ascii", "replace")
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go on\r\n")
                    data = await reader.readuntil(b"\r\n.\r\n")
                    self.count += 1
                    if rcpt.startswith("capture-"):
                        self.capture(rcpt, data[:-5])
                    writer.write(b"250 OK queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    break
                else:
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    sink = Sink(path)
    server = await asyncio.start_server(sink.session, "127.0.0.1", port, limit=1 << 20)
    sink.write_count()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
