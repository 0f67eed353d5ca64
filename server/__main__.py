"""`python -m server serve | outbox ... | hash-key [KEY]`."""
import argparse
import secrets
import sys

from server.config import ConfigError, load_settings
from server.customers import DEMO_KEY, hash_key
from server.mail.backends import describe_url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP server under gunicorn (host/port from config)")
    commands.add_parser("outbox", help="inspect and drive the outbox (see `outbox --help`)",
                        add_help=False)
    hashing = commands.add_parser("hash-key", help="print the key_sha256 of a customer key")
    hashing.add_argument("key", nargs="?", help="the key; a new random key when omitted")
    return parser


def serve() -> int:
    """Validate the configuration once in the master, then run gunicorn's workers."""
    from gunicorn.app.base import BaseApplication

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2

    class ReporterApplication(BaseApplication):
        """gunicorn, configured from our settings; each worker builds its own app."""

        def load_config(self):
            self.cfg.set("bind", f"{settings['HOST']}:{settings['PORT']}")
            self.cfg.set("workers", settings["WORKERS"])
            self.cfg.set("threads", settings["THREADS"])
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("graceful_timeout", 5)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", "server.logsafe.EscapingLogger")
            # gunicorn ≥ 24 opens a control socket at a fixed path: two servers would collide.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            from server import create_app

            # Each worker counts rate limits alone unless the storage is shared (limits.py).
            return create_app({"RATE_LIMIT_PROCESSES": settings["WORKERS"]})

    print(f"Odoo Support Reporter on http://{settings['HOST']}:{settings['PORT']}/ "
          f"(API: /api/v1/openapi.json)", flush=True)
    if settings["DEV_MODE"]:
        print(f"Dev mode: no configuration file; demo customer key: {DEMO_KEY}  "
              f"(mail goes to {describe_url(settings['MAIL_URL'])})", flush=True)
        base = f"http://{settings['HOST']}:{settings['PORT']}"
        print(f"Demo: an Odoo error at {base}/dev/odoo-demo, the tickets at {base}/dev/outbox",
              flush=True)
    ReporterApplication().run()
    return 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["outbox"]:
        return run_outbox_command(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "hash-key":
        key = args.key or secrets.token_urlsafe(24)
        if not args.key:
            print(f"key:        {key}")
        print(f"key_sha256: {hash_key(key)}")
        return 0
    return serve()


def run_outbox_command(args) -> int:
    """The `outbox` click group (server/outbox/cli.py) with its own exit status."""
    import click

    from server.outbox.cli import outbox_command

    try:
        status = outbox_command.main(args, prog_name="python -m server outbox",
                                     standalone_mode=False)
    except click.ClickException as error:  # a usage error: told as click tells it
        error.show()
        return error.exit_code
    except click.Abort:
        return 1
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
