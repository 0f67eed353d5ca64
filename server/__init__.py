"""Odoo Support Reporter's server: turns a support report into an emailed ticket."""
import logging

from flask import Flask, jsonify

from server import config, errors, limits
from server.logsafe import EscapingFormatter


def create_app(test_config: dict | None = None) -> Flask:
    """The application: configured, validated, with its API, limits, outbox and its worker."""
    app = Flask(__name__)
    settings = config.load_settings(test_config)
    app.config.from_mapping(settings)
    app.json.sort_keys = False
    configure_logging(app)
    errors.init_app(app)
    limits.init_app(app)

    from server import api, demo, extension_updates, outbox
    from server.outbox.delivery import settings_from_config
    from server.outbox.worker import start_worker

    app.register_blueprint(api.bp)
    extension_updates.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)
    outbox.init_app(app)
    if app.config["DELIVERY_WORKER"]:
        start_worker(app.extensions["outbox"].spool, settings_from_config(app.config))
    demo.init_app(app)
    return app


def healthz():
    """Liveness for load balancers and tests: the process answers HTTP."""
    return jsonify({"status": "ok"})


def configure_logging(app: Flask) -> None:
    """INFO to stderr, client text escaped, unless the host (pytest) set up logging already."""
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler])
    app.logger.setLevel(logging.INFO)
