"""The web app: ``create_app(store, settings)`` in :mod:`payforce.web.app`."""
