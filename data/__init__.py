"""Bundled data of envtargets, installed as the package ``envtargets.data``."""
