"""What a capture of the fixtures' user error says about where it happened, in every browser."""


def user_error_context(version):
    """The context keys a capture of tests/fixtures/odoo/<version>/user.html must hold."""
    expected = {
        "database": "acme-production",
        "app": "Sales",
        "rpc": {
            "url": "/web/dataset/call_kw/sale.order/action_confirm",
            "model": "sale.order",
            "method": "action_confirm",
            "ids": [42],
        },
        "record_id": 42,
    }
    if int(version.split(".")[0]) <= 17:  # from 18 on, /odoo/action-312/42 names no model
        expected["model"] = "sale.order"
    return expected
