"""A real SMTP server (aiosmtpd, from Debian's python3-aiosmtpd) for the email notifier's tests.

Binds 127.0.0.1 on an ephemeral port and prints "LISTENING <port>" once it accepts connections.
Every message it accepts is printed as one line "MESSAGE <json>" with the envelope and the parsed
message (subject, from, to, cc, message_id, the text/plain and text/html parts, content types).
Recipients starting with "reject" get a permanent 550, those starting with "busy" a transient 451.
With --user/--password it requires AUTH (PLAIN/LOGIN, allowed without TLS for the test).
It exits when its stdin closes, so it dies with the test process that spawned it.
"""
import argparse
import asyncio
import email
import email.policy
import json
import socket
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.startswith("busy"):
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts[part.get_content_type()] = part.get_content()
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": message["subject"],
            "from": message["from"],
            "to": message["to"],
            "cc": message["cc"],
            "message_id": message["message-id"],
            "x_tocsin_event": message["x-tocsin-event"],
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
        }
        print("MESSAGE " + json.dumps(record), flush=True)
        return "250 2.0.0 Ok: queued as TESTQUEUEID"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    def factory():
        return SMTP(
            Recorder(),
            hostname="mail.test",
            authenticator=make_authenticator(args.user, args.password) if args.user else None,
            auth_required=bool(args.user),
            auth_require_tls=False,
        )

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, sock=sock)
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
