"""A real SMTP server (aiosmtpd, from Debian's python3-aiosmtpd) for the SMTP checker's tests.

It binds 127.0.0.1 on an ephemeral port and prints "LISTENING <port>" once it accepts
connections. Options: --ident (banner text), --cert/--key (offer STARTTLS, or with
--implicit-tls speak TLS from the first byte), --user/--password (offer AUTH PLAIN/LOGIN;
--login-only drops PLAIN).
It exits when its stdin closes, so it dies with the test process that spawned it.
"""
import argparse
import asyncio
import socket
import ssl
import sys

from aiosmtpd.handlers import Sink
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ident", default="Tocsin test SMTP")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--login-only", action="store_true")
    return parser.parse_args()


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=ok, handled=False)

    return authenticate


async def main():
    args = parse_args()
    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    starttls = tls if tls is not None and not args.implicit_tls else None

    def factory():
        return SMTP(
            Sink(),
            hostname="mail.test",
            ident=args.ident,
            tls_context=starttls,
            authenticator=make_authenticator(args.user, args.password) if args.user else None,
            # AUTH without TLS only when the server has no TLS at all, like a real server would.
            auth_require_tls=tls is not None and not args.implicit_tls,
            auth_exclude_mechanism=["PLAIN"] if args.login_only else None,
        )

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, sock=sock, ssl=tls if args.implicit_tls else None)
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
